package mlp64

//go:generate go run ../../../cmd/bpgen -o . ../../specs/mlp64.bp
