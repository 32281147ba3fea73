package skip

//go:generate go run ../../cmd/bpgen skip.bp
