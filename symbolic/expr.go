package symbolic

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Op is the operation of a scalar expression node.
type Op uint8

// The scalar operations. Each op's derivative rule is in partials, in derive.go.
const (
	OpInvalid  Op = iota
	OpConst       // a float64 constant Val
	OpVar         // a free scalar variable Name
	OpRef         // element of tensor Tensor: t[i] inside a map over i, or t itself when t is a scalar
	OpAdd         // a0 + a1 + ... (n-ary, canonical operand order)
	OpMul         // a0 * a1 * ... (n-ary, canonical operand order, constant first)
	OpPow         // a0 ^ Val, Val a constant exponent
	OpExp         // exp(a0)
	OpLog         // log(a0), natural logarithm
	OpSqrt        // sqrt(a0)
	OpAbs         // |a0|
	OpTanh        // tanh(a0)
	OpSigmoid     // 1 / (1 + exp(-a0))
	OpSoftplus    // log(1 + exp(a0)), computed stably
	OpMax         // max(a0, a1); at a tie the subgradient goes to a0
	OpMin         // min(a0, a1); at a tie the subgradient goes to a0
	OpSelect      // a1 if a0 > 0, else a2
)

var opNames = [...]string{
	OpInvalid: "invalid", OpConst: "const", OpVar: "var", OpRef: "ref",
	OpAdd: "add", OpMul: "mul", OpPow: "pow", OpExp: "exp", OpLog: "log",
	OpSqrt: "sqrt", OpAbs: "abs", OpTanh: "tanh", OpSigmoid: "sigmoid",
	OpSoftplus: "softplus", OpMax: "max", OpMin: "min", OpSelect: "select",
}

func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// Expr is an immutable, hash-consed scalar expression node. Two
// structurally equal expressions built in the same Graph are the same
// pointer, so common subexpressions are shared by construction.
type Expr struct {
	ID     int     // creation order inside its Graph; dense from 0
	Op     Op      // the operation
	Args   []*Expr // operands, in canonical order for OpAdd and OpMul
	Val    float64 // the constant of OpConst, the exponent of OpPow
	Name   string  // the name of OpVar
	Tensor *Tensor // the tensor of OpRef

	positive bool // the value is known to be > 0 wherever it is defined
	depth    int  // longest path to a leaf, for cost estimates
}

// Positive reports whether e is known to be strictly positive wherever it
// is defined (exp, sigmoid, softplus, positive constants, and sums,
// products and powers of positive values).
func (e *Expr) Positive() bool { return e.positive }

// IsConst reports whether e is the constant v.
func (e *Expr) IsConst(v float64) bool { return e.Op == OpConst && e.Val == v }

type exprKey struct {
	op   Op
	val  uint64
	name string
	ref  *Tensor
	args string // the argument IDs, joined
}

func argsKey(args []*Expr) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(strconv.Itoa(a.ID))
		b.WriteByte(',')
	}
	return b.String()
}

// intern returns the unique node for (op, args, val, name, ref), creating it
// if needed. It does no simplification: the smart constructors do.
func (g *Graph) intern(op Op, args []*Expr, val float64, name string, ref *Tensor) *Expr {
	k := exprKey{op: op, val: math.Float64bits(val), name: name, ref: ref, args: argsKey(args)}
	if e, ok := g.exprs[k]; ok {
		return e
	}
	e := &Expr{ID: len(g.exprList), Op: op, Args: args, Val: val, Name: name, Tensor: ref}
	for _, a := range args {
		e.depth = max(e.depth, a.depth+1)
	}
	e.positive = positive(e)
	g.exprs[k] = e
	g.exprList = append(g.exprList, e)
	return e
}

func positive(e *Expr) bool {
	switch e.Op {
	case OpConst:
		return e.Val > 0
	case OpRef:
		return e.Tensor.positive
	case OpExp, OpSigmoid, OpSoftplus:
		return true
	case OpAdd, OpMul:
		for _, a := range e.Args {
			if !a.positive {
				return false
			}
		}
		return true
	case OpPow, OpSqrt:
		return e.Args[0].positive
	case OpMax:
		return e.Args[0].positive || e.Args[1].positive
	case OpMin:
		return e.Args[0].positive && e.Args[1].positive
	case OpSelect:
		return e.Args[1].positive && e.Args[2].positive
	}
	return false
}

