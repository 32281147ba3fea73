package cli

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func TestFlags(t *testing.T) {
	defaults := Flags{Epochs: 10, Batch: 32, LR: 0.1, Seed: 1, Plot: "curves.png"}
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
	args := strings.Fields("-epochs 3 -batch 64 -lr 0.01 -seed 99 -quiet -plot p.png -save w.bin -load v.bin -train 5000")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	want := Flags{Epochs: 3, Batch: 64, LR: 0.01, Seed: 99, Quiet: true, Plot: "p.png", Save: "w.bin", Load: "v.bin", Train: 5000}
	if g != want {
		t.Errorf("got %+v, want %+v", g, want)
	}
	if err := g.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
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
	bad := Flags{Epochs: -1, Batch: 0, LR: 0, Train: -5}
	err := bad.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{"-epochs -1", "-batch 0", "-lr 0", "-train -5"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
	ok := Flags{Epochs: 0, Batch: 1, LR: 1e-3}
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate(%+v): %v", ok, err)
	}
}
