package funcs

//go:generate go run ../../cmd/bpgen funcs.bp