// String prints e in a conventional infix notation. It is deterministic:
// it depends only on the structure of e and on creation order.
func (e *Expr) String() string { return e.Format(nil) }

// Format is String with tensors named by label (nil: their own names, or
// t<ID> for temporaries).
func (e *Expr) Format(label func(*Tensor) string) string {
	if label == nil {
		label = (*Tensor).label
	}
	var b strings.Builder
	e.write(&b, 0, label)
	return Shorten(b.String(), maxFormat+3)
}

// Shorten returns s cut to at most n bytes (n > 3) and ending in "..." when
// cut, never in the middle of a UTF-8 sequence.
func Shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n-3], "") + "..."
}

// maxFormat caps the length of a formatted expression, which ends in "..."
// when cut. A hash-consed expression can share subexpressions so often that
// its printed tree is exponentially long; writing stops at the cap, so
// printing takes time linear in the cap, not in the tree.
const maxFormat = 2000

// precedence levels for printing
const (
	precAdd = 1
	precMul = 2
	precPow = 3
)

func (e *Expr) write(b *strings.Builder, outer int, label func(*Tensor) string) {
	if b.Len() > maxFormat {
		return
	}
	switch e.Op {
	case OpConst:
		s := formatConst(e.Val)
		if e.Val < 0 && outer > 0 {
			s = "(" + s + ")"
		}
		b.WriteString(s)
	case OpVar:
		b.WriteString(e.Name)
	case OpRef:
		b.WriteString(e.Tensor.refString(label))
	case OpAdd:
		if outer > precAdd {
			b.WriteByte('(')
		}
		for i, a := range PositiveFirst(e.Args) {
			coef, rest := splitCoef(a)
			switch {
			case i == 0:
				a.write(b, precAdd, label)
			case coef < 0:
				b.WriteString(" - ")
				if coef != -1 {
					b.WriteString(formatConst(-coef))
					b.WriteByte('*')
				}
				switch {
				case rest == nil:
					// a product of several factors: splitCoef leaves the
					// rest to the caller
					writeFactors(b, a.Args[1:], label)
				case coef == -1:
					rest.write(b, precAdd+1, label)
				default:
					rest.write(b, precMul, label)
				}
			default:
				b.WriteString(" + ")
				a.write(b, precAdd, label)
			}
		}
		if outer > precAdd {
			b.WriteByte(')')
		}
	case OpMul:
		coef, _ := splitCoef(e)
		if coef == -1 {
			if outer > precAdd {
				b.WriteByte('(')
			}
			b.WriteByte('-')
			writeFactors(b, e.Args[1:], label)
			if outer > precAdd {
				b.WriteByte(')')
			}
			return
		}
		if outer > precMul {
			b.WriteByte('(')
		}
		writeFactors(b, e.Args, label)
		if outer > precMul {
			b.WriteByte(')')
		}
	case OpPow:
		if e.Val == -1 {
			if outer >= precMul {
				b.WriteByte('(')
			}
			b.WriteString("1/")
			e.Args[0].write(b, precPow, label)
			if outer >= precMul {
				b.WriteByte(')')
			}
			return
		}
		// (x^2)^0.5 needs its parentheses: x^2^0.5 reads as x^(2^0.5).
		if outer > precPow {
			b.WriteByte('(')
		}
		e.Args[0].write(b, precPow+1, label)
		b.WriteByte('^')
		b.WriteString(formatConst(e.Val))
		if outer > precPow {
			b.WriteByte(')')
		}
	default:
		b.WriteString(e.Op.String())
		b.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			a.write(b, 0, label)
		}
		b.WriteByte(')')
	}
}

// writeFactors prints a product, writing factors x^-1 as divisions.
func writeFactors(b *strings.Builder, fs []*Expr, label func(*Tensor) string) {
	var num, den []*Expr
	for _, f := range fs {
		if f.Op == OpPow && f.Val < 0 {
			den = append(den, f)
		} else {
			num = append(num, f)
		}
	}
	if len(num) == 0 {
		b.WriteByte('1')
	}
	for i, f := range num {
		if i > 0 {
			b.WriteByte('*')
		}
		f.write(b, precMul+1, label)
	}
	for _, f := range den {
		b.WriteByte('/')
		if f.Val == -1 {
			f.Args[0].write(b, precPow, label)
		} else {
			b.WriteString("(")
			f.Args[0].write(b, precPow+1, label)
			b.WriteString("^" + formatConst(-f.Val) + ")")
		}
	}
}

