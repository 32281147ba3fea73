package bench

import (
	"testing"

	"github.com/bpgen/bpgen/bench/internal/mlp32"
	"github.com/bpgen/bpgen/bench/internal/mlp64"
	"github.com/bpgen/bpgen/bench/internal/ref"
	"github.com/bpgen/bpgen/bench/internal/tiny"
)

// These tests check that the references compute what the generated
// packages compute: the same outputs, losses and updated weights from the
// same initial weights (copied through Tensors) and the same samples. The
// learning rates are large enough for the updates to be well above
// rounding error. Without them the benchmarks would compare different work.

const steps = 5 // SGD steps per test, so that later steps see updated weights

// TestW1 checks one-sample SGD in float32 (and W4's forward pass).
func TestW1(t *testing.T) {
	f := newFixMLP32(steps, 1)
	var m, m2 mlp32.Model
	m.Init(1)
	m2 = m
	p0 := paramsMLP32(&m)
	naive := ref.NewNaive(archMLP, p0)
	gon := ref.NewGonum32(archMLP, p0)
	var ws, ws2 mlp32.Workspace
	var g mlp32.Gradients
	const lr = 0.05
	for s := range steps {
		// W4: forward only
		y := m.Forward(&ws, &f.ax[s])
		for _, impl := range []struct {
			name string
			y    []float32
		}{{"naive", naive.Forward(f.xs[s])}, {"gonum", gon.Forward(f.xs[s])}} {
			for i := range y {
				closeLoss(t, "W4 "+impl.name+" output", impl.y[i], y[i], 1e-5)
			}
		}
		want := m.TrainStep(&ws, &f.ax[s], &f.ad[s], lr)
		closeLoss(t, "W1 naive loss", naive.TrainStep(f.xs[s], f.ds[s], lr), want, 1e-5)
		closeLoss(t, "W1 gonum", gon.TrainStep(f.xs[s], f.ds[s], lr), want, 1e-5)
		g.Zero()
		closeLoss(t, "W1 bpgen-backward+step", m2.Backward(&ws2, &f.ax[s], &f.ad[s], &g), want, 1e-5)
		m2.Step(&g, lr, 1)
	}
	want := paramsMLP32(&m)
	closeParams(t, "W1 naive", p0, naive.Params(), want, 1e-3)
	closeParams(t, "W1 gonum", p0, gon.Params(), want, 1e-3)
	closeParams(t, "W1 bpgen-backward+step", p0, paramsMLP32(&m2), want, 1e-3)
}

// TestW2 checks minibatch gradient descent on batches of 64 in float32.
func TestW2(t *testing.T) {
	const batch = 64
	f := newFixMLP32(2*batch, 2)
	var m mlp32.Model
	m.Init(2)
	p0 := paramsMLP32(&m)
	naive := ref.NewNaive(archMLP, p0)
	gon := ref.NewGonum32(archMLP, p0)
	var ws mlp32.Workspace
	const lr = 0.5
	for k := 0; k < len(f.xs); k += batch {
		want := m.TrainBatch(&ws, f.ax[k:k+batch], f.ad[k:k+batch], lr)
		closeLoss(t, "W2 naive", naive.TrainBatch(f.xs[k:k+batch], f.ds[k:k+batch], lr), want, 1e-5)
		in, out := mlp32.InputSize, mlp32.TargetSize
		closeLoss(t, "W2 gonum", gon.TrainBatch(f.fx[k*in:(k+batch)*in], f.fd[k*out:(k+batch)*out], lr), want, 1e-5)
	}
	want := paramsMLP32(&m)
	closeParams(t, "W2 naive", p0, naive.Params(), want, 1e-3)
	closeParams(t, "W2 gonum", p0, gon.Params(), want, 1e-3)
}

// TestW3 checks one-sample SGD on the 2-8-1 sigmoid network with BCE.
func TestW3(t *testing.T) {
	f := newFixTiny(steps, 3)
	var m tiny.Model
	m.Init(3)
	p0 := paramsTiny(&m)
	naive := ref.NewNaive(archTiny, p0)
	gon := ref.NewGonum32(archTiny, p0)
	var ws tiny.Workspace
	const lr = 0.5
	for s := range steps {
		want := m.TrainStep(&ws, &f.ax[s], &f.ad[s], lr)
		closeLoss(t, "W3 naive", naive.TrainStep(f.xs[s], f.ds[s], lr), want, 1e-5)
		closeLoss(t, "W3 gonum", gon.TrainStep(f.xs[s], f.ds[s], lr), want, 1e-5)
	}
	want := paramsTiny(&m)
	closeParams(t, "W3 naive", p0, naive.Params(), want, 1e-3)
	closeParams(t, "W3 gonum", p0, gon.Params(), want, 1e-3)
}

// TestW1F64 checks one-sample SGD in float64, to a tighter tolerance, and
// the float64 batch path of the references.
func TestW1F64(t *testing.T) {
	f := newFixMLP64(steps, 4)
	var m mlp64.Model
	m.Init(4)
	p0 := paramsMLP64(&m)
	naive := ref.NewNaive(archMLP, p0)
	gon := ref.NewGonum64(archMLP, p0)
	var ws mlp64.Workspace
	const lr = 0.05
	for s := range steps {
		want := m.TrainStep(&ws, &f.ax[s], &f.ad[s], lr)
		closeLoss(t, "W1F64 naive", naive.TrainStep(f.xs[s], f.ds[s], lr), want, 1e-12)
		closeLoss(t, "W1F64 gonum", gon.TrainStep(f.xs[s], f.ds[s], lr), want, 1e-12)
	}
	want := paramsMLP64(&m)
	closeParams(t, "W1F64 naive", p0, naive.Params(), want, 1e-9)
	closeParams(t, "W1F64 gonum", p0, gon.Params(), want, 1e-9)

	want = paramsMLP64(&m)
	wantLoss := m.TrainBatch(&ws, f.ax, f.ad, lr)
	closeLoss(t, "batch naive", naive.TrainBatch(f.xs, f.ds, lr), wantLoss, 1e-12)
	closeLoss(t, "batch gonum", gon.TrainBatch(f.fx, f.fd, lr), wantLoss, 1e-12)
	closeParams(t, "batch naive", want, naive.Params(), paramsMLP64(&m), 1e-9)
	closeParams(t, "batch gonum", want, gon.Params(), paramsMLP64(&m), 1e-9)
}
