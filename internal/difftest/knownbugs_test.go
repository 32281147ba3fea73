package difftest

import (
	"fmt"
	"strings"
	"testing"
)

// knownBugs are minimal specs of bugs found by these tests, by name, kept
// as regression tests: each must pass spec.Parse and lower, and its
// generated package must build and pass its self-tests. The random tests
// skip the seeds of bugs that are still open (knownBad).
var knownBugs = map[string]string{
	// Fixed: codegen emitted a variable it did not use, so the generated
	// package did not compile: "p.bp.go:433:3: declared and not used:
	// v12" (a shared 1/x inside a negated term of a sum was written as a
	// division instead of read from its temporary). Found by randspec
	// seed 184. It needs the
	// v*v / (sqrt(v*v + 1) + 1) shape, a second path from h1 to the loss
	// (the 0.5*h1 term) and a layer after h3: without "y = dense(h3, 2)",
	// or with dense in place of sigmoid(dense), it compiles.
	"unused_variable": `package p
input x[3]
target d[2]
h1 = x*x / (sqrt(x*x + 1) + 1)
h3 = sigmoid(dense(h1, 3)) + 0.5*h1
y = dense(h3, 2)
loss l2(y, d)
`,
	// Fixed: a loss linear in a parameter did not compile: its gradient
	// is the same for every sample, and backwardBlock added it in a loop
	// "for b := range xs" that never used b (issue 17, item 3).
	"linear_param": `package p
input x[4]
target d[2]
param b[2]
y = softmax(dense(x, 2))
loss l2(y, d) + sum(b)
`,
	// Fixed: with x = {+Inf, 0, 0, 0} the loss is finite (tanh saturates)
	// but the gradient of h.weight is Inf*0 = NaN, and TrainStep and
	// TrainBatch wrote it into the model (issue 17, item 1). The emitted
	// TestNonFinite puts NaN and infinities in every input, target and
	// learning rate.
	// Fixed: softmax(1e30 + z) in float64 lost z to rounding in the
	// forward pass (1e30 + z = 1e30), so the loss was flat while the
	// derived gradient was softmax(z)'s, and the self-test failed. Found
	// by randspec.GenerateAdversarial, seed 1498. The maximum now takes a
	// constant shift out (max(c + u) = c + max(u)), and softmax's shift
	// cancels it symbolically.
	"absorbed_shift": `package p
precision float64
input x[4]
target d[4]
h = sigmoid(dense(x, 1))
y = softmax(1e30 + dense(h, 4))
loss crossentropy(y, d)
`,
	// Fixed: found by randspec.GenerateAdversarial, seed 2122. The loss
	// is +Inf (max(..., 3e38) squared in float32), so TrainStep leaves
	// the model unchanged; TestTrain's reference applied Step anyway.
	"infinite_loss_reference": `package p
input x[4]
target d[1]
param q[3]
h = dense(x, 2) * (1 + 0*dense(x, 2))
y = max(dense(h, 1), 3e38)
loss l2(y, d) + sigmoid(0)*sum(q)
`,
	// Fixed: seed 8861. A relu unit crossing 0 within the step moved a
	// float32 slope by 1.5%, too little for the old kink test (10% of
	// the slope); the halving test now looks at any jump out of the noise.
	"small_kink": `package p
input x[5]
target d[1]
h = max(dense(x, 4), (1-1))
g = dense(h, 3)/1e-3
y = dense(g, 1)
loss 1e-3*l2(y, d)
`,
	// Fixed: seed 9619. Gradients that cancel (a/b twice) summed in
	// another order by workers differed by more than 1e-5 of their sum;
	// sums are now compared within the rounding of their terms.
	"cancelling_sums": `package p
input x[4]
target d[3]
param q[2]
a = dense(x, 2)/dense(x, 2)
b = dense(a, 4)/dense(a, 4)
y = dense(b, 3)
loss l2(y, d) + (1/3)*sum(q)
`,
	"infinite_input": `package p
input x[4]
target d[2]
h = tanh(dense(x, 3))
y = softmax(dense(h, 2))
loss crossentropy(y, d)
`,
}

func init() {
	// Fixed: the self-test failed on this correct package (its gradients
	// agree with PyTorch to 2e-13) by up to 15% on gradients near 1e-7:
	// the central difference's truncation error on a deep, curved
	// function, and a rounding noise larger than one rounding of the loss
	// (issue 17, item 8). The self-test now extrapolates (Ridders) with a
	// step per coordinate and measures the noise.
	var b strings.Builder
	b.WriteString("package p\nprecision float64\ninput x[4]\ntarget d[4]\nh0 = tanh(dense(x, 4))\n")
	for k := 1; k < 100; k++ {
		fmt.Fprintf(&b, "h%d = tanh(dense(h%d, 4) + h%d)\n", k, k-1, k-1)
	}
	b.WriteString("y = dense(h99, 4)\nloss l2(y, d)\n")
	knownBugs["residual_chain_100"] = b.String()
}

// TestKnownBugs runs the minimal specs of bugs found so far through the
// whole pipeline and the generated self-tests.
func TestKnownBugs(t *testing.T) {
	mod := newModule(t, "knownbugs")
	var pkgs []selfTested
	srcs := map[string]string{}
	for name, src := range knownBugs {
		dir := "bug_" + name
		tests, err := mod.generate(t, dir, "p.bp", []byte(src))
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, src)
			continue
		}
		pkgs = append(pkgs, selfTested{dir: dir, tests: tests})
		srcs[dir] = name + ":\n" + src
	}
	res, err := mod.runSelfTests(t, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range failedPackages(res) {
		t.Errorf("%s\n%s", srcs[p], res[p].output.String())
	}
}
