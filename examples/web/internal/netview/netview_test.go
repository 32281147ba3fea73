package netview

import (
	"math"
	"os"
	"testing"

	"github.com/bpgen/bpgen/examples/internal/mnist"
	gm "github.com/bpgen/bpgen/generated/mnist"
)

// trained returns the web example's trained weights.
func trained(t *testing.T) *gm.Model {
	t.Helper()
	f, err := os.Open("../../mnist.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := new(gm.Model)
	if err := m.Load(f); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestAnalyze checks an analysis of MNIST test digits: the hidden
// activations, which Analyze recomputes, give the generated Forward's
// output through the last layer; the loss is -log of the predicted
// probability; and a small step against the input gradient makes the
// network surer of its answer.
func TestAnalyze(t *testing.T) {
	m := trained(t)
	_, test, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	var ws gm.Workspace
	var a Analysis
	for i := range 20 {
		x := test.Images[i]
		Analyze(m, &ws, &x, &a)
		// y = softmax(W h2 + b), from the recomputed h2.
		var z [gm.OutputSize]float64
		var sum float64
		for k := range z {
			z[k] = float64(m.YBias[k])
			for j, h := range a.H2 {
				z[k] += float64(m.YWeight[k][j]) * float64(h)
			}
		}
		top := z[argmax64(z[:])]
		for k := range z {
			z[k] = math.Exp(z[k] - top)
			sum += z[k]
		}
		for k := range z {
			if d := math.Abs(z[k]/sum - float64(a.Probs[k])); d > 1e-5 {
				t.Errorf("digit %d: softmax of the recomputed h2 gives %g for class %d, Forward %g", i, z[k]/sum, k, a.Probs[k])
			}
		}
		if want := -math.Log(float64(a.Probs[a.Class])); math.Abs(float64(a.Loss)-want) > 1e-4*max(1, want) {
			t.Errorf("digit %d: loss %g, want -log p = %g", i, a.Loss, want)
		}
		// Step against the gradient, normalized to length 0.5.
		var norm float64
		for _, g := range a.Grad {
			norm += float64(g) * float64(g)
		}
		if norm == 0 {
			continue // the network is certain to float32 precision
		}
		p := a.Probs[a.Class]
		for k := range x {
			x[k] -= float32(0.5 * float64(a.Grad[k]) / math.Sqrt(norm))
		}
		if q := m.Forward(&ws, &x)[a.Class]; q < p {
			t.Errorf("digit %d: a step against dDiv/dx lowered the probability of %d from %g to %g", i, a.Class, p, q)
		}
	}
}

func argmax64(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// TestXOR checks that the demo learns XOR with the page's settings.
func TestXOR(t *testing.T) {
	var x XOR
	x.Reset(1)
	first := x.Train(1, 1)
	last := x.Train(1499, 1)
	if x.Epochs() != 1500 {
		t.Errorf("Epochs() = %d, want 1500", x.Epochs())
	}
	if !(last < first/100) {
		t.Errorf("loss %g after 1500 epochs, from %g: want below a hundredth", last, first)
	}
	for i, y := range x.Outputs() {
		if want := xorTargets[i][0]; math.Abs(float64(y-want)) > 0.1 {
			t.Errorf("output for %v is %g, want %g", xorPoints[i], y, want)
		}
	}
	out := make([]float32, 9)
	x.Map(out, 3)
	if o := x.Outputs(); out[0] != o[0] || out[2] != o[2] || out[6] != o[1] || out[8] != o[3] {
		t.Errorf("Map's corners %v %v %v %v, want the outputs %v in the order (0,0) (1,0) (0,1) (1,1)", out[0], out[2], out[6], out[8], o)
	}
	if !math.IsNaN(x.Train(0, 1)) {
		t.Error("Train(0) is not NaN")
	}
	x.Reset(1)
	if got := x.Train(1, 1); got != first || x.Epochs() != 1 {
		t.Errorf("after Reset(1): loss %g after %d epochs, want %g after 1", got, x.Epochs(), first)
	}
}
