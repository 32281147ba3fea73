package fastmath

import (
	"math"
	"testing"
)

// ulps is the distance between a and b in float32 units in the last place:
// the number of float32 values between them. Equal NaNs are 0 apart.
func ulps(a, b float32) int64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.MaxInt64
	}
	return abs64(ordered(a) - ordered(b))
}

// ordered maps float32 bit patterns to integers in the order of the values.
func ordered(x float32) int64 {
	b := int64(math.Float32bits(x))
	if b&(1<<31) != 0 {
		return -(b &^ (1 << 31))
	}
	return b
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// sweep calls f with float32 values from lo to hi, every stride-th value
// in order, plus lo and hi.
func sweep(lo, hi float32, stride int64, f func(x float32)) {
	f(lo)
	for o := ordered(lo); o < ordered(hi); o += stride {
		b := uint32(o)
		if o < 0 {
			b = uint32(-o) | 1<<31
		}
		f(math.Float32frombits(b))
	}
	f(hi)
}

// check compares got(x) with want(x), the float64 function rounded to
// float32, over the sweep, and reports the largest distance in ulps.
func check(t *testing.T, name string, lo, hi float32, got func(float32) float32, want func(float64) float64) {
	t.Helper()
	var worst int64
	var worstX float32
	n, exact := 0, 0
	sweep(lo, hi, 331, func(x float32) {
		g, w := got(x), float32(want(float64(x)))
		d := ulps(g, w)
		n++
		if d == 0 {
			exact++
		}
		if d > worst {
			worst, worstX = d, x
		}
	})
	t.Logf("%s on [%g, %g]: %d values, %.4f%% equal to the rounded float64 result, worst %d ulp at %g",
		name, lo, hi, n, 100*float64(exact)/float64(n), worst, worstX)
	if worst > 1 {
		t.Errorf("%s(%g) = %g, want %g: %d ulps apart", name, worstX, got(worstX), float32(want(float64(worstX))), worst)
	}
}

func TestExp32(t *testing.T) {
	check(t, "exp32", -110, 90, exp32, math.Exp)
	check(t, "exp32", -1e-3, 1e-3, exp32, math.Exp)
}

func TestLog32(t *testing.T) {
	check(t, "log32", 0, math.MaxFloat32, log32, math.Log)
	check(t, "log32", 0.5, 2, log32, math.Log)
}

func TestSigmoid32(t *testing.T) {
	check(t, "sigmoid32", -110, 110, sigmoid32, func(x float64) float64 {
		if x >= 0 {
			return 1 / (1 + math.Exp(-x))
		}
		return math.Exp(x) / (1 + math.Exp(x))
	})
}

func TestSoftplus32(t *testing.T) {
	check(t, "softplus32", -110, 110, softplus32, func(x float64) float64 {
		return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
	})
	check(t, "softplus32", -1e-3, 1e-3, softplus32, func(x float64) float64 {
		return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
	})
}

// TestSoftplus2 checks that the pair is the two softplus32 values, to the
// bit.
func TestSoftplus2(t *testing.T) {
	sweep(-200, 200, 997, func(x float32) {
		p, m := softplus2x32(x)
		if p != softplus32(x) || m != softplus32(-x) {
			t.Fatalf("softplus2x32(%g) = %g, %g, want %g, %g", x, p, m, softplus32(x), softplus32(-x))
		}
	})
}

// TestSpecial checks the values at and beyond the ends of the ranges.
func TestSpecial(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	maxf := float32(math.MaxFloat32)
	tiny := math.Float32frombits(1) // the smallest subnormal
	for _, c := range []struct {
		name      string
		f         func(float32) float32
		x, want   float32
		wantIsNaN bool
	}{
		{"exp32", exp32, 0, 1, false},
		{"exp32", exp32, -inf, 0, false},
		{"exp32", exp32, inf, inf, false},
		{"exp32", exp32, 89, inf, false},
		{"exp32", exp32, -200, 0, false},
		{"exp32", exp32, maxf, inf, false},
		{"exp32", exp32, nan, 0, true},
		{"log32", log32, 1, 0, false},
		{"log32", log32, 0, -inf, false},
		{"log32", log32, inf, inf, false},
		{"log32", log32, -1, 0, true},
		{"log32", log32, nan, 0, true},
		{"log32", log32, tiny, float32(math.Log(float64(tiny))), false},
		{"sigmoid32", sigmoid32, 0, 0.5, false},
		{"sigmoid32", sigmoid32, inf, 1, false},
		{"sigmoid32", sigmoid32, -inf, 0, false},
		{"sigmoid32", sigmoid32, nan, 0, true},
		{"softplus32", softplus32, inf, inf, false},
		{"softplus32", softplus32, -inf, 0, false},
		{"softplus32", softplus32, maxf, maxf, false},
		{"softplus32", softplus32, nan, 0, true},
		{"softplus32", softplus32, -100, float32(math.Exp(-100)), false},
	} {
		got := c.f(c.x)
		if c.wantIsNaN {
			if got == got {
				t.Errorf("%s(%g) = %g, want NaN", c.name, c.x, got)
			}
			continue
		}
		if ulps(got, c.want) > 1 {
			t.Errorf("%s(%g) = %g, want %g", c.name, c.x, got, c.want)
		}
	}
}

var sink float32

// The benchmarks compare each function with its math counterpart on
// float32 values, as the generated packages called them before.
func BenchmarkExp(b *testing.B) {
	b.Run("math", func(b *testing.B) {
		x := float32(0.3)
		for b.Loop() {
			sink += float32(math.Exp(float64(x)))
			x = -x
		}
	})
	b.Run("fast", func(b *testing.B) {
		x := float32(0.3)
		for b.Loop() {
			sink += exp32(x)
			x = -x
		}
	})
}

func BenchmarkSoftplus(b *testing.B) {
	b.Run("math", func(b *testing.B) {
		x := float32(0.3)
		for b.Loop() {
			sink += float32(math.Max(float64(x), 0) + math.Log1p(math.Exp(-math.Abs(float64(x)))))
			x = -x
		}
	})
	b.Run("fast", func(b *testing.B) {
		x := float32(0.3)
		for b.Loop() {
			sink += softplus32(x)
			x = -x
		}
	})
}

func BenchmarkLog(b *testing.B) {
	b.Run("math", func(b *testing.B) {
		x := float32(0.3)
		for b.Loop() {
			sink += float32(math.Log(float64(x)))
			x += 1
		}
	})
	b.Run("fast", func(b *testing.B) {
		x := float32(0.3)
		for b.Loop() {
			sink += log32(x)
			x += 1
		}
	})
}

// BenchmarkSigmoidLayer applies sigmoid to a layer of 8 values of mixed
// signs, as a forward pass does.
func BenchmarkSigmoidLayer(b *testing.B) {
	var z, h [8]float32
	for i := range z {
		z[i] = float32(i-4) * 0.7
	}
	b.Run("math", func(b *testing.B) {
		for b.Loop() {
			for i := range z {
				x := z[i]
				if x >= 0 {
					h[i] = float32(1 / (1 + math.Exp(-float64(x))))
				} else {
					e := math.Exp(float64(x))
					h[i] = float32(e / (1 + e))
				}
			}
		}
	})
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			for i := range z {
				h[i] = sigmoid32(z[i])
			}
		}
	})
	sink = h[3]
}
