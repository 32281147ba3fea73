package cli

import (
	"errors"
	"flag"
	"fmt"
	"math"
)

// Flags holds the command-line options every example program shares.
type Flags struct {
	Epochs int     // -epochs: passes over the training set; 0 only evaluates (with -load)
	Batch  int     // -batch: examples per mini-batch
	LR     float64 // -lr: learning rate (of the first epoch)
	Decay  float64 // -decay: factor the learning rate is multiplied by after each epoch; 1 keeps it constant
	Seed   uint64  // -seed: seed of weight initialisation and shuffling
	Quiet  bool    // -q, -quiet: print no progress
	Plot   string  // -plot: PNG file to draw loss and accuracy curves into; "" for none
	Save   string  // -save: file to save the trained weights to; "" for none
	Load   string  // -load: file to load weights from and only evaluate; "" for none
	Train  int     // -train: use only the first N training images; 0 for all
}

// Register defines the flags -epochs, -batch, -lr, -seed, -q (also
// spelled -quiet), -decay, -plot, -save, -load and -train on fs, storing
// into f, with the values in defaults as their defaults (a Decay of 0 in
// defaults stands for 1, a constant learning rate). Call fs.Parse (or
// flag.Parse, with fs = flag.CommandLine) afterwards, then
// [Flags.Validate].
func (f *Flags) Register(fs *flag.FlagSet, defaults Flags) {
	fs.IntVar(&f.Epochs, "epochs", defaults.Epochs, "number of `passes` over the training set (0: only evaluate, e.g. with -load)")
	fs.IntVar(&f.Batch, "batch", defaults.Batch, "mini-batch `size`")
	fs.Float64Var(&f.LR, "lr", defaults.LR, "learning `rate` of the first epoch")
	decay := defaults.Decay
	if decay == 0 {
		decay = 1
	}
	fs.Float64Var(&f.Decay, "decay", decay, "multiply the learning rate by this `factor` after every epoch (1: constant)")
	fs.Uint64Var(&f.Seed, "seed", defaults.Seed, "random `seed` for weight initialisation and shuffling; a run is repeatable for a fixed seed")
	fs.BoolVar(&f.Quiet, "q", defaults.Quiet, "quiet: print no progress")
	fs.BoolVar(&f.Quiet, "quiet", defaults.Quiet, "same as -q")
	fs.StringVar(&f.Plot, "plot", defaults.Plot, "write loss and accuracy curves to this PNG `file`")
	fs.StringVar(&f.Save, "save", defaults.Save, "save the trained weights to this `file`")
	fs.StringVar(&f.Load, "load", defaults.Load, "load weights from this `file` and only evaluate them (no training)")
	fs.IntVar(&f.Train, "train", defaults.Train, "use only the first `N` training images (0: all)")
}

// Validate reports every flag value that makes no sense: a negative
// -epochs or -train, a -batch below 1, a -lr that is not a positive
// number, a -decay outside (0, 1], and a -plot that has no training run to
// draw (with -load or -epochs 0).
func (f *Flags) Validate() error {
	var errs []error
	if f.Epochs < 0 {
		errs = append(errs, fmt.Errorf("-epochs %d: want 0 or more", f.Epochs))
	}
	if f.Batch < 1 {
		errs = append(errs, fmt.Errorf("-batch %d: want 1 or more", f.Batch))
	}
	if !(f.LR > 0) || math.IsInf(f.LR, 1) {
		errs = append(errs, fmt.Errorf("-lr %v: want a positive number", f.LR))
	}
	if !(f.Decay > 0 && f.Decay <= 1) {
		errs = append(errs, fmt.Errorf("-decay %v: want a factor in (0, 1]", f.Decay))
	}
	if f.Plot != "" && (f.Load != "" || f.Epochs < 1) {
		errs = append(errs, errors.New("-plot draws the curves of a training run: it needs -epochs 1 or more and no -load"))
	}
	if f.Train < 0 {
		errs = append(errs, fmt.Errorf("-train %d: want 0 (all) or more", f.Train))
	}
	return errors.Join(errs...)
}