func formatConst(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Graph owns the nodes of one network: scalar expressions and tensors.
// Nodes are created through its methods and never change afterwards. A
// Graph is not safe for concurrent use.
type Graph struct {
	exprs    map[exprKey]*Expr
	exprList []*Expr
	tensors  []*Tensor
	tkeys    map[string]*Tensor
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{exprs: map[exprKey]*Expr{}, tkeys: map[string]*Tensor{}}
}

// NumExprs returns the number of scalar nodes created so far.
func (g *Graph) NumExprs() int { return len(g.exprList) }

// Const returns the constant v.
func (g *Graph) Const(v float64) *Expr {
	if v == 0 {
		v = 0 // fold -0 into +0: they are equal in every computation here
	}
	return g.intern(OpConst, nil, v, "", nil)
}

// Var returns the free scalar variable named name.
func (g *Graph) Var(name string) *Expr { return g.intern(OpVar, nil, 0, name, nil) }

// Ref returns the expression that stands for the elements of t inside a
// map (or for t itself when t is a scalar).
func (g *Graph) Ref(t *Tensor) *Expr { return g.intern(OpRef, nil, 0, "", t) }

// splitCoef splits e into a constant coefficient and the rest: 3*x -> (3, x).
// A constant c splits into (c, nil).
// PositiveFirst returns the terms of a sum in printing order: as they are,
// except that when the first is subtracted (and not a constant), the first
// term that is added comes before it, so that y - d prints as such and not
// as -d + y. The printers of this package use it; so does codegen's, for
// sums of two terms, whose value does not depend on the order.
func PositiveFirst(terms []*Expr) []*Expr {
	if len(terms) < 2 || terms[0].Op == OpConst {
		return terms
	}
	if c, _ := splitCoef(terms[0]); c >= 0 {
		return terms
	}
	for i, a := range terms[1:] {
		if c, _ := splitCoef(a); c >= 0 {
			out := make([]*Expr, 0, len(terms))
			out = append(out, a)
			out = append(out, terms[:i+1]...)
			return append(out, terms[i+2:]...)
		}
	}
	return terms
}

func splitCoef(e *Expr) (float64, *Expr) {
	switch {
	case e.Op == OpConst:
		return e.Val, nil
	case e.Op == OpMul && e.Args[0].Op == OpConst:
		if len(e.Args) == 2 {
			return e.Args[0].Val, e.Args[1]
		}
		return e.Args[0].Val, nil // the caller rebuilds the rest when it needs it
	}
	return 1, e
}

// coefRest is splitCoef that always returns a non-nil rest for non-constants.
func (g *Graph) coefRest(e *Expr) (float64, *Expr) {
	if e.Op == OpConst {
		return e.Val, nil
	}
	if e.Op == OpMul && e.Args[0].Op == OpConst {
		rest := e.Args[1:]
		if len(rest) == 1 {
			return e.Args[0].Val, rest[0]
		}
		return e.Args[0].Val, g.intern(OpMul, slices.Clone(rest), 0, "", nil)
	}
	return 1, e
}

func sortArgs(args []*Expr) {
	slices.SortFunc(args, func(a, b *Expr) int {
		// constants first, then by creation order
		ac, bc := a.Op == OpConst, b.Op == OpConst
		if ac != bc {
			if ac {
				return -1
			}
			return 1
		}
		return a.ID - b.ID
	})
}

// flattenLimit bounds the size of a nested sum or product that Add and Mul
// flatten into their result. Larger ones stay a single operand, so that a
// chain of n nested operations differentiates in O(n) time and space
// instead of copying ever longer products (the adjoint of step k of a chain
// is the product of k partial derivatives).
const flattenLimit = 16

// Add returns the simplified sum of its arguments: nested sums are
// flattened, constants folded and like terms collected (x + 2*x = 3*x,
// x - x = 0).
func (g *Graph) Add(args ...*Expr) *Expr {
	var konst float64
	coefs := map[*Expr]float64{}
	var order []*Expr
	var add func(e *Expr, scale float64)
	add = func(e *Expr, scale float64) {
		if e.Op == OpAdd && len(e.Args) <= flattenLimit {
			for _, a := range e.Args {
				add(a, scale)
			}
			return
		}
		c, rest := g.coefRest(e)
		if rest == nil {
			konst += scale * c
			return
		}
		if _, ok := coefs[rest]; !ok {
			order = append(order, rest)
		}
		coefs[rest] += scale * c
	}
	for _, a := range args {
		add(a, 1)
	}
	var terms []*Expr
	if konst != 0 {
		terms = append(terms, g.Const(konst))
	}
	for _, r := range order {
		if c := coefs[r]; c != 0 {
			terms = append(terms, g.scale(c, r))
		}
	}
	switch len(terms) {
	case 0:
		return g.Const(0)
	case 1:
		return terms[0]
	}
	sortArgs(terms)
	return g.intern(OpAdd, terms, 0, "", nil)
}

// scale returns c*r for a non-constant r that carries no coefficient.
func (g *Graph) scale(c float64, r *Expr) *Expr {
	if c == 1 {
		return r
	}
	args := []*Expr{g.Const(c)}
	if r.Op == OpMul {
		args = append(args, r.Args...)
	} else {
		args = append(args, r)
	}
	return g.intern(OpMul, args, 0, "", nil)
}

// scaleSum returns c times the sum s, term by term: the coefficient of
// each term is multiplied by c, and nothing inside the terms is rebuilt.
func (g *Graph) scaleSum(c float64, s *Expr) *Expr {
	terms := make([]*Expr, len(s.Args))
	for i, t := range s.Args {
		k, rest := g.coefRest(t)
		if rest == nil {
			terms[i] = g.Const(c * k)
		} else {
			terms[i] = g.scale(c*k, rest)
		}
	}
	return g.Add(terms...)
}

// Sub returns a - b.
func (g *Graph) Sub(a, b *Expr) *Expr { return g.Add(a, g.Neg(b)) }

// Neg returns -a.
func (g *Graph) Neg(a *Expr) *Expr { return g.Mul(g.Const(-1), a) }

// Mul returns the simplified product of its arguments: nested products are
// flattened, constants folded, x*0 = 0, x*1 = x, and equal bases collected
// into powers (x*x = x^2, x/x = 1).
func (g *Graph) Mul(args ...*Expr) *Expr {
	konst := 1.0
	powers := map[*Expr]float64{}
	var order []*Expr
	var mul func(e *Expr)
	mul = func(e *Expr) {
		switch {
		case e.Op == OpMul && len(e.Args) > flattenLimit:
			// a large product stays one factor (see flattenLimit)
		case e.Op == OpMul:
			for _, a := range e.Args {
				mul(a)
			}
			return
		case e.Op == OpConst:
			konst *= e.Val
			return
		}
		base, p := e, 1.0
		if e.Op == OpPow {
			base, p = e.Args[0], e.Val
		}
		if _, ok := powers[base]; !ok {
			order = append(order, base)
		}
		powers[base] += p
	}
	for _, a := range args {
		mul(a)
	}
	if konst == 0 {
		return g.Const(0)
	}
	var factors []*Expr
	for _, base := range order {
		if p := powers[base]; p != 0 {
			factors = append(factors, g.Pow(base, p))
		}
	}
	// A power of a product or a constant may have produced new constants or
	// products: flatten once more.
	var flat []*Expr
	for _, f := range factors {
		switch {
		case f.Op == OpConst:
			konst *= f.Val
		case f.Op == OpMul && len(f.Args) <= flattenLimit:
			for _, a := range f.Args {
				if a.Op == OpConst {
					konst *= a.Val
				} else {
					flat = append(flat, a)
				}
			}
		default:
			flat = append(flat, f)
		}
	}
	if konst == 0 {
		return g.Const(0)
	}
	if len(flat) == 0 {
		return g.Const(konst)
	}
	// A constant multiplies into a sum factor, so that like terms meet and
	// no bare coefficient is left: -(x - y) = y - x, 0.5*(2y - 2d)*u =
	// (y - d)*u.
	sortArgs(flat)
	if konst != 1 {
		for k, f := range flat {
			if f.Op != OpAdd {
				continue
			}
			if len(flat) > 1 && konst == -1 {
				break // -(1 - y)*d reads better than (-1 + y)*d
			}
			sum := g.scaleSum(konst, f)
			if len(flat) == 1 {
				return sum
			}
			rest := append(append(slices.Clone(flat[:k]), sum), flat[k+1:]...)
			return g.Mul(rest...)
		}
	}
	if konst == 1 && len(flat) == 1 {
		return flat[0]
	}
	if konst != 1 { // flat is still sorted: the loop above changed nothing
		flat = append([]*Expr{g.Const(konst)}, flat...)
	}
	return g.intern(OpMul, flat, 0, "", nil)
}

// Div returns a / b, that is a * b^-1.
func (g *Graph) Div(a, b *Expr) *Expr { return g.Mul(a, g.Pow(b, -1)) }

// Pow returns a^p for a constant exponent p.
func (g *Graph) Pow(a *Expr, p float64) *Expr {
	switch {
	case p == 0:
		return g.Const(1)
	case p == 1:
		return a
	case a.Op == OpConst:
		return g.Const(math.Pow(a.Val, p))
	case a.Op == OpPow:
		// (x^q)^p = x^(pq) holds for integer p, or for positive x.
		if p == math.Trunc(p) || a.Args[0].positive {
			return g.Pow(a.Args[0], a.Val*p)
		}
	case a.Op == OpSqrt && p == 2:
		return a.Args[0] // sqrt(x)^2 = x where sqrt(x) is defined
	case a.Op == OpMul && p == math.Trunc(p) && len(a.Args) <= flattenLimit:
		fs := make([]*Expr, len(a.Args))
		for i, f := range a.Args {
			fs[i] = g.Pow(f, p)
		}
		return g.Mul(fs...)
	}
	return g.intern(OpPow, []*Expr{a}, p, "", nil)
}

// Sqrt returns sqrt(a). A constant folds, even when negative (to NaN):
// every constant expression is a constant, which callers can check.
func (g *Graph) Sqrt(a *Expr) *Expr {
	if a.Op == OpConst {
		return g.Const(math.Sqrt(a.Val))
	}
	return g.intern(OpSqrt, []*Expr{a}, 0, "", nil)
}

// Exp returns exp(a); exp(log x) = x for a positive x.
func (g *Graph) Exp(a *Expr) *Expr {
	switch {
	case a.Op == OpConst:
		return g.Const(math.Exp(a.Val))
	case a.Op == OpLog && a.Args[0].positive:
		return a.Args[0]
	}
	return g.intern(OpExp, []*Expr{a}, 0, "", nil)
}

// Log returns log(a), rewritten into stable forms where that is sound:
// log(exp x) = x; the log of a product of positive factors is the sum of
// their logs; log(sigmoid x) = -softplus(-x) and log(1 - sigmoid x) =
// -softplus(x), so no log of 0 arises from a saturated sigmoid.
func (g *Graph) Log(a *Expr) *Expr {
	switch a.Op {
	case OpConst: // log 0 = -Inf and the log of a negative is NaN, as constants
		return g.Const(math.Log(a.Val))
	case OpExp:
		return a.Args[0]
	case OpSigmoid:
		return g.Neg(g.Softplus(g.Neg(a.Args[0])))
	case OpPow:
		if a.Args[0].positive {
			return g.Mul(g.Const(a.Val), g.Log(a.Args[0]))
		}
	case OpMul:
		all := true
		for _, f := range a.Args {
			all = all && f.positive
		}
		if all {
			terms := make([]*Expr, len(a.Args))
			for i, f := range a.Args {
				terms[i] = g.Log(f)
			}
			return g.Add(terms...)
		}
	case OpAdd:
		// 1 - sigmoid(x)
		if len(a.Args) == 2 && a.Args[0].IsConst(1) {
			if c, r := g.coefRest(a.Args[1]); c == -1 && r.Op == OpSigmoid {
				return g.Neg(g.Softplus(r.Args[0]))
			}
		}
	}
	return g.intern(OpLog, []*Expr{a}, 0, "", nil)
}

// Abs returns |a|.
func (g *Graph) Abs(a *Expr) *Expr {
	switch {
	case a.Op == OpConst:
		return g.Const(math.Abs(a.Val))
	case a.positive:
		return a
	}
	return g.intern(OpAbs, []*Expr{a}, 0, "", nil)
}

// Tanh returns tanh(a).
func (g *Graph) Tanh(a *Expr) *Expr {
	if a.Op == OpConst {
		return g.Const(math.Tanh(a.Val))
	}
	return g.intern(OpTanh, []*Expr{a}, 0, "", nil)
}

// Sigmoid returns 1/(1+exp(-a)). sigmoid(-x) is written 1 - sigmoid(x), so
// that one sigmoid node serves both signs.
func (g *Graph) Sigmoid(a *Expr) *Expr {
	if a.Op == OpConst {
		return g.Const(1 / (1 + math.Exp(-a.Val)))
	}
	if neg, ok := g.negated(a); ok {
		return g.Sub(g.Const(1), g.Sigmoid(neg))
	}
	return g.intern(OpSigmoid, []*Expr{a}, 0, "", nil)
}

// negated returns -a when a is written with a leading minus: -x, -2*x, or
// a sum whose terms all carry negative coefficients.
func (g *Graph) negated(a *Expr) (*Expr, bool) {
	switch a.Op {
	case OpMul:
		if c, _ := splitCoef(a); c < 0 {
			return g.Neg(a), true
		}
	case OpAdd:
		for _, t := range a.Args {
			if c, _ := splitCoef(t); c >= 0 {
				return nil, false
			}
		}
		return g.Neg(a), true
	}
	return nil, false
}

// Softplus returns log(1+exp(a)).
func (g *Graph) Softplus(a *Expr) *Expr {
	if a.Op == OpConst {
		return g.Const(softplus(a.Val))
	}
	return g.intern(OpSoftplus, []*Expr{a}, 0, "", nil)
}

func softplus(x float64) float64 {
	return max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

// Max returns max(a, b). At a tie the subgradient goes to a.
func (g *Graph) Max(a, b *Expr) *Expr {
	if a.Op == OpConst && b.Op == OpConst {
		return g.Const(max(a.Val, b.Val))
	}
	if a == b {
		return a
	}
	return g.intern(OpMax, []*Expr{a, b}, 0, "", nil)
}

// Min returns min(a, b). At a tie the subgradient goes to a.
func (g *Graph) Min(a, b *Expr) *Expr {
	if a.Op == OpConst && b.Op == OpConst {
		return g.Const(min(a.Val, b.Val))
	}
	if a == b {
		return a
	}
	return g.intern(OpMin, []*Expr{a, b}, 0, "", nil)
}

// Select returns a if c > 0, else b.
func (g *Graph) Select(c, a, b *Expr) *Expr {
	switch {
	case c.Op == OpConst && c.Val > 0:
		return a
	case c.Op == OpConst:
		return b
	case c.positive:
		return a
	case a == b:
		return a
	}
	return g.intern(OpSelect, []*Expr{c, a, b}, 0, "", nil)
}

// Relu returns max(0, a): at exactly 0 the subgradient goes to the constant
// 0, so relu'(0) = 0 (the subgradient policy, see the package doc).
func (g *Graph) Relu(a *Expr) *Expr { return g.Max(g.Const(0), a) }

// Call builds op applied to args through the op's smart constructor.
func (g *Graph) Call(op Op, val float64, args ...*Expr) *Expr {
	switch op {
	case OpAdd:
		return g.Add(args...)
	case OpMul:
		return g.Mul(args...)
	case OpPow:
		return g.Pow(args[0], val)
	case OpExp:
		return g.Exp(args[0])
	case OpLog:
		return g.Log(args[0])
	case OpSqrt:
		return g.Sqrt(args[0])
	case OpAbs:
		return g.Abs(args[0])
	case OpTanh:
		return g.Tanh(args[0])
	case OpSigmoid:
		return g.Sigmoid(args[0])
	case OpSoftplus:
		return g.Softplus(args[0])
	case OpMax:
		return g.Max(args[0], args[1])
	case OpMin:
		return g.Min(args[0], args[1])
	case OpSelect:
		return g.Select(args[0], args[1], args[2])
	}
	panic(fmt.Sprintf("symbolic: Call of %v", op))
}
