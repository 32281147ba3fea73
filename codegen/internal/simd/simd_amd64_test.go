//go:build amd64 && !purego

package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// kernels32 is one set of float32 kernels in assembly.
type kernels32 struct {
	name  string
	ok    bool // the CPU runs them
	dot   func(a, b []float32) float32
	axpy  func(y []float32, a float32, x []float32)
	dot4  func(w0, w1, w2, w3, x []float32) (s0, s1, s2, s3 float32)
	axpy4 func(y []float32, a0, a1, a2, a3 float32, x0, x1, x2, x3 []float32)
}

// TestAssemblyKernels checks every set of assembly kernels the CPU can run
// against the portable ones, not only the set in use, for the lengths
// around each unrolled block, with a guard element after every output.
func TestAssemblyKernels(t *testing.T) {
	sets := []kernels32{
		{"AVX2", simdAVX2, simdDot32AVX, simdAxpy32AVX, simdDot4x32AVX, simdAxpy4x32AVX},
		{"AVX-512", simdAVX512, simdDot32AVX512, simdAxpy32AVX512, simdDot4x32AVX512, simdAxpy4x32AVX512},
	}
	r := rand.New(rand.NewPCG(5, 6))
	near := func(got, want float32) bool {
		return math.Abs(float64(got-want)) <= 1e-4*(1+math.Abs(float64(want)))
	}
	for _, k := range sets {
		if !k.ok {
			t.Logf("%s: not supported by this CPU, not tested", k.name)
			continue
		}
		tested := 0
		for n := range 200 {
			v := make([][]float32, 5)
			for i := range v {
				v[i] = make([]float32, n)
				for j := range v[i] {
					v[i][j] = float32(r.NormFloat64())
				}
			}
			if got, want := k.dot(v[0], v[1]), simdDot32Go(v[0], v[1]); !near(got, want) {
				t.Errorf("%s dot n=%d: %v, want %v", k.name, n, got, want)
			}
			g0, g1, g2, g3 := k.dot4(v[0], v[1], v[2], v[3], v[4])
			w0, w1, w2, w3 := simdDot4x32Go(v[0], v[1], v[2], v[3], v[4])
			for i, p := range [][2]float32{{g0, w0}, {g1, w1}, {g2, w2}, {g3, w3}} {
				if !near(p[0], p[1]) {
					t.Errorf("%s dot4 n=%d row %d: %v, want %v", k.name, n, i, p[0], p[1])
				}
			}
			y, want := append(make([]float32, n, n+1), 42), make([]float32, n)
			y = y[:n]
			k.axpy(y, 0.5, v[0])
			simdAxpy32Go(want, 0.5, v[0])
			y4, want4 := append(make([]float32, n, n+1), 42), make([]float32, n)
			y4 = y4[:n]
			k.axpy4(y4, 1, -2, 3, 0.25, v[0], v[1], v[2], v[3])
			simdAxpy4x32Go(want4, 1, -2, 3, 0.25, v[0], v[1], v[2], v[3])
			for j := range n {
				if !near(y[j], want[j]) {
					t.Fatalf("%s axpy n=%d: y[%d] = %v, want %v", k.name, n, j, y[j], want[j])
				}
				if !near(y4[j], want4[j]) {
					t.Fatalf("%s axpy4 n=%d: y[%d] = %v, want %v", k.name, n, j, y4[j], want4[j])
				}
			}
			if y[:n+1][n] != 42 || y4[:n+1][n] != 42 {
				t.Fatalf("%s axpy n=%d wrote past the end of y", k.name, n)
			}
			tested++
		}
		t.Logf("%s: %d lengths tested", k.name, tested)
	}
}

// BenchmarkLayer32Asm is BenchmarkLayer32 through each set of assembly
// kernels the CPU runs: the 128x784 product with dot4, and the update of
// its 128 rows with axpy.
func BenchmarkLayer32Asm(b *testing.B) {
	w, x, z := layer32()
	const rows, cols = layerRows, layerCols
	for _, k := range []kernels32{
		{"AVX2", simdAVX2, simdDot32AVX, simdAxpy32AVX, simdDot4x32AVX, simdAxpy4x32AVX},
		{"AVX-512", simdAVX512, simdDot32AVX512, simdAxpy32AVX512, simdDot4x32AVX512, simdAxpy4x32AVX512},
	} {
		if !k.ok {
			continue
		}
		b.Run(k.name+"/dot4", func(b *testing.B) {
			for b.Loop() {
				for i := 0; i < rows; i += 4 {
					z[i], z[i+1], z[i+2], z[i+3] = k.dot4(w[i], w[i+1], w[i+2], w[i+3], x)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(rows*cols), "ns/madd")
		})
		b.Run(k.name+"/axpy", func(b *testing.B) {
			for b.Loop() {
				for i := range rows {
					k.axpy(w[i], -1e-9, x)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(rows*cols), "ns/madd")
		})
	}
}

// BenchmarkAdam32 times one Adam step over the 109,386 parameters of the
// 784-128-64-10 network with each kernel.
func BenchmarkAdam32(b *testing.B) {
	const n = 109386
	p, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range p {
		p[i], g[i] = float32(i%13)*0.01, float32(i%7-3)*0.001
	}
	c := [10]float32{1.0 / 64, 0, 0.9, 0.1, 0.999, 0.001, 1, 1e-8, 1e-6, 1}
	for _, k := range []struct {
		name string
		ok   bool
		f    func(p, g, m, v []float32, c *[10]float32)
	}{
		{"go", true, simdAdam32Go},
		{"avx", simdAVX2, func(p, g, m, v []float32, c *[10]float32) { simdAdam32AVX(p[:n&^7], g, m, v, c) }},
		{"avx512", simdAVX512, func(p, g, m, v []float32, c *[10]float32) { simdAdam32AVX512(p[:n&^15], g, m, v, c) }},
	} {
		b.Run(k.name, func(b *testing.B) {
			if !k.ok {
				b.Skip("not supported here")
			}
			for b.Loop() {
				k.f(p, g, m, v, &c)
			}
		})
	}
}
