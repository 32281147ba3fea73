package digit2

//go:generate go run ../../cmd/bpgen digit2.bp
