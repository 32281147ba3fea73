package codegen_test

import (
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/codegen"
	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

// FuzzGenerate runs the whole pipeline on arbitrary spec text: whenever the
// spec is accepted, generation must succeed and every generated file must
// parse as Go, so that no spec can produce broken or injected code. It
// never panics. spec.Lower and codegen.Generate may still refuse a spec
// for what only the algebra's simplification reveals (a divisor that
// folds to 0, a constant that folds to NaN or beyond the precision), with
// a positioned spec.ErrorList or, for the derivation, a message; never
// with an internal error. The derived graph must compute the loss that
// the lowered graph computes, at a fixed random point. The seed corpus
// is every .bp file in the module and hostileSeeds.
func FuzzGenerate(f *testing.F) {
	for _, body := range hostileSeeds {
		f.Add([]byte("package p\ninput x[4]\ntarget d[2]\n" + body + "\n"))
	}
	root, err := filepath.Abs("..")
	if err != nil {
		f.Fatal(err)
	}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".bp") {
			return nil
		}
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src)
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := spec.Parse("fuzz.bp", src)
		if err != nil {
			return
		}
		// Keep each case fast: the generated code does not depend on the
		// widths, but building the graph of a huge network still takes time.
		for _, p := range file.Params {
			n := 1
			for _, d := range p.Shape {
				n *= d
			}
			if n > 1<<16 {
				return
			}
		}
		net, err := spec.Lower(file)
		var list spec.ErrorList
		switch {
		case err != nil && (!errors.As(err, &list) || strings.Contains(err.Error(), "internal error")):
			t.Fatalf("Lower failed on an accepted spec: %v\n%s", err, src)
		case err != nil:
			return // refused at a position: see spec.Lower
		}
		checkDerivedLoss(t, net, src)
		files, err := codegen.Generate(net, codegen.Options{Tests: true})
		if err != nil && !strings.Contains(err.Error(), "the derivation computes the constant") {
			t.Fatalf("Generate failed on an accepted spec: %v\n%s", err, src)
		}
		for name, out := range files {
			if !strings.HasSuffix(name, ".go") {
				continue // the assembly kernels, copied verbatim
			}
			if _, err := parser.ParseFile(token.NewFileSet(), name, out, 0); err != nil {
				t.Fatalf("%s does not parse: %v\nspec:\n%s", name, err, src)
			}
		}
	})
}

// hostileSeeds are definitions and losses (after package, input x[4] and
// target d[2]) that exercise the algebra's simplifications: vectors that
// fold to constants, divisors and constants that fold to 0, NaN or
// beyond float32, names of the generated API, deep and exponential
// expansions (issue 17).
var hostileSeeds = []string{
	"y = softmax(0*x)\nloss crossentropy(y, d)",
	"h = tanh(dense(x, 2))\ny = softmax(h - h)\nloss crossentropy(y, d)",
	"m = maxof(0*x)\ny = softmax(dense(x, 2)*m)\noutput y\nloss crossentropy(y, d)",
	"y = softmax(dense(x, 2)*1e-400)\nloss crossentropy(y, d)",
	"y = softmax(maxpool(x - x, 2))\nloss crossentropy(y, d)",
	"y = dense(0*x, 2)*0\nloss l2(y, d) + 0*sum(x)",
	"y = softmax(dense(x, 2)/(maxof(x) - maxof(x)))\nloss crossentropy(y, d)",
	"y = softmax(dense(x, 2)*1e39)\nloss crossentropy(y, d)",
	"y = softmax(dense(x, 2)*exp(100))\nloss crossentropy(y, d)",
	"precision float64\ny = softmax(dense(x, 2)*1e300*1e300)\nloss crossentropy(y, d)",
	"y = softmax(pow(dense(x, 2), 2)*pow(-8, 1/3))\nloss crossentropy(y, d)",
	"y = softmax(pow(dense(x, 2), 100)*1e37)\nloss crossentropy(y, d)",
	"y = softmax(log(sigmoid(dense(x, 2))) + log(1 - sigmoid(dense(x, 2))))\nloss crossentropy(y, d)",
	"y = sigmoid(dense(x, 2))\nloss -sum(i, d[i]*log(y[i]) + (1 - d[i])*log(1 - y[i])) + l2(y*0, d)",
	"param tensors[2][4]\ny = softmax(tensors*x)\nloss crossentropy(y, d)",
	"param len[2][4], float[2]\ny = softmax(len*x + float)\nloss crossentropy(y, d)",
	"func f0(z) = tanh(z)\nfunc f1(z) = f0(z)*f0(z) + f0(z)\nfunc f2(z) = f1(z)*f1(z) + f1(z)\ny = f2(dense(x, 2))\nloss l2(y, d)",
	"func f0(z) = tanh(z)\nfunc f1(z) = f0(f0(z))\nfunc f2(z) = f1(f1(z))\nfunc f3(z) = f2(f2(z))\ny = f3(dense(x, 2))\nloss l2(y, d)",
	"func g(z)[i] = z[i] - z[i] + exp(z[i] - maxof(z))/sum(j, exp(z[j] - maxof(z)))\ny = g(dense(x, 2))\nloss crossentropy(y, d)",
	"h = x*x/(sqrt(x*x + 1) + 1)\ny = dense(sigmoid(dense(h, 3)) + 0*dense(h, 3), 2)\nloss l2(y, d)",
}

// checkDerivedLoss evaluates the loss of the lowered graph and of its
// derivation (rewritten by Reuse) at one fixed point: the algebra's
// rewrites must not change the value. Specs with more than 4096 tensor
// elements are skipped, as the interpreter is slow on them.
func checkDerivedLoss(t *testing.T, net *symbolic.Network, src []byte) {
	elems := 0
	for _, t := range symbolic.Live(net.Loss) {
		elems += t.Size()
	}
	if elems > 1<<12 {
		return
	}
	d, err := net.Derive()
	if err != nil {
		return // a constant the precision cannot hold: Generate reports it
	}
	env := symbolic.Values{}
	for k, leaf := range append([]*symbolic.Tensor{net.Input, net.Target}, net.Params...) {
		v := make([]float64, leaf.Size())
		for i := range v {
			v[i] = 0.25 + 0.5*float64((i*7+k*3)%5)/5 // in (0, 1): a valid target too
		}
		env[leaf] = v
	}
	vals, err := symbolic.Evaluate(env, net.Loss, d.Loss)
	if err != nil {
		t.Fatalf("Evaluate: %v\n%s", err, src)
	}
	a, b := vals[net.Loss][0], vals[d.Loss][0]
	if a != b && !(a != a && b != b) && math.Abs(a-b) > 1e-9*math.Max(1, math.Abs(a)) {
		t.Fatalf("the derived graph's loss is %v, the lowered graph's %v\n%s", b, a, src)
	}
}
