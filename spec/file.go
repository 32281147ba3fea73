package spec

import (
	"go/ast"
	"go/token"
)

// File is a parsed and checked spec. [Parse] returns a File only when the
// spec has no problems, so every name in it is resolved, every call has a
// known function and the right number of arguments, and every shape agrees.
type File struct {
	Filename  string // the file name given to Parse
	Package   string // Go package name of the generated code
	Precision string // "float32" (the default) or "float64"

	Input  *Var // the input vector
	Target *Var // the desired output, used only by the loss

	// Params are the trainable parameters, ordered as they first appear in
	// the spec: explicit ones at their param declaration, dense-made ones at
	// their dense call, a weight before its bias.
	Params []*Param

	Funcs []*Func // user-defined functions, in source order
	Defs  []*Def  // definitions, in source order

	// Order is Defs in topological order: each definition comes after the
	// definitions it uses; ties are broken by source order.
	Order []*Def

	Output *Def     // the network's output (default: the last definition)
	Loss   ast.Expr // the loss, a scalar expression
	Info   *Info    // what the names and expressions mean
}

// Var is the input or the target vector.
type Var struct {
	Name string
	Size int            // number of elements, 1 <= Size <= MaxSize
	Pos  token.Position // position of the name in its declaration

	// Distribution is set for a target declared "target d[n]
	// distribution": every target sums to 1 (one-hot labels and soft
	// labels alike), a fact the derivation may use.
	Distribution bool
}

// Param is a trainable parameter: a vector [n] or a matrix [out][in].
type Param struct {
	// Name is the name declared with param, or for a parameter made by
	// dense in definition h: "h.weight" and "h.bias" for the first dense
	// call, "h.weight_1" and "h.bias_1" for the second, and so on, in
	// source order. It is the name used in saved weight files.
	Name string

	// Shape is [n] for a vector and [out, in] for a matrix, in PyTorch
	// order: a matrix W multiplies a vector v of size in, W*v has size out.
	Shape []int

	Pos      token.Position // the name in the param declaration, or the dense call
	Implicit bool           // made by a dense call, not declared with param
}

// Func is a user-defined function.
//
// A scalar function (Index == "") such as func swish(z) = z * sigmoid(z) has
// scalar parameters and a scalar body; called with vectors, it applies
// elementwise.
//
// An index-form function (Index != "") such as
// func softmax2(z)[i] = exp(z[i]) / sum(j, exp(z[j])) computes element i of
// its result; it returns a vector of the size of the vectors indexed by i.
// The shapes of its parameters are those of the arguments of each call, so
// Info.Shapes has no entries for the expressions of its body: lowering
// instantiates the body for each call.
type Func struct {
	Name   string
	Params []string       // parameter names, at least one
	Index  string         // the index variable of an index-form function, or ""
	Body   ast.Expr       // the right-hand side
	Pos    token.Position // position of the name
}

// Def is a definition NAME = EXPR.
type Def struct {
	Name  string
	Expr  ast.Expr
	Pos   token.Position // position of the name
	Shape []int          // [n] for a vector, nil for a scalar
}

// Info records what the expressions of a File mean.
type Info struct {
	// Shapes holds the shape of every expression in Defs and in Loss:
	// nil for a scalar, [n] for a vector, [out, in] for a parameter matrix.
	// Only operands have entries: the function name of a call, the index
	// of v[i] and the index name of sum(i, ...) have none. Expressions in
	// function bodies have none either (see Func).
	Shapes map[ast.Expr][]int

	// Consts holds the value of every constant scalar expression, that is
	// a number literal or +, -, *, / and parentheses applied to constants,
	// in Defs and Loss. Arithmetic is real (floating-point) arithmetic: 1/2
	// is 0.5.
	Consts map[ast.Expr]float64

	// Uses maps each identifier in Defs, Loss and function bodies to what it
	// refers to, including the function names of calls and the index names
	// bound by sum(i, ...).
	Uses map[*ast.Ident]Object

	// Dense holds the parameters made by each dense call.
	Dense map[*ast.CallExpr]DenseParams

	// Pos maps a position of any node in Defs, Loss or Funcs to its line
	// and column in the spec file.
	Pos func(token.Pos) token.Position
}

// DenseParams are the parameters made by one dense(v, n) call: the weight
// [n][len(v)] and the bias [n].
type DenseParams struct {
	Weight, Bias *Param
}

// Object is what an identifier refers to: *Var (input or target), *Param,
// *Def, *Func, FuncParam, IndexVar or Builtin.
type Object interface {
	object()
}

// FuncParam is a parameter of a user-defined function, used in its body.
type FuncParam struct {
	Func  *Func
	Index int // position in Func.Params
}

// IndexVar is an index variable: the index of an index-form function, or
// the index bound by sum(i, ...).
type IndexVar struct {
	Name string

	// Size is the range of the index: the size of the vectors it indexes.
	// It is 0 in function bodies, where it depends on the call.
	Size int

	// Sum is the sum(i, ...) call that binds the index, or nil for the
	// index of an index-form function.
	Sum *ast.CallExpr
}

// Builtin is a built-in function, such as relu, dense or crossentropy.
type Builtin struct {
	Name string
}

func (*Var) object()      {}
func (*Param) object()    {}
func (*Def) object()      {}
func (*Func) object()     {}
func (FuncParam) object() {}
func (IndexVar) object()  {}
func (Builtin) object()   {}
