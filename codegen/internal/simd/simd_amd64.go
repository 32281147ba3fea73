//go:build amd64 && !purego

// bpgen copies this file into every generated package: the AVX-512, AVX2
// and FMA kernels of simd_amd64.s, used when the CPU and the operating
// system support them, and the portable loops otherwise.

package simd

func simdDot32AVX(a, b []float32) float32
func simdAxpy32AVX(y []float32, a float32, x []float32)
func simdDot64AVX(a, b []float64) float64
func simdAxpy64AVX(y []float64, a float64, x []float64)
func simdDot4x32AVX(w0, w1, w2, w3, x []float32) (s0, s1, s2, s3 float32)
func simdAxpy4x32AVX(y []float32, a0, a1, a2, a3 float32, x0, x1, x2, x3 []float32)
func simdDot32AVX512(a, b []float32) float32
func simdAxpy32AVX512(y []float32, a float32, x []float32)
func simdDot4x32AVX512(w0, w1, w2, w3, x []float32) (s0, s1, s2, s3 float32)
func simdAxpy4x32AVX512(y []float32, a0, a1, a2, a3 float32, x0, x1, x2, x3 []float32)

//go:noescape
func simdAdam32AVX(p, g, m, v []float32, c *[10]float32)

//go:noescape
func simdAdam64AVX(p, g, m, v []float64, c *[10]float64)

//go:noescape
func simdAdam32AVX512(p, g, m, v []float32, c *[10]float32)

//go:noescape
func simdMomentum32AVX(p, g, buf []float32, c *[6]float32)

//go:noescape
func simdMomentum64AVX(p, g, buf []float64, c *[6]float64)

