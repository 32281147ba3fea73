package xor

//go:generate go run ../../cmd/bpgen xor.bp
