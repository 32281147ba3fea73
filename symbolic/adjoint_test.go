package symbolic

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// tensorCase builds a small graph: a scalar loss, the leaves to
// differentiate it by, and every leaf with a value.
type tensorCase struct {
	name  string
	build func(g *Graph, r *rand.Rand) (loss *Tensor, wrt []*Tensor, env Values)
}

// dot returns sum_i a[i]*u[i], the scalar through which the dot-product
// test sees a vector-valued tensor a.
func dot(g *Graph, a, u *Tensor) *Tensor { return g.Sum(g.Map(g.Mul(g.Ref(a), g.Ref(u)))) }

// distribution returns n positive values that sum to 1.
func distribution(r *rand.Rand, n int) []float64 {
	d := make([]float64, n)
	s := 0.0
	for i := range d {
		d[i] = uniform(r, 0.1, 1)
		s += d[i]
	}
	for i := range d {
		d[i] /= s
	}
	return d
}

var tensorCases = []tensorCase{
	{"map", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		a, b := g.Leaf(RoleParam, "a", 4), g.Leaf(RoleParam, "b", 4)
		m := g.Apply(func(x ...*Expr) *Expr {
			return g.Add(g.Mul(g.Tanh(x[0]), x[1]), g.Div(g.Exp(x[0]), g.Add(g.Mul(x[1], x[1]), g.Const(1))))
		}, a, b)
		env := Values{}
		randValues(r, env, -2, 2, a, b)
		return g.Sum(m), []*Tensor{a, b}, env
	}},
	{"map-broadcast", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		v, s := g.Leaf(RoleParam, "v", 5), g.Leaf(RoleParam, "s")
		m := g.Map(g.Add(g.Mul(g.Ref(v), g.Ref(s)), g.Sigmoid(g.Mul(g.Ref(s), g.Ref(v), g.Ref(v)))))
		env := Values{}
		randValues(r, env, -2, 2, v, s)
		return g.Sum(m), []*Tensor{v, s}, env
	}},
	{"map-broadcast-scalar-body", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		// The gradient of s is a sum of a broadcast of scalars: the
		// contraction of a map with no vector factor.
		v, s, k := g.Leaf(RoleParam, "v", 3), g.Leaf(RoleParam, "s"), g.Leaf(RoleParam, "k")
		t := g.Map(g.Add(g.Ref(v), g.Mul(g.Ref(s), g.Ref(s))))
		env := Values{}
		randValues(r, env, -2, 2, v, s, k)
		return g.Sum(g.Map(g.Mul(g.Ref(t), g.Ref(k)))), []*Tensor{v, s, k}, env
	}},
	{"mapshape-broadcast", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		s, u := g.Leaf(RoleParam, "s"), g.Leaf(RoleTarget, "u", 3)
		b := g.MapShape([]int{3}, g.Tanh(g.Ref(s)))
		env := Values{}
		randValues(r, env, -2, 2, s, u)
		return dot(g, b, u), []*Tensor{s}, env
	}},
	{"matvec", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		w, v, u := g.Leaf(RoleParam, "W", 3, 4), g.Leaf(RoleInput, "v", 4), g.Leaf(RoleTarget, "u", 3)
		env := Values{}
		randValues(r, env, -1, 1, w, v, u)
		return dot(g, g.MatVec(w, v), u), []*Tensor{w, v}, env
	}},
	{"outer", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		a, b := g.Leaf(RoleParam, "a", 3), g.Leaf(RoleParam, "b", 2)
		o := g.Contract([]int{0, 1}, []int{3, 2}, []*Tensor{a, b}, [][]int{{0}, {1}})
		m := g.Map(g.Tanh(g.Ref(o)))
		loss := g.Contract(nil, []int{3, 2}, []*Tensor{m}, [][]int{{0, 1}})
		env := Values{}
		randValues(r, env, -1.5, 1.5, a, b)
		return loss, []*Tensor{a, b}, env
	}},
	{"dot", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		a, b := g.Leaf(RoleParam, "a", 4), g.Leaf(RoleParam, "b", 4)
		d := g.Contract(nil, []int{4}, []*Tensor{a, b}, [][]int{{0}, {0}})
		env := Values{}
		randValues(r, env, -1, 1, a, b)
		return g.Map(g.Pow(g.Ref(d), 2)), []*Tensor{a, b}, env
	}},
	{"sum", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		a := g.Leaf(RoleParam, "a", 5)
		env := Values{}
		randValues(r, env, -1, 1, a)
		return g.Sum(g.Map(g.Pow(g.Ref(a), 3))), []*Tensor{a}, env
	}},
	{"contract-broadcast", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		// out[j] = sum_i W[j][i] v[i] s, with a scalar s in every product
		w, v, s, u := g.Leaf(RoleParam, "W", 2, 3), g.Leaf(RoleParam, "v", 3), g.Leaf(RoleParam, "s"), g.Leaf(RoleTarget, "u", 2)
		c := g.Contract([]int{0}, []int{2, 3}, []*Tensor{w, v, s}, [][]int{{0, 1}, {1}, {}})
		env := Values{}
		randValues(r, env, -1, 1, w, v, s, u)
		return dot(g, g.Map(g.Sigmoid(g.Ref(c))), u), []*Tensor{w, v, s}, env
	}},
	{"contract-scalar-sum", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		a, s := g.Leaf(RoleParam, "a", 4), g.Leaf(RoleParam, "s")
		c := g.Contract(nil, []int{4}, []*Tensor{a, s}, [][]int{{0}, {}})
		env := Values{}
		randValues(r, env, -1, 1, a, s)
		return g.Map(g.Tanh(g.Ref(c))), []*Tensor{a, s}, env
	}},
	{"groupmax", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		v, u := g.Leaf(RoleParam, "v", 6), g.Leaf(RoleTarget, "u", 3)
		env := Values{}
		randValues(r, env, -2, 2, v, u)
		return dot(g, g.GroupMax(v, 2, false), u), []*Tensor{v}, env
	}},
	{"groupmax-scalar", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		v := g.Leaf(RoleParam, "v", 5)
		env := Values{}
		randValues(r, env, -2, 2, v)
		m := g.GroupMax(g.Map(g.Tanh(g.Ref(v))), 5, true)
		return g.Map(g.Exp(g.Ref(m))), []*Tensor{v}, env
	}},
	{"relu", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		v, u := g.Leaf(RoleParam, "v", 6), g.Leaf(RoleTarget, "u", 6)
		env := Values{}
		randValues(r, env, -2, 2, v, u)
		return dot(g, g.Map(g.Relu(g.Ref(v))), u), []*Tensor{v}, env
	}},
	{"affine+l2", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		w, x, b, d := g.Leaf(RoleParam, "W", 3, 4), g.Leaf(RoleInput, "x", 4), g.Leaf(RoleParam, "b", 3), g.Leaf(RoleTarget, "d", 3)
		env := Values{}
		randValues(r, env, -1, 1, w, x, b, d)
		return g.L2(g.Affine(w, x, b), d), []*Tensor{w, x, b}, env
	}},
	{"softmax", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		z, u := g.Leaf(RoleParam, "z", 5), g.Leaf(RoleTarget, "u", 5)
		env := Values{}
		randValues(r, env, -3, 3, z, u)
		return dot(g, g.Softmax(z), u), []*Tensor{z}, env
	}},
	{"logsoftmax", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		z, u := g.Leaf(RoleParam, "z", 5), g.Leaf(RoleTarget, "u", 5)
		env := Values{}
		randValues(r, env, -3, 3, z, u)
		return dot(g, g.LogSoftmax(z), u), []*Tensor{z}, env
	}},
	{"softmax+crossentropy", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		z, d := g.Leaf(RoleParam, "z", 5), g.Leaf(RoleTarget, "d", 5)
		env := Values{d: distribution(r, 5)}
		randValues(r, env, -3, 3, z)
		return g.CrossEntropy(g.Softmax(z), d), []*Tensor{z}, env
	}},
	{"crossentropy", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		y, d := g.Leaf(RoleParam, "y", 4), g.Leaf(RoleTarget, "d", 4)
		env := Values{d: distribution(r, 4)}
		randValues(r, env, 0.1, 1, y)
		return g.CrossEntropy(y, d), []*Tensor{y, d}, env
	}},
	{"softmax+kl", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		z, d := g.Leaf(RoleParam, "z", 5), g.Leaf(RoleTarget, "d", 5)
		env := Values{d: distribution(r, 5)}
		randValues(r, env, -3, 3, z)
		return g.KL(g.Softmax(z), d), []*Tensor{z, d}, env
	}},
	{"l2", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		y, d := g.Leaf(RoleParam, "y", 4), g.Leaf(RoleTarget, "d", 4)
		env := Values{}
		randValues(r, env, -2, 2, y, d)
		return g.L2(y, d), []*Tensor{y, d}, env
	}},
	{"sigmoid+bce", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		z, d := g.Leaf(RoleParam, "z", 3), g.Leaf(RoleTarget, "d", 3)
		env := Values{}
		randValues(r, env, -3, 3, z)
		randValues(r, env, 0, 1, d)
		return g.BCE(g.Map(g.Sigmoid(g.Ref(z))), d), []*Tensor{z, d}, env
	}},
	{"bce", func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
		y, d := g.Leaf(RoleParam, "y", 3), g.Leaf(RoleTarget, "d", 3)
		env := Values{}
		randValues(r, env, 0.1, 0.9, y)
		randValues(r, env, 0, 1, d)
		return g.BCE(y, d), []*Tensor{y, d}, env
	}},
}

