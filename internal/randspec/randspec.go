// Package randspec generates random valid bpgen specs from a seed, for
// property tests of the whole pipeline (spec.Parse, spec.Lower,
// codegen.Generate and the generated package's own gradient checks).
//
// A generated spec has 1 to 6 layers of widths 1 to 40 and mixes every
// construct of the language: the scalar activations (relu, leakyrelu,
// sigmoid, tanh, softplus, abs, sqrt of positive values, exp of bounded
// values, max and min), user-defined scalar functions (swish, gelu,
// softsign, ...), index-form vector functions (normalizations, centering, a
// custom softmax), gates (a*b of two layers of equal size), skip connections,
// maxpool with a dividing group size, maxof, weight sharing through explicit
// params, explicit params, both precisions, every divergence (l2,
// crossentropy and kl after a softmax, bce after a sigmoid) and hand-written
// losses with sum(i, ...).
//
// Values stay in sane ranges for the inputs the generated tests use
// (x in [-1, 1], He-initialized weights): exp is only applied to bounded
// arguments, sqrt and log only to positive ones, and each divergence only to
// an output for which it is defined.
package randspec

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Options adjust what Generate produces.
type Options struct {
	// Precision forces "float32" or "float64"; "" picks one at random.
	// Forcing it changes nothing else: the network is the one of the seed.
	Precision string
}

// Generate returns a random valid spec for seed: its name (also its package
// name, "r" followed by the seed) and its source text. The same seed always
// gives the same spec.
func Generate(seed uint64) (name string, src []byte) {
	return GenerateOptions(seed, Options{})
}

// GenerateOptions is Generate with options.
func GenerateOptions(seed uint64, opts Options) (name string, src []byte) {
	g := &gen{
		r:     rand.New(rand.NewPCG(seed, 0x62706765_6e72616e)),
		funcs: map[string]bool{},
	}
	name = fmt.Sprintf("r%d", seed)
	return name, g.spec(name, opts)
}

// vec is a named vector definition (or the input) and its size.
type vec struct {
	name string
	size int
}

type gen struct {
	r      *rand.Rand
	funcs  map[string]bool // user functions used, by name
	params []string        // param declarations
	defs   []string        // definitions "NAME = EXPR", in dependency order
	nparam int
	ndef   int
}

func (g *gen) intn(lo, hi int) int   { return lo + g.r.IntN(hi-lo+1) }
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// width picks a layer width from 1 to 40, favouring small ones so that the
// generated packages stay quick to compile and test.
func (g *gen) width() int {
	if g.chance(0.2) {
		return g.intn(1, 40)
	}
	return g.intn(1, 16)
}

// userFuncs are the user-defined functions a spec may use, by name.
var userFuncs = map[string]string{
	"swish":     "func swish(z) = z * sigmoid(z)",
	"gelu":      "func gelu(z) = 0.5 * z * (1 + tanh(0.7978845608 * (z + 0.044715 * pow(z, 3))))",
	"softsign":  "func softsign(z) = z / (1 + abs(z))",
	"mish":      "func mish(z) = z * tanh(softplus(z))",
	"gauss":     "func gauss(z) = exp(-z * z)",
	"relu6":     "func relu6(z) = min(relu(z), 6)",
	"hardtanh":  "func hardtanh(z) = max(-1, min(z, 1))",
	"smoothabs": "func smoothabs(z) = z*z / (sqrt(z*z + 1) + 1)", // sqrt(z*z + 1) - 1 without cancellation
	"mix":       "func mix(a, b, t) = t*a + (1 - t)*b",
	"silu2":     "func silu2(z) = swish(z) + 0.1 * softsign(z)", // calls other user functions
	// Index-form functions.
	"norm":      "func norm(z)[i] = z[i] / sqrt(sum(j, z[j] * z[j]) + 1)",
	"center":    "func center(z)[i] = z[i] - sum(j, z[j]) / sum(j, 1 + 0*z[j])",
	"layernorm": "func layernorm(z)[i] = (z[i] - sum(j, z[j]) / sum(j, 1 + 0*z[j])) / sqrt(sum(j, pow(z[j] - sum(k, z[k]) / sum(k, 1 + 0*z[k]), 2)) / sum(j, 1 + 0*z[j]) + 1)",
	"smax":      "func smax(z)[i] = exp(z[i] - maxof(z)) / sum(j, exp(z[j] - maxof(z)))",
	"smaxraw":   "func smaxraw(z)[i] = exp(z[i]) / sum(j, exp(z[j]))",
	"scaled":    "func scaled(z, s)[i] = s * z[i] / (1 + maxof(abs(z)))",
}

// funcDeps are the user functions each user function calls.
var funcDeps = map[string][]string{"silu2": {"swish", "softsign"}}

func (g *gen) use(f string) string {
	g.funcs[f] = true
	for _, d := range funcDeps[f] {
		g.funcs[d] = true
	}
	return f
}

