package codegen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/bpgen/bpgen/symbolic"
)

// indexNames names the loop index variables; m, d, x, g and ws are taken
// by the receiver and the parameters.
var indexNames = []string{"i", "j", "k", "l", "n", "p", "q", "r", "s", "u"}

// funcGen emits the body of one internal function.
type funcGen struct {
	p      *plan
	update bool // gradients update the parameters (W -= lr*g) instead of adding into g
	temps  int  // numbered local temporaries v0, v1, ...

	// block is set while emitting backwardBlock, which runs each step for
	// a block of samples: sample b's values are sts[b], xs[b] and ds[b].
	// wrapped records that the step being emitted put its own loop over
	// the samples inside its loop over weight rows (see perSample).
	block   bool
	wrapped bool
	sample  jen.Code // the index of the current sample in block mode; nil means b
}

func (f *funcGen) temp() string {
	s := "v" + strconv.Itoa(f.temps)
	f.temps++
	return s
}

// access returns the element of t at idx (nil for a scalar).
func (f *funcGen) access(t *symbolic.Tensor, idx []jen.Code) *jen.Statement {
	return f.slotAccess(f.p.slotFor(t), idx)
}

// slotAccess returns the element of slot s at idx.
func (f *funcGen) slotAccess(s *slot, idx []jen.Code) *jen.Statement {
	base := jen.Id(s.field)
	sample := f.sample
	if sample == nil {
		sample = jen.Id("b")
	}
	switch {
	case f.block && s.recv == "ws":
		base = jen.Id("sts").Index(sample).Dot(s.field)
	case f.block && s.recv == "":
		base = jen.Id(s.field + "s").Index(sample) // xs[b], ds[b]
	case s.recv != "":
		base = jen.Id(s.recv).Dot(s.field)
	}
	for _, i := range idx {
		base = base.Index(i)
	}
	return base
}

// store returns the statement that stores val into the destination of
// step st at idx with op ("=" or "+="). In a training function a parameter
// gradient is not stored: it updates the parameter, W -= lr*val.
func (f *funcGen) store(st step, idx []jen.Code, op string, val jen.Code) jen.Code {
	return f.storeTo(st, f.dest(st, idx), op, val)
}

func (f *funcGen) storeTo(st step, dst *jen.Statement, op string, val jen.Code) jen.Code {
	if f.update && st.dest == destGrad {
		return dst.Op("-=").Id("lr").Op("*").Parens(val)
	}
	return dst.Op(op).Add(val)
}

// dest returns the destination element of step st at idx.
func (f *funcGen) dest(st step, idx []jen.Code) *jen.Statement {
	var base *jen.Statement
	switch st.dest {
	case destGrad:
		recv := "g"
		if f.update {
			recv = "m"
		}
		base = jen.Id(recv).Dot(exportName(f.p.d.Params[st.param].Name))
	case destInput:
		base = jen.Id("dx")
	default:
		return f.access(st.t, idx)
	}
	for _, i := range idx {
		base = base.Index(i)
	}
	return base
}

func ids(names []string) []jen.Code {
	c := make([]jen.Code, len(names))
	for i, n := range names {
		c[i] = jen.Id(n)
	}
	return c
}

// loopNest wraps body in loops over vars with the given trip counts,
// outermost first.
func loopNest(vars []string, trips []int, body []jen.Code) []jen.Code {
	if len(vars) == 0 {
		return body
	}
	inner := jen.Code(jen.For(jen.Id(vars[len(vars)-1]).Op(":=").Range().Lit(trips[len(trips)-1])).Block(body...))
	for k := len(vars) - 2; k >= 0; k-- {
		inner = jen.For(jen.Id(vars[k]).Op(":=").Range().Lit(trips[k])).Block(inner)
	}
	return []jen.Code{inner}
}

// assignOp is "=" or "+=".
func assignOp(accum bool) string {
	if accum {
		return "+="
	}
	return "="
}

