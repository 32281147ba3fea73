// Package generated holds the packages bpgen generates from the example
// specs, checked in so that the examples build with plain go build. Each
// subdirectory has its spec (NAME.bp) and a go:generate line; run
// go generate ./generated/... after changing a spec or bpgen, and
// TestGenerated in this package fails when a checked-in file is stale.
package generated
