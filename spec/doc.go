// Package spec parses and checks bpgen spec files (.bp), the first stage of
// the bpgen pipeline:
//
//	spec file --spec.Parse--> *spec.File --lowering--> symbolic graph --> codegen
//
// A spec declares a network one declaration a line; right-hand sides are Go
// expressions read with go/parser. The language is documented in
// docs/spec.md. For example:
//
//	package xor
//	input  x[2]
//	target d[1]
//	h = sigmoid(dense(x, 8))
//	y = sigmoid(dense(h, 1))
//	loss bce(y, d)
//
// [Parse] returns a [File] only when the spec has no problems; otherwise it
// returns an [ErrorList] of every problem, sorted by position, each as
// "file:line:col: message". Parse checks everything lowering depends on,
// so lowering never meets an error:
//
//   - every name and function is known, and names are unique, are not
//     builtins or keywords, and have distinct exported Go forms;
//   - every call has the right number of arguments, and constant
//     arguments (the size of dense, the group size of maxpool, the slope
//     of leakyrelu, the exponent of pow) are constants;
//   - every shape agrees: elementwise operands have equal sizes, W*v has
//     the inner size of W, sum(i, ...) and index-form functions index
//     vectors of one size, every user function call is instantiated with
//     its argument shapes;
//   - definitions form no cycle and functions do not recurse;
//   - the output is a vector definition and the loss a scalar that depends
//     on it.
//
// The checked File keeps the go/ast expressions of the spec and an [Info]
// that records what they mean: the shape of every expression, the value of
// constant ones, what every identifier refers to, the parameters of every
// dense call, and a mapping from go/ast positions to spec positions.
// File.String prints it in a stable text form, the definitions in
// topological order with their shapes:
//
//	package xor
//	precision float32
//	input x[2]
//	target d[1]
//	param h.weight[8][2] // dense
//	param h.bias[8] // dense
//	param y.weight[1][8] // dense
//	param y.bias[1] // dense
//	h[8] = sigmoid(dense(x, 8))
//	y[1] = sigmoid(dense(h, 1))
//	output y
//	loss bce(y, d)
package spec