// drawAdmissible builds c with fresh values until every kink of the graph
// is kinkMargin away.
func drawAdmissible(t *testing.T, g *Graph, r *rand.Rand, build func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values)) (*Tensor, []*Tensor, Values) {
	t.Helper()
	for range 100 {
		loss, wrt, env := build(g, r)
		if tensorKinkMargin(t, env, loss) >= kinkMargin {
			return loss, wrt, env
		}
	}
	t.Fatal("no admissible point in 100 draws")
	return nil, nil, nil
}

// TestDeriveTensorOps checks the gradient of every op kind and every
// composite of nn.go against central differences of the loss, before and
// after Reuse, at several random points.
func TestDeriveTensorOps(t *testing.T) {
	for ci, c := range tensorCases {
		t.Run(c.name, func(t *testing.T) {
			r := newRand(uint64(1000 + ci))
			for range 5 {
				g := NewGraph()
				loss, wrt, env := drawAdmissible(t, g, r, c.build)
				tensorCheck{g: g, loss: loss, wrt: wrt, env: env, reuse: true}.run(t)
			}
		})
	}
}

// TestDotProduct runs the dot-product test on vector-valued ops: for random
// u and a random direction p, <u, J p> by central differences along p
// equals <J^T u, p> from the backward pass.
func TestDotProduct(t *testing.T) {
	type vcase struct {
		name string
		f    func(g *Graph, x *Tensor) *Tensor
	}
	for ci, c := range []vcase{
		{"softmax", func(g *Graph, x *Tensor) *Tensor { return g.Softmax(x) }},
		{"logsoftmax", func(g *Graph, x *Tensor) *Tensor { return g.LogSoftmax(x) }},
		{"tanh-layer", func(g *Graph, x *Tensor) *Tensor {
			w := g.Leaf(RoleParam, "W", 6, 6)
			return g.Map(g.Tanh(g.Ref(g.MatVec(w, x))))
		}},
		{"normalize", func(g *Graph, x *Tensor) *Tensor {
			n := g.Sum(g.Map(g.Pow(g.Ref(x), 2)))
			return g.Map(g.Div(g.Ref(x), g.Sqrt(g.Add(g.Ref(n), g.Const(1)))))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRand(uint64(2000 + ci))
			g := NewGraph()
			x, u := g.Leaf(RoleInput, "x", 6), g.Leaf(RoleTarget, "u", 6)
			y := c.f(g, x)
			loss := dot(g, y, u)
			dx := g.Derive(loss, x)[0]
			for range 5 {
				env := Values{}
				randValues(r, env, -2, 2, u, x)
				for _, l := range Live(loss) {
					if l.Kind == KindLeaf && env[l] == nil {
						randValues(r, env, -1, 1, l)
					}
				}
				p := make([]float64, 6)
				for i := range p {
					p[i] = r.NormFloat64()
				}
				vals := mustEvaluate(t, env, dx)
				back := 0.0
				for i := range p {
					back += vals[dx][i] * p[i]
				}
				x0 := append([]float64(nil), env[x]...)
				fwd := centralDiff(func(s float64) float64 {
					for i := range p {
						env[x][i] = x0[i] + s*p[i]
					}
					return mustEvaluate(t, env, loss)[loss][0]
				}, 0)
				copy(env[x], x0)
				if !equalWithinAbsOrRel(back, fwd, derivTol, derivTol) {
					t.Errorf("<J^T u, p> = %.17g, <u, J p> = %.17g", back, fwd)
				}
			}
		})
	}
}

