package symbolic

import (
	"fmt"
	"math"
)

// Values holds the elements of tensors in row-major order (one element for
// a scalar).
type Values map[*Tensor][]float64

// Evaluate computes the roots from the leaf values in env, in float64, by
// direct interpretation of the graph. It is the reference that generated
// code is tested against. Every leaf the roots depend on must be in env
// with the right number of elements.
func Evaluate(env Values, roots ...*Tensor) (Values, error) {
	vals := Values{}
	for _, t := range liveFrom(roots...) {
		if t.Kind == KindLeaf {
			v, ok := env[t]
			if !ok {
				return nil, fmt.Errorf("symbolic: no value for %s", t.label())
			}
			if len(v) != t.Size() {
				return nil, fmt.Errorf("symbolic: %s has %d values, want %d", t.label(), len(v), t.Size())
			}
			vals[t] = v
			continue
		}
		vals[t] = evalTensor(t, vals)
	}
	return vals, nil
}

func evalTensor(t *Tensor, vals Values) []float64 {
	out := make([]float64, t.Size())
	switch t.Kind {
	case KindMap:
		nodes := postorder(t.Body)
		tmp := map[*Expr]float64{}
		env := map[*Expr]float64{}
		for i := range out {
			for _, n := range nodes {
				if n.Op == OpRef {
					v := vals[n.Tensor]
					if n.Tensor.Scalar() {
						env[n] = v[0]
					} else {
						env[n] = v[i]
					}
				}
				tmp[n] = evalNode(n, tmp, env)
			}
			out[i] = tmp[t.Body]
		}
	case KindContract:
		idx := make([]int, len(t.Dims))
		var loop func(d int)
		loop = func(d int) {
			if d == len(t.Dims) {
				p := 1.0
				for k, a := range t.Args {
					p *= vals[a][flat(a.Shape, t.Index[k], idx)]
				}
				out[flat(t.Shape, t.Out, idx)] += p
				return
			}
			for i := 0; i < t.Dims[d]; i++ {
				idx[d] = i
				loop(d + 1)
			}
		}
		loop(0)
	case KindMax:
		v := vals[t.Args[0]]
		for gi := range out {
			m := math.Inf(-1)
			for k := 0; k < t.Group; k++ {
				m = max(m, v[gi*t.Group+k])
			}
			out[gi] = m
		}
	case KindMaxGrad:
		v, d := vals[t.Args[0]], vals[t.Args[1]]
		for gi := 0; gi < len(v)/t.Group; gi++ {
			arg := gi * t.Group
			for k := 1; k < t.Group; k++ {
				if v[gi*t.Group+k] > v[arg] {
					arg = gi*t.Group + k
				}
			}
			out[arg] = d[gi]
		}
	case KindStop:
		copy(out, vals[t.Args[0]])
	default:
		panic(fmt.Sprintf("symbolic: Evaluate of %v", t.Kind))
	}
	return out
}

// flat returns the row-major offset into a tensor of shape whose index
// variables are vars, at the index values idx.
func flat(shape, vars, idx []int) int {
	o := 0
	for j, v := range vars {
		o = o*shape[j] + idx[v]
	}
	return o
}
