package difftest

import (
	"strings"
	"testing"
)

// nanGradientSpec has a finite loss whose gradient is NaN wherever a unit
// of h is off: the derivative of sqrt at 0 is infinite, and relu's is 0,
// so their product is NaN (as in PyTorch).
const nanGradientSpec = `package p
input x[4]
target d[2]
h = sqrt(relu(dense(x, 3)))
y = softmax(dense(h, 2))
loss crossentropy(y, d)
`

// nanGradientTest runs in the generated package: for a sample whose loss
// is finite and whose gradient is not, every training call must leave the
// model unchanged and return a value that is not finite.
const nanGradientTest = `package p

import (
	"math"
	"testing"
)

func TestNaNGradient(t *testing.T) {
	var m Model
	m.Init(1)
	before := m
	var ws, two Workspace
	two.SetWorkers(2)
	defer two.SetWorkers(0)
	d := [TargetSize]Float{1, 0}
	found := false
	for k := range 16 {
		var x [InputSize]Float
		for i := range x {
			x[i] = Float(1 - 2*(k>>i&1))
		}
		var g Gradients
		loss := m.Backward(&ws, &x, &d, &g)
		if math.IsNaN(float64(loss)) || finite(g.flat()) {
			continue
		}
		found = true
		xs := [][InputSize]Float{x, x, x}
		ds := [][TargetSize]Float{d, d, d}
		for name, got := range map[string]Float{
			"TrainStep":               m.TrainStep(&ws, &x, &d, 0.1),
			"TrainBatch":              m.TrainBatch(&ws, xs, ds, 0.1),
			"TrainBatch with workers": m.TrainBatch(&two, xs, ds, 0.1),
		} {
			if !math.IsNaN(float64(got)) {
				t.Errorf("%s with a NaN gradient returned %v, want NaN", name, got)
			}
		}
		m.Step(&g, 0.1, 1)
		if m != before {
			t.Fatalf("a NaN gradient changed the model (x = %v)", x)
		}
	}
	if !found {
		t.Fatal("no sample has a finite loss and a NaN gradient: the test checks nothing")
	}
}
`

// TestNaNGradient checks that a finite loss with a NaN gradient changes
// no model, in the fused TrainStep, in TrainBatch with and without
// workers, and in Step.
func TestNaNGradient(t *testing.T) {
	mod := newModule(t, "nangrad")
	if _, err := mod.generate(t, "p", "p.bp", []byte(nanGradientSpec)); err != nil {
		t.Fatal(err)
	}
	mod.write(t, "p/nangrad_selftest.go", []byte(nanGradientTest))
	res, err := mod.runSelfTests(t, []selfTested{{dir: "p", tests: []string{"TestNaNGradient"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := res["p"]; r.failed {
		t.Errorf("%s", strings.TrimSpace(r.output.String()))
	}
}
