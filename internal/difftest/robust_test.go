package difftest

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

// robustSpec is a tiny network whose logits are W*x, with W set to 1000
// times the identity and x = (1, -1, 0.5), so the logits are
// (1000, -1000, 500): exp of them overflows and the softmax (or sigmoid)
// output of the second underflows to 0 in both precisions.
type robustSpec struct {
	name string
	body string // declarations after input, target and param W
	// want is the exact loss for the target (0, 1, 0.5) (normalized to
	// (0, 1, 0) for the distribution losses, see target).
	want   float64
	target [3]float64
}

var robustSpecs = []robustSpec{
	// -log softmax_1 = 1000 + 1000 + log(1 + e^-500 + e^-2000) = 2000.
	{"ce", "y = softmax(W*x)\nloss crossentropy(y, d)", 2000, [3]float64{0, 1, 0}},
	{"kl", "y = softmax(W*x)\nloss kl(y, d)", 2000, [3]float64{0, 1, 0}},
	{"nll", "y = logsoftmax(W*x)\nloss -sum(i, d[i] * y[i])", 2000, [3]float64{0, 1, 0}},
	{"usersoftmax", "func smax(z)[i] = exp(z[i] - maxof(z)) / sum(j, exp(z[j] - maxof(z)))\ny = smax(W*x)\nloss crossentropy(y, d)", 2000, [3]float64{0, 1, 0}},
	// -log(1 - s(1000)) - log s(-1000) - 0.5 log s(500) - 0.5 log(1 - s(500))
	// = 1000 + 1000 + 0 + 250.
	{"bce", "y = sigmoid(W*x)\nloss bce(y, d)", 2250, [3]float64{0, 1, 0.5}},
	// The distribution target keeps the loss finite too.
	{"cedist", "y = softmax(W*x)\nloss crossentropy(y, d)", 0.2*0 + 0.3*2000 + 0.5*500, [3]float64{0.2, 0.3, 0.5}},
}

func (r robustSpec) source(precision string) string {
	return fmt.Sprintf("package rob\nprecision %s\ninput x[3]\ntarget d[3]\nparam W[3][3]\n%s\n", precision, r.body)
}

var robustX = [3]float64{1, -1, 0.5}

// TestRobustSymbolic evaluates the derived graphs of the robustness specs
// in float64 with symbolic.Evaluate, in process: the loss must be the exact
// value and every gradient finite.
func TestRobustSymbolic(t *testing.T) {
	for _, r := range robustSpecs {
		f, err := spec.Parse(r.name+".bp", []byte(r.source("float64")))
		if err != nil {
			t.Fatal(err)
		}
		net, err := spec.Lower(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := net.Derive()
		if err != nil {
			t.Fatal(err)
		}
		env := symbolic.Values{
			net.Input:  robustX[:],
			net.Target: r.target[:],
			net.Params[0]: {
				1000, 0, 0,
				0, 1000, 0,
				0, 0, 1000,
			},
		}
		roots := append([]*symbolic.Tensor{d.Loss, d.InputGrad}, d.ParamGrads...)
		vals, err := symbolic.Evaluate(env, roots...)
		if err != nil {
			t.Fatal(err)
		}
		loss := vals[d.Loss][0]
		if math.Abs(loss-r.want) > 1e-9*r.want {
			t.Errorf("%s: loss %v, want %v", r.name, loss, r.want)
		}
		for _, g := range roots[1:] {
			for i, v := range vals[g] {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%s: gradient element %d of %v is %v", r.name, i, g.Shape, v)
				}
			}
		}
	}
}

// robustTest is added to each robustness package (as an ordinary file, see
// scratchModule.generate). It sets W to 1000 times the identity, checks
// that Loss, Backward and InputGradient give the exact loss WANT and finite
// gradients for x = (1, -1, 0.5) and the target TARGET, and that a NaN in
// the input gives a NaN loss from Backward, Loss and InputGradient (NaN
// propagates; nothing hides it), so a caller can detect it.
const robustTest = `package rob

import (
	"math"
	"testing"
)

func robustModel() *Model {
	m := new(Model)
	for _, t := range m.Tensors() {
		if t.Name == "W" {
			for i := 0; i < 3; i++ {
				t.Data[i*3+i] = 1000
			}
		}
	}
	return m
}

func TestRobust(t *testing.T) {
	m := robustModel()
	x := [InputSize]Float{1, -1, 0.5}
	d := [TargetSize]Float{TARGET}
	const want = WANT
	var ws Workspace
	var g Gradients
	loss := m.Backward(&ws, &x, &d, &g)
	if math.Abs(float64(loss)-want) > 1e-6*want {
		t.Errorf("Backward: loss %v, want %v", loss, want)
	}
	if l := m.Loss(&ws, &x, &d); l != loss {
		t.Errorf("Loss %v, Backward %v", l, loss)
	}
	for _, gt := range g.Tensors() {
		for i, v := range gt.Data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Errorf("gradient %s[%d] = %v", gt.Name, i, v)
			}
		}
	}
	var dx [InputSize]Float
	if l := m.InputGradient(&ws, &x, &d, &dx); l != loss {
		t.Errorf("InputGradient: loss %v, Backward %v", l, loss)
	}
	for i, v := range dx {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Errorf("input gradient [%d] = %v", i, v)
		}
	}
	y := m.Forward(&ws, &x)
	for i, v := range y {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Errorf("output [%d] = %v", i, v)
		}
	}

	// A NaN input: the loss is NaN, so the caller can detect it.
	x[0] = Float(math.NaN())
	g.Zero()
	if l := m.Backward(&ws, &x, &d, &g); !math.IsNaN(float64(l)) {
		t.Errorf("Backward with a NaN input: loss %v, want NaN", l)
	}
	if l := m.Loss(&ws, &x, &d); !math.IsNaN(float64(l)) {
		t.Errorf("Loss with a NaN input: %v, want NaN", l)
	}
	if l := m.InputGradient(&ws, &x, &d, &dx); !math.IsNaN(float64(l)) {
		t.Errorf("InputGradient with a NaN input: loss %v, want NaN", l)
	}
}
`

// TestRobust generates each robustness spec in float32 and float64 and
// runs robustTest on the generated code: logits of +-1000 through softmax
// and crossentropy, kl, logsoftmax, a user-defined softmax, and sigmoid and
// bce give the exact, finite loss and finite gradients (no overflow of exp,
// no log of an underflowed 0), and a NaN input gives a NaN loss.
func TestRobust(t *testing.T) {
	mod := newModule(t, "robust")
	var pkgs []selfTested
	for _, r := range robustSpecs {
		for _, prec := range []string{"float32", "float64"} {
			dir := r.name + "_" + prec
			if _, err := mod.generate(t, dir, "rob.bp", []byte(r.source(prec))); err != nil {
				t.Errorf("%s: %v", dir, err)
				continue
			}
			tgt := make([]string, 3)
			for i, v := range r.target {
				tgt[i] = fmt.Sprint(v)
			}
			src := strings.NewReplacer("TARGET", strings.Join(tgt, ", "), "WANT", fmt.Sprint(r.want)).Replace(robustTest)
			mod.write(t, dir+"/robust_selftest.go", []byte(src))
			pkgs = append(pkgs, selfTested{dir: dir, tests: []string{"TestRobust"}})
		}
	}
	res, err := mod.runSelfTests(t, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range failedPackages(res) {
		t.Errorf("%s:\n%s", p, res[p].output.String())
	}
}
