package spec

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Specs that grow with n, for the scaling tests (issue 17 item 7).

// chainSpec is n definitions h_k = tanh(h_{k-1}): 62 s for 10,000 before
// maps stopped composing without bound (quadratic).
func chainSpec(n int) string {
	var b strings.Builder
	b.WriteString("package p\ninput x[4]\ntarget d[2]\nh0 = tanh(dense(x, 2))\n")
	for k := 1; k < n; k++ {
		fmt.Fprintf(&b, "h%d = tanh(h%d)\n", k, k-1)
	}
	fmt.Fprintf(&b, "y = h%d\nloss l2(y, d)\n", n-1)
	return b.String()
}

// funcTreeSpec is func fK(z) = f{K-1}(z)*f{K-1}(z) + f{K-1}(z) for K up
// to n: more than 60 s for n = 14 before calls were memoized (3^n).
func funcTreeSpec(n int) string {
	var b strings.Builder
	b.WriteString("package p\ninput x[4]\ntarget d[2]\nfunc f0(z) = tanh(z)\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "func f%d(z) = f%d(z)*f%d(z) + f%d(z)\n", k, k-1, k-1, k-1)
	}
	fmt.Fprintf(&b, "y = f%d(dense(x, 2))\nloss l2(y, d)\n", n)
	return b.String()
}

// residualSpec is n residual layers h_k = tanh(dense(h_{k-1}, 4) + h_{k-1})
// in float64 (issue 12 item 7: 100 layers took 11.5 s and 340 MB).
func residualSpec(n int) string {
	var b strings.Builder
	b.WriteString("package p\nprecision float64\ninput x[4]\ntarget d[4]\nh0 = tanh(dense(x, 4))\n")
	for k := 1; k < n; k++ {
		fmt.Fprintf(&b, "h%d = tanh(dense(h%d, 4) + h%d)\n", k, k-1, k-1)
	}
	fmt.Fprintf(&b, "y = dense(h%d, 4)\nloss l2(y, d)\n", n-1)
	return b.String()
}

// doublingSpec is func fK(z) = f{K-1}(f{K-1}(z)): 2^n operations.
func doublingSpec(n int) string {
	var b strings.Builder
	b.WriteString("package p\ninput x[4]\ntarget d[2]\nfunc f0(z) = tanh(z)\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, "func f%d(z) = f%d(f%d(z))\n", k, k-1, k-1)
	}
	fmt.Fprintf(&b, "y = f%d(dense(x, 2))\nloss l2(y, d)\n", n)
	return b.String()
}

// derive parses, lowers and derives src, the symbolic half of generation.
func derive(tb testing.TB, src string) {
	f, err := Parse("t.bp", []byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	net, err := Lower(f)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := net.Derive(); err != nil {
		tb.Fatal(err)
	}
}

// cost returns the least CPU time of five runs of f (see cpuTime), and
// the bytes f allocates (the same in every run).
func cost(f func()) (time.Duration, uint64) {
	best := time.Duration(1 << 62)
	var bytes uint64
	for range 5 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := cpuTime()
		f()
		best = min(best, cpuTime()-start)
		runtime.ReadMemStats(&after)
		bytes = after.TotalAlloc - before.TotalAlloc
	}
	return best, bytes
}

// maxRatio is the most that doubling a spec may multiply the time and
// the allocated bytes of the symbolic half of generation by: linear
// growth gives 2, quadratic 4.
const maxRatio = 2.2

// TestScaling checks that lowering and deriving take time and memory
// linear in the size of the spec: doubling the spec at most multiplies
// them by maxRatio. Bytes allocated are deterministic; times are CPU
// times of the test process, the best of five runs, and a ratio over the
// budget is measured again up to four times before it fails, since other
// processes share the machine.
func TestScaling(t *testing.T) {
	if testing.Short() {
		t.Skip("times specs of thousands of operations")
	}
	cases := []struct {
		name string
		spec func(int) string
		n    int
	}{
		{"chain", chainSpec, 500},
		{"functree", funcTreeSpec, 100},
		{"residual", residualSpec, 32},
		{"doubling", doublingSpec, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := c.n
			if c.name == "doubling" {
				// Each level doubles the expansion: n+1 levels is the
				// doubled spec.
				small, large := c.spec(n), c.spec(n+1)
				checkRatio(t, func() { derive(t, small) }, func() { derive(t, large) })
				return
			}
			small, large := c.spec(n), c.spec(2*n)
			checkRatio(t, func() { derive(t, small) }, func() { derive(t, large) })
		})
	}
}

func checkRatio(t *testing.T, small, large func()) {
	t.Helper()
	for try := 1; ; try++ {
		ts, bs := cost(small)
		tl, bl := cost(large)
		rt, rb := float64(tl)/float64(ts), float64(bl)/float64(bs)
		t.Logf("try %d: %v -> %v (x%.2f), %d -> %d bytes (x%.2f)", try, ts, tl, rt, bs, bl, rb)
		if rb > maxRatio {
			t.Fatalf("doubling the spec multiplied the allocated bytes by %.2f, more than %v", rb, maxRatio)
		}
		if rt <= maxRatio {
			return
		}
		if try == 4 {
			t.Fatalf("doubling the spec multiplied the time by %.2f, more than %v", rt, maxRatio)
		}
	}
}

// TestExponentialRefused checks that a spec whose expansion is
// exponential, func fK(z) = f{K-1}(f{K-1}(z)) for K up to 40 (2^40
// operations), is refused with an error about its size, and quickly: in
// time linear in the spec, at most maxRatio times that of the spec with
// 20 levels (also refused).
func TestExponentialRefused(t *testing.T) {
	want := `t.bp:45:5: call of "f40" expands to about 7.7e+12 operations, more than the limit of 262144`
	_, err := Parse("t.bp", []byte(doublingSpec(40)))
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v, want %s...", err, want)
	}
	parse := func(n int) func() {
		src := []byte(doublingSpec(n))
		return func() {
			for range 100 {
				if _, err := Parse("t.bp", src); err == nil {
					t.Fatalf("f%d accepted", n)
				}
			}
		}
	}
	checkRatio(t, parse(20), parse(40))
}