func simdCPUID(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func simdXGETBV() (eax uint32)

// simdAVX2 reports whether the CPU has AVX2 and FMA and the operating
// system saves the YMM registers.
var simdAVX2 = simdDetect()

func simdDetect() bool {
	maxLeaf, _, _, _ := simdCPUID(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := simdCPUID(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&fma == 0 || ecx1&osxsave == 0 || ecx1&avx == 0 {
		return false
	}
	if simdXGETBV()&6 != 6 { // XMM and YMM state enabled by the OS
		return false
	}
	_, ebx7, _, _ := simdCPUID(7, 0)
	return ebx7&(1<<5) != 0
}

// simdAVX512 reports whether, besides AVX2 and FMA, the CPU has AVX512F
// and the operating system saves the opmask and ZMM registers. The float32
// kernels then use 16-lane registers.
var simdAVX512 = simdAVX2 && simdDetect512()

func simdDetect512() bool {
	_, ebx7, _, _ := simdCPUID(7, 0)
	const avx512f = 1 << 16
	const state = 1<<1 | 1<<2 | 1<<5 | 1<<6 | 1<<7 // XMM, YMM, opmask, ZMM0-15 upper halves, ZMM16-31
	return ebx7&avx512f != 0 && simdXGETBV()&state == state
}

// simdDot32 returns the dot product of a and b[:len(a)].
func simdDot32(a, b []float32) float32 {
	if simdAVX512 {
		return simdDot32AVX512(a, b[:len(a)])
	}
	if simdAVX2 {
		return simdDot32AVX(a, b[:len(a)])
	}
	return simdDot32Go(a, b)
}

// simdAxpy32 adds a*x[i] to y[i] for i < len(y).
func simdAxpy32(y []float32, a float32, x []float32) {
	if simdAVX512 {
		simdAxpy32AVX512(y, a, x[:len(y)])
		return
	}
	if simdAVX2 {
		simdAxpy32AVX(y, a, x[:len(y)])
		return
	}
	simdAxpy32Go(y, a, x)
}

// simdDot64 returns the dot product of a and b[:len(a)].
func simdDot64(a, b []float64) float64 {
	if simdAVX2 {
		return simdDot64AVX(a, b[:len(a)])
	}
	return simdDot64Go(a, b)
}

// simdAxpy64 adds a*x[i] to y[i] for i < len(y).
func simdAxpy64(y []float64, a float64, x []float64) {
	if simdAVX2 {
		simdAxpy64AVX(y, a, x[:len(y)])
		return
	}
	simdAxpy64Go(y, a, x)
}

// simdDot4x32 returns the dot products of w0..w3 with x.
func simdDot4x32(w0, w1, w2, w3, x []float32) (float32, float32, float32, float32) {
	if simdAVX512 {
		n := len(x)
		return simdDot4x32AVX512(w0[:n], w1[:n], w2[:n], w3[:n], x)
	}
	if simdAVX2 {
		n := len(x)
		return simdDot4x32AVX(w0[:n], w1[:n], w2[:n], w3[:n], x)
	}
	return simdDot4x32Go(w0, w1, w2, w3, x)
}

// simdAxpy4x32 adds a0*x0 + a1*x1 + a2*x2 + a3*x3 to y.
func simdAxpy4x32(y []float32, a0, a1, a2, a3 float32, x0, x1, x2, x3 []float32) {
	if simdAVX512 {
		n := len(y)
		simdAxpy4x32AVX512(y, a0, a1, a2, a3, x0[:n], x1[:n], x2[:n], x3[:n])
		return
	}
	if simdAVX2 {
		n := len(y)
		simdAxpy4x32AVX(y, a0, a1, a2, a3, x0[:n], x1[:n], x2[:n], x3[:n])
		return
	}
	simdAxpy4x32Go(y, a0, a1, a2, a3, x0, x1, x2, x3)
}

// simdDot4x64 returns the dot products of w0..w3 with x.
func simdDot4x64(w0, w1, w2, w3, x []float64) (float64, float64, float64, float64) {
	if simdAVX2 {
		return simdDot64AVX(x, w0[:len(x)]), simdDot64AVX(x, w1[:len(x)]), simdDot64AVX(x, w2[:len(x)]), simdDot64AVX(x, w3[:len(x)])
	}
	return simdDot4x64Go(w0, w1, w2, w3, x)
}

// simdAxpy4x64 adds a0*x0 + a1*x1 + a2*x2 + a3*x3 to y.
func simdAxpy4x64(y []float64, a0, a1, a2, a3 float64, x0, x1, x2, x3 []float64) {
	if simdAVX2 {
		n := len(y)
		simdAxpy64AVX(y, a0, x0[:n])
		simdAxpy64AVX(y, a1, x1[:n])
		simdAxpy64AVX(y, a2, x2[:n])
		simdAxpy64AVX(y, a3, x3[:n])
		return
	}
	simdAxpy4x64Go(y, a0, a1, a2, a3, x0, x1, x2, x3)
}

// simdAdam32 is one Adam step (see simdAdam32Go): sixteen elements at a
// time in AVX-512, eight in AVX, the rest in Go, with the same operations in the same order, so
// that every path gives the same bits.
func simdAdam32(p, g, m, v []float32, c *[10]float32) {
	n := 0
	if simdAVX512 {
		n = len(p) &^ 15
		simdAdam32AVX512(p[:n], g[:n], m[:n], v[:n], c)
	}
	if simdAVX2 {
		k := n + (len(p)-n)&^7
		simdAdam32AVX(p[n:k], g[n:k], m[n:k], v[n:k], c)
		n = k
	}
	simdAdam32Go(p[n:], g[n:len(p)], m[n:len(p)], v[n:len(p)], c)
}

// simdAdam64 is one Adam step (see simdAdam64Go), four elements at a time
// in AVX.
func simdAdam64(p, g, m, v []float64, c *[10]float64) {
	n := 0
	if simdAVX2 {
		n = len(p) &^ 3
		simdAdam64AVX(p[:n], g[:n], m[:n], v[:n], c)
	}
	simdAdam64Go(p[n:], g[n:len(p)], m[n:len(p)], v[n:len(p)], c)
}

// simdMomentum32 is one step of SGD with momentum (see simdMomentum32Go):
// eight elements at a time in AVX, the rest in Go, with the same bits.
func simdMomentum32(p, g, buf []float32, c *[6]float32) {
	n := 0
	if simdAVX2 {
		n = len(p) &^ 7
		simdMomentum32AVX(p[:n], g[:n], buf[:n], c)
	}
	simdMomentum32Go(p[n:], g[n:len(p)], buf[n:len(p)], c)
}

// simdMomentum64 is one step of SGD with momentum (see simdMomentum64Go),
// four elements at a time in AVX.
func simdMomentum64(p, g, buf []float64, c *[6]float64) {
	n := 0
	if simdAVX2 {
		n = len(p) &^ 3
		simdMomentum64AVX(p[:n], g[:n], buf[:n], c)
	}
	simdMomentum64Go(p[n:], g[n:len(p)], buf[n:len(p)], c)
}
