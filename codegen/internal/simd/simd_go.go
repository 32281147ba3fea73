// bpgen copies this file into every generated package: the portable
// kernels, used on every architecture without the assembly ones and as
// their reference in tests.

package simd

import "math"

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

// simdAdam32Go is one Adam step on every element of p, with the gradient
// sum g and the moments m and v (all as long as p) and the coefficients c:
// inv (1/n), wd, beta1, 1-beta1, beta2, 1-beta2, 1/sqrt(1-beta2^t), eps,
// the step lr/(1-beta1^t) and the decoupled decay 1-lr*wd (1 for Adam):
//
//	p *= decay;  d = g*inv + wd*p
//	m = beta1*m + (1-beta1)*d;  v = beta2*v + ((1-beta2)*d)*d
//	p -= step * (m / (sqrt(v)*rsq + eps))
//
// each operation rounded to float32, in this order, as the AVX kernel does
// (the conversions keep the compiler from fusing a multiply and an add).
func simdAdam32Go(p, g, m, v []float32, c *[10]float32) {
	inv, wd, b1, c1, b2, c2, rsq, eps, step, decay := c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		pi := p[i] * decay
		d := float32(g[i]*inv) + float32(wd*pi)
		mi := float32(b1*m[i]) + float32(c1*d)
		vi := float32(b2*v[i]) + float32(float32(c2*d)*d)
		den := float32(float32(math.Sqrt(float64(vi)))*rsq) + eps
		m[i], v[i] = mi, vi
		p[i] = pi - float32(step*(mi/den))
	}
}

// simdAdam64Go is simdAdam32Go in float64.
func simdAdam64Go(p, g, m, v []float64, c *[10]float64) {
	inv, wd, b1, c1, b2, c2, rsq, eps, step, decay := c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		pi := p[i] * decay
		d := float64(g[i]*inv) + float64(wd*pi)
		mi := float64(b1*m[i]) + float64(c1*d)
		vi := float64(b2*v[i]) + float64(float64(c2*d)*d)
		den := float64(math.Sqrt(vi)*rsq) + eps
		m[i], v[i] = mi, vi
		p[i] = pi - float64(step*(mi/den))
	}
}

// simdMomentum32Go is one step of SGD with momentum on every element of p,
// with the gradient sum g and the momentum buffer buf (as long as p) and
// the coefficients c: inv (1/n), wd, momentum, a, b and lr:
//
//	d = g*inv + wd*p;  buf = momentum*buf + d;  p -= lr * (a*d + b*buf)
//
// a = 1, b = momentum for Nesterov's update, a = 0, b = 1 for the plain one;
// each operation rounded to float32, in this order, as the AVX kernel does.
func simdMomentum32Go(p, g, buf []float32, c *[6]float32) {
	inv, wd, mom, a, b, lr := c[0], c[1], c[2], c[3], c[4], c[5]
	g, buf = g[:len(p)], buf[:len(p)]
	for i := range p {
		d := float32(g[i]*inv) + float32(wd*p[i])
		bi := float32(mom*buf[i]) + d
		buf[i] = bi
		p[i] -= float32(lr * (float32(a*d) + float32(b*bi)))
	}
}

// simdMomentum64Go is simdMomentum32Go in float64.
func simdMomentum64Go(p, g, buf []float64, c *[6]float64) {
	inv, wd, mom, a, b, lr := c[0], c[1], c[2], c[3], c[4], c[5]
	g, buf = g[:len(p)], buf[:len(p)]
	for i := range p {
		d := float64(g[i]*inv) + float64(wd*p[i])
		bi := float64(mom*buf[i]) + d
		buf[i] = bi
		p[i] -= float64(lr * (float64(a*d) + float64(b*bi)))
	}
}
