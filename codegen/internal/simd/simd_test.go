package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKernels compares the kernels in use (assembly where the CPU has AVX2)
// with plain loops, for every length from 0 to 100, including the tails.
func TestKernels(t *testing.T) {
	t.Logf("AVX2 and FMA in use: %v, AVX-512: %v", simdAVX2, simdAVX512)
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 101 {
		a32, b32 := make([]float32, n), make([]float32, n+3)
		a64, b64 := make([]float64, n), make([]float64, n+3)
		for i := range b32 {
			b32[i] = float32(r.NormFloat64())
			b64[i] = r.NormFloat64()
		}
		for i := range a32 {
			a32[i] = float32(r.NormFloat64())
			a64[i] = r.NormFloat64()
		}
		var want32 float64
		var want64 float64
		for i := range n {
			want32 += float64(a32[i]) * float64(b32[i])
			want64 += a64[i] * b64[i]
		}
		if got := simdDot32(a32, b32); math.Abs(float64(got)-want32) > 1e-4*(1+math.Abs(want32)) {
			t.Errorf("dot32 n=%d: %v, want %v", n, got, want32)
		}
		if got := simdDot64(a64, b64); math.Abs(got-want64) > 1e-12*(1+math.Abs(want64)) {
			t.Errorf("dot64 n=%d: %v, want %v", n, got, want64)
		}
		// axpy, with a guard element after y that must stay untouched
		y32 := append(make([]float32, n), 42)
		y64 := append(make([]float64, n), 42)
		for i := range n {
			y32[i], y64[i] = float32(i), float64(i)
		}
		simdAxpy32(y32[:n], 0.5, b32)
		simdAxpy64(y64[:n], 0.5, b64)
		for i := range n {
			if w := float32(i) + 0.5*b32[i]; y32[i] != w {
				t.Fatalf("axpy32 n=%d: y[%d] = %v, want %v", n, i, y32[i], w)
			}
			if w := float64(i) + 0.5*b64[i]; y64[i] != w {
				t.Fatalf("axpy64 n=%d: y[%d] = %v, want %v", n, i, y64[i], w)
			}
		}
		if y32[n] != 42 || y64[n] != 42 {
			t.Fatalf("axpy n=%d wrote past the end of y", n)
		}
	}
}

// TestKernels4 checks the four-row kernels against the one-row ones.
func TestKernels4(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 8, 15, 16, 24, 31, 33, 100, 784} {
		w := make([][]float64, 4)
		w32 := make([][]float32, 4)
		for k := range w {
			w[k], w32[k] = make([]float64, n), make([]float32, n)
			for i := range n {
				w[k][i] = r.NormFloat64()
				w32[k][i] = float32(w[k][i])
			}
		}
		x, x32 := w[0], w32[0]
		d0, d1, d2, d3 := simdDot4x64(w[0], w[1], w[2], w[3], x)
		for k, got := range []float64{d0, d1, d2, d3} {
			if want := simdDot64(w[k], x); math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
				t.Errorf("dot4x64 n=%d row %d: %v, want %v", n, k, got, want)
			}
		}
		e0, e1, e2, e3 := simdDot4x32(w32[0], w32[1], w32[2], w32[3], x32)
		for k, got := range []float32{e0, e1, e2, e3} {
			if want := simdDot32(w32[k], x32); math.Abs(float64(got-want)) > 1e-4*(1+math.Abs(float64(want))) {
				t.Errorf("dot4x32 n=%d row %d: %v, want %v", n, k, got, want)
			}
		}
		y, want := make([]float64, n), make([]float64, n)
		simdAxpy4x64(y, 1, 2, 3, 4, w[0], w[1], w[2], w[3])
		for k, a := range []float64{1, 2, 3, 4} {
			simdAxpy64(want, a, w[k])
		}
		for i := range y {
			if math.Abs(y[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
				t.Fatalf("axpy4x64 n=%d: y[%d] = %v, want %v", n, i, y[i], want[i])
			}
		}
		y32, want32 := make([]float32, n, n+1), make([]float32, n)
		guard := append(y32, 42) // an element after y that must stay untouched
		simdAxpy4x32(y32, 1, 2, 3, 4, w32[0], w32[1], w32[2], w32[3])
		if guard[n] != 42 {
			t.Fatalf("axpy4x32 n=%d wrote past the end of y", n)
		}
		for k, a := range []float32{1, 2, 3, 4} {
			simdAxpy32(want32, a, w32[k])
		}
		for i := range y32 {
			if math.Abs(float64(y32[i]-want32[i])) > 1e-4*(1+math.Abs(float64(want32[i]))) {
				t.Fatalf("axpy4x32 n=%d: y[%d] = %v, want %v", n, i, y32[i], want32[i])
			}
		}
	}
}

func BenchmarkDot32(b *testing.B) {
	x, y := make([]float32, 784), make([]float32, 784)
	b.Run("kernel", func(b *testing.B) {
		for b.Loop() {
			simdDot32(x, y)
		}
	})
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			simdDot32Go(x, y)
		}
	})
}

// The first layer of the benchmark network: a weight matrix of layerRows
// rows of layerCols, an input vector and an output vector.
const layerRows, layerCols = 128, 784

func layer32() (w [][]float32, x, z []float32) {
	w = make([][]float32, layerRows)
	for i := range w {
		w[i] = make([]float32, layerCols)
		for j := range w[i] {
			w[i][j] = float32((i*7+j*3)%11)*0.01 - 0.05
		}
	}
	x, z = make([]float32, layerCols), make([]float32, layerRows)
	for j := range x {
		x[j] = float32(j%5) * 0.1
	}
	return w, x, z
}

