package spec

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"math"
	"strconv"
	"strings"

	"github.com/bpgen/bpgen/symbolic"
)

// Lower builds the symbolic graph of a checked spec: leaves for the input,
// the target and the parameters, one tensor per definition (named after
// it), the output and the scalar loss. It is the only place where spec
// syntax meets the algebra; codegen sees only the graph.
//
// Lower expects a File returned by Parse. It reports, as an [ErrorList]
// of one error at the expression's position, what only the algebra's
// simplification reveals: a division by an expression that folds to 0
// (x/(x - x)), and a constant that folds to NaN, to an infinity or, in a
// float32 spec, beyond float32's range (pow(-8, 1/3), exp(1000),
// x*1e300*1e300, exp(100) in float32), which the generated code could not
// compute or would not compile. Any other error means a bug in the
// checker (a spec construct the checker accepts but lowering does not
// know), and names the position.
func Lower(f *File) (net *symbolic.Network, err error) {
	g := symbolic.NewGraph()
	l := &lowerer{f: f, g: g, defs: map[*Def]*symbolic.Tensor{}, params: map[*Param]*symbolic.Tensor{},
		checked: map[*symbolic.Expr]bool{}, calls: map[callKey]*symbolic.Tensor{}, elemCalls: map[callKey]*symbolic.Expr{}}
	defer func() {
		if r := recover(); r != nil {
			switch r := r.(type) {
			case lowerError:
				net, err = nil, r
			case *Error:
				net, err = nil, ErrorList{r}
			default:
				panic(r)
			}
		}
	}()
	net = &symbolic.Network{
		Package:   f.Package,
		Precision: f.Precision,
		Source:    f.Filename,
		Graph:     g,
		Input:     g.Leaf(symbolic.RoleInput, f.Input.Name, f.Input.Size),
	}
	if f.Target.Distribution {
		net.Target = g.DistributionLeaf(f.Target.Name, f.Target.Size)
	} else {
		net.Target = g.Leaf(symbolic.RoleTarget, f.Target.Name, f.Target.Size)
	}
	l.input, l.target = net.Input, net.Target
	for _, p := range f.Params {
		t := g.Leaf(symbolic.RoleParam, p.Name, p.Shape...)
		l.params[p] = t
		net.Params = append(net.Params, t)
	}
	for _, d := range f.Order {
		v := l.tensor(d.Expr, nil)
		g.SetName(v, d.Name)
		l.defs[d] = v
	}
	for _, d := range f.Defs {
		net.Layers = append(net.Layers, symbolic.Layer{Name: d.Name, Shape: d.Shape, Expr: types.ExprString(d.Expr)})
	}
	net.Output = l.defs[f.Output]
	net.Loss = l.tensor(f.Loss, nil)
	if f.Info.Pos != nil {
		net.LossPos = f.Info.Pos(f.Loss.Pos()).String()
	}
	if !net.Loss.Scalar() {
		l.fail(f.Loss, "the loss is not a scalar")
	}
	return net, nil
}

type lowerError struct{ msg string }

func (e lowerError) Error() string { return e.msg }

type lowerer struct {
	f             *File
	g             *symbolic.Graph
	input, target *symbolic.Tensor
	defs          map[*Def]*symbolic.Tensor
	params        map[*Param]*symbolic.Tensor
	checked       map[*symbolic.Expr]bool // nodes whose constants are known to be usable
	calls         map[callKey]*symbolic.Tensor
	elemCalls     map[callKey]*symbolic.Expr
}

// errorf stops lowering with a user error at p: a problem that only the
// algebra's simplification reveals (see Lower).
func (l *lowerer) errorf(p token.Pos, format string, args ...any) {
	panic(&Error{Pos: l.f.Info.Pos(p), Msg: fmt.Sprintf(format, args...)})
}

