package symbolic

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Network is a lowered spec: a graph with the roles of its tensors. It is
// what spec/ produces and codegen/ consumes; neither side sees the other's
// types.
type Network struct {
	Package   string    // Go package name of the generated code
	Precision string    // "float32" or "float64"
	Source    string    // spec file name, as it appears in the generated header
	Graph     *Graph    // owns every node below
	Input     *Tensor   // the input vector x
	Target    *Tensor   // the desired output d
	Params    []*Tensor // trainable parameters, in the order they first appear in the spec
	Output    *Tensor   // the network output y
	Loss      *Tensor   // the scalar divergence of Output from Target
	Layers    []Layer   // the spec's definitions, for documentation
}

// Layer describes one definition of the spec, for the generated package's
// documentation.
type Layer struct {
	Name  string // the defined name
	Shape []int  // its shape
	Expr  string // its right-hand side, as written
}

// Derivation is a network with its gradients derived and its graph
// rewritten to reuse forward values (see Reuse).
type Derivation struct {
	*Network
	Output, Loss *Tensor   // the rewritten output and loss
	ParamGrads   []*Tensor // dLoss/dParams[k], same shapes as Params
	InputGrad    *Tensor   // dLoss/dInput
}

// Derive differentiates the network's loss with respect to its parameters
// and its input, and rewrites the whole graph so that backward values read
// the stored forward values (Reuse).
func (n *Network) Derive() (*Derivation, error) {
	if n.Loss == nil || !n.Loss.Scalar() {
		return nil, fmt.Errorf("symbolic: the loss must be a scalar")
	}
	g := n.Graph
	wrt := append(append([]*Tensor{}, n.Params...), n.Input)
	grads := g.Derive(n.Loss, wrt...)
	roots := append([]*Tensor{n.Output, n.Loss}, grads...)
	roots = g.Reuse(roots...)
	if err := checkConsts(n.Precision, roots); err != nil {
		return nil, err
	}
	np := len(n.Params)
	return &Derivation{
		Network:    n,
		Output:     roots[0],
		Loss:       roots[1],
		ParamGrads: roots[2 : 2+np],
		InputGrad:  roots[2+np],
	}, nil
}

// checkConsts reports a constant of the derived graph that generated code
// in the given precision cannot use: NaN, an infinity, or for float32 a
// magnitude beyond float32's range. spec.Lower rejects such constants in
// the forward pass, at their position in the spec; the derivation can
// still multiply constants into one that overflows float32, as the
// derivative 100*1e37*z^99 of 1e37*z^100 does.
func checkConsts(precision string, roots []*Tensor) error {
	limit := math.MaxFloat64
	if precision == "float32" {
		limit = math.MaxFloat32
	}
	seen := map[*Expr]bool{}
	for _, t := range liveFrom(roots...) {
		if t.Kind != KindMap {
			continue
		}
		for _, e := range postorder(t.Body) {
			if seen[e] || e.Op != OpConst && e.Op != OpPow {
				continue
			}
			seen[e] = true
			if v := e.Val; math.IsNaN(v) || math.Abs(v) > limit {
				return fmt.Errorf("the derivation computes the constant %v, which %s cannot represent, in %s: use smaller constants in the spec, or precision float64",
					v, precision, Shorten(t.String(), 120))
			}
		}
	}
	return nil
}

// methods are the exported methods of the generated Model and Gradients,
// keyed by name. Both types have one field per parameter, named by
// ExportName, and Go forbids a field and a method of one name, so a
// parameter whose exported form is in this list would give a package that
// does not compile; spec/ rejects it. This is the one list of those names:
// a test in internal/difftest fails when the generated package has an
// exported method that is missing here. Every other exported identifier of
// the package (Model, Tensor, Float, InputSize, NewAdam, SGD, ...) lives
// in another scope than the fields and can be a parameter's name.
var methods = map[string]string{
	"Backward":       "the method Model.Backward",
	"BackwardBatch":  "the method Model.BackwardBatch",
	"ClipNorm":       "the method Gradients.ClipNorm",
	"Forward":        "the method Model.Forward",
	"ForwardBatch":   "the method Model.ForwardBatch",
	"Init":           "the method Model.Init",
	"InputGradient":  "the method Model.InputGradient",
	"Load":           "the method Model.Load",
	"Loss":           "the method Model.Loss",
	"Save":           "the method Model.Save",
	"Step":           "the method Model.Step",
	"Tensors":        "the methods Model.Tensors and Gradients.Tensors",
	"TrainBatch":     "the method Model.TrainBatch",
	"TrainBatchWith": "the method Model.TrainBatchWith",
	"TrainStep":      "the method Model.TrainStep",
	"TrainStepWith":  "the method Model.TrainStepWith",
	"Zero":           "the method Gradients.Zero",
}

// GeneratedMethod reports whether goName, the exported form of a
// parameter's name, is the name of an exported method of the generated
// Model or Gradients, and names that method ("the method Model.Forward").
func GeneratedMethod(goName string) (string, bool) {
	m, ok := methods[goName]
	return m, ok
}

// ExportName returns the exported Go identifier that generated code uses
// for a tensor name: the name split at '.' and '_', each part capitalized,
// the parts joined ("h1.weight" -> "H1Weight"). spec/ rejects names whose
// forms collide, and codegen/ names Model fields with it, so the rule lives
// here, in the one package both use.
func ExportName(name string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '_' }) {
		r, n := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(part[n:])
	}
	return b.String()
}
