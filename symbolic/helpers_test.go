package symbolic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Tolerances of the numerical checks.
const (
	// derivTol is the abs-or-rel tolerance between a symbolic derivative and
	// its finite-difference estimate. The five-point stencil below has a
	// truncation error of order h^4 (about 1e-20 relative) and a rounding
	// error of order eps*|f|/h (about 1e-11 relative), so 1e-6 leaves a wide
	// margin without hiding a wrong rule, whose error is of order 1.
	derivTol = 1e-6
	// valueTol is the abs-or-rel tolerance between two evaluations of the
	// same value computed in different orders (a simplified expression
	// against its plain Go definition, a graph before and after Reuse).
	valueTol = 1e-9
	// simplifyTol is the abs-or-rel tolerance between an expression and
	// its Simplify, Expand or Factor: multiplying out can cancel terms of
	// size about 1e2 here, and adds their rounding errors, about 1e-14.
	simplifyTol = 1e-9
	// kinkMargin is how far a point must stay from a kink (the argument of
	// abs, the two sides of max and min, the condition of select, the top
	// two entries of a group max) for finite differences to apply.
	kinkMargin = 1e-3
	// stepScale sets the finite-difference step h = stepScale*max(1, |x|).
	stepScale = 1e-5
)

// equalWithinAbsOrRel reports whether a and b are within tol of each other,
// either absolutely or relatively to the larger magnitude. It has the shape
// of gonum's floats/scalar.EqualWithinAbsOrRel.
func equalWithinAbsOrRel(a, b, absTol, relTol float64) bool {
	if a == b {
		return true
	}
	d := math.Abs(a - b)
	if d <= absTol {
		return true
	}
	return d <= relTol*math.Max(math.Abs(a), math.Abs(b))
}

// centralDiff estimates f'(x) with the five-point central stencil
// (-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h, h = stepScale*max(1, |x|).
func centralDiff(f func(float64) float64, x float64) float64 {
	h := stepScale * math.Max(1, math.Abs(x))
	return (-f(x+2*h) + 8*f(x+h) - 8*f(x-h) + f(x-2*h)) / (12 * h)
}

// stencil returns the points centralDiff evaluates around x.
func stencil(x float64) []float64 {
	h := stepScale * math.Max(1, math.Abs(x))
	return []float64{x - 2*h, x - h, x, x + h, x + 2*h}
}

// kinkDistances returns, for every node of e that is not differentiable
// everywhere, the signed quantity whose zero is its kink, evaluated at env.
// The edge of the domain of log, sqrt and fractional or negative powers
// counts as a kink too: near 0 their derivatives blow up, and a value that
// rounds to 0 there (1 - sigmoid(40) does) gives 0*Inf in a derivative.
func kinkDistances(e *Expr, env map[*Expr]float64) []float64 {
	vals := map[*Expr]float64{}
	var ds []float64
	for _, n := range postorder(e) {
		vals[n] = evalNode(n, vals, env)
		ds = appendKinks(ds, n, vals)
	}
	return ds
}

func appendKinks(ds []float64, n *Expr, vals map[*Expr]float64) []float64 {
	switch n.Op {
	case OpAbs, OpSelect:
		ds = append(ds, vals[n.Args[0]])
	case OpMax, OpMin:
		ds = append(ds, vals[n.Args[0]]-vals[n.Args[1]])
	case OpLog, OpSqrt:
		ds = append(ds, vals[n.Args[0]])
	case OpPow:
		if n.Val < 0 || n.Val != math.Trunc(n.Val) {
			ds = append(ds, vals[n.Args[0]])
		}
	}
	return ds
}

// smoothAt reports whether every kink of e is at least kinkMargin away at
// env and keeps its side for all the points of the stencil along each of
// vars.
func smoothAt(e *Expr, env map[*Expr]float64, vars []*Expr) bool {
	center := kinkDistances(e, env)
	for _, d := range center {
		if math.Abs(d) < kinkMargin {
			return false
		}
	}
	for _, v := range vars {
		x := env[v]
		for _, p := range stencil(x) {
			env[v] = p
			for i, d := range kinkDistances(e, env) {
				if (d > 0) != (center[i] > 0) {
					env[v] = x
					return false
				}
			}
		}
		env[v] = x
	}
	return true
}

// checkGrad compares the gradient of e with respect to vars, derived by
// Grad and evaluated by Eval, with central differences of Eval(e) at env.
// It returns an error naming the first variable that differs.
func checkGrad(g *Graph, e *Expr, vars []*Expr, env map[*Expr]float64) error {
	grads := g.Grad(e, vars...)
	for i, v := range vars {
		got := Eval(grads[i], env)
		x := env[v]
		want := centralDiff(func(t float64) float64 {
			env[v] = t
			defer func() { env[v] = x }()
			return Eval(e, env)
		}, x)
		if !equalWithinAbsOrRel(got, want, derivTol, derivTol) {
			return fmt.Errorf("d/d%v of %v at %v: derived %v = %.17g, finite differences %.17g",
				v, e, fmtEnv(env), grads[i], got, want)
		}
	}
	return nil
}

func fmtEnv(env map[*Expr]float64) string {
	s := "{"
	first := true
	for _, n := range sortedExprs(env) {
		if !first {
			s += " "
		}
		first = false
		s += fmt.Sprintf("%v=%.17g", n, env[n])
	}
	return s + "}"
}

