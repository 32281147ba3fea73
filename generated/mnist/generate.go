package mnist

//go:generate go run ../../cmd/bpgen mnist.bp
