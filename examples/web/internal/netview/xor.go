package netview

import (
	"math"

	gx "github.com/bpgen/bpgen/generated/xor"
)

// The four points of XOR and their targets.
var (
	xorPoints  = [4][gx.InputSize]float32{{0, 0}, {0, 1}, {1, 0}, {1, 1}}
	xorTargets = [4][gx.TargetSize]float32{{0}, {1}, {1}, {0}}
)

// XOR is the page's training demo: the 2-8-1 network of generated/xor
// learning XOR by stochastic gradient descent, one generated TrainStep
// per point.
type XOR struct {
	m      gx.Model
	ws     gx.Workspace
	epochs int
}

// Reset starts over from the generated Init's weights for seed.
func (x *XOR) Reset(seed uint64) {
	x.m.Init(seed)
	x.epochs = 0
}

// Epochs returns the number of epochs trained since the last Reset.
func (x *XOR) Epochs() int { return x.epochs }

// Train runs n epochs, each one TrainStep with learning rate lr on every
// point in turn, and returns the mean loss over the four points of the
// last epoch, each measured by TrainStep before its update. It returns
// NaN for n <= 0.
func (x *XOR) Train(n int, lr float32) float64 {
	loss := math.NaN()
	for range n {
		var sum float64
		for i := range xorPoints {
			sum += float64(x.m.TrainStep(&x.ws, &xorPoints[i], &xorTargets[i], lr))
		}
		loss = sum / float64(len(xorPoints))
		x.epochs++
	}
	return loss
}

// Map fills out, of length n*n, with the network's output over the unit
// square, row by row from (0, 0) at the top left to (1, 1) at the bottom
// right (x to the right, y down). n must be at least 2.
func (x *XOR) Map(out []float32, n int) {
	out = out[:n*n]
	for j := range n {
		for i := range n {
			p := [gx.InputSize]float32{float32(i) / float32(n-1), float32(j) / float32(n-1)}
			out[j*n+i] = x.m.Forward(&x.ws, &p)[0]
		}
	}
}

// Outputs returns the network's output for the four points, in the order
// (0,0), (0,1), (1,0), (1,1).
func (x *XOR) Outputs() [4]float32 {
	var y [4]float32
	for i := range xorPoints {
		y[i] = x.m.Forward(&x.ws, &xorPoints[i])[0]
	}
	return y
}
