package mlp32

//go:generate go run ../../../cmd/bpgen -o . ../../specs/mlp32.bp
