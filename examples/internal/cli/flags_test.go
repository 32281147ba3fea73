package cli

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func TestFlags(t *testing.T) {
	defaults := Flags{Epochs: 10, Batch: 32, LR: 0.1, Decay: 0.9, Seed: 1, Plot: "curves.png"}
	var f Flags
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	f.Register(fs, defaults)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if f != defaults {
		t.Errorf("after no flags: %+v, want the defaults %+v", f, defaults)
	}

	var g Flags
	fs = flag.NewFlagSet("test", flag.ContinueOnError)
	g.Register(fs, defaults)
	args := strings.Fields("-epochs 3 -batch 64 -lr 0.01 -decay 0.5 -seed 99 -quiet -save w.bin -load v.bin -train 5000")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	want := Flags{Epochs: 3, Batch: 64, LR: 0.01, Decay: 0.5, Seed: 99, Quiet: true, Plot: "curves.png", Save: "w.bin", Load: "v.bin", Train: 5000}
	if g != want {
		t.Errorf("got %+v, want %+v", g, want)
	}
	if err := g.Validate(); err == nil || !strings.Contains(err.Error(), "-plot") {
		t.Errorf("Validate of -plot with -load: %v, want an error about -plot", err)
	}
	g.Plot = ""
	if err := g.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}

	var q Flags
	fs = flag.NewFlagSet("test", flag.ContinueOnError)
	q.Register(fs, Flags{Batch: 1, LR: 1})
	if err := fs.Parse([]string{"-q"}); err != nil {
		t.Fatal(err)
	}
	if !q.Quiet {
		t.Error("-q did not set Quiet")
	}
	if q.Decay != 1 {
		t.Errorf("default Decay %v, want 1 for a zero default", q.Decay)
	}

	fs = flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var h Flags
	h.Register(fs, defaults)
	if err := fs.Parse([]string{"-seed", "-1"}); err == nil {
		t.Error("negative seed accepted")
	}
}

func TestFlagsValidate(t *testing.T) {
	bad := Flags{Epochs: -1, Batch: 0, LR: 0, Decay: 1.5, Train: -5, Plot: "p.png"}
	err := bad.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{"-epochs -1", "-batch 0", "-lr 0", "-decay 1.5", "-train -5", "-plot"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
	ok := Flags{Epochs: 0, Batch: 1, LR: 1e-3, Decay: 1}
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate(%+v): %v", ok, err)
	}
}
