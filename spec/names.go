package spec

import (
	"github.com/bpgen/bpgen/symbolic"
	"sort"
	"unicode"
	"unicode/utf8"
)

// Size limits. Every size in a spec (input, target, param dimensions, the
// size of dense and the group size of maxpool) is an integer literal from 1
// to MaxSize, and a matrix has at most MaxElements elements. The limits keep
// generated fixed-size arrays well inside what the Go compiler accepts and
// keep every index computation far from int overflow: MaxSize is 16M, and a
// 64M-element float64 matrix is already 512 MiB.
const (
	MaxSize     = 1 << 24 // largest size of a vector or of a matrix dimension
	MaxElements = 1 << 26 // most elements in a parameter matrix
)

// builtinKind says how a builtin's shapes work.
type builtinKind int

const (
	elementwise builtinKind = iota // scalar function, applied elementwise to vectors
	vectorMap                      // vector -> vector of the same size (softmax)
	reduce                         // vector -> scalar (maxof, sum)
	divergence                     // two vectors of equal size -> scalar
	denseLayer                     // dense(v, n)
	pool                           // maxpool(v, k)
)

type builtin struct {
	kind     builtinKind
	min, max int    // number of arguments
	constArg int    // index of an argument that must be a constant scalar, or -1
	constIs  string // what that argument is, for messages
}

// builtins are the built-in functions. Their names cannot be used as names
// in a spec.
var builtins = map[string]builtin{
	"exp":          {elementwise, 1, 1, -1, ""},
	"log":          {elementwise, 1, 1, -1, ""},
	"sqrt":         {elementwise, 1, 1, -1, ""},
	"abs":          {elementwise, 1, 1, -1, ""},
	"tanh":         {elementwise, 1, 1, -1, ""},
	"sigmoid":      {elementwise, 1, 1, -1, ""},
	"softplus":     {elementwise, 1, 1, -1, ""},
	"relu":         {elementwise, 1, 1, -1, ""},
	"leakyrelu":    {elementwise, 2, 2, 1, "slope"},
	"max":          {elementwise, 2, 2, -1, ""},
	"min":          {elementwise, 2, 2, -1, ""},
	"pow":          {elementwise, 2, 2, 1, "exponent"},
	"dense":        {denseLayer, 2, 2, -1, ""},
	"softmax":      {vectorMap, 1, 1, -1, ""},
	"logsoftmax":   {vectorMap, 1, 1, -1, ""},
	"maxpool":      {pool, 2, 2, -1, ""},
	"maxof":        {reduce, 1, 1, -1, ""},
	"sum":          {reduce, 1, 2, -1, ""},
	"l2":           {divergence, 2, 2, -1, ""},
	"crossentropy": {divergence, 2, 2, -1, ""},
	"kl":           {divergence, 2, 2, -1, ""},
	"bce":          {divergence, 2, 2, -1, ""},
}

func isBuiltin(name string) bool {
	_, ok := builtins[name]
	return ok
}

// keywords are the declaration keywords that are not Go keywords; they
// cannot be used as names, so that "loss = ..." is not silently a
// definition named loss.
var keywords = map[string]bool{
	"precision": true,
	"input":     true,
	"target":    true,
	"param":     true,
	"output":    true,
	"loss":      true,
}

// ExportName returns the exported Go form of a spec name: the name split at
// '.' and '_', each part with its first letter in upper case, joined. So
// "h1.weight" is "H1Weight", "W3" is "W3" and "b3" is "B3". Parse reports
// two names with the same exported form.
func ExportName(name string) string { return symbolic.ExportName(name) }

// checkGeneratedNames reports params whose exported form is the name of a
// method of the generated Model or Gradients, where the param would be a
// field of the same name (see symbolic.GeneratedMethod). Only params
// become exported identifiers of the generated package; the other names
// of a spec become unexported fields and locals, which codegen keeps
// apart from its own.
func (c *checker) checkGeneratedNames() {
	for _, p := range c.f.Params {
		e := ExportName(p.Name)
		m, ok := symbolic.GeneratedMethod(e)
		if !ok {
			continue
		}
		off := c.paramKey[p][0]
		if !p.Implicit {
			off = c.declOff[p.Name]
		}
		c.errorAt(off, "param %q has the Go name %q, which the generated package uses for %s: rename the param", p.Name, e, m)
	}
}

// exportable reports whether ExportName(name) is an exported Go identifier.
func exportable(name string) bool {
	r, _ := utf8.DecodeRuneInString(ExportName(name))
	return unicode.IsUpper(r)
}

// suggest returns " (did you mean %q?)" for the candidate closest to name,
// if one is within edit distance 2, or "".
func suggest(name string, candidates []string) string {
	if len(name) > 64 {
		return ""
	}
	best, bestD := "", 3
	sort.Strings(candidates)
	for _, c := range candidates {
		if c == name || len(c) > 64 {
			continue
		}
		if d := editDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	// Only close matches help: "relu2" suggests "relu", "foo" suggests nothing.
	if best == "" || bestD == 1 && len(name) < 3 || bestD == 2 && len(name) < 6 {
		return ""
	}
	return " (did you mean \"" + best + "\"?)"
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