// TestGroupMaxTies checks the subgradient policy of group max: at a tie the
// whole gradient of the group goes to its first maximum.
func TestGroupMaxTies(t *testing.T) {
	g := NewGraph()
	v, u := g.Leaf(RoleParam, "v", 6), g.Leaf(RoleTarget, "u", 3)
	loss := dot(g, g.GroupMax(v, 2, false), u)
	dv := g.Derive(loss, v)[0]
	env := Values{v: {3, 3, 1, 2, 5, 5}, u: {10, 20, 30}}
	for _, root := range []*Tensor{dv, g.Reuse(dv)[0]} {
		got := mustEvaluate(t, env, root)[root]
		want := []float64{10, 0, 0, 20, 30, 0}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("dv = %v, want %v", got, want)
		}
	}
	// Scalar max of a vector with three equal maxima.
	w := g.Leaf(RoleParam, "w", 4)
	dw := g.Derive(g.GroupMax(w, 4, true), w)[0]
	got := mustEvaluate(t, Values{w: {-1, 7, 7, 7}}, dw)[dw]
	if want := []float64{0, 1, 0, 0}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("dmax(w) = %v, want %v", got, want)
	}
	// relu'(0) = 0 at the tensor level too.
	z := g.Leaf(RoleParam, "z", 3)
	dz := g.Derive(g.Sum(g.Map(g.Relu(g.Ref(z)))), z)[0]
	got = mustEvaluate(t, Values{z: {-1, 0, 1}}, dz)[dz]
	if want := []float64{0, 0, 1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("drelu at (-1, 0, 1) = %v, want %v", got, want)
	}
}