// BenchmarkLayer32 is the first layer of the benchmark network, a 128x784
// float32 matrix times a vector, through the four-row kernel in use
// (assembly, or portable Go with -tags purego) and the portable kernel. It
// reports the time per multiply-add: scalar Go without FMA does at best one
// multiply-add per cycle, a multiply and an add on the two floating-point
// ports.
func BenchmarkLayer32(b *testing.B) {
	w, x, z := layer32()
	const rows, cols = layerRows, layerCols
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(rows*cols), "ns/madd")
	}
	b.Run("dot4", func(b *testing.B) {
		for b.Loop() {
			for i := 0; i < rows; i += 4 {
				z[i], z[i+1], z[i+2], z[i+3] = simdDot4x32(w[i], w[i+1], w[i+2], w[i+3], x)
			}
		}
		report(b)
	})
	b.Run("dot4-go", func(b *testing.B) {
		for b.Loop() {
			for i := 0; i < rows; i += 4 {
				z[i], z[i+1], z[i+2], z[i+3] = simdDot4x32Go(w[i], w[i+1], w[i+2], w[i+3], x)
			}
		}
		report(b)
	})
}

// TestAdam checks the Adam kernels in use against the portable loops, bit
// for bit, for every length from 0 to 100, and the portable loop against
// the update computed in float64.
func TestAdam(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	c32 := [10]float32{0.25, 0.01, 0.9, 0.1, 0.999, 0.001, 1.2, 1e-8, 0.003, 0.9999}
	var c64 [10]float64
	for i, v := range c32 {
		c64[i] = float64(v)
	}
	for n := range 101 {
		var p, g, m, v [2][]float32
		var p64, g64, m64, v64 [2][]float64
		for k := range 2 {
			p[k], g[k], m[k], v[k] = make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			p64[k], g64[k], m64[k], v64[k] = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		}
		for i := range n {
			vals := []float64{r.NormFloat64(), r.NormFloat64(), 0.1 * r.NormFloat64(), 0.01 * r.Float64()}
			for k := range 2 {
				p[k][i], g[k][i], m[k][i], v[k][i] = float32(vals[0]), float32(vals[1]), float32(vals[2]), float32(vals[3])
				p64[k][i], g64[k][i], m64[k][i], v64[k][i] = vals[0], vals[1], vals[2], vals[3]
			}
		}
		simdAdam32(p[0], g[0], m[0], v[0], &c32)
		simdAdam32Go(p[1], g[1], m[1], v[1], &c32)
		simdAdam64(p64[0], g64[0], m64[0], v64[0], &c64)
		simdAdam64Go(p64[1], g64[1], m64[1], v64[1], &c64)
		for i := range n {
			if p[0][i] != p[1][i] || m[0][i] != m[1][i] || v[0][i] != v[1][i] {
				t.Fatalf("adam32 n=%d [%d]: kernel p, m, v = %v %v %v, loop %v %v %v", n, i, p[0][i], m[0][i], v[0][i], p[1][i], m[1][i], v[1][i])
			}
			if p64[0][i] != p64[1][i] || m64[0][i] != m64[1][i] || v64[0][i] != v64[1][i] {
				t.Fatalf("adam64 n=%d [%d]: kernel and loop differ", n, i)
			}
			if d := math.Abs(float64(p[0][i]) - p64[0][i]); d > 1e-5*(1+math.Abs(p64[0][i])) {
				t.Fatalf("adam32 n=%d [%d]: %v, float64 %v", n, i, p[0][i], p64[0][i])
			}
		}
	}
}

// TestMomentum checks the momentum kernels in use against the portable
// loops, bit for bit, for every length from 0 to 100, with Nesterov's
// coefficients and the plain ones.
func TestMomentum(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c32 := range [][6]float32{{0.25, 0.01, 0.9, 1, 0.9, 0.05}, {0.5, 0, 0.9, 0, 1, 0.1}} {
		var c64 [6]float64
		for i, v := range c32 {
			c64[i] = float64(v)
		}
		for n := range 101 {
			var p, g, b [2][]float32
			var p64, g64, b64 [2][]float64
			for k := range 2 {
				p[k], g[k], b[k] = make([]float32, n), make([]float32, n), make([]float32, n)
				p64[k], g64[k], b64[k] = make([]float64, n), make([]float64, n), make([]float64, n)
			}
			for i := range n {
				x, y, z := r.NormFloat64(), r.NormFloat64(), r.NormFloat64()
				for k := range 2 {
					p[k][i], g[k][i], b[k][i] = float32(x), float32(y), float32(z)
					p64[k][i], g64[k][i], b64[k][i] = x, y, z
				}
			}
			simdMomentum32(p[0], g[0], b[0], &c32)
			simdMomentum32Go(p[1], g[1], b[1], &c32)
			simdMomentum64(p64[0], g64[0], b64[0], &c64)
			simdMomentum64Go(p64[1], g64[1], b64[1], &c64)
			for i := range n {
				if p[0][i] != p[1][i] || b[0][i] != b[1][i] || p64[0][i] != p64[1][i] || b64[0][i] != b64[1][i] {
					t.Fatalf("momentum %v n=%d [%d]: kernel and loop differ", c32, n, i)
				}
			}
		}
	}
}
