package tiny

//go:generate go run ../../../cmd/bpgen -o . ../../specs/tiny.bp
