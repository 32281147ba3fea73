//go:build !amd64 || purego

// bpgen copies this file into every generated package: on other
// architectures, and with the purego build tag, the kernels are the
// portable loops.

package simd

// simdAVX2 is false: this build uses the portable loops.
const simdAVX2 = false

// simdDot32 returns the dot product of a and b[:len(a)].
func simdDot32(a, b []float32) float32 { return simdDot32Go(a, b) }

// simdAxpy32 adds a*x[i] to y[i] for i < len(y).
func simdAxpy32(y []float32, a float32, x []float32) { simdAxpy32Go(y, a, x) }

// simdDot64 returns the dot product of a and b[:len(a)].
func simdDot64(a, b []float64) float64 { return simdDot64Go(a, b) }

// simdAxpy64 adds a*x[i] to y[i] for i < len(y).
func simdAxpy64(y []float64, a float64, x []float64) { simdAxpy64Go(y, a, x) }