func sortedExprs(env map[*Expr]float64) []*Expr {
	var ns []*Expr
	for n := range env {
		ns = append(ns, n)
	}
	for i := 1; i < len(ns); i++ {
		for j := i; j > 0 && ns[j].ID < ns[j-1].ID; j-- {
			ns[j], ns[j-1] = ns[j-1], ns[j]
		}
	}
	return ns
}

// newRand returns the seeded generator of a test, so every run draws the
// same points.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x62706765)) }

// uniform draws from [lo, hi).
func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// ---- tensor level ----

// randValues fills every leaf in leaves with values drawn from [lo, hi).
func randValues(r *rand.Rand, env Values, lo, hi float64, leaves ...*Tensor) {
	for _, l := range leaves {
		v := make([]float64, l.Size())
		for i := range v {
			v[i] = uniform(r, lo, hi)
		}
		env[l] = v
	}
}

// mustEvaluate is Evaluate that fails the test on error.
func mustEvaluate(t testing.TB, env Values, roots ...*Tensor) Values {
	t.Helper()
	vals, err := Evaluate(env, roots...)
	if err != nil {
		t.Fatal(err)
	}
	return vals
}

// tensorKinkMargin returns the smallest distance to a kink over every map
// body element and every group max among the tensors roots depend on.
func tensorKinkMargin(t testing.TB, env Values, roots ...*Tensor) float64 {
	t.Helper()
	vals := mustEvaluate(t, env, roots...)
	margin := math.Inf(1)
	for _, x := range Live(roots...) {
		switch x.Kind {
		case KindMap:
			nodes := postorder(x.Body)
			for i := 0; i < x.Size(); i++ {
				tmp := map[*Expr]float64{}
				envx := map[*Expr]float64{}
				var ds []float64
				for _, n := range nodes {
					if n.Op == OpRef {
						v := vals[n.Tensor]
						if n.Tensor.Scalar() {
							envx[n] = v[0]
						} else {
							envx[n] = v[i]
						}
					}
					tmp[n] = evalNode(n, tmp, envx)
					ds = appendKinks(ds, n, tmp)
				}
				for _, d := range ds {
					margin = math.Min(margin, math.Abs(d))
				}
			}
		case KindMax:
			if x.Args[0].Kind == KindLeaf || isStopped(x, roots) {
				// The shift of a softmax: its value does not matter.
				continue
			}
			v := vals[x.Args[0]]
			for gi := 0; gi < len(v)/x.Group; gi++ {
				grp := append([]float64(nil), v[gi*x.Group:(gi+1)*x.Group]...)
				best, second := math.Inf(-1), math.Inf(-1)
				for _, a := range grp {
					if a > best {
						best, second = a, best
					} else if a > second {
						second = a
					}
				}
				margin = math.Min(margin, best-second)
			}
		}
	}
	return margin
}

// isStopped reports whether every user of x among the live tensors is a
// stop-gradient, so a tie in x does not matter to any derivative.
func isStopped(x *Tensor, roots []*Tensor) bool {
	used := false
	for _, u := range Live(roots...) {
		for _, a := range u.Args {
			if a == x {
				used = true
				if u.Kind != KindStop {
					return false
				}
			}
		}
	}
	return used
}

// tensorCheck holds a scalar loss, the leaves to differentiate it by, and
// the values of every leaf.
type tensorCheck struct {
	g     *Graph
	loss  *Tensor
	wrt   []*Tensor
	env   Values
	reuse bool // also check the graph after Reuse
}

// run derives the gradient of c.loss, evaluates it, and compares every
// element with central differences of the loss. With c.reuse it also
// evaluates the rewritten roots after Reuse, checks that they equal the
// originals, and checks their gradients the same way.
func (c tensorCheck) run(t *testing.T) {
	t.Helper()
	grads := c.g.Derive(c.loss, c.wrt...)
	roots := append([]*Tensor{c.loss}, grads...)
	c.compare(t, "derived", roots)
	if c.reuse {
		reused := c.g.Reuse(roots...)
		before := mustEvaluate(t, c.env, roots...)
		after := mustEvaluate(t, c.env, reused...)
		for i := range roots {
			b, a := before[roots[i]], after[reused[i]]
			for j := range b {
				if !equalWithinAbsOrRel(a[j], b[j], valueTol, valueTol) {
					t.Errorf("after Reuse, %s[%d] = %.17g, before %.17g", roots[i].label(), j, a[j], b[j])
				}
			}
		}
		c.compare(t, "reused", reused)
	}
}

func (c tensorCheck) compare(t *testing.T, what string, roots []*Tensor) {
	t.Helper()
	loss := roots[0]
	vals := mustEvaluate(t, c.env, roots...)
	for k, w := range c.wrt {
		got := vals[roots[k+1]]
		if len(got) != w.Size() {
			t.Fatalf("%s: gradient of %s has %d elements, want %d", what, w.label(), len(got), w.Size())
		}
		for i := range got {
			x := c.env[w][i]
			want := centralDiff(func(v float64) float64 {
				c.env[w][i] = v
				defer func() { c.env[w][i] = x }()
				return mustEvaluate(t, c.env, loss)[loss][0]
			}, x)
			if !equalWithinAbsOrRel(got[i], want, derivTol, derivTol) {
				t.Errorf("%s: d%s[%d] = %.17g, finite differences %.17g", what, w.label(), i, got[i], want)
			}
		}
	}
}
