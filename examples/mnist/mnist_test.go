package main

import (
	"bytes"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bpgen/bpgen/examples/internal/mnist"
)

// loadData loads the real MNIST data once for all tests.
var loadData = sync.OnceValues(func() ([2]*mnist.Set, error) {
	train, test, err := mnist.LoadDefault()
	return [2]*mnist.Set{train, test}, err
})

func data(t *testing.T) (train, test *mnist.Set) {
	t.Helper()
	if testing.Short() {
		t.Skip("trains on the real MNIST data; skipped in -short mode")
	}
	sets, err := loadData()
	if err != nil {
		t.Fatal(err)
	}
	return sets[0], sets[1]
}

// TestTrainSubset trains through the same code as the program, with its
// default settings but on the first 3000 training images for 2 epochs, and
// checks the accuracy on the first 1000 test images. Measured: 87.5%.
func TestTrainSubset(t *testing.T) {
	train, test := data(t)
	o := defaults
	o.Epochs, o.Train, o.Quiet = 2, 3000, true
	o.Plot = filepath.Join(t.TempDir(), "curves.png")
	var stdout bytes.Buffer
	r, err := run(o, train, test.Subset(1000), &stdout, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("accuracy %.2f%%\n%s", 100*r.Accuracy, stdout.String())
	const floor = 0.83
	if r.Accuracy < floor {
		t.Errorf("test accuracy %.2f%%, want at least %.0f%%", 100*r.Accuracy, 100*floor)
	}
	if r.History.Len() != 2 {
		t.Errorf("history of %d epochs, want 2", r.History.Len())
	}
	for _, want := range []string{"test accuracy", `true\pred`, "precision"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	total := 0
	for _, row := range r.Confusion {
		for _, c := range row {
			total += c
		}
	}
	if total != 1000 {
		t.Errorf("confusion matrix counts %d images, want 1000", total)
	}
	f, err := os.Open(o.Plot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("plot: %v", err)
	}
}

// TestSaveLoad saves trained weights with -save and evaluates them with
// -load: the results must be identical.
func TestSaveLoad(t *testing.T) {
	train, test := data(t)
	test = test.Subset(500)
	o := defaults
	o.Epochs, o.Train, o.Quiet = 1, 1000, true
	o.Save = filepath.Join(t.TempDir(), "mnist.safetensors")
	var trained, loaded bytes.Buffer
	rt, err := run(o, train, test, &trained, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o.Save, o.Load = "", o.Save
	rl, err := run(o, train, test, &loaded, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if rl.Accuracy != rt.Accuracy || trained.String() != loaded.String() {
		t.Errorf("trained:\n%s\nloaded:\n%s", trained.String(), loaded.String())
	}
	if rl.History.Len() != 0 {
		t.Errorf("-load trained for %d epochs", rl.History.Len())
	}

	o.Load = filepath.Join(t.TempDir(), "missing.safetensors")
	if _, err := run(o, train, test, io.Discard, io.Discard); err == nil {
		t.Error("-load of a missing file: no error")
	}
}

// TestDeterministic checks that two runs with the same seed agree.
func TestDeterministic(t *testing.T) {
	train, test := data(t)
	test = test.Subset(300)
	o := defaults
	o.Epochs, o.Train, o.Quiet = 1, 300, true
	var a, b bytes.Buffer
	if _, err := run(o, train, test, &a, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := run(o, train, test, &b, io.Discard); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("two runs with seed %d differ:\n%s\n%s", o.Seed, a.String(), b.String())
	}
}