// checkConsts reports a constant of body that generated code cannot use,
// at the expression n that produced it. Each node is checked once, so
// checking every lowered expression takes time linear in the graph.
func (l *lowerer) checkConsts(n ast.Expr, body *symbolic.Expr) {
	stack := []*symbolic.Expr{body}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if l.checked[e] {
			continue
		}
		l.checked[e] = true
		if e.Op == symbolic.OpConst || e.Op == symbolic.OpPow {
			if msg := l.badConst(n, e.Val); msg != "" {
				l.errorf(n.Pos(), "%s", msg)
			}
		}
		stack = append(stack, e.Args...)
	}
}

// badConst says what is wrong with a constant v that n computes, and what
// to change, or returns "" when v is usable: finite, and in a float32 spec
// within float32's range (a tiny constant rounds to 0, as in Go).
func (l *lowerer) badConst(n ast.Expr, v float64) string {
	what := exprString(n)
	switch {
	case math.IsNaN(v):
		return fmt.Sprintf("%s computes the constant NaN (not a number): change its constants so that it has a real value", what)
	case math.IsInf(v, 0):
		return fmt.Sprintf("constant overflow: %s computes the constant %v: use smaller constants", what, v)
	case l.f.Precision == "float32" && math.Abs(v) > math.MaxFloat32:
		if _, ok := n.(*ast.BasicLit); ok {
			return fmt.Sprintf("number %s overflows float32 (largest %v): use a smaller number, or precision float64", what, float32(math.MaxFloat32))
		}
		return fmt.Sprintf("constant overflow: %s computes the constant %v, which overflows float32 (largest %v): use smaller constants, or precision float64", what, v, float32(math.MaxFloat32))
	}
	return ""
}

func (l *lowerer) fail(n ast.Node, format string, args ...any) {
	pos := token.Position{Filename: l.f.Filename}
	if l.f.Info.Pos != nil && n != nil {
		pos = l.f.Info.Pos(n.Pos())
	}
	panic(lowerError{fmt.Sprintf("%s: internal error: %s (please report this bug)", pos, fmt.Sprintf(format, args...))})
}

// binding binds the parameters of a user-defined function being expanded.
type binding struct {
	fn   *Func
	args []*symbolic.Tensor // tensor mode: the argument tensors
	elem []*symbolic.Expr   // element mode: the argument expressions
}

// tensor lowers e to a tensor (a scalar for scalar expressions), and
// checks the constants it produced.
func (l *lowerer) tensor(e ast.Expr, sc *binding) *symbolic.Tensor {
	t := l.tensor1(e, sc)
	if t.Kind == symbolic.KindMap {
		l.checkConsts(e, t.Body)
	}
	return t
}

func (l *lowerer) tensor1(e ast.Expr, sc *binding) *symbolic.Tensor {
	g := l.g
	switch e := e.(type) {
	case *ast.ParenExpr:
		return l.tensor(e.X, sc)
	case *ast.BasicLit:
		return g.ConstTensor(l.literal(e))
	case *ast.Ident:
		switch o := l.f.Info.Uses[e].(type) {
		case *Var:
			if o == l.f.Input {
				return l.input
			}
			return l.target
		case *Param:
			return l.params[o]
		case *Def:
			t, ok := l.defs[o]
			if !ok {
				l.fail(e, "%q used before it is lowered", o.Name)
			}
			return t
		case FuncParam:
			if sc == nil || sc.args == nil || o.Func != sc.fn {
				l.fail(e, "parameter %q outside its function", e.Name)
			}
			return sc.args[o.Index]
		}
		l.fail(e, "unexpected identifier %q", e.Name)
	case *ast.UnaryExpr:
		x := l.tensor(e.X, sc)
		switch e.Op {
		case token.SUB:
			return g.MapShape(x.Shape, g.Neg(l.ref(x)))
		case token.ADD:
			return x
		}
	case *ast.BinaryExpr:
		a, b := l.tensor(e.X, sc), l.tensor(e.Y, sc)
		if e.Op == token.MUL && len(a.Shape) == 2 {
			return g.MatVec(a, b)
		}
		return g.MapShape(symbolic.Broadcast(a, b), l.binary(e, l.ref(a), l.ref(b)))
	case *ast.CallExpr:
		return l.callTensor(e, sc)
	}
	l.fail(e, "cannot lower %s", exprString(e))
	return nil
}

