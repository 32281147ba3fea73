package symbolic

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// liveText prints every tensor the roots depend on, one definition per
// line, in topological order.
func liveText(roots ...*Tensor) string {
	var b strings.Builder
	for _, t := range Live(roots...) {
		b.WriteString(t.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// derivation builds a small network with named tensors, derives the
// gradient of its loss with respect to wrt, applies Reuse, and returns
// the rewritten roots: the output, the loss, then the gradients.
func derivation(g *Graph, out, loss *Tensor, wrt ...*Tensor) []*Tensor {
	g.SetName(out, "y")
	g.SetName(loss, "loss")
	grads := g.Derive(loss, wrt...)
	return g.Reuse(append([]*Tensor{out, loss}, grads...)...)
}

// goldenNets are the small networks whose derivations are kept in
// testdata/<name>.golden.
var goldenNets = []struct {
	name  string
	build func(g *Graph) []*Tensor
}{
	{"sigmoid_bce", func(g *Graph) []*Tensor {
		// one sigmoid output and binary KL: db = y - d
		w, x, b, d := g.Leaf(RoleParam, "W", 1, 3), g.Leaf(RoleInput, "x", 3), g.Leaf(RoleParam, "b", 1), g.Leaf(RoleTarget, "d", 1)
		z := g.Affine(w, x, b)
		g.SetName(z, "z")
		y := g.Map(g.Sigmoid(g.Ref(z)))
		return derivation(g, y, g.BCE(y, d), w, b, x)
	}},
	{"tanh_l2", func(g *Graph) []*Tensor {
		// a tanh layer: dz = (1 - y^2) dy with y the stored output
		w, x, b, d := g.Leaf(RoleParam, "W", 2, 3), g.Leaf(RoleInput, "x", 3), g.Leaf(RoleParam, "b", 2), g.Leaf(RoleTarget, "d", 2)
		z := g.Affine(w, x, b)
		g.SetName(z, "z")
		y := g.Map(g.Tanh(g.Ref(z)))
		return derivation(g, y, g.L2(y, d), w, b, x)
	}},
	{"softmax_crossentropy", func(g *Graph) []*Tensor {
		w, x, b, d := g.Leaf(RoleParam, "W", 4, 3), g.Leaf(RoleInput, "x", 3), g.Leaf(RoleParam, "b", 4), g.Leaf(RoleTarget, "d", 4)
		z := g.Affine(w, x, b)
		g.SetName(z, "z")
		y := g.Softmax(z)
		return derivation(g, y, g.CrossEntropy(y, d), w, b, x)
	}},
	{"softmax_crossentropy_distribution", func(g *Graph) []*Tensor {
		// the target declared a distribution: sum(d) = 1, so db = y - d
		w, x, b, d := g.Leaf(RoleParam, "W", 4, 3), g.Leaf(RoleInput, "x", 3), g.Leaf(RoleParam, "b", 4), g.DistributionLeaf("d", 4)
		z := g.Affine(w, x, b)
		g.SetName(z, "z")
		y := g.Softmax(z)
		return derivation(g, y, g.CrossEntropy(y, d), w, b, x)
	}},
	{"logsoftmax_nll_distribution", func(g *Graph) []*Tensor {
		// log-probabilities and the negative log-likelihood -sum(d*y):
		// with sum(d) = 1, db = e/s - d
		w, x, b, d := g.Leaf(RoleParam, "W", 4, 3), g.Leaf(RoleInput, "x", 3), g.Leaf(RoleParam, "b", 4), g.DistributionLeaf("d", 4)
		z := g.Affine(w, x, b)
		g.SetName(z, "z")
		y := g.LogSoftmax(z)
		return derivation(g, y, g.Sum(g.Map(g.Neg(g.Mul(g.Ref(d), g.Ref(y))))), w, b, x)
	}},
	{"linear_l2", func(g *Graph) []*Tensor {
		w, x, b, d := g.Leaf(RoleParam, "W", 2, 3), g.Leaf(RoleInput, "x", 3), g.Leaf(RoleParam, "b", 2), g.Leaf(RoleTarget, "d", 2)
		y := g.Affine(w, x, b)
		return derivation(g, y, g.L2(y, d), w, b, x)
	}},
}

// checkGolden compares got with testdata/name.golden, or rewrites the file
// under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// TestGoldenDerivations prints the live tensors of each small network
// after Derive and Reuse and compares them with the golden files.
func TestGoldenDerivations(t *testing.T) {
	for _, n := range goldenNets {
		t.Run(n.name, func(t *testing.T) {
			got := liveText(n.build(NewGraph())...)
			checkGolden(t, n.name, got)
			if again := liveText(n.build(NewGraph())...); again != got {
				t.Errorf("a second build prints differently:\n%s", cmp.Diff(got, again))
			}
		})
	}
}

// TestGoldenScalar keeps the derivatives of the scalar activations.
func TestGoldenScalar(t *testing.T) {
	g := NewGraph()
	x := g.Var("x")
	var b strings.Builder
	for _, e := range []*Expr{
		g.Sigmoid(x), g.Tanh(x), g.Softplus(x), g.Exp(x), g.Log(x), g.Sqrt(x),
		g.Relu(x), g.Abs(x), g.Mul(x, g.Sigmoid(x)), g.Log(g.Sigmoid(x)),
	} {
		b.WriteString("d/dx " + e.String() + " = " + g.Diff(e, x).String() + "\n")
	}
	checkGolden(t, "scalar", b.String())
}
