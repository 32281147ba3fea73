// Package netview computes what the web example's page shows about the
// ten-digit network of package github.com/bpgen/bpgen/generated/mnist for
// one input image, and runs the page's XOR training demo with package
// github.com/bpgen/bpgen/generated/xor.
//
// The page runs it compiled to WebAssembly; the example's test runs it
// natively and compares.
package netview

import (
	gm "github.com/bpgen/bpgen/generated/mnist"
)

// Hidden layer sizes of the ten-digit network, h1 and h2 in mnist.bp.
const (
	H1Size = len(gm.Model{}.H1Bias)
	H2Size = len(gm.Model{}.H2Bias)
)

// Analysis is what the page shows for one input image.
type Analysis struct {
	// Probs is the network's output, the probability of each digit.
	Probs [gm.OutputSize]float32
	// Class is the predicted digit, the index of the largest probability
	// (the first one on a tie).
	Class int
	// H1 and H2 are the hidden layers' activations.
	H1 [H1Size]float32
	H2 [H2Size]float32
	// Grad is dDiv/dx, the gradient of the divergence (the cross-entropy)
	// with respect to the input, for the target "the digit is Class": the
	// direction in which changing the pixels would make the network less
	// sure of its own answer; minus Grad makes it surer.
	Grad [gm.InputSize]float32
	// Loss is that divergence, -log Probs[Class].
	Loss float32
}

// Analyze fills a with the network m's view of the image x, using ws as
// the generated package's workspace. The output, the prediction and the
// input gradient come from the generated Forward and InputGradient; the
// hidden activations, which the generated package keeps to itself, are
// recomputed from m's weights as mnist.bp defines them
// (h = relu(W x + b)), and the test checks that they lead to the same
// output.
func Analyze(m *gm.Model, ws *gm.Workspace, x *[gm.InputSize]float32, a *Analysis) {
	a.Probs = *m.Forward(ws, x)
	a.Class = argmax(a.Probs[:])
	for i := range a.H1 {
		a.H1[i] = relu(m.H1Weight[i][:], m.H1Bias[i], x[:])
	}
	for i := range a.H2 {
		a.H2[i] = relu(m.H2Weight[i][:], m.H2Bias[i], a.H1[:])
	}
	var d [gm.TargetSize]float32
	d[a.Class] = 1
	a.Loss = m.InputGradient(ws, x, &d, &a.Grad)
}

// relu returns max(0, w·x + b), one unit of a dense layer with relu.
func relu(w []float32, b float32, x []float32) float32 {
	w = w[:len(x)]
	s := b
	for j, v := range x {
		s += w[j] * v
	}
	return max(0, s)
}

// argmax returns the index of the largest element of v, the first one on a
// tie.
func argmax(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
