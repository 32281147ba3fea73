package symbolic

import (
	"math"
	"slices"
	"testing"
)

// TestConstantVectors builds tensors whose bodies fold to constants (0*v,
// v - v, a softmax, max or pool of such a vector, a product with a zero
// vector) and checks that each keeps its shape, that derivation and reuse
// accept it, and that it evaluates to the constant it should. Before the
// fix, 0*v was a scalar and a softmax of it panicked ("GroupMax of [] by
// 1", issue 17 item 5).
func TestConstantVectors(t *testing.T) {
	cases := []struct {
		name  string
		build func(g *Graph, v *Tensor) *Tensor
		shape []int
		want  float64
	}{
		{"0*v", func(g *Graph, v *Tensor) *Tensor {
			return g.Apply(func(a ...*Expr) *Expr { return g.Mul(g.Const(0), a[0]) }, v)
		}, []int{4}, 0},
		{"v-v", func(g *Graph, v *Tensor) *Tensor {
			return g.Apply(func(a ...*Expr) *Expr { return g.Sub(a[0], a[0]) }, v)
		}, []int{4}, 0},
		{"softmax(v-v)", func(g *Graph, v *Tensor) *Tensor {
			return g.Softmax(g.Apply(func(a ...*Expr) *Expr { return g.Sub(a[0], a[0]) }, v))
		}, []int{4}, 0.25},
		{"logsoftmax(2+0*v)", func(g *Graph, v *Tensor) *Tensor {
			return g.LogSoftmax(g.Apply(func(a ...*Expr) *Expr { return g.Add(g.Const(2), g.Mul(g.Const(0), a[0])) }, v))
		}, []int{4}, -math.Log(4)},
		{"maxof(3+0*v)", func(g *Graph, v *Tensor) *Tensor {
			return g.GroupMax(g.Apply(func(a ...*Expr) *Expr { return g.Add(g.Const(3), g.Mul(g.Const(0), a[0])) }, v), 4, true)
		}, nil, 3},
		{"maxpool(v-v, 2)", func(g *Graph, v *Tensor) *Tensor {
			return g.GroupMax(g.Apply(func(a ...*Expr) *Expr { return g.Sub(a[0], a[0]) }, v), 2, false)
		}, []int{2}, 0},
		{"W*(0*v)", func(g *Graph, v *Tensor) *Tensor {
			w := g.Leaf(RoleParam, "W", 3, 4)
			return g.MatVec(w, g.Apply(func(a ...*Expr) *Expr { return g.Mul(g.Const(0), a[0]) }, v))
		}, []int{3}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewGraph()
			v := g.Leaf(RoleParam, "v", 4)
			out := c.build(g, v)
			if !slices.Equal(out.Shape, c.shape) {
				t.Fatalf("shape %v, want %v: %v", out.Shape, c.shape, out)
			}
			if !out.IsConst() && out.Kind != KindMap {
				t.Errorf("%v is not folded to a constant", out)
			}
			loss := g.Sum(g.Map(g.Mul(g.Ref(out), g.Ref(out))))
			roots := g.Reuse(append([]*Tensor{out, loss}, g.Derive(loss, v)...)...)
			vals := mustEvaluate(t, Values{v: {1, -2, 3, 0.5}}, roots...)
			for i, x := range vals[roots[0]] {
				if math.Abs(x-c.want) > 1e-12 {
					t.Errorf("element %d = %v, want %v", i, x, c.want)
				}
			}
			if !roots[2].IsZero() {
				t.Errorf("gradient of a constant is %v, want 0", roots[2])
			}
		})
	}
}
