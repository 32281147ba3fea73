package symbolic

import "slices"

// Reuse rewrites the tensors that roots depend on so that every map body
// reads the forward values that already exist instead of recomputing
// them: a subexpression equal to the body of another materialized map
// becomes a reference to that map. This is how the derivative of
// sigmoid(z) becomes y*(1-y) with y = sigmoid(z) the stored forward value,
// and how exp'(z) becomes the stored exp(z).
//
// A map is materialized when it is a root, is named, or is read by a
// tensor that is not a map (a contraction, a max). Reuse returns the
// rewritten roots, in the same order; the graph keeps the old tensors.
func (g *Graph) Reuse(roots ...*Tensor) []*Tensor {
	live := liveFrom(roots...)
	isRoot := map[*Tensor]bool{}
	for _, r := range roots {
		isRoot[r] = true
	}
	stored := map[*Tensor]bool{}
	for _, t := range live {
		if t.Kind == KindMap && (isRoot[t] || t.Name != "") {
			stored[t] = true
		}
		for _, a := range t.Args {
			if a.Kind == KindMap && (t.Kind != KindMap || a.Scalar() && !t.Scalar()) {
				stored[a] = true
			}
		}
	}
	// Bodies worth replacing: not a constant, not a plain reference. They
	// are tried largest first, then oldest first, so the result is
	// deterministic.
	var cands []*Tensor
	for _, t := range live {
		if stored[t] && len(t.Body.Args) > 0 {
			cands = append(cands, t)
		}
	}
	slices.SortStableFunc(cands, func(a, b *Tensor) int { return len(b.Body.Args) - len(a.Body.Args) })
	memo := map[*Tensor]*Tensor{}
	for _, t := range live {
		var nt *Tensor
		switch t.Kind {
		case KindLeaf:
			nt = t
		case KindMap:
			var avail []*Tensor
			for _, f := range cands {
				if f != t && memo[f] != nil {
					avail = append(avail, f)
				}
			}
			nt = g.mapOf(t.Shape, g.reuseMap(t, avail, memo))
		default:
			c := *t
			c.Args = make([]*Tensor, len(t.Args))
			for i, a := range t.Args {
				c.Args[i] = memo[a]
			}
			c.Name = ""
			nt = g.internTensor(&c)
		}
		g.SetName(nt, t.Name)
		memo[t] = nt
	}
	out := make([]*Tensor, len(roots))
	for i, r := range roots {
		out[i] = memo[r]
	}
	return out
}

// reuseMap is the body of the map t rewritten by reuseIn. For a vector
// map that reads scalar maps (broadcast values, such as 1/s), the body
// with those scalars written out is rewritten too, and wins when it is
// cheaper: e*(1/s) holds no stored body, but e*s^-1 may be one.
func (g *Graph) reuseMap(t *Tensor, avail []*Tensor, memo map[*Tensor]*Tensor) *Expr {
	body := g.reuseIn(t.Body, avail, memo)
	if t.Scalar() {
		return body
	}
	sub := map[*Expr]*Expr{}
	for _, a := range t.Args {
		if a.Kind == KindMap && a.Scalar() {
			sub[g.Ref(a)] = a.Body
		}
	}
	if len(sub) == 0 {
		return body
	}
	if alt := g.reuseIn(g.Substitute(t.Body, sub), avail, memo); Cost(alt) < Cost(body) {
		return alt
	}
	return body
}

// reuseIn rewrites body, replacing each occurrence of the body of a map in
// avail by a reference to (the rewritten) map, and every other reference
// to a tensor t by a reference to memo[t]. An n-ary sum or product also
// matches when the map's body is a subset of its terms or factors.
func (g *Graph) reuseIn(body *Expr, avail []*Tensor, memo map[*Tensor]*Tensor) *Expr {
	done := map[*Expr]*Expr{}
	var rw func(n *Expr) *Expr
	rw = func(n *Expr) *Expr {
		if r, ok := done[n]; ok {
			return r
		}
		var r *Expr
		for _, f := range avail {
			if f.Body == n {
				r = g.Ref(memo[f])
				break
			}
		}
		if r == nil && (n.Op == OpAdd || n.Op == OpMul) {
			for _, f := range avail {
				if rest, ok := without(n, f.Body); ok {
					args := []*Expr{g.Ref(memo[f])}
					for _, a := range rest {
						args = append(args, rw(a))
					}
					r = g.Call(n.Op, 0, args...)
					break
				}
			}
		}
		if r == nil {
			switch {
			case n.Op == OpRef:
				r = g.Ref(memo[n.Tensor])
			case len(n.Args) == 0:
				r = n
			default:
				args := make([]*Expr, len(n.Args))
				for i, a := range n.Args {
					args[i] = rw(a)
				}
				r = g.Call(n.Op, n.Val, args...)
			}
		}
		done[n] = r
		return r
	}
	return rw(body)
}

// without returns the operands of the sum or product n that remain after
// removing the operands of sub, when sub is the same kind of node with a
// proper subset of n's operands.
func without(n, sub *Expr) ([]*Expr, bool) {
	if sub.Op != n.Op || len(sub.Args) >= len(n.Args) {
		return nil, false
	}
	var rest []*Expr
	j := 0
	for _, a := range n.Args {
		if j < len(sub.Args) && sub.Args[j] == a {
			j++
			continue
		}
		rest = append(rest, a)
	}
	return rest, j == len(sub.Args)
}
