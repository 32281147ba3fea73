package bench

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bpgen/bpgen/bench/internal/mlp32"
	"github.com/bpgen/bpgen/bench/internal/mlp64"
	"github.com/bpgen/bpgen/bench/internal/ref"
	"github.com/bpgen/bpgen/bench/internal/tiny"
)

// The architectures of the specs in specs/, for the references.
var (
	archMLP  = ref.Arch{Sizes: []int{784, 128, 64, 10}, Hidden: ref.ReLU, Out: ref.SoftmaxCE}
	archTiny = ref.Arch{Sizes: []int{2, 8, 1}, Hidden: ref.Sigmoid, Out: ref.SigmoidBCE}
)

// samples returns n deterministic inputs uniform in [0,1) and their targets:
// one-hot labels for out > 1, 0 or 1 for out == 1.
func samples[F ref.Float](n, in, out int, seed uint64) (xs, ds [][]F) {
	r := rand.New(rand.NewPCG(seed, 0x62706765))
	for range n {
		x := make([]F, in)
		for i := range x {
			x[i] = F(r.Float64())
		}
		d := make([]F, out)
		if out == 1 {
			d[0] = F(r.IntN(2))
		} else {
			d[r.IntN(out)] = 1
		}
		xs, ds = append(xs, x), append(ds, d)
	}
	return xs, ds
}

// flat concatenates the rows of xs, for the gonum reference's batches.
func flat[F ref.Float](xs [][]F) []F {
	var f []F
	for _, x := range xs {
		f = append(f, x...)
	}
	return f
}

// Fixtures: the same samples as slices (naive), flat row-major batches
// (gonum) and arrays (bpgen).
type fixMLP32 struct {
	xs, ds [][]float32
	fx, fd []float32
	ax     [][mlp32.InputSize]mlp32.Float
	ad     [][mlp32.TargetSize]mlp32.Float
}

func newFixMLP32(n int, seed uint64) *fixMLP32 {
	f := &fixMLP32{}
	f.xs, f.ds = samples[float32](n, mlp32.InputSize, mlp32.TargetSize, seed)
	f.fx, f.fd = flat(f.xs), flat(f.ds)
	for i := range f.xs {
		f.ax = append(f.ax, [mlp32.InputSize]mlp32.Float(f.xs[i]))
		f.ad = append(f.ad, [mlp32.TargetSize]mlp32.Float(f.ds[i]))
	}
	return f
}

type fixMLP64 struct {
	xs, ds [][]float64
	fx, fd []float64
	ax     [][mlp64.InputSize]mlp64.Float
	ad     [][mlp64.TargetSize]mlp64.Float
}

func newFixMLP64(n int, seed uint64) *fixMLP64 {
	f := &fixMLP64{}
	f.xs, f.ds = samples[float64](n, mlp64.InputSize, mlp64.TargetSize, seed)
	f.fx, f.fd = flat(f.xs), flat(f.ds)
	for i := range f.xs {
		f.ax = append(f.ax, [mlp64.InputSize]mlp64.Float(f.xs[i]))
		f.ad = append(f.ad, [mlp64.TargetSize]mlp64.Float(f.ds[i]))
	}
	return f
}

type fixTiny struct {
	xs, ds [][]float32
	ax     [][tiny.InputSize]tiny.Float
	ad     [][tiny.TargetSize]tiny.Float
}

func newFixTiny(n int, seed uint64) *fixTiny {
	f := &fixTiny{}
	f.xs, f.ds = samples[float32](n, tiny.InputSize, tiny.TargetSize, seed)
	for i := range f.xs {
		f.ax = append(f.ax, [tiny.InputSize]tiny.Float(f.xs[i]))
		f.ad = append(f.ad, [tiny.TargetSize]tiny.Float(f.ds[i]))
	}
	return f
}

// The parameters of the generated models, copied, in Tensors order.
func paramsMLP32(m *mlp32.Model) (ps [][]float32) {
	for _, t := range m.Tensors() {
		ps = append(ps, append([]float32(nil), t.Data...))
	}
	return ps
}

func paramsMLP64(m *mlp64.Model) (ps [][]float64) {
	for _, t := range m.Tensors() {
		ps = append(ps, append([]float64(nil), t.Data...))
	}
	return ps
}

func paramsTiny(m *tiny.Model) (ps [][]float32) {
	for _, t := range m.Tensors() {
		ps = append(ps, append([]float32(nil), t.Data...))
	}
	return ps
}

// closeLoss fails t unless got and want (a loss or an output) agree to a
// relative tolerance.
func closeLoss[F ref.Float](t *testing.T, what string, got, want F, tol float64) {
	t.Helper()
	if math.IsNaN(float64(got)) || math.Abs(float64(got-want)) > tol*math.Max(1, math.Abs(float64(want))) {
		t.Errorf("%s: %v, want %v (bpgen)", what, got, want)
	}
}

// closeParams fails t unless the change of every parameter tensor from p0
// agrees between got and want: |Δgot - Δwant| <= tol·max|Δwant|, tensor by
// tensor. Comparing the changes rather than the weights keeps the test
// sensitive to the gradient, which is small next to the weights.
func closeParams[F ref.Float](t *testing.T, what string, p0, got, want [][]F, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d tensors, want %d", what, len(got), len(want))
	}
	for k := range want {
		var maxDelta, maxErr float64
		for i := range want[k] {
			dw := float64(want[k][i] - p0[k][i])
			dg := float64(got[k][i] - p0[k][i])
			maxDelta = math.Max(maxDelta, math.Abs(dw))
			if e := math.Abs(dg - dw); e > maxErr || math.IsNaN(e) {
				maxErr = e
			}
		}
		if maxDelta == 0 {
			t.Errorf("%s: tensor %d did not change: the test is too weak", what, k)
		}
		if !(maxErr <= tol*maxDelta) {
			t.Errorf("%s: tensor %d: update differs from bpgen's by %.3g, largest update %.3g", what, k, maxErr, maxDelta)
		}
	}
}
