package randspec

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// hostileNames are names a user may give that are also identifiers in a
// generated package: its API (types, methods, fields), its internal helpers
// and locals, Go's predeclared identifiers and keywords-to-be, and the
// names of the standard packages it imports. Each, spelled as written and
// capitalized, is a fair name for a parameter or a definition; bpgen must
// either generate a package that compiles or refuse the spec with a
// positioned error.
var hostileNames = []string{
	// the generated API and its internals
	"tensors", "forward", "backward", "zero", "save", "load", "step", "init",
	"loss", "grad", "workers", "block", "flat", "add", "model", "workspace",
	"gradients", "tensor", "float", "inputSize", "outputSize", "targetSize",
	"numParams", "blockSize", "sampleState", "trainStep", "trainBatch",
	"inputGradient", "forwardBatch", "backwardBatch", "setWorkers", "divergence",
	"trainBackward", "backwardBlock", "forwardBlock", "backwardSamples",
	"inputBackward", "trainParallel", "applyChunk", "sumChunk", "split",
	"decide", "finite", "finiteBatch", "finiteStep", "nan", "dot", "axpy",
	"dot4", "axpy4", "sel", "softplus2", "exp32", "log32", "floatBits",
	"worker", "workerJob", "data", "shape", "name",
	// the optimizers
	"sgd", "adam", "adamW", "optimizer", "newSGD", "newAdam", "newAdamW",
	"trainStepWith", "trainBatchWith", "clipNorm",
	// locals and receivers of generated code
	"m", "g", "ws", "lr", "n", "b", "i", "j", "k", "u", "v0", "v1", "t0", "t1",
	"s", "sq", "sts", "xs", "ds", "ys", "dx", "e", "o", "w", "r", "base", "sum",
	// Go's predeclared identifiers, packages and would-be keywords
	"len", "cap", "append", "copy", "new", "make", "nil", "true", "false",
	"iota", "string", "int", "error", "any", "float32", "float64", "uint64",
	"bool", "byte", "rune", "complex", "real", "imag", "panic", "recover",
	"print", "println", "clear", "min2", "close", "delete",
	"math", "io", "unsafe", "bytes", "fmt", "testing", "runtime", "atomic",
	"errors", "sort", "binary",
}

// AdversarialOptions adjust GenerateAdversarial.
type AdversarialOptions struct {
	// Precision forces "float32" or "float64"; "" picks one at random.
	Precision string
}

// GenerateAdversarial returns a small spec for seed built to break bpgen
// rather than to train: its names are drawn from hostileNames, its
// constants sit near the limits of the precision or fold to zero, one or
// NaN, its expressions cancel (x - x, 0*h) and its parameters are used
// linearly or not at all. Unlike Generate, its spec need not be valid:
// bpgen may refuse it, but then with a positioned error, never a panic;
// and a spec it accepts must give a package that builds, vets and passes
// its own tests.
func GenerateAdversarial(seed uint64, opts AdversarialOptions) (name string, src []byte) {
	a := &adv{r: rand.New(rand.NewPCG(seed, 0x61647673_70656373)), used: map[string]bool{}}
	name = fmt.Sprintf("a%d", seed)
	return name, a.spec(name, opts)
}

type adv struct {
	r    *rand.Rand
	used map[string]bool
	defs []string
}

func (a *adv) pick(xs []string) string { return xs[a.r.IntN(len(xs))] }

// fresh returns an unused name: a hostile one, capitalized at random, or
// with a digit when all tries are taken.
func (a *adv) fresh() string {
	for range 4 {
		n := a.pick(hostileNames)
		if a.r.IntN(3) == 0 {
			n = strings.ToUpper(n[:1]) + n[1:]
		}
		if !a.used[n] && n != "x" && n != "d" && n != "y" {
			a.used[n] = true
			return n
		}
	}
	n := fmt.Sprintf("%s%d", a.pick(hostileNames), len(a.used))
	a.used[n] = true
	return n
}

