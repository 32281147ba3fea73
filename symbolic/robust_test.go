package symbolic

import (
	"fmt"
	"math"
	"testing"
)

// TestExtremeLogits feeds logits of +-1000 through the stable composites,
// after Derive and Reuse: every loss and gradient must be finite, and
// correct where the exact value is known.
func TestExtremeLogits(t *testing.T) {
	logits := []float64{1000, -1000, 0, 999}
	cases := []struct {
		name  string
		build func(g *Graph, z, d *Tensor) *Tensor
		d     []float64
	}{
		{"softmax+crossentropy", func(g *Graph, z, d *Tensor) *Tensor { return g.CrossEntropy(g.Softmax(z), d) },
			[]float64{0, 1, 0, 0}},
		{"logsoftmax", func(g *Graph, z, d *Tensor) *Tensor {
			return g.Map(g.Neg(g.Ref(g.Sum(g.Map(g.Mul(g.Ref(d), g.Ref(g.LogSoftmax(z))))))))
		}, []float64{0.25, 0.25, 0.25, 0.25}},
		{"softmax+kl", func(g *Graph, z, d *Tensor) *Tensor { return g.KL(g.Softmax(z), d) },
			[]float64{0, 0.5, 0, 0.5}},
		{"sigmoid+bce", func(g *Graph, z, d *Tensor) *Tensor { return g.BCE(g.Map(g.Sigmoid(g.Ref(z))), d) },
			[]float64{0, 1, 0, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewGraph()
			z, d := g.Leaf(RoleParam, "z", 4), g.Leaf(RoleTarget, "d", 4)
			loss := c.build(g, z, d)
			roots := g.Reuse(append([]*Tensor{loss}, g.Derive(loss, z)...)...)
			vals := mustEvaluate(t, Values{z: logits, d: c.d}, roots...)
			for _, r := range roots {
				for i, v := range vals[r] {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Errorf("%s[%d] = %v\n%s", r.label(), i, v, liveText(roots...))
					}
				}
			}
			t.Logf("loss %v, dz %v", vals[roots[0]], vals[roots[1]])
		})
	}
	// Known values: cross-entropy of the class with logit -1000 against a
	// maximum of 1000 is 2000 (to within exp(-1) of the runner-up at 999).
	g := NewGraph()
	z, d := g.Leaf(RoleParam, "z", 4), g.Leaf(RoleTarget, "d", 4)
	loss := g.CrossEntropy(g.Softmax(z), d)
	roots := g.Reuse(append([]*Tensor{loss}, g.Derive(loss, z)...)...)
	vals := mustEvaluate(t, Values{z: logits, d: {0, 1, 0, 0}}, roots...)
	want := 2000 + math.Log1p(math.Exp(-1)+math.Exp(-1000))
	if got := vals[roots[0]][0]; !equalWithinAbsOrRel(got, want, 0, 1e-12) {
		t.Errorf("cross-entropy = %.17g, want %.17g", got, want)
	}
	// dz = softmax(z) - d
	s := 1 + math.Exp(-1)
	wantGrad := []float64{1 / s, -1, 0, math.Exp(-1) / s}
	for i, w := range wantGrad {
		if got := vals[roots[1]][i]; !equalWithinAbsOrRel(got, w, 1e-300, 1e-12) {
			t.Errorf("dz[%d] = %.17g, want %.17g", i, got, w)
		}
	}
}

// TestSoftmaxCrossEntropyLinear checks that the derivation of softmax
// followed by cross-entropy is O(n): no n-by-n tensor (the Jacobian of
// softmax) and no contraction over two indices of range n appear in the
// graph after Derive and Reuse.
func TestSoftmaxCrossEntropyLinear(t *testing.T) {
	const n = 10
	g := NewGraph()
	z, d := g.Leaf(RoleParam, "z", n), g.Leaf(RoleTarget, "d", n)
	y := g.Softmax(z)
	loss := g.CrossEntropy(y, d)
	roots := g.Reuse(append([]*Tensor{y, loss}, g.Derive(loss, z)...)...)
	for _, x := range Live(roots...) {
		if len(x.Shape) > 1 {
			t.Errorf("tensor of shape %v: %v", x.Shape, x)
		}
		if x.Kind == KindContract {
			big := 0
			for _, dim := range x.Dims {
				if dim == n {
					big++
				}
			}
			if big > 1 {
				t.Errorf("contraction over %v: %v", x.Dims, x)
			}
		}
	}
	if t.Failed() {
		t.Log(liveText(roots...))
	}
}

// buildMLP builds the graph of an MLP with relu hidden layers and a softmax
// output with cross-entropy loss, derives the gradients with respect to
// every parameter and the input, and applies Reuse.
func buildMLP(widths []int) (*Graph, []*Tensor) {
	g := NewGraph()
	x := g.Leaf(RoleInput, "x", widths[0])
	h := x
	var params []*Tensor
	for k := 1; k < len(widths); k++ {
		w := g.Leaf(RoleParam, fmt.Sprintf("W%d", k), widths[k], widths[k-1])
		b := g.Leaf(RoleParam, fmt.Sprintf("b%d", k), widths[k])
		params = append(params, w, b)
		z := g.Affine(w, h, b)
		g.SetName(z, fmt.Sprintf("z%d", k))
		if k < len(widths)-1 {
			h = g.Map(g.Relu(g.Ref(z)))
			g.SetName(h, fmt.Sprintf("h%d", k))
		} else {
			h = g.Softmax(z)
			g.SetName(h, "y")
		}
	}
	d := g.Leaf(RoleTarget, "d", widths[len(widths)-1])
	loss := g.CrossEntropy(h, d)
	g.SetName(loss, "loss")
	grads := g.Derive(loss, append(params, x)...)
	return g, g.Reuse(append([]*Tensor{h, loss}, grads...)...)
}

// TestMLPSizeIndependentOfWidth checks that the graph of an MLP has the
// same number of nodes whatever the widths of its layers: sizes are
// shapes, never node counts.
func TestMLPSizeIndependentOfWidth(t *testing.T) {
	g1, r1 := buildMLP([]int{784, 256, 128, 10})
	g2, r2 := buildMLP([]int{7840, 2560, 1280, 10})
	if a, b := len(g1.Tensors()), len(g2.Tensors()); a != b {
		t.Errorf("tensors: %d at 784-256-128-10, %d at 7840-2560-1280-10", a, b)
	}
	if a, b := g1.NumExprs(), g2.NumExprs(); a != b {
		t.Errorf("exprs: %d at 784-256-128-10, %d at 7840-2560-1280-10", a, b)
	}
	if a, b := len(Live(r1...)), len(Live(r2...)); a != b {
		t.Errorf("live tensors: %d and %d", a, b)
	}
	t.Logf("%d tensors (%d live after Reuse), %d exprs", len(g1.Tensors()), len(Live(r1...)), g1.NumExprs())
}

func BenchmarkBuildMLP(b *testing.B) {
	for _, widths := range [][]int{{784, 256, 128, 10}} {
		b.Run(fmt.Sprintf("%d-%d-%d-%d", widths[0], widths[1], widths[2], widths[3]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buildMLP(widths)
			}
		})
	}
}