// ref is the element expression of t inside a map: a constant for a
// constant tensor, else a reference.
func (l *lowerer) ref(t *symbolic.Tensor) *symbolic.Expr {
	if t.Kind == symbolic.KindMap && t.Body.Op == symbolic.OpConst {
		return t.Body
	}
	return l.g.Ref(t)
}

// literal is the value of a number, read by the checker's rule (Go's:
// 010 is eight, 0x2 is two).
func (l *lowerer) literal(e *ast.BasicLit) float64 {
	v, ok := floatLit(e)
	if !ok {
		l.fail(e, "bad number %s", e.Value)
	}
	return v
}

func (l *lowerer) binary(e *ast.BinaryExpr, a, b *symbolic.Expr) *symbolic.Expr {
	g := l.g
	switch e.Op {
	case token.ADD:
		return g.Add(a, b)
	case token.SUB:
		return g.Sub(a, b)
	case token.MUL:
		return g.Mul(a, b)
	case token.QUO:
		if b.IsConst(0) {
			l.errorf(e.OpPos, "division by zero: the divisor %s is always 0", exprString(e.Y))
		}
		return g.Div(a, b)
	}
	l.fail(e, "unexpected operator %s", e.Op)
	return nil
}

// scalarFunc applies a built-in scalar function to element expressions.
func (l *lowerer) scalarFunc(e *ast.CallExpr, name string, args []*symbolic.Expr) *symbolic.Expr {
	g := l.g
	switch name {
	case "exp":
		return g.Exp(args[0])
	case "log":
		return g.Log(args[0])
	case "sqrt":
		return g.Sqrt(args[0])
	case "abs":
		return g.Abs(args[0])
	case "tanh":
		return g.Tanh(args[0])
	case "sigmoid":
		return g.Sigmoid(args[0])
	case "softplus":
		return g.Softplus(args[0])
	case "relu":
		return g.Relu(args[0])
	case "leakyrelu": // slope on the negative side; at 0 the slope is the negative side's
		return g.Select(args[0], args[0], g.Mul(args[1], args[0]))
	case "max":
		return g.Max(args[0], args[1])
	case "min":
		return g.Min(args[0], args[1])
	case "pow":
		if args[1].Op != symbolic.OpConst {
			l.fail(e, "pow with a non-constant exponent")
		}
		return g.Pow(args[0], args[1].Val)
	}
	return nil
}

func (l *lowerer) callTensor(e *ast.CallExpr, sc *binding) *symbolic.Tensor {
	g := l.g
	id, ok := e.Fun.(*ast.Ident)
	if !ok {
		l.fail(e, "call of a non-name")
	}
	switch o := l.f.Info.Uses[id].(type) {
	case Builtin:
		b := builtins[o.Name]
		if b.kind == elementwise {
			ts := make([]*symbolic.Tensor, len(e.Args))
			refs := make([]*symbolic.Expr, len(e.Args))
			for i, a := range e.Args {
				ts[i] = l.tensor(a, sc)
				refs[i] = l.ref(ts[i])
			}
			return g.MapShape(symbolic.Broadcast(ts...), l.scalarFunc(e, o.Name, refs))
		}
		if o.Name == "sum" && len(e.Args) == 2 {
			return l.sumIndex(e, sc)
		}
		arg := func(i int) *symbolic.Tensor { return l.tensor(e.Args[i], sc) }
		switch o.Name {
		case "dense":
			dp, ok := l.f.Info.Dense[e]
			if !ok {
				l.fail(e, "dense call without parameters")
			}
			return g.Affine(l.params[dp.Weight], arg(0), l.params[dp.Bias])
		case "softmax":
			return g.Softmax(arg(0))
		case "logsoftmax":
			return g.LogSoftmax(arg(0))
		case "maxpool":
			v := arg(0)
			k := int(l.constant(e.Args[1], sc))
			if k <= 0 || len(v.Shape) != 1 || v.Shape[0]%k != 0 {
				l.fail(e, "maxpool of %v by %d", v.Shape, k)
			}
			return g.GroupMax(v, k, false)
		case "maxof":
			v := arg(0)
			return g.GroupMax(v, v.Size(), true)
		case "sum":
			return g.Sum(arg(0))
		case "l2":
			return g.L2(arg(0), arg(1))
		case "crossentropy":
			return g.CrossEntropy(arg(0), arg(1))
		case "kl":
			return g.KL(arg(0), arg(1))
		case "bce":
			return g.BCE(arg(0), arg(1))
		}
	case *Func:
		args := make([]*symbolic.Tensor, len(e.Args))
		for i, a := range e.Args {
			args[i] = l.tensor(a, sc)
		}
		return l.callFunc(e, o, args)
	}
	l.fail(e, "cannot lower call %s", exprString(e))
	return nil
}

