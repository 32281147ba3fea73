package symbolic

import (
	"fmt"
	"math"
	"slices"
)

// partials returns the partial derivative of e with respect to each of its
// arguments. These are the only derivative formulas in bpgen: one small
// rule per primitive scalar op and argument. Rules reuse forward values:
// the derivative of exp(x) is the exp node itself, that of sigmoid is
// y*(1-y) and that of tanh is 1-y^2 with y the node itself.
//
// Subgradients: every kink decides by "the first candidate wins a tie".
// max(a, b) sends the gradient to a when a >= b, min(a, b) when a <= b, and
// relu(x) = max(0, x) therefore has slope 0 at x = 0. |x| has slope 0 at 0.
func (g *Graph) partials(e *Expr) []*Expr {
	a := e.Args
	one, zero := g.Const(1), g.Const(0)
	switch e.Op {
	case OpAdd:
		ps := make([]*Expr, len(a))
		for i := range ps {
			ps[i] = one
		}
		return ps
	case OpMul:
		ps := make([]*Expr, len(a))
		for i := range a {
			others := make([]*Expr, 0, len(a)-1)
			others = append(others, a[:i]...)
			others = append(others, a[i+1:]...)
			ps[i] = g.Mul(others...)
		}
		return ps
	case OpPow: // d x^p = p x^(p-1)
		return []*Expr{g.Mul(g.Const(e.Val), g.Pow(a[0], e.Val-1))}
	case OpExp: // d exp x = exp x
		return []*Expr{e}
	case OpLog: // d log x = 1/x
		return []*Expr{g.Pow(a[0], -1)}
	case OpSqrt: // d sqrt x = 1/(2 sqrt x)
		return []*Expr{g.Mul(g.Const(0.5), g.Pow(e, -1))}
	case OpAbs: // d |x| = sign x, with sign 0 = 0
		return []*Expr{g.Select(a[0], one, g.Select(g.Neg(a[0]), g.Const(-1), zero))}
	case OpTanh: // d tanh x = 1 - tanh^2 x
		return []*Expr{g.Sub(one, g.Pow(e, 2))}
	case OpSigmoid: // d sigmoid x = y (1 - y)
		return []*Expr{g.Mul(e, g.Sub(one, e))}
	case OpSoftplus: // d softplus x = sigmoid x
		return []*Expr{g.Sigmoid(a[0])}
	case OpMax, OpMin:
		return tiePartials(g, e.Op, a[0], a[1])
	case OpSelect: // no gradient through the condition
		return []*Expr{zero, g.Select(a[0], one, zero), g.Select(a[0], zero, one)}
	}
	panic(fmt.Sprintf("symbolic: no derivative rule for %v", e.Op))
}

// tiePartials returns the partial derivatives of max(a, b) or min(a, b)
// under bpgen's one subgradient policy for ties: the derivative goes to
// the argument that is a constant, and between two that are not, to the
// first. So max(z, 0), max(0, z) and relu(z) all have slope 0 at z = 0
// (PyTorch's relu'(0)), min(z, 1) has slope 0 at z = 1 as hardtanh does,
// and maxof and maxpool, whose arguments are all alike, give the tie to
// the first.
func tiePartials(g *Graph, op Op, a, b *Expr) []*Expr {
	one, zero := g.Const(1), g.Const(0)
	if b.Op == OpConst && a.Op != OpConst {
		// b wins ties: d/da = [a > b] for max, [a < b] for min
		c := g.Sub(a, b)
		if op == OpMin {
			c = g.Sub(b, a)
		}
		return []*Expr{g.Select(c, one, zero), g.Select(c, zero, one)}
	}
	// a wins ties: d/da = [a >= b] = [b - a > 0 is false] for max
	c := g.Sub(b, a)
	if op == OpMin {
		c = g.Sub(a, b)
	}
	return []*Expr{g.Select(c, zero, one), g.Select(c, one, zero)}
}

