// Package simd holds the vector kernels that bpgen copies into every
// generated package: dot products and axpy updates in float32 and float64,
// in AVX2 and FMA assembly on amd64 (chosen at run time by CPU feature) and
// in portable Go elsewhere or with the purego build tag. It is a package of
// its own only so that the kernels are tested here once.
package simd
