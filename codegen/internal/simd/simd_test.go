package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKernels compares the kernels in use (assembly where the CPU has AVX2)
// with plain loops, for every length from 0 to 100, including the tails.
func TestKernels(t *testing.T) {
	t.Logf("AVX2 and FMA in use: %v", simdAVX2)
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