// act wraps a pre-activation expression z in a random scalar activation.
func (g *gen) act(z string) string {
	switch g.r.IntN(20) {
	case 0, 1:
		return "relu(" + z + ")"
	case 2:
		return fmt.Sprintf("leakyrelu(%s, %g)", z, []float64{0.01, 0.1, 0.2, 0.3}[g.r.IntN(4)])
	case 3, 4:
		return "sigmoid(" + z + ")"
	case 5, 6:
		return "tanh(" + z + ")"
	case 7:
		return "softplus(" + z + ")"
	case 8:
		return "abs(" + z + ")"
	case 9:
		return "sqrt(softplus(" + z + ") + 0.5)"
	case 10:
		return "exp(tanh(" + z + "))"
	case 11:
		return "max(" + z + ", -1)"
	case 12:
		return "min(max(" + z + ", -1), 1)"
	case 13:
		return "pow(tanh(" + z + "), 2)"
	}
	fs := []string{"swish", "gelu", "softsign", "mish", "gauss", "relu6", "hardtanh", "smoothabs", "silu2", "mix"}
	f := fs[g.r.IntN(len(fs))]
	if f == "mix" {
		return fmt.Sprintf("%s(tanh(%[2]s), sigmoid(%[2]s), %g)", g.use(f), z, []float64{0.25, 0.5, 0.75}[g.r.IntN(3)])
	}
	return g.use(f) + "(" + z + ")"
}

// affine returns an affine expression of v with n outputs: usually
// dense(v, n), sometimes W*v + b with new explicit params.
func (g *gen) affine(v vec, n int) string {
	if g.chance(0.15) {
		g.nparam++
		w, b := fmt.Sprintf("W%d", g.nparam), fmt.Sprintf("b%d", g.nparam)
		g.params = append(g.params, fmt.Sprintf("param %s[%d][%d], %s[%d]", w, n, v.size, b, n))
		return fmt.Sprintf("(%s*%s + %s)", w, v.name, b)
	}
	return fmt.Sprintf("dense(%s, %d)", v.name, n)
}

func (g *gen) def(expr string, size int) vec {
	g.ndef++
	name := fmt.Sprintf("h%d", g.ndef)
	g.defs = append(g.defs, name+" = "+expr)
	return vec{name, size}
}

// layer appends one or more definitions computed from v (and possibly
// earlier vectors) and returns the new last vector.
func (g *gen) layer(v vec, earlier []vec) vec {
	switch g.r.IntN(12) {
	case 0: // gate: a*b of two layers of equal size
		n := g.width()
		if g.chance(0.5) {
			return g.def(fmt.Sprintf("sigmoid(%s) * %s", g.affine(v, n), g.act(g.affine(v, n))), n)
		}
		a := g.def(fmt.Sprintf("sigmoid(%s)", g.affine(v, n)), n)
		c := g.def(fmt.Sprintf("tanh(%s)", g.affine(v, n)), n)
		return g.def(fmt.Sprintf("%s * %s", a.name, c.name), n)
	case 1: // skip connection
		return g.def(fmt.Sprintf("%s + %s", g.act(g.affine(v, v.size)), v.name), v.size)
	case 2: // maxpool with a group size that divides the width
		n := g.width()
		var ks []int
		for k := 1; k <= n; k++ {
			if n%k == 0 {
				ks = append(ks, k)
			}
		}
		k := ks[g.r.IntN(len(ks))]
		return g.def(fmt.Sprintf("maxpool(%s, %d)", g.act(g.affine(v, n)), k), n/k)
	case 3: // weight sharing: one square param used twice
		g.nparam++
		w, b := fmt.Sprintf("W%d", g.nparam), fmt.Sprintf("b%d", g.nparam)
		g.params = append(g.params, fmt.Sprintf("param %s[%d][%d]", w, v.size, v.size), fmt.Sprintf("param %s[%d]", b, v.size))
		h := g.def(fmt.Sprintf("tanh(%s*%s + %s)", w, v.name, b), v.size)
		return g.def(fmt.Sprintf("tanh(%s*%s + %s)", w, h.name, b), v.size)
	case 4: // maxof: a scalar definition used to scale a layer
		g.ndef++
		m := fmt.Sprintf("m%d", g.ndef)
		g.defs = append(g.defs, fmt.Sprintf("%s = maxof(%s)", m, v.name))
		n := g.width()
		return g.def(g.act(fmt.Sprintf("%s(%s) * %s", []string{"tanh", "sigmoid"}[g.r.IntN(2)], m, g.affine(v, n))), n)
	case 5: // an index-form user function after an affine layer
		n := g.width()
		f := []string{"norm", "center", "layernorm", "smax", "smaxraw", "scaled"}[g.r.IntN(6)]
		if f == "center" && n == 1 {
			f = "norm" // the centered vector of one element is constant
		}
		if f == "scaled" {
			return g.def(fmt.Sprintf("%s(%s, 2)", g.use(f), g.affine(v, n)), n)
		}
		return g.def(fmt.Sprintf("%s(%s)", g.use(f), g.affine(v, n)), n)
	case 6: // max or min of two layers of equal size
		n := g.width()
		op := []string{"max", "min"}[g.r.IntN(2)]
		return g.def(fmt.Sprintf("%s(%s, %s)", op, g.act(g.affine(v, n)), g.act(g.affine(v, n))), n)
	case 7: // a sum of two earlier vectors of equal size, if any
		for _, e := range earlier {
			if e.size == v.size && e.name != v.name {
				return g.def(fmt.Sprintf("%s(%s) + 0.5*%s", g.use("softsign"), v.name, e.name), v.size)
			}
		}
	case 8: // a dot-product scalar used as a bias
		if v.size > 1 {
			g.ndef++
			s := fmt.Sprintf("s%d", g.ndef)
			g.defs = append(g.defs, fmt.Sprintf("%s = sum(i, %s[i] * %s[i]) / %d", s, v.name, v.name, v.size))
			n := g.width()
			return g.def(g.act(fmt.Sprintf("%s - %s", g.affine(v, n), s)), n)
		}
	}
	n := g.width()
	return g.def(g.act(g.affine(v, n)), n)
}

