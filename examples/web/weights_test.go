package main

import (
	"bytes"
	"testing"

	"github.com/bpgen/bpgen/examples/internal/cli"
	"github.com/bpgen/bpgen/examples/internal/mnist"
	gm "github.com/bpgen/bpgen/generated/mnist"
)

// documentedAccuracy is the test accuracy that the README, examples/mnist
// and this example document for the weights of
// go run ./examples/mnist -save, and which mnist.safetensors must reach.
const documentedAccuracy = 0.9833

// loadWeights returns the model with the checked-in weights, loaded by
// the generated Load.
func loadWeights(t *testing.T) *gm.Model {
	t.Helper()
	m := new(gm.Model)
	if err := m.Load(bytes.NewReader(weights)); err != nil {
		t.Fatalf("mnist.safetensors: %v; rewrite it with go run ./examples/mnist -save examples/web/mnist.safetensors", err)
	}
	return m
}

// TestWeights checks that the checked-in weights load into the current
// generated package and reach the documented accuracy on the 10,000 MNIST
// test digits.
func TestWeights(t *testing.T) {
	m := loadWeights(t)
	_, test, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	xs := mnist.Inputs[gm.Float](test.Images)
	ys := make([][gm.OutputSize]gm.Float, len(xs))
	var ws gm.Workspace
	m.ForwardBatch(&ws, xs, ys)
	pred := make([]uint8, len(ys))
	for i := range ys {
		pred[i] = uint8(cli.Argmax(ys[i][:]))
	}
	acc := cli.Accuracy(pred, test.Labels)
	t.Logf("test accuracy %.2f%%", 100*acc)
	if acc < documentedAccuracy-1e-9 {
		t.Errorf("test accuracy %.2f%%, want the documented %.2f%%; retrain with go run ./examples/mnist -save examples/web/mnist.safetensors", 100*acc, 100*documentedAccuracy)
	}
}