// perSample returns code run for every sample of the block, inside a loop
// over them, when emitting backwardBlock; otherwise it returns code as it
// is. A contraction with a weight matrix calls it inside its loop over the
// weight's rows, so that each row is read once for the whole block.
func (f *funcGen) perSample(code []jen.Code) []jen.Code {
	if !f.block || len(code) == 0 {
		return code
	}
	f.wrapped = true
	return []jen.Code{jen.For(jen.Id("b").Op(":=").Range().Id("xs")).Block(code...)}
}

// genBlockStep emits step st for a block of samples: the step's own
// interchanged loops where it has them, else its loops inside one loop
// over the samples.
func (f *funcGen) genBlockStep(st step) []jen.Code {
	f.wrapped = false
	code := f.genStep(st)
	if f.wrapped {
		return code
	}
	if len(code) > 1 && !f.p.perSample(st) {
		// the same value for every sample, added once for each
		return append(code[:1:1], jen.For(jen.Range().Id("xs")).Block(code[1:]...))
	}
	return append(code[:1:1], f.perSample(code[1:])...) // code[0] is the step's comment
}

// genStep emits the statements of one step.
func (f *funcGen) genStep(st step) []jen.Code {
	t := st.t
	var out []jen.Code
	out = append(out, jen.Comment(stepComment(st, f.p)))
	if st.dest == destInput && t.IsZero() {
		return append(out, jen.Op("*").Id("dx").Op("=").Index(jen.Id("InputSize")).Id("Float").Values())
	}
	if st.copyLeaf {
		vars := indexNames[:len(t.Shape)]
		return append(out, loopNest(vars, t.Shape, []jen.Code{
			f.slotAccess(f.p.outSlot, ids(vars)).Op("=").Add(f.access(t, ids(vars))),
		})...)
	}
	if st.copyTo {
		vars := indexNames[:len(t.Shape)]
		return append(out, loopNest(vars, t.Shape, []jen.Code{
			f.store(st, ids(vars), assignOp(st.accum), f.access(t, ids(vars))),
		})...)
	}
	switch t.Kind {
	case symbolic.KindMap:
		out = append(out, f.genMap(st)...)
	case symbolic.KindContract:
		out = append(out, f.genContract(st)...)
	case symbolic.KindMax:
		out = append(out, f.genMax(st)...)
	case symbolic.KindMaxGrad:
		out = append(out, f.genMaxGrad(st)...)
	default:
		panic(fmt.Sprintf("codegen: no lowering for %v", t.Kind))
	}
	return out
}

func stepComment(st step, p *plan) string {
	if st.copyLeaf {
		return "the output is " + st.t.Name + " itself"
	}
	s := st.t.Format(p.label)
	// the right-hand side of the tensor's definition
	rhs := s
	if i := strings.Index(s, " = "); i >= 0 {
		rhs = s[i+3:]
	}
	switch {
	case st.dest == destGrad && st.copyTo:
		return "d" + p.d.Params[st.param].Name + " += " + p.label(st.t)
	case st.dest == destGrad:
		return "d" + p.d.Params[st.param].Name + " += " + rhs
	case st.dest == destInput && st.copyTo:
		return "dx = " + p.label(st.t)
	case st.dest == destInput:
		return "dx = " + rhs
	}
	return s
}

// genMap emits out[i] = body(i) for every i.
func (f *funcGen) genMap(st step) []jen.Code {
	t := st.t
	vars := indexNames[:len(t.Shape)]
	idx := ids(vars)
	var pre, in []jen.Code
	val := f.genBody(t.Body, idx, len(vars) > 0, &pre, &in)
	in = append(in, f.store(st, idx, assignOp(st.accum), val))
	return append(pre, loopNest(vars, t.Shape, in)...)
}