// Grad differentiates out with respect to each of wrt in reverse mode: the
// adjoint of every node on a path from out to a wrt node is the sum, over
// all its outgoing edges, of the parent's adjoint times the edge's partial
// derivative (the influence diagram). Each node is visited once, so the
// result has size linear in the size of out.
func (g *Graph) Grad(out *Expr, wrt ...*Expr) []*Expr {
	nodes := postorder(out)
	// Only nodes that reach a wrt node need an adjoint.
	want := map[*Expr]bool{}
	for _, w := range wrt {
		want[w] = true
	}
	reaches := map[*Expr]bool{}
	for _, n := range nodes { // postorder: arguments before users
		r := want[n]
		for _, a := range n.Args {
			r = r || reaches[a]
		}
		reaches[n] = r
	}
	contrib := map[*Expr][]*Expr{out: {g.Const(1)}}
	adjoint := map[*Expr]*Expr{}
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		if !reaches[n] {
			continue
		}
		adj := g.Add(contrib[n]...)
		delete(contrib, n)
		adjoint[n] = adj
		if adj.IsConst(0) || len(n.Args) == 0 {
			continue
		}
		var ps []*Expr
		for k, arg := range n.Args {
			if !reaches[arg] {
				continue
			}
			if ps == nil {
				ps = g.partials(n)
			}
			if c := g.Mul(adj, ps[k]); !c.IsConst(0) {
				contrib[arg] = append(contrib[arg], c)
			}
		}
	}
	res := make([]*Expr, len(wrt))
	for i, w := range wrt {
		if a, ok := adjoint[w]; ok {
			res[i] = a
		} else {
			res[i] = g.Const(0)
		}
	}
	return res
}

// Diff returns the derivative of e with respect to v.
func (g *Graph) Diff(e, v *Expr) *Expr { return g.Grad(e, v)[0] }

// postorder lists the nodes of e, arguments before their users, each once.
// Ties are broken by argument order, which is canonical, so the order is
// deterministic.
func postorder(e *Expr) []*Expr {
	var out []*Expr
	seen := map[*Expr]bool{}
	// iterative, so that a chain of many thousand nodes does not recurse
	type frame struct {
		e *Expr
		i int
	}
	stack := []frame{{e, 0}}
	seen[e] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i < len(top.e.Args) {
			a := top.e.Args[top.i]
			top.i++
			if !seen[a] {
				seen[a] = true
				stack = append(stack, frame{a, 0})
			}
			continue
		}
		out = append(out, top.e)
		stack = stack[:len(stack)-1]
	}
	return out
}

// Nodes returns the distinct nodes of e, arguments before users.
func Nodes(e *Expr) []*Expr { return postorder(e) }

// Substitute returns e with every node that is a key of sub replaced by its
// value, rebuilt through the smart constructors so that the result is
// simplified again.
func (g *Graph) Substitute(e *Expr, sub map[*Expr]*Expr) *Expr {
	memo := map[*Expr]*Expr{}
	for _, n := range postorder(e) {
		if r, ok := sub[n]; ok {
			memo[n] = r
			continue
		}
		if len(n.Args) == 0 {
			memo[n] = n
			continue
		}
		args := make([]*Expr, len(n.Args))
		changed := false
		for i, a := range n.Args {
			args[i] = memo[a]
			changed = changed || args[i] != a
		}
		if !changed {
			memo[n] = n
			continue
		}
		memo[n] = g.Call(n.Op, n.Val, args...)
	}
	return memo[e]
}

// Eval evaluates e in float64. env gives the values of variables and
// references; a reference to a tensor element is looked up with its Expr.
func Eval(e *Expr, env map[*Expr]float64) float64 {
	vals := map[*Expr]float64{}
	for _, n := range postorder(e) {
		vals[n] = evalNode(n, vals, env)
	}
	return vals[e]
}

func evalNode(n *Expr, vals, env map[*Expr]float64) float64 {
	arg := func(i int) float64 { return vals[n.Args[i]] }
	switch n.Op {
	case OpConst:
		return n.Val
	case OpVar, OpRef:
		v, ok := env[n]
		if !ok {
			panic(fmt.Sprintf("symbolic: Eval: no value for %v", n))
		}
		return v
	case OpAdd:
		s := 0.0
		for i := range n.Args {
			s += arg(i)
		}
		return s
	case OpMul:
		p := 1.0
		for i := range n.Args {
			p *= arg(i)
		}
		return p
	case OpPow:
		return powf(arg(0), n.Val)
	case OpExp:
		return math.Exp(arg(0))
	case OpLog:
		return math.Log(arg(0))
	case OpSqrt:
		return math.Sqrt(arg(0))
	case OpAbs:
		return math.Abs(arg(0))
	case OpTanh:
		return math.Tanh(arg(0))
	case OpSigmoid:
		return sigmoid(arg(0))
	case OpSoftplus:
		return softplus(arg(0))
	case OpMax:
		return max(arg(0), arg(1))
	case OpMin:
		return min(arg(0), arg(1))
	case OpSelect:
		if arg(0) > 0 {
			return arg(1)
		}
		return arg(2)
	}
	panic(fmt.Sprintf("symbolic: Eval of %v", n.Op))
}

