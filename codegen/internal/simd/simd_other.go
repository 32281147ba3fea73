//go:build !amd64 || purego

// bpgen copies this file into every generated package: on other
// architectures, and with the purego build tag, the kernels are the
// portable loops.

package simd

// simdAVX2 and simdAVX512 are false: this build uses the portable loops.
const (
	simdAVX2   = false
	simdAVX512 = false
)

// simdDot32 returns the dot product of a and b[:len(a)].
func simdDot32(a, b []float32) float32 { return simdDot32Go(a, b) }

// simdAxpy32 adds a*x[i] to y[i] for i < len(y).
func simdAxpy32(y []float32, a float32, x []float32) { simdAxpy32Go(y, a, x) }

// simdDot64 returns the dot product of a and b[:len(a)].
func simdDot64(a, b []float64) float64 { return simdDot64Go(a, b) }

// simdAxpy64 adds a*x[i] to y[i] for i < len(y).
func simdAxpy64(y []float64, a float64, x []float64) { simdAxpy64Go(y, a, x) }

// simdDot4x32 returns the dot products of w0..w3 with x.
func simdDot4x32(w0, w1, w2, w3, x []float32) (float32, float32, float32, float32) {
	return simdDot4x32Go(w0, w1, w2, w3, x)
}

// simdAxpy4x32 adds a0*x0 + a1*x1 + a2*x2 + a3*x3 to y.
func simdAxpy4x32(y []float32, a0, a1, a2, a3 float32, x0, x1, x2, x3 []float32) {
	simdAxpy4x32Go(y, a0, a1, a2, a3, x0, x1, x2, x3)
}

// simdDot4x64 returns the dot products of w0..w3 with x.
func simdDot4x64(w0, w1, w2, w3, x []float64) (float64, float64, float64, float64) {
	return simdDot4x64Go(w0, w1, w2, w3, x)
}

// simdAxpy4x64 adds a0*x0 + a1*x1 + a2*x2 + a3*x3 to y.
func simdAxpy4x64(y []float64, a0, a1, a2, a3 float64, x0, x1, x2, x3 []float64) {
	simdAxpy4x64Go(y, a0, a1, a2, a3, x0, x1, x2, x3)
}

// simdAdam32 is one Adam step (see simdAdam32Go).
func simdAdam32(p, g, m, v []float32, c *[10]float32) { simdAdam32Go(p, g, m, v, c) }

// simdAdam64 is one Adam step (see simdAdam64Go).
func simdAdam64(p, g, m, v []float64, c *[10]float64) { simdAdam64Go(p, g, m, v, c) }

// simdMomentum32 is one step of SGD with momentum (see simdMomentum32Go).
func simdMomentum32(p, g, buf []float32, c *[6]float32) { simdMomentum32Go(p, g, buf, c) }

// simdMomentum64 is one step of SGD with momentum (see simdMomentum64Go).
func simdMomentum64(p, g, buf []float64, c *[6]float64) { simdMomentum64Go(p, g, buf, c) }