// genBody emits the scalar expression e for the element idx of a map.
// Subexpressions used more than once get a temporary; those that read only
// scalars go to pre (before the loop) when inLoop, the others to in.
func (f *funcGen) genBody(e *symbolic.Expr, idx []jen.Code, inLoop bool, pre, in *[]jen.Code) jen.Code {
	nodes := symbolic.Nodes(e)
	uses := map[*symbolic.Expr]int{}
	invariant := map[*symbolic.Expr]bool{}
	for _, n := range nodes {
		inv := true
		if n.Op == symbolic.OpRef {
			inv = n.Tensor.Scalar()
		}
		for _, a := range n.Args {
			uses[a]++
			inv = inv && invariant[a]
		}
		invariant[n] = inv
	}
	env := map[*symbolic.Expr]jen.Code{}
	pairs := softplusPairs(f.p.d.Network.Graph, nodes)
	for _, n := range nodes {
		switch n.Op {
		case symbolic.OpConst:
			continue
		case symbolic.OpRef:
			if n.Tensor.Scalar() {
				env[n] = f.access(n.Tensor, nil)
			} else {
				env[n] = f.access(n.Tensor, idx)
			}
			continue
		}
		if _, done := env[n]; done {
			continue
		}
		if k, ok := pairs[n]; ok {
			// softplus(a) and softplus(-a) share log1p(exp(-|a|)): one call
			// of softplus2 computes both
			v, w := f.temp(), f.temp()
			stmt := jen.List(jen.Id(v), jen.Id(w)).Op(":=").Id("softplus2").Call(f.expr(n.Args[0], env, 0))
			if inLoop && invariant[n] {
				*pre = append(*pre, stmt)
			} else {
				*in = append(*in, stmt)
			}
			env[n], env[k] = jen.Id(v), jen.Id(w)
			continue
		}
		if n == e {
			break
		}
		hoist := inLoop && invariant[n] && n.Op != symbolic.OpAdd || uses[n] > 1
		if !hoist {
			continue
		}
		v := f.temp()
		stmt := jen.Id(v).Op(":=").Add(f.expr(n, env, 0))
		if inLoop && invariant[n] {
			*pre = append(*pre, stmt)
		} else {
			*in = append(*in, stmt)
		}
		env[n] = jen.Id(v)
	}
	return f.expr(e, env, 0)
}

// softplusPairs finds the nodes softplus(a) and softplus(-a) that are both
// among nodes (the binary cross-entropy has one such pair a unit), and maps
// each of the pair to the other.
func softplusPairs(g *symbolic.Graph, nodes []*symbolic.Expr) map[*symbolic.Expr]*symbolic.Expr {
	byArg := map[*symbolic.Expr]*symbolic.Expr{}
	for _, n := range nodes {
		if n.Op == symbolic.OpSoftplus {
			byArg[n.Args[0]] = n
		}
	}
	pairs := map[*symbolic.Expr]*symbolic.Expr{}
	for _, n := range nodes {
		if n.Op != symbolic.OpSoftplus || pairs[n] != nil {
			continue
		}
		if k := byArg[g.Neg(n.Args[0])]; k != nil && k != n {
			pairs[n], pairs[k] = k, n
		}
	}
	return pairs
}

// Operator precedences for parenthesizing.
const (
	precAdd   = 1
	precMul   = 2
	precUnary = 3
)