func powf(x, p float64) float64 {
	switch p {
	case -1:
		return 1 / x
	case 2:
		return x * x
	case 0.5:
		return math.Sqrt(x)
	}
	return math.Pow(x, p)
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Expand multiplies out products of sums (a polynomial normal form), up to
// maxTerms terms; it returns e unchanged when the expansion would be larger.
func (g *Graph) Expand(e *Expr) *Expr {
	const maxTerms = 32
	memo := map[*Expr]*Expr{}
	// product multiplies out the factors fs, already expanded; it reports
	// false when the result would have more than maxTerms terms.
	product := func(fs []*Expr) (*Expr, bool) {
		terms := []*Expr{g.Const(1)}
		for _, f := range fs {
			us := []*Expr{f}
			if f.Op == OpAdd {
				us = f.Args
			}
			if len(terms)*len(us) > maxTerms {
				return nil, false
			}
			next := make([]*Expr, 0, len(terms)*len(us))
			for _, t := range terms {
				for _, u := range us {
					next = append(next, g.Mul(t, u))
				}
			}
			terms = next
		}
		return g.Add(terms...), true
	}
	var expand func(e *Expr) *Expr
	expand = func(e *Expr) *Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		r := e
		switch e.Op {
		case OpAdd:
			ts := make([]*Expr, len(e.Args))
			for i, a := range e.Args {
				ts[i] = expand(a)
			}
			r = g.Add(ts...)
		case OpMul:
			fs := make([]*Expr, len(e.Args))
			for i, f := range e.Args {
				fs[i] = expand(f)
			}
			if p, ok := product(fs); ok {
				r = p
			}
		case OpPow:
			b := expand(e.Args[0])
			r = g.Pow(b, e.Val)
			if b.Op == OpAdd && e.Val == 2 {
				if p, ok := product([]*Expr{b, b}); ok {
					r = p
				}
			}
		}
		memo[e] = r
		return r
	}
	return expand(e)
}

// Simplify returns the cheaper of e and its expansion, so that sums of
// products whose terms cancel (-d(1-y) + (1-d)y = y - d) collapse, while
// compact factored forms (y(1-y)) stay factored. Ties keep e.
func (g *Graph) Simplify(e *Expr) *Expr {
	best := e
	for _, x := range []*Expr{g.Expand(e), g.Factor(e)} {
		if Cost(x) < Cost(best) {
			best = x
		}
	}
	return best
}

// Factor pulls the factors common to every term of a sum out of it:
// s*a + s*b = s*(a + b). It is how the gradient of a value that reaches the
// loss along two paths reads as its local derivative times the sum of the
// two paths' gradients. Constants are not pulled out.
func (g *Graph) Factor(e *Expr) *Expr {
	if e.Op != OpAdd {
		return e
	}
	factorsOf := func(t *Expr) []*Expr {
		if t.Op == OpMul {
			return t.Args
		}
		return []*Expr{t}
	}
	var common []*Expr
	for _, f := range factorsOf(e.Args[0]) {
		if f.Op == OpConst {
			continue
		}
		in := true
		for _, t := range e.Args[1:] {
			found := false
			for _, u := range factorsOf(t) {
				found = found || u == f
			}
			in = in && found
		}
		if in {
			common = append(common, f)
		}
	}
	if len(common) == 0 {
		return e
	}
	inv := make([]*Expr, len(common))
	for i, c := range common {
		inv[i] = g.Pow(c, -1)
	}
	rest := make([]*Expr, len(e.Args))
	for i, t := range e.Args {
		// divide the common factors out of the term, structurally
		fs := slices.Clone(factorsOf(t))
		for _, c := range common {
			if j := slices.Index(fs, c); j >= 0 {
				fs = slices.Delete(fs, j, j+1)
			}
		}
		rest[i] = g.Mul(fs...)
	}
	return g.Mul(append(slices.Clone(common), g.Add(rest...))...)
}

// Cost estimates the work to evaluate e once: the number of distinct
// operations, with transcendental functions weighted by their usual cost.
func Cost(e *Expr) int {
	c := 0
	for _, n := range postorder(e) {
		switch n.Op {
		case OpConst, OpVar, OpRef:
		case OpAdd, OpMul:
			c += len(n.Args) - 1
		case OpPow:
			c += 1
			if n.Val != -1 && n.Val != 2 {
				c += 10
			}
		case OpExp, OpLog, OpTanh, OpSigmoid, OpSoftplus:
			c += 10
		default:
			c += 2
		}
	}
	return c
}

// sortedRefs returns the tensors that e refers to, in creation order.
func sortedRefs(e *Expr) []*Tensor {
	var ts []*Tensor
	for _, n := range postorder(e) {
		if n.Op == OpRef {
			ts = append(ts, n.Tensor)
		}
	}
	slices.SortFunc(ts, func(a, b *Tensor) int { return a.ID - b.ID })
	return ts
}
