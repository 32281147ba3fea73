package symbolic

import (
	"fmt"
	"slices"
)

// Derive returns, for each tensor in wrt, the gradient of the scalar loss
// with respect to it (a tensor of the same shape), derived in reverse mode.
//
// Tensors are visited once each, newest first (creation order is a
// topological order). A tensor's adjoint is the sum of the contributions of
// all its users, one per outgoing edge of the influence diagram; each user
// contributes through the adjoint rule of its kind:
//
//	map       out[i] = f(a[i], b[i], ...)   da[i] += df/da(...) * dout[i], with df/da
//	                                        derived from the body by Grad; summed over i
//	                                        when a is a broadcast scalar
//	contract  out[o] = sum prod args[k]     dargs[k][I_k] += sum dout[o] * prod of the others
//	max       out[g] = max_k v[gK+k]        dv = dout routed to the first argmax
//	stop      no gradient
//
// A tensor that does not reach the loss gets an exact zero.
func (g *Graph) Derive(loss *Tensor, wrt ...*Tensor) []*Tensor {
	if !loss.Scalar() {
		panic(fmt.Sprintf("symbolic: Derive of a non-scalar %v", loss.Shape))
	}
	// The tensors on a path from a wrt tensor to the loss.
	want := map[*Tensor]bool{}
	for _, w := range wrt {
		want[w] = true
	}
	live := liveFrom(loss)
	reaches := map[*Tensor]bool{}
	for _, t := range live {
		r := want[t]
		if t.Kind != KindStop {
			for _, a := range t.Args {
				r = r || reaches[a]
			}
		}
		reaches[t] = r
	}

	contrib := map[*Tensor][]*Tensor{loss: {g.ConstTensor(1)}}
	adjoint := map[*Tensor]*Tensor{}
	for i := len(live) - 1; i >= 0; i-- {
		t := live[i]
		if !reaches[t] {
			continue
		}
		dt := g.sumTensors(t.Shape, contrib[t])
		delete(contrib, t)
		adjoint[t] = dt
		if dt.IsZero() {
			continue
		}
		if t.Name != "" {
			g.SetName(dt, "d"+t.Name)
		}
		add := func(a, c *Tensor) {
			if reaches[a] && !c.IsZero() {
				contrib[a] = append(contrib[a], c)
			}
		}
		switch t.Kind {
		case KindLeaf, KindStop:
		case KindMap:
			refs := make([]*Expr, len(t.Args))
			for k, a := range t.Args {
				refs[k] = g.Ref(a)
			}
			partials := g.Grad(t.Body, refs...)
			for k, a := range t.Args {
				if !reaches[a] {
					continue
				}
				c := g.MapShape(t.Shape, g.Mul(partials[k], g.Ref(dt)))
				if a.Scalar() && !t.Scalar() {
					c = g.Sum(c)
				}
				add(a, c)
			}
		case KindContract:
			for k, a := range t.Args {
				if !reaches[a] {
					continue
				}
				args := []*Tensor{dt}
				index := [][]int{t.Out}
				for m, b := range t.Args {
					if m != k {
						args = append(args, b)
						index = append(index, t.Index[m])
					}
				}
				add(a, g.Contract(t.Index[k], t.Dims, args, index))
			}
		case KindMax:
			add(t.Args[0], g.maxGrad(t.Args[0], dt, t.Group))
		default:
			panic(fmt.Sprintf("symbolic: no adjoint rule for %v", t.Kind))
		}
	}
	res := make([]*Tensor, len(wrt))
	for i, w := range wrt {
		if a, ok := adjoint[w]; ok {
			res[i] = a
		} else {
			res[i] = g.zeros(w.Shape)
		}
	}
	return res
}

// zeros returns a zero tensor of the given shape.
func (g *Graph) zeros(shape []int) *Tensor {
	return g.mapOf(shape, g.Const(0))
}

// sumTensors adds the contributions cs, all of the given shape. Maps among
// them fuse into one map by composition.
func (g *Graph) sumTensors(shape []int, cs []*Tensor) *Tensor {
	switch len(cs) {
	case 0:
		return g.zeros(shape)
	case 1:
		return cs[0]
	}
	terms := make([]*Expr, len(cs))
	for i, c := range cs {
		terms[i] = g.Ref(c)
	}
	return g.MapShape(shape, g.Add(terms...))
}

// liveFrom returns the tensors that root depends on, root included, in
// creation (topological) order.
func liveFrom(roots ...*Tensor) []*Tensor {
	seen := map[*Tensor]bool{}
	var stack []*Tensor
	for _, r := range roots {
		if !seen[r] {
			seen[r] = true
			stack = append(stack, r)
		}
	}
	var out []*Tensor
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out = append(out, t)
		for _, a := range t.Args {
			if !seen[a] {
				seen[a] = true
				stack = append(stack, a)
			}
		}
	}
	slices.SortFunc(out, func(a, b *Tensor) int { return a.ID - b.ID })
	return out
}

// Live returns the tensors the roots depend on, roots included, in
// topological order.
func Live(roots ...*Tensor) []*Tensor { return liveFrom(roots...) }
