package symbolic

import (
	"math"
	"testing"
)

// TestStableAcrossBodySizes computes softmax + cross-entropy and sigmoid
// + BCE of logits whose elementwise bodies have from a few to a few
// hundred nodes, at logits of about ±1000: the loss must be finite and
// exact whatever the size, so the stable rewrites (log of exp, log of
// sigmoid) must apply even where maps stop composing (maxInline).
func TestStableAcrossBodySizes(t *testing.T) {
	for n := 1; n <= 60; n++ {
		g := NewGraph()
		w := g.Leaf(RoleParam, "w", 2)
		d := g.Leaf(RoleTarget, "d", 2)
		// z = 1000*w + sum_k 1e-9*tanh(k*w): n terms of a few nodes.
		terms := []*Expr{g.Mul(g.Const(1000), g.Ref(w))}
		for k := 1; k <= n; k++ {
			terms = append(terms, g.Mul(g.Const(1e-9), g.Tanh(g.Mul(g.Const(float64(k)), g.Ref(w)))))
		}
		z := g.Apply(func(...*Expr) *Expr { return g.Add(terms...) }, w)
		// -2 sum (1 - d) log(1 - sigmoid(z)), with 1 - sigmoid(z) a map of
		// its own: with d = (0, 1), -2 log(1 - sigmoid(1000)) = 2000.
		notS := g.Apply(func(a ...*Expr) *Expr { return g.Sub(g.Const(1), g.Sigmoid(a[0])) }, z)
		userBCE := g.Sum(g.Apply(func(a ...*Expr) *Expr {
			return g.Mul(g.Const(-2), g.Sub(g.Const(1), a[1]), g.Log(a[0]))
		}, notS, d))
		for name, loss := range map[string]*Tensor{
			"crossentropy": g.CrossEntropy(g.Softmax(z), d),
			"bce":          g.BCE(g.Apply(func(a ...*Expr) *Expr { return g.Sigmoid(a[0]) }, z), d),
			"1-sigmoid":    userBCE,
		} {
			roots := g.Reuse(append([]*Tensor{loss}, g.Derive(loss, w)...)...)
			vals := mustEvaluate(t, Values{w: {1, -1}, d: {0, 1}}, roots...)
			if got := vals[roots[0]][0]; math.IsInf(got, 0) || math.IsNaN(got) || math.Abs(got-2000) > 1e-6*2000 {
				t.Errorf("%s of a %d-term body: loss %v, want about 2000", name, n, got)
			}
			for i, v := range vals[roots[1]] {
				if math.IsInf(v, 0) || math.IsNaN(v) {
					t.Errorf("%s of a %d-term body: gradient[%d] = %v", name, n, i, v)
				}
			}
		}
	}
}
