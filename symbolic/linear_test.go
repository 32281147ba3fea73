package symbolic

import (
	"math"
	"testing"
)

// operands counts the operands of the nodes of g created from index from
// on: the storage a pass used, which node counts alone do not show.
func operands(g *Graph, from int) int {
	n := 0
	for _, e := range g.exprList[from:] {
		n += len(e.Args)
	}
	return n
}

// TestGradChainLinear differentiates a chain of 10,000 nested operations
// (1,000 with -short)
// (tanh, exp, multiplication by a constant, addition of a variable) with
// respect to the variable at its bottom. Reverse mode visits each node
// once, so Grad creates a number of nodes linear in the chain length. The
// derivative is checked against forward-mode dual numbers along the chain.
func TestGradChainLinear(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 1000
	}
	g := NewGraph()
	x, v := g.Var("x"), g.Var("v")
	// The constants keep the derivative, a product of 10,000 factors, a
	// normal float64 (about 2^-258): with others it underflows to 0.
	const x0, v0 = 0.3, -0.7
	e := x
	val, dval := x0, 1.0 // forward mode: value and d/dx
	for i := range n {
		switch i % 4 {
		case 0:
			e = g.Tanh(e)
			val, dval = math.Tanh(val), dval*(1-math.Tanh(val)*math.Tanh(val))
		case 1:
			e = g.Exp(e)
			val, dval = math.Exp(val), dval*math.Exp(val)
		case 2:
			c := 0.75
			e = g.Mul(g.Const(c), e)
			val, dval = c*val, c*dval
		case 3:
			e = g.Add(e, v)
			val += v0
		}
	}
	forward := len(Nodes(e))
	if forward < n {
		t.Fatalf("the chain has %d nodes; the simplifier folded it, the test no longer measures a chain", forward)
	}
	before := g.NumExprs()
	d := g.Diff(e, x)
	created := g.NumExprs() - before
	t.Logf("forward nodes %d, nodes created by Grad %d (%.2f per forward node), operands created %d",
		forward, created, float64(created)/float64(forward), operands(g, before))
	if created > 10*forward {
		t.Errorf("Grad created %d nodes for a chain of %d: not linear", created, forward)
	}
	env := map[*Expr]float64{x: x0, v: v0}
	if got := Eval(e, env); !equalWithinAbsOrRel(got, val, valueTol, valueTol) {
		t.Errorf("chain value %.17g, forward mode %.17g", got, val)
	}
	got := Eval(d, env)
	if dval == 0 || math.IsInf(dval, 0) {
		t.Fatalf("forward-mode derivative %v: choose other constants", dval)
	}
	if !equalWithinAbsOrRel(got, dval, 0, derivTol) {
		t.Errorf("d chain/dx = %.17g, forward mode %.17g", got, dval)
	}
}

// TestGradManyPaths differentiates two graphs in which x reaches the output
// along many paths: a sum of 1,000 distinct functions of x, and a ladder of
// 200 rungs, a[k+1] = a[k] + tanh(b[k])/100 and b[k+1] = b[k] -
// sigmoid(a[k]*b[k])/100, along which x reaches the top by more than 2^200
// paths. The adjoint of x is the sum over all paths, and Grad must find it
// with a number of nodes linear in the graph, never by enumerating paths.
func TestGradManyPaths(t *testing.T) {
	t.Run("sum", func(t *testing.T) {
		g := NewGraph()
		x := g.Var("x")
		terms := make([]*Expr, 1000)
		for k := range terms {
			a, b := 0.5+float64(k)/1000, float64(k%7)-3
			fk := g.Tanh(g.Add(g.Mul(g.Const(a), x), g.Const(b)))
			if k%2 == 1 {
				fk = g.Sigmoid(g.Mul(fk, x))
			}
			terms[k] = g.Mul(g.Const(1+float64(k%5)), fk)
		}
		e := g.Add(terms...)
		forward := len(Nodes(e))
		before := g.NumExprs()
		g.Grad(e, x)
		created := g.NumExprs() - before
		t.Logf("forward nodes %d, nodes created by Grad %d", forward, created)
		if created > 10*forward {
			t.Errorf("Grad created %d nodes for %d forward nodes", created, forward)
		}
		for _, x0 := range []float64{-1.3, 0.2, 2.1} {
			if err := checkGrad(g, e, []*Expr{x}, map[*Expr]float64{x: x0}); err != nil {
				t.Error(err)
			}
		}
	})
	t.Run("ladder", func(t *testing.T) {
		const rungs = 200
		g := NewGraph()
		x := g.Var("x")
		a, b := x, g.Mul(g.Const(0.5), x)
		const x0 = 0.7
		av, bv, da, db := x0, 0.5*x0, 1.0, 0.5 // forward mode
		for range rungs {
			// Steps of 0.01 keep the derivative of order 1 over all the rungs.
			a, b = g.Add(a, g.Mul(g.Const(0.01), g.Tanh(b))), g.Sub(b, g.Mul(g.Const(0.01), g.Sigmoid(g.Mul(a, b))))
			tb, s := math.Tanh(bv), sigm(av*bv)
			da, db = da+0.01*(1-tb*tb)*db, db-0.01*s*(1-s)*(da*bv+av*db)
			av, bv = av+0.01*tb, bv-0.01*s
		}
		e := g.Add(a, b)
		forward := len(Nodes(e))
		before := g.NumExprs()
		d := g.Diff(e, x)
		created := g.NumExprs() - before
		t.Logf("forward nodes %d, nodes created by Grad %d", forward, created)
		if created > 10*forward {
			t.Errorf("Grad created %d nodes for %d forward nodes", created, forward)
		}
		want := da + db
		got := Eval(d, map[*Expr]float64{x: x0})
		if want == 0 {
			t.Fatal("forward-mode derivative underflowed: choose another x0")
		}
		if !equalWithinAbsOrRel(got, want, 0, derivTol) {
			t.Errorf("d ladder/dx = %.17g, forward mode %.17g", got, want)
		}
	})
}
