package bench

import (
	"testing"

	"github.com/bpgen/bpgen/bench/internal/mlp32"
	"github.com/bpgen/bpgen/bench/internal/mlp64"
	"github.com/bpgen/bpgen/bench/internal/ref"
	"github.com/bpgen/bpgen/bench/internal/tiny"
)

// The benchmarks. Each sub-benchmark builds its model and samples before the
// timed loop; the models start from the generated package's Init weights,
// copied to the references. One-sample workloads cycle through a pool of
// samples; the learning rate is small so that the weights stay sane over
// many iterations. The sub-benchmark names (naive, gonum, bpgen...) are what
// cmd/benchtable reads.

const (
	lr       = 1e-6
	pool     = 64 // samples cycled through by the one-sample workloads
	batch    = 64 // W2's batch size
	poolMask = pool - 1
)

// sink keeps results alive, so that the compiler cannot drop the work.
var (
	sink32 float32
	sink64 float64
)

// BenchmarkW1 is one SGD step on one sample of the 784-128-64-10 network.
func BenchmarkW1(b *testing.B) {
	f := newFixMLP32(pool, 11)
	var m0 mlp32.Model
	m0.Init(11)
	b.Run("naive", func(b *testing.B) {
		n := ref.NewNaive(archMLP, paramsMLP32(&m0))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink32 = n.TrainStep(f.xs[i], f.ds[i], lr)
			i = (i + 1) & poolMask
		}
	})
	b.Run("gonum", func(b *testing.B) {
		n := ref.NewGonum32(archMLP, paramsMLP32(&m0))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink32 = n.TrainStep(f.xs[i], f.ds[i], lr)
			i = (i + 1) & poolMask
		}
	})
	b.Run("bpgen", func(b *testing.B) {
		m := new(mlp32.Model)
		*m = m0
		ws := new(mlp32.Workspace)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink32 = m.TrainStep(ws, &f.ax[i], &f.ad[i], lr)
			i = (i + 1) & poolMask
		}
	})
	b.Run("bpgen-backward+step", func(b *testing.B) {
		m := new(mlp32.Model)
		*m = m0
		ws := new(mlp32.Workspace)
		g := new(mlp32.Gradients)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			g.Zero()
			sink32 = m.Backward(ws, &f.ax[i], &f.ad[i], g)
			m.Step(g, lr, 1)
			i = (i + 1) & poolMask
		}
	})
}

// BenchmarkW2 is one SGD step on a batch of 64 samples: the mean gradient,
// then the update.
func BenchmarkW2(b *testing.B) {
	f := newFixMLP32(batch, 12)
	var m0 mlp32.Model
	m0.Init(12)
	b.Run("naive", func(b *testing.B) {
		n := ref.NewNaive(archMLP, paramsMLP32(&m0))
		b.ReportAllocs()
		for b.Loop() {
			sink32 = n.TrainBatch(f.xs, f.ds, lr)
		}
	})
	b.Run("gonum", func(b *testing.B) {
		n := ref.NewGonum32(archMLP, paramsMLP32(&m0))
		n.TrainBatch(f.fx, f.fd, 0) // allocate the batch matrices outside the timed loop
		b.ReportAllocs()
		for b.Loop() {
			sink32 = n.TrainBatch(f.fx, f.fd, lr)
		}
	})
	b.Run("bpgen-trainbatch", func(b *testing.B) {
		m := new(mlp32.Model)
		*m = m0
		ws := new(mlp32.Workspace)
		b.ReportAllocs()
		for b.Loop() {
			sink32 = m.TrainBatch(ws, f.ax, f.ad, lr)
		}
	})
	b.Run("bpgen-trainbatch-2workers", func(b *testing.B) {
		m := new(mlp32.Model)
		*m = m0
		ws := new(mlp32.Workspace)
		ws.SetWorkers(2)
		defer ws.SetWorkers(0)
		b.ReportAllocs()
		for b.Loop() {
			sink32 = m.TrainBatch(ws, f.ax, f.ad, lr)
		}
	})
}

// BenchmarkW3 is one SGD step on one sample of the 2-8-1 sigmoid network
// with binary cross-entropy.
func BenchmarkW3(b *testing.B) {
	f := newFixTiny(pool, 13)
	var m0 tiny.Model
	m0.Init(13)
	b.Run("naive", func(b *testing.B) {
		n := ref.NewNaive(archTiny, paramsTiny(&m0))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink32 = n.TrainStep(f.xs[i], f.ds[i], lr)
			i = (i + 1) & poolMask
		}
	})
	b.Run("gonum", func(b *testing.B) {
		n := ref.NewGonum32(archTiny, paramsTiny(&m0))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink32 = n.TrainStep(f.xs[i], f.ds[i], lr)
			i = (i + 1) & poolMask
		}
	})
	b.Run("bpgen", func(b *testing.B) {
		m := new(tiny.Model)
		*m = m0
		ws := new(tiny.Workspace)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink32 = m.TrainStep(ws, &f.ax[i], &f.ad[i], lr)
			i = (i + 1) & poolMask
		}
	})
}

// BenchmarkW4 is inference on one sample: the forward pass only.
func BenchmarkW4(b *testing.B) {
	f := newFixMLP32(pool, 14)
	var m0 mlp32.Model
	m0.Init(14)
	b.Run("naive", func(b *testing.B) {
		n := ref.NewNaive(archMLP, paramsMLP32(&m0))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink32 = n.Forward(f.xs[i])[0]
			i = (i + 1) & poolMask
		}
	})
	b.Run("gonum", func(b *testing.B) {
		n := ref.NewGonum32(archMLP, paramsMLP32(&m0))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink32 = n.Forward(f.xs[i])[0]
			i = (i + 1) & poolMask
		}
	})
	b.Run("bpgen", func(b *testing.B) {
		m := new(mlp32.Model)
		*m = m0
		ws := new(mlp32.Workspace)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink32 = m.Forward(ws, &f.ax[i])[0]
			i = (i + 1) & poolMask
		}
	})
}

// BenchmarkW1F64 is W1 in float64.
func BenchmarkW1F64(b *testing.B) {
	f := newFixMLP64(pool, 15)
	var m0 mlp64.Model
	m0.Init(15)
	b.Run("naive", func(b *testing.B) {
		n := ref.NewNaive(archMLP, paramsMLP64(&m0))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink64 = n.TrainStep(f.xs[i], f.ds[i], lr)
			i = (i + 1) & poolMask
		}
	})
	b.Run("gonum", func(b *testing.B) {
		n := ref.NewGonum64(archMLP, paramsMLP64(&m0))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink64 = n.TrainStep(f.xs[i], f.ds[i], lr)
			i = (i + 1) & poolMask
		}
	})
	b.Run("bpgen", func(b *testing.B) {
		m := new(mlp64.Model)
		*m = m0
		ws := new(mlp64.Workspace)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sink64 = m.TrainStep(ws, &f.ax[i], &f.ad[i], lr)
			i = (i + 1) & poolMask
		}
	})
}
