package main

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/bpgen/bpgen/examples/internal/cli"
)

func TestConverges(t *testing.T) {
	for _, seed := range []uint64{defaults.Seed, 2, 3, 42} {
		o := defaults
		o.Seed = seed
		r, err := run(o, io.Discard, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Converged {
			t.Errorf("seed %d: not converged, outputs %v", seed, r.Outputs)
		}
		if seed == defaults.Seed {
			t.Logf("seed %d: outputs %v, loss %.5f", seed, r.Outputs, r.Loss)
		}
	}
}

// TestDeterministic checks that a run depends on its seed only.
func TestDeterministic(t *testing.T) {
	a, err := run(defaults, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	b, err := run(defaults, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if a.Outputs != b.Outputs {
		t.Errorf("two runs with seed %d differ: %v and %v", defaults.Seed, a.Outputs, b.Outputs)
	}
}

func TestNotConverged(t *testing.T) {
	o := defaults
	o.Epochs = 1
	r, err := run(o, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if r.Converged {
		t.Errorf("converged after one epoch: %v", r.Outputs)
	}
}

func TestSaveLoadPlot(t *testing.T) {
	dir := t.TempDir()
	o := defaults
	o.Save = filepath.Join(dir, "xor.safetensors")
	o.Plot = filepath.Join(dir, "xor.png")
	trained, err := run(o, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(o.Plot); err != nil || fi.Size() == 0 {
		t.Errorf("no plot: %v", err)
	}
	loaded, err := run(cliLoad(o.Save), io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Outputs != trained.Outputs || math.Abs(loaded.Loss-trained.Loss) > 0 {
		t.Errorf("loaded weights give %v, trained ones %v", loaded.Outputs, trained.Outputs)
	}
}

// cliLoad returns the default flags with -load path.
func cliLoad(path string) (o cli.Flags) {
	o = defaults
	o.Load = path
	return o
}

// Example trains with the default settings. The outputs, 0.0028, 0.9932,
// 0.9916 and 0.0112, are far enough from a rounding boundary that the
// two-decimal text below is the same on every platform, fused
// multiply-adds or not.
func Example() {
	o := defaults
	o.Quiet = true
	if _, err := run(o, os.Stdout, os.Stderr); err != nil {
		panic(err)
	}
	// Output:
	// xor(0, 0) = 0.00  want 0  ok
	// xor(0, 1) = 0.99  want 1  ok
	// xor(1, 0) = 0.99  want 1  ok
	// xor(1, 1) = 0.01  want 0  ok
	// converged: every output within 0.25 of its target
}
