package gate

//go:generate go run ../../cmd/bpgen gate.bp
