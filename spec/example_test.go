package spec_test

import (
	"fmt"

	"github.com/bpgen/bpgen/spec"
)

func ExampleParse() {
	src := []byte(`package xor
input  x[2]
target d[1]
h = sigmoid(dense(x, 8))
y = sigmoid(dense(h, 1))
loss bce(y, d)
`)
	f, err := spec.Parse("xor.bp", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(f)
	// Output:
	// package xor
	// precision float32
	// input x[2]
	// target d[1]
	// param h.weight[8][2] // dense
	// param h.bias[8] // dense
	// param y.weight[1][8] // dense
	// param y.bias[1] // dense
	// h[8] = sigmoid(dense(x, 8))
	// y[1] = sigmoid(dense(h, 1))
	// output y
	// loss bce(y, d)
}

func ExampleParse_errors() {
	src := []byte(`package gate
input  x[8]
target d[2]
g = sigmoid(dense(x, 16))
c = tanh(dense(x, 8))
h = g * c
y = softmax(dense(h, 2))
loss crossentropy(y, out)
`)
	_, err := spec.Parse("gate.bp", src)
	fmt.Println(err)
	// Output:
	// gate.bp:6:7: shape mismatch: [16] * [8]: operands of elementwise * must have the same size
	// gate.bp:8:22: unknown name "out"
}
