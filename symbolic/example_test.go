package symbolic_test

import (
	"fmt"

	"github.com/bpgen/bpgen/symbolic"
)

// The derivative of a user-defined activation, swish(z) = z*sigmoid(z),
// comes from the rules of its primitives and reuses sigmoid(z).
func ExampleGraph_Diff() {
	g := symbolic.NewGraph()
	z := g.Var("z")
	swish := g.Mul(z, g.Sigmoid(z))
	fmt.Println(swish)
	fmt.Println(g.Diff(swish, z))
	// Output:
	// z*sigmoid(z)
	// sigmoid(z) + z*sigmoid(z)*(1 - sigmoid(z))
}

// One sigmoid unit with the binary KL divergence: the derivation finds
// db = y - d, and the weight and input gradients are contractions with it.
func ExampleGraph_Derive() {
	g := symbolic.NewGraph()
	w := g.Leaf(symbolic.RoleParam, "W", 1, 3)
	x := g.Leaf(symbolic.RoleInput, "x", 3)
	b := g.Leaf(symbolic.RoleParam, "b", 1)
	d := g.Leaf(symbolic.RoleTarget, "d", 1)
	y := g.Map(g.Sigmoid(g.Ref(g.Affine(w, x, b))))
	loss := g.BCE(y, d)
	g.SetName(y, "y")
	g.SetName(loss, "loss")

	grads := g.Derive(loss, w, b)
	roots := g.Reuse(append([]*symbolic.Tensor{y, loss}, grads...)...)
	for _, t := range symbolic.Live(roots...) {
		fmt.Println(t)
	}
	// Output:
	// W[1 3] = param
	// x[3] = input
	// b[1] = param
	// d[1] = target
	// t4[1] = sum W[ij] * x[j] -> [i]
	// y[1] = sigmoid(t4[i] + b[i])
	// t7[1] = d[i]*softplus(-t4[i] - b[i]) + (1 - d[i])*softplus(t4[i] + b[i])
	// loss[] = sum t7[i] -> []
	// db[1] = y[i] - d[i]
	// dW[1 3] = sum db[i] * x[j] -> [ij]
}

// Evaluate interprets a graph in float64; it is the reference that
// generated code is tested against.
func ExampleEvaluate() {
	g := symbolic.NewGraph()
	z := g.Leaf(symbolic.RoleInput, "z", 3)
	y := g.Softmax(z)
	vals, err := symbolic.Evaluate(symbolic.Values{z: {1000, 1000, -1000}}, y)
	if err != nil {
		panic(err)
	}
	fmt.Println(vals[y])
	// Output:
	// [0.5 0.5 0]
}
