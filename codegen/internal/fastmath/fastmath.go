// bpgen copies this file into every generated float32 package: exp, log,
// sigmoid and softplus for float32 values, computed in float64 with just
// the precision a float32 result needs. math.Exp and math.Log work for
// float64's 53 bits; a float32 result keeps 24, so a shorter polynomial
// after a table lookup gives the same float32 answers (within one unit in
// the last place, nearly always the correctly rounded one) in a fraction
// of the time. These compute values only; no derivative is written here.

package fastmath

import "math"

// exp2Table32 holds 2^(i/32) for i = 0..31.
var exp2Table32 = [32]float64{
	1, 1.0218971486541166, 1.0442737824274138, 1.0671404006768237,
	1.0905077326652577, 1.1143867425958924, 1.1387886347566916, 1.1637248587775775,
	1.189207115002721, 1.215247359980469, 1.241857812073484, 1.2690509571917332,
	1.2968395546510096, 1.3252366431597413, 1.3542555469368927, 1.3839098819638318,
	1.414213562373095, 1.4451808069770467, 1.4768261459394993, 1.5091644275934226,
	1.542210825407941, 1.5759808451078865, 1.6104903319492543, 1.6457554781539647,
	1.6817928305074292, 1.718619298122478, 1.7562521603732995, 1.7947090750031072,
	1.8340080864093424, 1.8741676341103, 1.9152065613971474, 1.9571441241754002,
}

// expF64 returns e^f with a relative error below 1e-9: enough for any
// float32 result computed from it. It covers the range of float64 results
// (so 1/(1+e^-x) needs no care for the sign of x) and returns 0 below it
// and +Inf above; NaN gives NaN (through the arithmetic below: every step
// keeps it).
func expF64(f float64) float64 {
	switch {
	case f < -708: // e^-708 is near the smallest normal float64
		return 0
	case f > 709: // above the largest float64
		return math.Inf(1)
	}
	// x = (k + r)·ln2/32 with k an integer and |r| <= 1/2: round z to an
	// integer by adding and subtracting 1.5·2^52.
	const shift = 0x1.8p52
	z := f*(32/math.Ln2) + shift
	k := int64(math.Float64bits(z) - math.Float64bits(shift))
	z -= shift
	u := f - z*(math.Ln2/32) // |u| <= ln2/64
	// e^u = 1 + u + u²/2 + u³/6 + O(u⁴), and u⁴/24 < 6e-10.
	p := 1 + u + u*u*(0.5+u*(1.0/6))
	scale := math.Float64frombits(uint64(k>>5+1023) << 52)
	return exp2Table32[k&31] * scale * p
}

// log1pF64 returns log(1+u) for 0 <= u <= 1, with a relative error below
// 2e-9, and without a branch: softplus calls it with values whose size
// no branch predictor could guess.
func log1pF64(u float64) float64 {
	// log(1+u) = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + ...) with s = u/(2+u)
	// in [0, 1/3]; the first term left out, s¹⁷/17, is below 1.4e-9·s.
	s := u / (2 + u)
	s2 := s * s
	p := s2 * (1.0/3 + s2*(1.0/5+s2*(1.0/7+s2*(1.0/9+s2*(1.0/11+s2*(1.0/13+s2*(1.0/15)))))))
	return 2*s + 2*s*p
}

// logReduced returns log(m) + e·ln2 for 1 <= m < 2.
func logReduced(m float64, e int) float64 {
	if m > math.Sqrt2 {
		m *= 0.5
		e++
	}
	// log(m) = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + ...), s = (m-1)/(m+1),
	// |s| <= 0.172; the first term left out is below 2e-9 relative.
	s := (m - 1) / (m + 1)
	s2 := s * s
	p := s2 * (1.0/3 + s2*(1.0/5+s2*(1.0/7+s2*(1.0/9))))
	return float64(e)*math.Ln2 + 2*s + 2*s*p
}

// exp32 is e^x for float32 values.
func exp32(x float32) float32 {
	return float32(expF64(float64(x)))
}

// log32 is the natural logarithm for float32 values: NaN for x < 0 and
// NaN, -Inf for 0 and +Inf for +Inf, like math.Log.
func log32(x float32) float32 {
	switch {
	case x > 0 && x <= math.MaxFloat32:
	case x == 0:
		return float32(math.Inf(-1))
	case x > 0: // +Inf
		return x
	default: // negative or NaN
		return float32(math.NaN())
	}
	b := math.Float32bits(x)
	e := int(b>>23) - 127
	if b>>23 == 0 { // subnormal: scale it into the normal range
		b = math.Float32bits(x * 0x1p23)
		e = int(b>>23) - 127 - 23
	}
	m := float64(math.Float32frombits(b&0x007fffff | 0x3f800000))
	return float32(logReduced(m, e))
}

// sigmoid32 is 1/(1+e^-x) for float32 values. In float64, e^-x neither
// overflows nor loses precision for any float32 x (it is at most e^104 where
// the result still matters, and +Inf, giving 0, beyond), so one formula
// serves both signs, without a branch that the mixed signs of a layer
// would keep mispredicting.
func sigmoid32(x float32) float32 {
	return float32(1 / (1 + expF64(-float64(x))))
}

// softplus32 is log(1+e^x) for float32 values, computed as
// max(x, 0) + log1p(e^-|x|) so that it neither overflows nor loses the
// small values of large negative x.
func softplus32(x float32) float32 {
	f := float64(x)
	a := math.Abs(f)
	return float32(max(f, 0) + log1pF64(expF64(-a)))
}

// softplus2x32 returns softplus32(x) and softplus32(-x), which share
// log1p(e^-|x|): the two terms of the binary cross-entropy of one unit.
func softplus2x32(x float32) (float32, float32) {
	f := float64(x)
	a := math.Abs(f)
	l := log1pF64(expF64(-a))
	return float32(max(f, 0) + l), float32(max(-f, 0) + l)
}