// TestStopGradient checks that no gradient flows through StopGradient: the
// gradient of sum(a * stop(a)) is stop(a) = a, not 2a.
func TestStopGradient(t *testing.T) {
	g := NewGraph()
	a := g.Leaf(RoleParam, "a", 3)
	loss := g.Sum(g.Map(g.Mul(g.Ref(a), g.Ref(g.StopGradient(a)))))
	da := g.Derive(loss, a)[0]
	env := Values{a: {1, -2, 3}}
	if got := mustEvaluate(t, env, da)[da]; fmt.Sprint(got) != fmt.Sprint(env[a]) {
		t.Errorf("da = %v, want %v", got, env[a])
	}
	only := g.Sum(g.StopGradient(a))
	if d := g.Derive(only, a)[0]; !d.IsZero() {
		t.Errorf("gradient through a stop only is %v, want the zero tensor", d)
	}
}

// ---- random networks ----

// netBuilder builds random networks: dense layers with relu, tanh or
// sigmoid, gates a*b, skip connections and shared weights.
type netBuilder struct {
	g      *Graph
	r      *rand.Rand
	params []*Tensor
	n      int
}

func (nb *netBuilder) param(shape ...int) *Tensor {
	nb.n++
	p := nb.g.Leaf(RoleParam, fmt.Sprintf("p%d", nb.n), shape...)
	nb.params = append(nb.params, p)
	return p
}

func (nb *netBuilder) act(z *Tensor) *Tensor {
	g := nb.g
	switch nb.r.IntN(3) {
	case 0:
		return g.Map(g.Relu(g.Ref(z)))
	case 1:
		return g.Map(g.Tanh(g.Ref(z)))
	default:
		return g.Map(g.Sigmoid(g.Ref(z)))
	}
}

// layer maps h of width in to a new vector of width out.
func (nb *netBuilder) layer(h *Tensor, in, out int) *Tensor {
	g := nb.g
	w := nb.param(out, in)
	y := nb.act(g.Affine(w, h, nb.param(out)))
	switch nb.r.IntN(4) {
	case 0: // gate: y * sigmoid(V h)
		gate := g.Map(g.Sigmoid(g.Ref(g.MatVec(nb.param(out, in), h))))
		y = g.Map(g.Mul(g.Ref(y), g.Ref(gate)))
	case 1: // weight sharing: W used in two MatVecs
		if in == out {
			y = g.Map(g.Add(g.Ref(y), g.Tanh(g.Ref(g.MatVec(w, y)))))
		}
	case 2: // skip connection
		if in == out {
			y = g.Map(g.Add(g.Ref(y), g.Ref(h)))
		}
	}
	return y
}

// TestDeriveRandomNetworks checks the gradients of random multi-layer
// networks with respect to every parameter and the input, before and
// after Reuse.
func TestDeriveRandomNetworks(t *testing.T) {
	r := newRand(7)
	for i := range 30 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			build := func(g *Graph, r *rand.Rand) (*Tensor, []*Tensor, Values) {
				nb := &netBuilder{g: g, r: newRand(uint64(i))} // same structure on every draw
				in := 2 + nb.r.IntN(3)
				x := g.Leaf(RoleInput, "x", in)
				h, width := x, in
				for range 1 + nb.r.IntN(3) {
					out := width
					if nb.r.IntN(2) == 0 {
						out = 2 + nb.r.IntN(3)
					}
					h, width = nb.layer(h, width, out), out
				}
				nout := 2 + nb.r.IntN(3)
				z := g.Affine(nb.param(nout, width), h, nb.param(nout))
				d := g.Leaf(RoleTarget, "d", nout)
				env := Values{}
				var loss *Tensor
				switch nb.r.IntN(3) {
				case 0:
					loss = g.CrossEntropy(g.Softmax(z), d)
					env[d] = distribution(r, nout)
				case 1:
					loss = g.L2(z, d)
					randValues(r, env, -1, 1, d)
				default:
					loss = g.BCE(g.Map(g.Sigmoid(g.Ref(z))), d)
					randValues(r, env, 0, 1, d)
				}
				randValues(r, env, -1, 1, x)
				randValues(r, env, -1, 1, nb.params...)
				return loss, append(nb.params, x), env
			}
			g := NewGraph()
			loss, wrt, env := drawAdmissible(t, g, r, build)
			tensorCheck{g: g, loss: loss, wrt: wrt, env: env, reuse: true}.run(t)
		})
	}
}