// callKey identifies a call of a user-defined function by the function and
// the IDs of its arguments (tensors, or expressions in element mode).
type callKey struct {
	fn   *Func
	elem bool
	args string
}

func keyOf[T any](fn *Func, elem bool, args []T, id func(T) int) callKey {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(strconv.Itoa(id(a)))
		b.WriteByte(',')
	}
	return callKey{fn, elem, b.String()}
}

// callFunc lowers a call of a user-defined function on argument tensors:
// its body with the parameters bound to args. A body depends only on its
// arguments, so calls are memoized: f(z)*f(z) + f(z) lowers f's body once,
// and a chain of functions that each call the previous one several times
// on the same arguments takes time linear in the chain.
func (l *lowerer) callFunc(e *ast.CallExpr, fn *Func, args []*symbolic.Tensor) *symbolic.Tensor {
	key := keyOf(fn, false, args, func(t *symbolic.Tensor) int { return t.ID })
	if t, ok := l.calls[key]; ok {
		return t
	}
	defer l.inCall(e, fn)
	inner := &binding{fn: fn, args: args}
	var t *symbolic.Tensor
	if fn.Index == "" {
		t = l.tensor(fn.Body, inner)
	} else {
		n := l.indexSize(fn.Body, fn.Index, inner)
		t = l.g.MapShape([]int{n}, l.elem(fn.Body, inner, fn.Index))
	}
	l.calls[key] = t
	return t
}

// callScalar is callFunc for a scalar function in element mode, on
// argument expressions.
func (l *lowerer) callScalar(e *ast.CallExpr, fn *Func, args []*symbolic.Expr) *symbolic.Expr {
	key := keyOf(fn, true, args, func(x *symbolic.Expr) int { return x.ID })
	if x, ok := l.elemCalls[key]; ok {
		return x
	}
	defer l.inCall(e, fn)
	x := l.elem(fn.Body, &binding{fn: fn, elem: args}, "")
	l.elemCalls[key] = x
	return x
}

// inCall, deferred around the lowering of a function body, reports an
// error found in the body at the call, as the checker does: in call to
// "f": message (at line:col of the body).
func (l *lowerer) inCall(call *ast.CallExpr, fn *Func) {
	r := recover()
	if r == nil {
		return
	}
	if e, ok := r.(*Error); ok && !e.atCall {
		r = &Error{Pos: l.f.Info.Pos(call.Pos()), atCall: true,
			Msg: fmt.Sprintf("in call to %q: %s (at %d:%d)", fn.Name, e.Msg, e.Pos.Line, e.Pos.Column)}
	}
	panic(r)
}

// constant evaluates a constant scalar argument.
func (l *lowerer) constant(e ast.Expr, sc *binding) float64 {
	t := l.tensor(e, sc)
	if t.Kind != symbolic.KindMap || t.Body.Op != symbolic.OpConst {
		l.fail(e, "not a constant")
	}
	return t.Body.Val
}

