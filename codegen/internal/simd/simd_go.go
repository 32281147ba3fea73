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
	// Four elements an iteration, loaded before any is stored, so that
	// the loop's own instructions do not outnumber the arithmetic.
	i := 0
	for ; i+4 <= len(y); i += 4 {
		y0, y1, y2, y3 := y[i]+a*x[i], y[i+1]+a*x[i+1], y[i+2]+a*x[i+2], y[i+3]+a*x[i+3]
		y[i], y[i+1], y[i+2], y[i+3] = y0, y1, y2, y3
	}
	for ; i < len(y); i++ {
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
	// Four elements an iteration, loaded before any is stored, so that
	// the loop's own instructions do not outnumber the arithmetic.
	i := 0
	for ; i+4 <= len(y); i += 4 {
		y0, y1, y2, y3 := y[i]+a*x[i], y[i+1]+a*x[i+1], y[i+2]+a*x[i+2], y[i+3]+a*x[i+3]
		y[i], y[i+1], y[i+2], y[i+3] = y0, y1, y2, y3
	}
	for ; i < len(y); i++ {
		y[i] += a * x[i]
	}
}

// simdDot4x32Go returns the dot products of w0..w3 with x, reading each
// element of x once for four rows, with four independent accumulators.
func simdDot4x32Go(w0, w1, w2, w3, x []float32) (s0, s1, s2, s3 float32) {
	n := len(x)
	w0, w1, w2, w3 = w0[:n], w1[:n], w2[:n], w3[:n]
	// Two elements of x an iteration: one accumulator a row is enough to
	// keep the floating-point units busy (four chains of additions), and
	// the loop's own instructions are spread over eight multiply-adds.
	j := 0
	for ; j+1 < len(x); j += 2 {
		xa, xb := x[j], x[j+1]
		s0 += w0[j] * xa
		s1 += w1[j] * xa
		s2 += w2[j] * xa
		s3 += w3[j] * xa
		s0 += w0[j+1] * xb
		s1 += w1[j+1] * xb
		s2 += w2[j+1] * xb
		s3 += w3[j+1] * xb
	}
	if j < n {
		s0 += w0[j] * x[j]
		s1 += w1[j] * x[j]
		s2 += w2[j] * x[j]
		s3 += w3[j] * x[j]
	}
	return s0, s1, s2, s3
}

// simdAxpy4x32Go adds a0*x0[j] + a1*x1[j] + a2*x2[j] + a3*x3[j] to y[j],
// one pass over y for four rows.
func simdAxpy4x32Go(y []float32, a0, a1, a2, a3 float32, x0, x1, x2, x3 []float32) {
	n := len(y)
	x0, x1, x2, x3 = x0[:n], x1[:n], x2[:n], x3[:n]
	for j := range y {
		y[j] += a0*x0[j] + a1*x1[j] + a2*x2[j] + a3*x3[j]
	}
}

// simdDot4x64Go is simdDot4x32Go in float64.
func simdDot4x64Go(w0, w1, w2, w3, x []float64) (s0, s1, s2, s3 float64) {
	n := len(x)
	w0, w1, w2, w3 = w0[:n], w1[:n], w2[:n], w3[:n]
	// Two elements of x an iteration: one accumulator a row is enough to
	// keep the floating-point units busy (four chains of additions), and
	// the loop's own instructions are spread over eight multiply-adds.
	j := 0
	for ; j+1 < len(x); j += 2 {
		xa, xb := x[j], x[j+1]
		s0 += w0[j] * xa
		s1 += w1[j] * xa
		s2 += w2[j] * xa
		s3 += w3[j] * xa
		s0 += w0[j+1] * xb
		s1 += w1[j+1] * xb
		s2 += w2[j+1] * xb
		s3 += w3[j+1] * xb
	}
	if j < n {
		s0 += w0[j] * x[j]
		s1 += w1[j] * x[j]
		s2 += w2[j] * x[j]
		s3 += w3[j] * x[j]
	}
	return s0, s1, s2, s3
}

// simdAxpy4x64Go is simdAxpy4x32Go in float64.
func simdAxpy4x64Go(y []float64, a0, a1, a2, a3 float64, x0, x1, x2, x3 []float64) {
	n := len(y)
	x0, x1, x2, x3 = x0[:n], x1[:n], x2[:n], x3[:n]
	for j := range y {
		y[j] += a0*x0[j] + a1*x1[j] + a2*x2[j] + a3*x3[j]
	}
}
