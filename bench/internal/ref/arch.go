// Package ref holds the reference implementations that bpgen's generated
// code is benchmarked against: a naive one (nested loops over [][]F slices,
// as a person writes them by hand) and one on gonum's BLAS (blas32 and
// blas64: Gemv and Ger for one sample, Gemm for a batch).
//
// Both compute the same mathematics as a bpgen spec of a fully connected
// network: z = W·a + b per layer, a hidden activation (ReLU or sigmoid),
// and softmax with cross-entropy or sigmoid with binary cross-entropy at
// the output; plain SGD, W -= lr·dW per sample and W -= (lr/n)·ΣdW per
// batch. The tests in bench/ check that they compute the same loss and
// the same updated weights as the generated packages.
//
// The output error is Y - d, which is the derivative of softmax with
// cross-entropy when the target d sums to 1 (a one-hot label, as in the
// benchmarks) and of sigmoid with binary cross-entropy.
//
// Gonum64 is Gonum32 in float64: gonum64.go is generated from gonum32.go
// by replacing every "32" with "64" (go generate), and a test checks that it
// is current.
//
// This package is used only by the benchmarks and their tests.
package ref

//go:generate sh -c "{ echo '// Code generated from gonum32.go by replacing 32 with 64. DO NOT EDIT.'; echo; sed s/32/64/g gonum32.go; } > gonum64.go"

import "math"

// Float is the element type of a network: float32 or float64.
type Float interface{ ~float32 | ~float64 }

// Act is the activation of the hidden layers.
type Act int

// Hidden activations. ReLU's slope at exactly 0 is 0, as in bpgen.
const (
	ReLU Act = iota
	Sigmoid
)

// Out is the output activation and its loss.
type Out int

// Output activations with their divergence.
const (
	SoftmaxCE  Out = iota // softmax, cross-entropy -Σ d_i log y_i
	SigmoidBCE            // sigmoid, binary cross-entropy -d log y - (1-d) log(1-y)
)

// Arch describes a fully connected network.
type Arch struct {
	Sizes  []int // layer widths, input first: {784, 128, 64, 10}
	Hidden Act
	Out    Out
}

// activate sets a = f(z) elementwise.
func activate[F Float](act Act, z, a []F) {
	for i := range z {
		switch act {
		case ReLU:
			if z[i] > 0 {
				a[i] = z[i]
			} else {
				a[i] = 0
			}
		case Sigmoid:
			a[i] = sigmoid(z[i])
		}
	}
}

// slope returns f'(z), given z and a = f(z).
func slope[F Float](act Act, z, a F) F {
	switch act {
	case ReLU:
		if z > 0 {
			return 1
		}
		return 0
	default: // Sigmoid
		return a * (1 - a)
	}
}

func sigmoid[F Float](z F) F {
	return F(1 / (1 + math.Exp(-float64(z))))
}

// output sets y from the output layer's z and returns the loss against d,
// or 0 when d is nil.
func output[F Float](out Out, z, y, d []F) F {
	switch out {
	case SoftmaxCE:
		m := z[0]
		for _, v := range z {
			if v > m {
				m = v
			}
		}
		var s F
		for i, v := range z {
			y[i] = F(math.Exp(float64(v - m)))
			s += y[i]
		}
		for i := range y {
			y[i] /= s
		}
		// -Σ d_i log y_i, with log y_i = z_i - m - log s (no log of 0)
		lse := m + F(math.Log(float64(s)))
		var loss F
		for i := range d {
			loss -= d[i] * (z[i] - lse)
		}
		return loss
	default: // SigmoidBCE
		var loss F
		for i := range z {
			y[i] = sigmoid(z[i])
			if d == nil {
				continue
			}
			loss -= d[i]*F(math.Log(float64(y[i]))) + (1-d[i])*F(math.Log(float64(1-y[i])))
		}
		return loss
	}
}