// expr returns Go code for n, using env for nodes that already have a name,
// parenthesized if its precedence is below outer.
func (f *funcGen) expr(n *symbolic.Expr, env map[*symbolic.Expr]jen.Code, outer int) *jen.Statement {
	if c, ok := env[n]; ok {
		return jen.Add(c)
	}
	wrap := func(prec int, s *jen.Statement) *jen.Statement {
		if prec < outer {
			return jen.Parens(s)
		}
		return s
	}
	call := func(name string, args ...*symbolic.Expr) *jen.Statement {
		cs := make([]jen.Code, len(args))
		for i, a := range args {
			cs[i] = f.expr(a, env, 0)
		}
		return jen.Id(name).Call(cs...)
	}
	switch n.Op {
	case symbolic.OpConst:
		return wrap(precUnary, floatLit(n.Val))
	case symbolic.OpAdd:
		s := jen.Null()
		terms := n.Args
		if len(terms) == 2 { // a + b == b + a, to the bit
			terms = symbolic.PositiveFirst(terms)
		}
		for i, a := range terms {
			c, rest := coefOf(a)
			_, named := env[a]
			switch {
			case i == 0 || named:
				if i > 0 {
					s = s.Op("+")
				}
				s = s.Add(f.expr(a, env, precAdd))
			case c < 0 && rest != nil:
				s = s.Op("-").Add(f.scaled(-c, rest, env, precMul))
			default:
				s = s.Op("+").Add(f.expr(a, env, precAdd))
			}
		}
		return wrap(precAdd, s)
	case symbolic.OpMul:
		var num, den []*symbolic.Expr
		coef := 1.0
		for _, a := range n.Args {
			_, named := env[a]
			switch {
			case named:
				num = append(num, a)
			case a.Op == symbolic.OpConst:
				coef *= a.Val
			case a.Op == symbolic.OpPow && a.Val == -1:
				den = append(den, a.Args[0])
			default:
				num = append(num, a)
			}
		}
		s := jen.Null()
		neg := coef < 0
		if neg {
			coef = -coef
		}
		first := true
		if coef != 1 || len(num) == 0 {
			s = s.Add(floatLit(coef))
			first = false
		}
		for _, a := range num {
			if !first {
				s = s.Op("*")
			}
			s = s.Add(f.expr(a, env, precMul+1))
			first = false
		}
		for _, a := range den {
			s = s.Op("/").Add(f.expr(a, env, precMul+1))
		}
		if neg {
			return wrap(precUnary, jen.Op("-").Parens(s))
		}
		return wrap(precMul, s)
	case symbolic.OpPow:
		x := n.Args[0]
		switch n.Val {
		case -1:
			return wrap(precMul, jen.Lit(1).Op("/").Add(f.expr(x, env, precMul+1)))
		case 2:
			return wrap(precMul, f.expr(x, env, precMul+1).Op("*").Add(f.expr(x, env, precMul+1)))
		case 0.5:
			return call("sqrt", x)
		case -2:
			return wrap(precMul, jen.Lit(1).Op("/").Parens(f.expr(x, env, precMul+1).Op("*").Add(f.expr(x, env, precMul+1))))
		}
		return jen.Id("pow").Call(f.expr(x, env, 0), floatLit(n.Val))
	case symbolic.OpExp:
		return call("exp", n.Args[0])
	case symbolic.OpLog:
		return call("log", n.Args[0])
	case symbolic.OpSqrt:
		return call("sqrt", n.Args[0])
	case symbolic.OpAbs:
		return call("abs", n.Args[0])
	case symbolic.OpTanh:
		return call("tanh", n.Args[0])
	case symbolic.OpSigmoid:
		return call("sigmoid", n.Args[0])
	case symbolic.OpSoftplus:
		return call("softplus", n.Args[0])
	case symbolic.OpMax:
		return call("max", n.Args...)
	case symbolic.OpMin:
		return call("min", n.Args...)
	case symbolic.OpSelect:
		return call("sel", n.Args...)
	}
	panic(fmt.Sprintf("codegen: cannot emit %v", n.Op))
}

// coefOf splits a term of a sum into its constant coefficient and the
// rest; rest is nil when the term has no coefficient to split.
func coefOf(a *symbolic.Expr) (float64, *symbolic.Expr) {
	if a.Op == symbolic.OpMul && a.Args[0].Op == symbolic.OpConst {
		return a.Args[0].Val, a
	}
	if a.Op == symbolic.OpConst {
		return a.Val, nil
	}
	return 1, a
}

// scaled emits |c| * (the term a without its coefficient).
func (f *funcGen) scaled(c float64, a *symbolic.Expr, env map[*symbolic.Expr]jen.Code, outer int) *jen.Statement {
	s := jen.Null()
	first := true
	if c != 1 {
		s = s.Add(floatLit(c))
		first = false
	}
	for _, x := range a.Args[1:] {
		if _, named := env[x]; !named && x.Op == symbolic.OpPow && x.Val == -1 {
			if first {
				s = s.Lit(1)
				first = false
			}
			s = s.Op("/").Add(f.expr(x.Args[0], env, precMul+1))
			continue
		}
		if !first {
			s = s.Op("*")
		}
		s = s.Add(f.expr(x, env, precMul+1))
		first = false
	}
	if len(a.Args) > 2 || c != 1 {
		if outer > precMul {
			return jen.Parens(s)
		}
	}
	return s
}

