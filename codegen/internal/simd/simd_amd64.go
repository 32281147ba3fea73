//go:build amd64 && !purego

// bpgen copies this file into every generated package: the AVX2 and FMA
// kernels of simd_amd64.s, used when the CPU and the operating system
// support them, and the portable loops otherwise.

package simd

func simdDot32AVX(a, b []float32) float32
func simdAxpy32AVX(y []float32, a float32, x []float32)
func simdDot64AVX(a, b []float64) float64
func simdAxpy64AVX(y []float64, a float64, x []float64)
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

// simdDot32 returns the dot product of a and b[:len(a)].
func simdDot32(a, b []float32) float32 {
	if simdAVX2 {
		return simdDot32AVX(a, b[:len(a)])
	}
	return simdDot32Go(a, b)
}

// simdAxpy32 adds a*x[i] to y[i] for i < len(y).
func simdAxpy32(y []float32, a float32, x []float32) {
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
