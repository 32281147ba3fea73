package difftest

import (
	"testing"

	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

// TestOneSubgradientPolicy checks that the ways of writing the same kinked
// function have the same derivative at the kink, the one docs/spec.md
// states: relu(z), max(z, 0), max(0, z) and a user function max(z, 0)
// have slope 0 at z = 0; min(z, 1), min(1, z) and a user min have slope 0
// at z = 1. Each spec computes h = f(W*x) with W*x exactly at the kink.
func TestOneSubgradientPolicy(t *testing.T) {
	for _, c := range []struct {
		kink float64
		defs []string
	}{
		{0, []string{"h = relu(W*x)", "h = max(W*x, 0)", "h = max(0, W*x)", "func r(z) = max(z, 0)\nh = r(W*x)", "func r(z) = max(0, z)\nh = r(W*x)"}},
		{1, []string{"h = min(W*x, 1)", "h = min(1, W*x)", "func r(z) = min(z, 1)\nh = r(W*x)", "func r(z) = max(-1, min(z, 1))\nh = r(W*x)"}},
	} {
		for _, def := range c.defs {
			src := "package p\nprecision float64\ninput x[1]\ntarget d[1]\nparam W[1][1], V[1][1]\n" + def + "\ny = V*h\nloss l2(y, d)\n"
			f, err := spec.Parse("p.bp", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			net, err := spec.Lower(f)
			if err != nil {
				t.Fatal(err)
			}
			d, err := net.Derive()
			if err != nil {
				t.Fatal(err)
			}
			// W*x = kink, V = 1, d = kink + 1: dLoss/dh = -1, so
			// dLoss/dW = -x * f'(kink) = -f'(kink).
			env := symbolic.Values{net.Input: {1}, net.Target: {c.kink + 1}}
			for _, p := range net.Params {
				env[p] = []float64{1}
			}
			env[net.Params[0]] = []float64{c.kink}
			vals, err := symbolic.Evaluate(env, d.ParamGrads[0])
			if err != nil {
				t.Fatal(err)
			}
			if g := vals[d.ParamGrads[0]][0]; g != 0 {
				t.Errorf("%q: slope %v at the kink %v, want 0 (the policy of docs/spec.md)", def, -g, c.kink)
			}
		}
	}
}