func (g *gen) spec(name string, opts Options) []byte {
	prec := []string{"float32", "float64"}[g.r.IntN(2)]
	if opts.Precision != "" {
		prec = opts.Precision // the same network, in another precision
	}
	depth := g.intn(1, 6)
	in := vec{"x", g.intn(1, 40)}
	v := in
	all := []vec{in}
	for range depth - 1 {
		v = g.layer(v, all)
		all = append(all, v)
	}

	// The output layer and the loss.
	var out, loss string
	var outSize int
	var extra []string // scalar definitions for the loss
	switch g.r.IntN(9) {
	case 0: // l2 on a linear or tanh output
		outSize = g.intn(1, 10)
		out = g.affine(v, outSize)
		if g.chance(0.5) {
			out = "tanh(" + out + ")"
		}
		loss = "l2(y, d)"
	case 1:
		outSize = g.intn(2, 10)
		out = "softmax(" + g.affine(v, outSize) + ")"
		loss = "crossentropy(y, d)"
	case 2:
		outSize = g.intn(2, 10)
		out = "softmax(" + g.affine(v, outSize) + ")"
		loss = "kl(y, d)"
	case 3:
		outSize = g.intn(1, 10)
		out = "sigmoid(" + g.affine(v, outSize) + ")"
		loss = "bce(y, d)"
	case 4: // NLL on logsoftmax
		outSize = g.intn(2, 10)
		out = "logsoftmax(" + g.affine(v, outSize) + ")"
		loss = "-sum(i, d[i] * y[i])"
	case 5: // sum of squared errors
		outSize = g.intn(1, 10)
		out = g.affine(v, outSize)
		loss = "sum(i, pow(y[i] - d[i], 2))"
	case 6: // a custom softmax and crossentropy
		outSize = g.intn(2, 10)
		f := []string{"smax", "smaxraw"}[g.r.IntN(2)]
		out = g.use(f) + "(" + g.affine(v, outSize) + ")"
		loss = "crossentropy(y, d)"
	case 7: // a smooth robust loss
		outSize = g.intn(1, 10)
		out = g.affine(v, outSize)
		loss = "sum(i, sqrt(pow(y[i] - d[i], 2) + 1) - 1)"
	case 8: // l2 plus a penalty from a scalar definition
		outSize = g.intn(1, 10)
		out = g.affine(v, outSize)
		extra = append(extra, "penalty = sum(i, abs(y[i])) + 0.1*sum(y)")
		loss = "l2(y, d) + 0.001*penalty"
	}
	g.defs = append(g.defs, "y = "+out)
	g.defs = append(g.defs, extra...)

	var b strings.Builder
	fmt.Fprintf(&b, "// Random spec, seed %s.\npackage %s\n", strings.TrimPrefix(name, "r"), name)
	if prec == "float64" || g.chance(0.5) {
		fmt.Fprintf(&b, "precision %s\n", prec)
	}
	fmt.Fprintf(&b, "input x[%d]\ntarget d[%d]\n", in.size, outSize)
	var fnames []string
	for f := range g.funcs {
		fnames = append(fnames, f)
	}
	slices.Sort(fnames)
	for _, f := range fnames {
		b.WriteString(userFuncs[f] + "\n")
	}
	for _, p := range g.params {
		b.WriteString(p + "\n")
	}
	defs := g.defs
	if g.chance(0.3) {
		// Definitions may appear in any order.
		defs = slices.Clone(defs)
		g.r.Shuffle(len(defs), func(i, j int) { defs[i], defs[j] = defs[j], defs[i] })
	}
	for _, d := range defs {
		b.WriteString(d + "\n")
	}
	if len(extra) > 0 || !strings.HasPrefix(defs[len(defs)-1], "y = ") {
		b.WriteString("output y\n")
	}
	b.WriteString("loss " + loss + "\n")
	return []byte(b.String())
}
