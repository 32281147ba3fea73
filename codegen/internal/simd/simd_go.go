// bpgen copies this file into every generated package: the portable
// kernels, used on every architecture without the assembly ones and as
// their reference in tests.

package simd

// simdDot32Go returns the dot product of a and b[:len(a)], with four
// independent accumulators so that additions overlap.
func simdDot32Go(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// simdAxpy32Go adds a*x[i] to y[i] for i < len(y).
func simdAxpy32Go(y []float32, a float32, x []float32) {
	x = x[:len(y)]
	for i := range y {
		y[i] += a * x[i]
	}
}

// simdDot64Go returns the dot product of a and b[:len(a)], with four
// independent accumulators so that additions overlap.
func simdDot64Go(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// simdAxpy64Go adds a*x[i] to y[i] for i < len(y).
func simdAxpy64Go(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	for i := range y {
		y[i] += a * x[i]
	}
}