// sumIndex lowers sum(i, body): the map of body over i, summed.
func (l *lowerer) sumIndex(e *ast.CallExpr, sc *binding) *symbolic.Tensor {
	id, ok := e.Args[0].(*ast.Ident)
	if !ok {
		l.fail(e, "sum index is not a name")
	}
	n := l.indexSize(e.Args[1], id.Name, sc)
	return l.g.Sum(l.g.MapShape([]int{n}, l.elem(e.Args[1], sc, id.Name)))
}

// indexSize finds the range of index variable idx in body: the size of a
// vector indexed by it.
func (l *lowerer) indexSize(body ast.Expr, idx string, sc *binding) int {
	n := 0
	ast.Inspect(body, func(node ast.Node) bool {
		if n > 0 {
			return false
		}
		ix, ok := node.(*ast.IndexExpr)
		if !ok {
			return true
		}
		if id, ok := ix.Index.(*ast.Ident); ok && id.Name == idx {
			n = l.tensor(ix.X, sc).Size()
			return false
		}
		return true
	})
	if n == 0 {
		l.fail(body, "index %q indexes no vector", idx)
	}
	return n
}

// elem lowers e as the element expression at index idx: v[idx] is a
// reference to the elements of v, scalars are broadcast, and sub-expressions
// that do not use idx (maxof(z), a nested sum) are lowered as scalar
// tensors. It checks the constants it produced.
func (l *lowerer) elem(e ast.Expr, sc *binding, idx string) *symbolic.Expr {
	x := l.elem1(e, sc, idx)
	l.checkConsts(e, x)
	return x
}

func (l *lowerer) elem1(e ast.Expr, sc *binding, idx string) *symbolic.Expr {
	g := l.g
	switch e := e.(type) {
	case *ast.ParenExpr:
		return l.elem(e.X, sc, idx)
	case *ast.BasicLit:
		return g.Const(l.literal(e))
	case *ast.IndexExpr:
		id, ok := e.Index.(*ast.Ident)
		if !ok || id.Name != idx {
			l.fail(e, "index expression %s is not over %q", exprString(e), idx)
		}
		return l.ref(l.tensor(e.X, sc))
	case *ast.Ident:
		if o, ok := l.f.Info.Uses[e].(FuncParam); ok && sc != nil && sc.elem != nil && o.Func == sc.fn {
			return sc.elem[o.Index]
		}
		t := l.tensor(e, sc)
		if !t.Scalar() {
			l.fail(e, "vector %q used without an index", e.Name)
		}
		return l.ref(t)
	case *ast.UnaryExpr:
		x := l.elem(e.X, sc, idx)
		if e.Op == token.SUB {
			return g.Neg(x)
		}
		return x
	case *ast.BinaryExpr:
		return l.binary(e, l.elem(e.X, sc, idx), l.elem(e.Y, sc, idx))
	case *ast.CallExpr:
		id, _ := e.Fun.(*ast.Ident)
		switch o := l.f.Info.Uses[id].(type) {
		case Builtin:
			if builtins[o.Name].kind == elementwise {
				args := make([]*symbolic.Expr, len(e.Args))
				for i, a := range e.Args {
					args[i] = l.elem(a, sc, idx)
				}
				return l.scalarFunc(e, o.Name, args)
			}
		case *Func:
			if o.Index == "" {
				args := make([]*symbolic.Expr, len(e.Args))
				for i, a := range e.Args {
					args[i] = l.elem(a, sc, idx)
				}
				return l.callScalar(e, o, args)
			}
		}
		t := l.tensor(e, sc)
		if !t.Scalar() {
			l.fail(e, "vector-valued %s inside an index expression", exprString(e))
		}
		return g.Ref(t)
	}
	l.fail(e, "cannot lower %s", exprString(e))
	return nil
}