// constants are literals near the limits of float32 and float64, and ones
// that fold to 0, 1 or a value out of range.
var constants = []string{
	"0", "1", "2", "0.5", "1e-3", "1e30", "3e38", "3.4e38", "1e39", "1e-38",
	"1e-45", "1e-46", "1e300", "1e308", "1e-320", "1e-400", "(1-1)", "(2-1)",
	"exp(0)", "exp(100)", "exp(-100)", "log(1)", "pow(2, 10)", "pow(-8, 1/3)",
	"sqrt(4)", "(1e300*1e300)", "(1/3)", "tanh(0)", "sigmoid(0)",
}

// vecExpr returns an expression of the vector v of size n, often one that
// cancels or scales it by a hostile constant.
func (a *adv) vecExpr(v string, n int) string {
	c := a.pick(constants)
	switch a.r.IntN(12) {
	case 0:
		return v + " - " + v
	case 1:
		return "0*" + v
	case 2:
		return v + "*" + c
	case 3:
		return v + "/" + c
	case 4:
		return c + " + " + v
	case 5:
		return v + "/" + v
	case 6:
		return "pow(" + v + ", " + a.pick([]string{"0", "1", "2", "3", "0.5"}) + ")"
	case 7:
		return a.pick([]string{"relu", "tanh", "sigmoid", "abs", "softplus"}) + "(" + v + ")"
	case 8:
		return fmt.Sprintf("max(%s, %s)", v, c)
	case 9:
		return fmt.Sprintf("dense(%s, %d)", v, n)
	case 10:
		return fmt.Sprintf("%s * (1 + 0*%s)", v, v)
	}
	return v
}

func (a *adv) spec(name string, opts AdversarialOptions) []byte {
	prec := a.pick([]string{"float32", "float64"})
	if opts.Precision != "" {
		prec = opts.Precision
	}
	in, out := 1+a.r.IntN(5), 1+a.r.IntN(4)
	var params []string
	var b strings.Builder
	fmt.Fprintf(&b, "// Adversarial spec, seed %s.\npackage %s\nprecision %s\ninput x[%d]\ntarget d[%d]\n", strings.TrimPrefix(name, "a"), name, prec, in, out)

	// A hidden layer or two with hostile names and expressions.
	v, n := "x", in
	for range 1 + a.r.IntN(2) {
		h := a.fresh()
		w := 1 + a.r.IntN(5)
		expr := a.vecExpr(fmt.Sprintf("dense(%s, %d)", v, w), w)
		if a.r.IntN(4) == 0 {
			p := a.fresh()
			params = append(params, fmt.Sprintf("param %s[%d][%d]", p, w, n))
			expr = a.vecExpr(fmt.Sprintf("tanh(%s*%s)", p, v), w)
		}
		a.defs = append(a.defs, h+" = "+expr)
		v, n = h, w
	}

	// The output and the loss, with parameters used linearly or not at all.
	outExpr := fmt.Sprintf("dense(%s, %d)", v, out)
	loss := "l2(y, d)"
	switch a.r.IntN(5) {
	case 0:
		if out > 1 {
			outExpr = "softmax(" + a.vecExpr(outExpr, out) + ")"
			loss = "crossentropy(y, d)"
		}
	case 1:
		outExpr = "sigmoid(" + outExpr + ")"
		loss = "bce(y, d)"
	case 2:
		outExpr = a.vecExpr(outExpr, out)
	}
	switch a.r.IntN(4) {
	case 0: // a parameter the loss is linear in
		p := a.fresh()
		params = append(params, fmt.Sprintf("param %s[%d]", p, 1+a.r.IntN(3)))
		loss += fmt.Sprintf(" + %s*sum(%s)", a.pick(constants), p)
	case 1: // a parameter nothing uses
		params = append(params, fmt.Sprintf("param %s[%d]", a.fresh(), 1+a.r.IntN(3)))
	case 2: // a loss scaled by a hostile constant
		loss = a.pick(constants) + "*" + loss
	}
	a.defs = append(a.defs, "y = "+outExpr)
	for _, p := range params {
		b.WriteString(p + "\n")
	}
	for _, d := range a.defs {
		b.WriteString(d + "\n")
	}
	b.WriteString("loss " + loss + "\n")
	return []byte(b.String())
}