// floatLit is the shortest literal that reads back as v.
func floatLit(v float64) *jen.Statement {
	switch {
	case math.IsInf(v, 1):
		return jen.Id("Float").Call(jen.Qual("math", "Inf").Call(jen.Lit(1)))
	case math.IsInf(v, -1):
		return jen.Id("Float").Call(jen.Qual("math", "Inf").Call(jen.Lit(-1)))
	case math.IsNaN(v):
		return jen.Id("Float").Call(jen.Qual("math", "NaN").Call())
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	return jen.Id(s)
}

// contractPlan decides the loop order of a contraction: the innermost
// index runs along the last (contiguous) dimension of the largest array
// touched, output indices come outside summed ones, and when the innermost
// index is the only summed one the sum is a dot product in a register.
type contractPlan struct {
	order []int // index variables, outermost first
	dot   bool
}

func planContract(t *symbolic.Tensor) contractPlan {
	best, inner := -1, -1
	consider := func(size int, index []int) {
		if len(index) > 0 && size > best {
			best, inner = size, index[len(index)-1]
		}
	}
	consider(t.Size(), t.Out)
	for k, a := range t.Args {
		consider(a.Size(), t.Index[k])
	}
	isOut := map[int]bool{}
	for _, o := range t.Out {
		isOut[o] = true
	}
	var order []int
	for _, o := range t.Out {
		if o != inner {
			order = append(order, o)
		}
	}
	summed := 0
	for ix := range t.Dims {
		if !isOut[ix] {
			summed++
			if ix != inner {
				order = append(order, ix)
			}
		}
	}
	if inner >= 0 {
		order = append(order, inner)
	}
	return contractPlan{order: order, dot: inner >= 0 && !isOut[inner] && summed == 1}
}

// genContract emits out[o] = sum over the other indices of the product.
func (f *funcGen) genContract(st step) []jen.Code {
	t := st.t
	cp := planContract(t)
	if len(cp.order) == 2 {
		return f.genContract2(st, cp)
	}
	name := map[int]string{}
	for i, ix := range cp.order {
		name[ix] = indexNames[i]
	}
	idxOf := func(index []int) []jen.Code {
		c := make([]jen.Code, len(index))
		for i, ix := range index {
			c[i] = jen.Id(name[ix])
		}
		return c
	}
	summed := len(t.Dims) > len(t.Out)
	var out []jen.Code
	if summed && !cp.dot && !st.accum {
		vars := indexNames[len(indexNames)-len(t.Shape):]
		out = append(out, loopNest(vars, t.Shape, []jen.Code{f.dest(st, ids(vars)).Op("=").Lit(0)})...)
	}
	// Which loop level each operand first becomes fully indexed at: hoist
	// it there.
	level := func(index []int) int {
		l := 0
		for _, ix := range index {
			for p, o := range cp.order {
				if o == ix && p+1 > l {
					l = p + 1
				}
			}
		}
		return l
	}
	depth := len(cp.order)
	// build from the inside out
	var factors []jen.Code
	hoisted := map[int][]jen.Code{} // loop level -> declarations just inside that level
	for k, a := range t.Args {
		acc := f.access(a, idxOf(t.Index[k]))
		if l := level(t.Index[k]); l < depth && depth > 0 {
			v := f.temp()
			hoisted[l] = append(hoisted[l], jen.Id(v).Op(":=").Add(acc))
			factors = append(factors, jen.Id(v))
		} else {
			factors = append(factors, acc)
		}
	}
	prod := jen.Null()
	for i, c := range factors {
		if i > 0 {
			prod = prod.Op("*")
		}
		prod = prod.Add(c)
	}
	var body []jen.Code
	destIdx := idxOf(t.Out)
	if cp.dot {
		acc := f.temp()
		body = []jen.Code{jen.Id(acc).Op("+=").Add(prod)}
		inner := jen.Code(jen.For(jen.Id(name[cp.order[depth-1]]).Op(":=").Range().Lit(t.Dims[cp.order[depth-1]])).Block(body...))
		level := append(append([]jen.Code{}, hoisted[depth-1]...), jen.Var().Id(acc).Id("Float"), inner,
			f.store(st, destIdx, assignOp(st.accum), jen.Id(acc)))
		return append(out, f.wrapLoops(cp.order[:depth-1], t, hoisted, level)...)
	}
	op := "+="
	if !summed {
		op = assignOp(st.accum)
	}
	body = []jen.Code{f.store(st, destIdx, op, prod)}
	return append(out, f.wrapLoops(cp.order, t, hoisted, body)...)
}

// wrapLoops wraps inner in loops over order (outermost first), putting the
// hoisted declarations of each level at the top of that level's body.
func (f *funcGen) wrapLoops(order []int, t *symbolic.Tensor, hoisted map[int][]jen.Code, inner []jen.Code) []jen.Code {
	body := inner
	for l := len(order); l >= 1; l-- {
		ix := order[l-1]
		name := indexNames[l-1]
		loop := jen.For(jen.Id(name).Op(":=").Range().Lit(t.Dims[ix])).Block(body...)
		body = append(append([]jen.Code{}, hoisted[l-1]...), loop)
	}
	return body
}

// genMax emits out[g] = max of group g of the argument.
func (f *funcGen) genMax(st step) []jen.Code {
	t := st.t
	v := t.Args[0]
	k := t.Group
	groups := v.Size() / k
	m := f.temp()
	at := func(off jen.Code) *jen.Statement { return f.access(v, []jen.Code{off}) }
	var dst *jen.Statement
	if t.Scalar() {
		dst = f.dest(st, nil)
	} else {
		dst = f.dest(st, []jen.Code{jen.Id("i")})
	}
	body := []jen.Code{
		jen.Id("base").Op(":=").Id("i").Op("*").Lit(k),
		jen.Id(m).Op(":=").Add(at(jen.Id("base"))),
		jen.For(jen.Id("j").Op(":=").Lit(1), jen.Id("j").Op("<").Lit(k), jen.Id("j").Op("++")).Block(
			jen.If(at(jen.Id("base").Op("+").Id("j")).Op(">").Id(m)).Block(
				jen.Id(m).Op("=").Add(at(jen.Id("base").Op("+").Id("j"))),
			),
		),
		f.storeTo(st, dst, assignOp(st.accum), jen.Id(m)),
	}
	if groups == 1 && t.Scalar() {
		// the maximum of the whole vector: no loop over groups
		body[0] = jen.Id("base").Op(":=").Lit(0)
		return []jen.Code{jen.Block(body...)}
	}
	return []jen.Code{jen.For(jen.Id("i").Op(":=").Range().Lit(groups)).Block(body...)}
}

// genMaxGrad routes the gradient of each group's maximum to the group's
// first argmax.
func (f *funcGen) genMaxGrad(st step) []jen.Code {
	t := st.t
	v, dout := t.Args[0], t.Args[1]
	k := t.Group
	groups := v.Size() / k
	var out []jen.Code
	if !st.accum {
		out = append(out, loopNest([]string{"i"}, t.Shape, []jen.Code{f.dest(st, []jen.Code{jen.Id("i")}).Op("=").Lit(0)})...)
	}
	at := func(off jen.Code) *jen.Statement { return f.access(v, []jen.Code{off}) }
	var g jen.Code
	if dout.Scalar() {
		g = f.access(dout, nil)
	} else {
		g = f.access(dout, []jen.Code{jen.Id("i")})
	}
	body := []jen.Code{
		jen.Id("base").Op(":=").Id("i").Op("*").Lit(k),
		jen.Id("arg").Op(":=").Id("base"),
		jen.For(jen.Id("j").Op(":=").Lit(1), jen.Id("j").Op("<").Lit(k), jen.Id("j").Op("++")).Block(
			jen.If(at(jen.Id("base").Op("+").Id("j")).Op(">").Add(at(jen.Id("arg")))).Block(
				jen.Id("arg").Op("=").Id("base").Op("+").Id("j"),
			),
		),
		f.store(st, []jen.Code{jen.Id("arg")}, "+=", g),
	}
	return append(out, jen.For(jen.Id("i").Op(":=").Range().Lit(groups)).Block(body...))
}
