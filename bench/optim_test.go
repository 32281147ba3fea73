package bench

import (
	"testing"
	"time"

	"github.com/bpgen/bpgen/bench/internal/mlp32"
)

// BenchmarkOptW1 is one training step on one sample of the 784-128-64-10
// network (W1's workload) with each optimizer: TrainStep (plain SGD, fused
// into the backward pass) against TrainStepWith. The target is
// adam at most 1.3x trainstep.
func BenchmarkOptW1(b *testing.B) {
	f := newFixMLP32(pool, 11)
	var m0 mlp32.Model
	m0.Init(11)
	run := func(name string, step func(m *mlp32.Model, ws *mlp32.Workspace, i int) float32) {
		b.Run(name, func(b *testing.B) {
			m := new(mlp32.Model)
			*m = m0
			ws := new(mlp32.Workspace)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sink32 = step(m, ws, i)
				i = (i + 1) & poolMask
			}
		})
	}
	run("trainstep", func(m *mlp32.Model, ws *mlp32.Workspace, i int) float32 {
		return m.TrainStep(ws, &f.ax[i], &f.ad[i], lr)
	})
	for _, o := range optimizers() {
		run(o.name, func(m *mlp32.Model, ws *mlp32.Workspace, i int) float32 {
			return m.TrainStepWith(ws, &f.ax[i], &f.ad[i], o.opt)
		})
	}
}

// BenchmarkOptW2 is one training step on a batch of 64 samples of the
// 784-128-64-10 network (W2's workload) with each optimizer: TrainBatch
// (plain SGD) against TrainBatchWith. The target is adam at most
// 1.1x trainbatch.
func BenchmarkOptW2(b *testing.B) {
	f := newFixMLP32(batch, 12)
	var m0 mlp32.Model
	m0.Init(12)
	run := func(name string, step func(m *mlp32.Model, ws *mlp32.Workspace) float32) {
		b.Run(name, func(b *testing.B) {
			m := new(mlp32.Model)
			*m = m0
			ws := new(mlp32.Workspace)
			b.ReportAllocs()
			for b.Loop() {
				sink32 = step(m, ws)
			}
		})
	}
	run("trainbatch", func(m *mlp32.Model, ws *mlp32.Workspace) float32 {
		return m.TrainBatch(ws, f.ax, f.ad, lr)
	})
	for _, o := range optimizers() {
		run(o.name, func(m *mlp32.Model, ws *mlp32.Workspace) float32 {
			return m.TrainBatchWith(ws, f.ax, f.ad, o.opt)
		})
	}
}

// optimizers are the optimizers of the Opt benchmarks, each with the
// benchmarks' small learning rate.
func optimizers() []struct {
	name string
	opt  mlp32.Optimizer
} {
	sgd := mlp32.NewSGD(lr)
	momentum := mlp32.NewSGD(lr)
	momentum.Momentum = 0.9
	return []struct {
		name string
		opt  mlp32.Optimizer
	}{
		{"sgd", sgd},
		{"momentum", momentum},
		{"adam", mlp32.NewAdam(lr)},
		{"adamw", mlp32.NewAdamW(lr)},
	}
}

// BenchmarkOptRatio measures the two ratios on a shared machine,
// where the load changes between sub-benchmarks: each iteration times one
// plain SGD step (TrainStep or TrainBatch) and one Adam step
// (TrainStepWith or TrainBatchWith) on the same model and Workspace, one
// after the other, and reports the time of each and their ratio. W1 is one
// sample, W2 a batch of 64, both on the 784-128-64-10 network.
func BenchmarkOptRatio(b *testing.B) {
	b.Run("W1", func(b *testing.B) {
		f := newFixMLP32(pool, 11)
		m := new(mlp32.Model)
		m.Init(11)
		ws := new(mlp32.Workspace)
		o := mlp32.NewAdam(lr)
		i := 0
		paired(b, func() {
			sink32 = m.TrainStep(ws, &f.ax[i], &f.ad[i], lr)
		}, func() {
			sink32 = m.TrainStepWith(ws, &f.ax[i], &f.ad[i], o)
			i = (i + 1) & poolMask
		})
	})
	b.Run("W2", func(b *testing.B) {
		f := newFixMLP32(batch, 12)
		m := new(mlp32.Model)
		m.Init(12)
		ws := new(mlp32.Workspace)
		o := mlp32.NewAdam(lr)
		paired(b, func() {
			sink32 = m.TrainBatch(ws, f.ax, f.ad, lr)
		}, func() {
			sink32 = m.TrainBatchWith(ws, f.ax, f.ad, o)
		})
	})
}

// paired runs sgd and adam alternately, timing each, and reports
// sgd-ns/op, adam-ns/op and adam/sgd.
func paired(b *testing.B, sgd, adam func()) {
	b.ReportAllocs()
	var ts, ta time.Duration
	for b.Loop() {
		t0 := time.Now()
		sgd()
		t1 := time.Now()
		adam()
		ta += time.Since(t1)
		ts += t1.Sub(t0)
	}
	b.ReportMetric(float64(ts.Nanoseconds())/float64(b.N), "sgd-ns/op")
	b.ReportMetric(float64(ta.Nanoseconds())/float64(b.N), "adam-ns/op")
	b.ReportMetric(float64(ta)/float64(ts), "adam/sgd")
}
