package spec

import (
	"container/heap"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/bpgen/bpgen/symbolic"
)

// check resolves names, checks shapes and the whole-file rules, after the
// declarations are parsed.
func (c *checker) check() {
	c.checkFuncs()
	for _, d := range c.f.Defs {
		if d.Expr != nil {
			x := &rctx{def: d, deps: map[*Def]bool{}}
			c.resolve(d.Expr, x, nil)
			c.defDeps[d] = x.order
		}
	}
	if c.f.Loss != nil {
		x := &rctx{loss: true, deps: map[*Def]bool{}}
		c.resolve(c.f.Loss, x, nil)
		c.lossDeps = x.order
	}
	c.order()
	for _, d := range c.f.Order {
		c.checkDef(d)
	}
	c.checkOutput()
	c.checkLoss()
	c.checkMissing()
	c.sortParams()
	c.checkExportNames()
	c.checkGeneratedNames()
	c.checkSize()
}

// rctx is where an expression being resolved sits.
type rctx struct {
	def   *Def  // the definition, or nil
	fn    *Func // the function body, or nil
	loss  bool  // the loss
	deps  map[*Def]bool
	order []*Def // definitions used, in order of first use
}

func (x *rctx) where() string {
	switch {
	case x.fn != nil:
		return "a function body"
	case x.loss:
		return "the loss"
	}
	return "a definition"
}

// scope is the list of index variables bound around an expression,
// innermost first.
type scope struct {
	name  string
	sum   *ast.CallExpr // the binding sum call, or nil for a function's index
	outer *scope
}

func (s *scope) find(name string) *scope {
	for ; s != nil; s = s.outer {
		if s.name == name {
			return s
		}
	}
	return nil
}

// exprString formats an expression for a message, shortened if long.
func exprString(e ast.Expr) string {
	return symbolic.Shorten(types.ExprString(e), 40)
}

// resolve checks the structure of an expression and records what its
// identifiers refer to. Shapes are checked later, by shape.
func (c *checker) resolve(e ast.Expr, x *rctx, sc *scope) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.INT && e.Kind != token.FLOAT {
			c.errorf(e.Pos(), "%s literal not allowed: use a number", strings.ToLower(e.Kind.String()))
		}
	case *ast.Ident:
		c.resolveValue(e, x, sc)
	case *ast.ParenExpr:
		c.resolve(e.X, x, sc)
	case *ast.UnaryExpr:
		if e.Op != token.SUB && e.Op != token.ADD {
			c.errorf(e.OpPos, "operator %s not supported: use +, -, * or /", e.Op)
		}
		c.resolve(e.X, x, sc)
	case *ast.StarExpr:
		c.errorf(e.Star, "unary * not supported: write a product as a*b")
		c.resolve(e.X, x, sc)
	case *ast.BinaryExpr:
		switch e.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO:
		default:
			c.errorf(e.OpPos, "operator %s not supported: use +, -, * or /", e.Op)
		}
		c.resolve(e.X, x, sc)
		c.resolve(e.Y, x, sc)
	case *ast.CallExpr:
		c.resolveCall(e, x, sc)
	case *ast.IndexExpr:
		c.resolveIndex(e, x, sc)
	case *ast.SelectorExpr:
		c.errorf(e.Sel.Pos(), "cannot use %s: names with dots cannot be used in expressions; to share weights, declare them with param", exprString(e))
	case *ast.IndexListExpr:
		c.errorf(e.Lbrack, "cannot index %s with several indices: only vectors can be indexed, as in v[i]", exprString(e.X))
	case *ast.SliceExpr:
		c.errorf(e.Lbrack, "slice expressions are not supported")
	default:
		what := "a type"
		switch e.(type) {
		case *ast.FuncLit:
			what = "a function literal"
		case *ast.CompositeLit:
			what = "a composite literal"
		case *ast.TypeAssertExpr:
			what = "a type assertion"
		case *ast.KeyValueExpr:
			what = "a key: value pair"
		case *ast.BadExpr:
			what = "this expression"
		}
		c.errorf(e.Pos(), "%s is not allowed in a spec expression: use numbers, names, + - * /, calls and v[i]", what)
	}
}

// resolveValue resolves an identifier used as a value.
func (c *checker) resolveValue(id *ast.Ident, x *rctx, sc *scope) {
	name := id.Name
	if sc.find(name) != nil {
		c.errorf(id.Pos(), "index %q used as a value: an index can only appear in brackets, as in v[%s]", name, name)
		return
	}
	if x.fn != nil {
		for i, p := range x.fn.Params {
			if p == name {
				c.info.Uses[id] = FuncParam{Func: x.fn, Index: i}
				return
			}
		}
	}
	if isBuiltin(name) {
		c.errorf(id.Pos(), "builtin %q used as a value: call it, as in %s(...)", name, name)
		return
	}
	o, ok := c.globals[name]
	switch o := o.(type) {
	case nil:
		if !ok {
			c.errorf(id.Pos(), "unknown name %q%s", name, c.suggestFor(name, false))
		}
	case *Func:
		c.errorf(id.Pos(), "function %q used as a value: call it, as in %s(...)", name, name)
	default:
		if x.fn != nil {
			c.errorf(id.Pos(), "function %q cannot use %q: a function body can only use its parameters", x.fn.Name, name)
			return
		}
		if o == Object(c.f.Target) && x.def != nil {
			c.errorf(id.Pos(), "definition %q cannot use target %q: only the loss can use the target", x.def.Name, name)
			return
		}
		c.info.Uses[id] = o
		if d, ok := o.(*Def); ok && !x.deps[d] {
			x.deps[d] = true
			x.order = append(x.order, d)
		}
	}
}

// suggestFor returns a "did you mean" hint for an unknown name or function.
func (c *checker) suggestFor(name string, call bool) string {
	if len(c.errs) > maxPrinted {
		return "" // not worth the time on a badly broken file
	}
	var cands []string
	for n, o := range c.globals {
		if _, isFunc := o.(*Func); isFunc == call {
			cands = append(cands, n)
		}
	}
	if call {
		for n := range builtins {
			cands = append(cands, n)
		}
	}
	return suggest(name, cands)
}

// resolveCall resolves a call of a builtin or user-defined function.
func (c *checker) resolveCall(e *ast.CallExpr, x *rctx, sc *scope) {
	id, ok := e.Fun.(*ast.Ident)
	if !ok {
		c.errorf(e.Fun.Pos(), "cannot call %s: only functions can be called, by name", exprString(e.Fun))
		c.resolveArgs(e.Args, x, sc)
		return
	}
	if e.Ellipsis.IsValid() {
		c.errorf(e.Ellipsis, "... not allowed in a call")
	}
	name := id.Name
	if sc.find(name) != nil || x.fn != nil && slices.Contains(x.fn.Params, name) {
		c.errorf(id.Pos(), "cannot call %q: it is not a function", name)
		c.resolveArgs(e.Args, x, sc)
		return
	}
	if b, ok := builtins[name]; ok {
		c.info.Uses[id] = Builtin{Name: name}
		c.resolveBuiltin(e, id, b, x, sc)
		return
	}
	switch o := c.globals[name].(type) {
	case *Func:
		c.info.Uses[id] = o
		if c.badObj[o] { // its declaration is broken, already reported
			break
		}
		if x.fn != nil {
			c.calls[x.fn] = append(c.calls[x.fn], o)
		}
		if len(e.Args) != len(o.Params) {
			c.errorf(id.Pos(), "wrong number of arguments in call to %q: have %d, want %d", name, len(e.Args), len(o.Params))
		}
	case nil:
		c.errorf(id.Pos(), "unknown function %q%s", name, c.suggestFor(name, true))
	default:
		c.errorf(id.Pos(), "cannot call %q: it is %s, not a function", name, kindOf(o))
	}
	c.resolveArgs(e.Args, x, sc)
}

func kindOf(o Object) string {
	switch o.(type) {
	case *Var:
		return "a vector"
	case *Param:
		return "a param"
	case *Def:
		return "a definition"
	}
	return "not a function"
}

func (c *checker) resolveArgs(args []ast.Expr, x *rctx, sc *scope) {
	for _, a := range args {
		c.resolve(a, x, sc)
	}
}

// resolveBuiltin checks the arguments of a builtin call.
func (c *checker) resolveBuiltin(e *ast.CallExpr, id *ast.Ident, b builtin, x *rctx, sc *scope) {
	name := id.Name
	if n := len(e.Args); n < b.min || n > b.max {
		want := fmt.Sprint(b.min)
		if b.max != b.min {
			want = fmt.Sprintf("%d or %d", b.min, b.max)
		}
		c.errorf(id.Pos(), "wrong number of arguments in call to %q: have %d, want %s", name, n, want)
		c.resolveArgs(e.Args, x, sc)
		return
	}
	switch {
	case b.kind == denseLayer:
		c.resolve(e.Args[0], x, sc)
		n, ok := c.sizeArg(e.Args[1], "the size of dense")
		if x.def == nil {
			c.errorf(id.Pos(), "dense cannot be used in %s: call it in a definition", x.where())
			return
		}
		if !ok {
			return
		}
		d := x.def
		suffix := ""
		if k := c.denseN[d]; k > 0 {
			suffix = fmt.Sprintf("_%d", k)
		}
		c.denseN[d]++
		off := c.pos(id.Pos()).Offset
		w := &Param{Name: d.Name + ".weight" + suffix, Shape: []int{n, 0}, Pos: c.pos(id.Pos()), Implicit: true}
		bias := &Param{Name: d.Name + ".bias" + suffix, Shape: []int{n}, Pos: w.Pos, Implicit: true}
		c.paramKey[w] = [2]int{off, 0}
		c.paramKey[bias] = [2]int{off, 1}
		c.f.Params = append(c.f.Params, w, bias)
		c.info.Dense[e] = DenseParams{Weight: w, Bias: bias}
	case b.kind == pool:
		c.resolve(e.Args[0], x, sc)
		c.sizeArg(e.Args[1], "the group size of maxpool")
	case name == "sum" && len(e.Args) == 2:
		idx, ok := e.Args[0].(*ast.Ident)
		if !ok {
			c.errorf(e.Args[0].Pos(), "first argument of sum(i, expr) must be an index name, found %s", exprString(e.Args[0]))
			return
		}
		switch {
		case idx.Name == "_":
			c.errorf(idx.Pos(), "cannot use _ as an index name")
		case isBuiltin(idx.Name):
			c.errorf(idx.Pos(), "cannot use builtin %q as an index name: choose another name", idx.Name)
		case sc.find(idx.Name) != nil:
			c.errorf(idx.Pos(), "index %q is already bound by an enclosing sum or function: choose another name", idx.Name)
		case x.fn != nil && slices.Contains(x.fn.Params, idx.Name):
			c.errorf(idx.Pos(), "index %q hides a parameter of %q: choose another name", idx.Name, x.fn.Name)
		default:
			c.info.Uses[idx] = IndexVar{Name: idx.Name, Sum: e}
			c.binds[e] = append(c.binds[e], idx)
			c.resolve(e.Args[1], x, &scope{name: idx.Name, sum: e, outer: sc})
			return
		}
	default:
		c.resolveArgs(e.Args, x, sc)
	}
}

// sizeArg checks the size argument of dense or maxpool: an integer literal
// from 1 to MaxSize.
func (c *checker) sizeArg(e ast.Expr, what string) (int, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.INT {
		c.errorf(e.Pos(), "%s must be an integer literal, found %s", what, exprString(e))
		return 0, false
	}
	v, ok := intLit(lit.Value)
	if !ok || v < 1 || v > MaxSize {
		c.errorf(e.Pos(), "invalid size %s: %s", lit.Value, sizeRule)
		return 0, false
	}
	return int(v), true
}

// resolveIndex resolves v[i].
func (c *checker) resolveIndex(e *ast.IndexExpr, x *rctx, sc *scope) {
	v, ok := e.X.(*ast.Ident)
	if !ok {
		c.errorf(e.X.Pos(), "cannot index %s: only a named vector can be indexed, as in v[i]", exprString(e.X))
		c.resolve(e.X, x, sc)
		return
	}
	c.resolve(v, x, sc)
	idx, ok := e.Index.(*ast.Ident)
	if !ok {
		c.errorf(e.Index.Pos(), "index must be an index name such as i, found %s: constant and computed indices are not supported", exprString(e.Index))
		return
	}
	s := sc.find(idx.Name)
	switch {
	case s == nil:
		c.errorf(idx.Pos(), "%q is not an index: indices are bound by sum(%s, ...) or func f(z)[%s] = ...", idx.Name, idx.Name, idx.Name)
	case s != sc:
		c.errorf(idx.Pos(), "index %q cannot be used inside sum over %q: not supported in v1", idx.Name, sc.name)
	default:
		c.info.Uses[idx] = IndexVar{Name: idx.Name, Sum: s.sum}
		if s.sum != nil {
			c.binds[s.sum] = append(c.binds[s.sum], idx)
		} else if x.fn != nil {
			c.indexUsed[x.fn] = true
		}
	}
}

// checkFuncs resolves the bodies of user-defined functions, rejects
// recursion, and checks the bodies of scalar functions.
func (c *checker) checkFuncs() {
	funcs := c.f.Funcs
	for _, fn := range funcs {
		if fn.Body == nil {
			c.badFunc[fn] = true
			continue
		}
		n := len(c.errs)
		var sc *scope
		if fn.Index != "" {
			sc = &scope{name: fn.Index}
		}
		c.resolve(fn.Body, &rctx{fn: fn, deps: map[*Def]bool{}}, sc)
		if fn.Index != "" && !c.indexUsed[fn] && len(c.errs) == n {
			c.errorAt(c.funcOff[fn], "index %q of function %q is not used: index a parameter with it, as in %s[%s]", fn.Index, fn.Name, fn.Params[0], fn.Index)
		}
		if len(c.errs) > n {
			c.badFunc[fn] = true
		}
	}

	// Recursion: every cycle of the call graph is an error, reported at
	// its first function in source order.
	index := map[*Func]int{}
	for i, fn := range funcs {
		index[fn] = i
	}
	succ := func(i int) []int {
		var s []int
		for _, g := range c.calls[funcs[i]] {
			s = append(s, index[g])
		}
		return s
	}
	for _, comp := range cycles(len(funcs), succ) {
		fn := funcs[comp[0]]
		for _, i := range comp {
			c.badFunc[funcs[i]] = true
		}
		if len(comp) == 1 {
			c.errorAt(c.funcOff[fn], "function %q calls itself: functions cannot be recursive", fn.Name)
			continue
		}
		path := cyclePath(comp, succ)
		var via []string
		for _, i := range path[1 : len(path)-1] {
			via = append(via, fmt.Sprintf("%q", funcs[i].Name))
		}
		c.errorAt(c.funcOff[fn], "function %q calls itself through %s: functions cannot be recursive", fn.Name, strings.Join(via, ", "))
	}

	// Scalar functions have scalar parameters, so their bodies can be
	// checked once, here, with errors at their own positions.
	for _, fn := range funcs {
		if fn.Index != "" || c.badFunc[fn] {
			continue
		}
		n := len(c.errs)
		r := c.shape(fn.Body, &env{fn: fn, params: make([][]int, len(fn.Params)), sizes: map[*ast.CallExpr]int{}})
		if r.ok && r.shape != nil {
			c.errorf(fn.Body.Pos(), "body of scalar function %q must be a scalar, found %s: use an index-form function, func %s(...)[i] = ...", fn.Name, describeShape(r.shape), fn.Name)
		}
		if len(c.errs) > n || !r.ok {
			c.badFunc[fn] = true
		}
	}
}

// cycles returns the strongly connected components of a graph that contain
// a cycle (more than one node, or a node with an edge to itself), each
// sorted, in order of their smallest node.
func cycles(n int, succ func(int) []int) [][]int {
	idx := make([]int, n)
	low := make([]int, n)
	on := make([]bool, n)
	for i := range idx {
		idx[i] = -1
	}
	var stack []int
	var out [][]int
	next := 0
	var visit func(v int)
	visit = func(v int) {
		idx[v], low[v] = next, next
		next++
		stack = append(stack, v)
		on[v] = true
		for _, w := range succ(v) {
			if idx[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], idx[w])
			}
		}
		if low[v] == idx[v] {
			var comp []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			self := false
			for _, w := range succ(v) {
				self = self || w == v
			}
			if len(comp) > 1 || self {
				sort.Ints(comp)
				out = append(out, comp)
			}
		}
	}
	for v := range n {
		if idx[v] < 0 {
			visit(v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// cyclePath returns a shortest cycle through comp[0] inside the component
// comp, as a path that starts and ends with comp[0].
func cyclePath(comp []int, succ func(int) []int) []int {
	in := map[int]bool{}
	for _, v := range comp {
		in[v] = true
	}
	start := comp[0]
	prev := map[int]int{}
	queue := []int{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range succ(v) {
			if !in[w] {
				continue
			}
			if w == start {
				path := []int{start}
				for u := v; u != start; u = prev[u] {
					path = append(path, u)
				}
				path = append(path, start)
				// path is start, v, ..., start reversed in the middle.
				for i, j := 1, len(path)-2; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path
			}
			if _, seen := prev[w]; !seen {
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	return []int{start, start}
}

// order reports definition cycles and sets File.Order.
func (c *checker) order() {
	defs := c.f.Defs
	index := map[*Def]int{}
	for i, d := range defs {
		index[d] = i
	}
	succ := func(i int) []int {
		var s []int
		for _, d := range c.defDeps[defs[i]] {
			s = append(s, index[d])
		}
		return s
	}
	for _, comp := range cycles(len(defs), succ) {
		path := cyclePath(comp, succ)
		var names []string
		for _, i := range path {
			names = append(names, fmt.Sprintf("%q", defs[i].Name))
		}
		d := defs[comp[0]]
		c.errorAt(c.defOff[d], "definition cycle %s: a definition cannot use itself, directly or through others", strings.Join(names, " -> "))
	}

	// Kahn's algorithm, taking the earliest ready definition first.
	// Definitions in or after a cycle never become ready.
	users := make([][]int, len(defs))
	pending := make([]int, len(defs))
	for i, d := range defs {
		for _, u := range c.defDeps[d] {
			users[index[u]] = append(users[index[u]], i)
			pending[i]++
		}
	}
	ready := &intHeap{}
	for i := range defs {
		if pending[i] == 0 {
			heap.Push(ready, i)
		}
	}
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int)
		c.f.Order = append(c.f.Order, defs[i])
		for _, u := range users[i] {
			if pending[u]--; pending[u] == 0 {
				heap.Push(ready, u)
			}
		}
	}
}

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// checkDef checks the shapes of a definition whose dependencies are
// checked.
func (c *checker) checkDef(d *Def) {
	if d.Expr == nil {
		return
	}
	r := c.shape(d.Expr, &env{record: true, sizes: map[*ast.CallExpr]int{}})
	if !r.ok {
		return
	}
	if len(r.shape) == 2 {
		c.errorAt(c.defOff[d], "definition %q is a matrix: multiply it by a vector, as in W*v", d.Name)
		return
	}
	d.Shape = r.shape
	c.defOK[d] = true
}

// checkOutput resolves "output NAME", or picks the last definition.
func (c *checker) checkOutput() {
	if c.output.lit == "" {
		if n := len(c.f.Defs); n > 0 {
			c.f.Output = c.f.Defs[n-1]
		}
	} else {
		t := c.output
		switch o := c.globals[t.lit].(type) {
		case *Def:
			c.f.Output = o
		case nil:
			c.errorAt(t.off, "unknown name %q%s: output must name a definition", t.lit, c.suggestFor(t.lit, false))
			return
		default:
			c.errorAt(t.off, "output %q is %s: output must name a definition", t.lit, kindOf(o))
			return
		}
	}
	if d := c.f.Output; d != nil && c.defOK[d] && len(d.Shape) != 1 {
		c.outputBad = true
		if c.output.lit != "" {
			c.errorAt(c.output.off, "output %q must be a vector, found %s", d.Name, describeShape(d.Shape))
			return
		}
		fix := `add "output NAME" naming a vector definition`
		for i := len(c.f.Defs) - 1; i >= 0; i-- {
			if v := c.f.Defs[i]; c.defOK[v] && len(v.Shape) == 1 {
				fix = fmt.Sprintf("add \"output %s\", or define %q last", v.Name, v.Name)
				break
			}
		}
		c.errorAt(c.defOff[d], "output %q must be a vector, found %s: without an output declaration, the output is the last definition; %s", d.Name, describeShape(d.Shape), fix)
	}
}

// checkLoss checks the shape of the loss and that it uses the output.
func (c *checker) checkLoss() {
	e := c.f.Loss
	if e == nil {
		return
	}
	r := c.shape(e, &env{record: true, sizes: map[*ast.CallExpr]int{}})
	if r.ok && r.shape != nil {
		c.errorf(e.Pos(), "loss must be a scalar, found %s: use a divergence such as l2(y, d), or sum(i, ...)", describeShape(r.shape))
	}
	out := c.f.Output
	if out == nil || c.outputBad {
		return // no valid output: its dependence is not the problem
	}
	seen := map[*Def]bool{}
	var visit func(d *Def)
	visit = func(d *Def) {
		if seen[d] {
			return
		}
		seen[d] = true
		for _, u := range c.defDeps[d] {
			visit(u)
		}
	}
	for _, d := range c.lossDeps {
		visit(d)
	}
	if !seen[out] {
		c.errorf(e.Pos(), "loss does not depend on output %q: compute the loss from %q, as in l2(%s, d)", out.Name, out.Name, out.Name)
	}
}

// checkMissing reports required declarations that are missing, at the first
// declaration of the file.
func (c *checker) checkMissing() {
	missing := func(kw, msg string) {
		if _, ok := c.seen[kw]; !ok {
			c.errorAt(c.firstOff, "%s", msg)
		}
	}
	missing("package", `missing package declaration: add "package NAME"`)
	missing("input", `missing input declaration: add "input x[n]"`)
	missing("target", `missing target declaration: add "target d[n]"`)
	missing("loss", `missing loss declaration: add "loss EXPR", such as "loss l2(y, d)"`)
	if len(c.f.Defs) == 0 && len(c.errs) == 0 {
		c.errorAt(c.firstOff, `no definitions: add one, such as "y = sigmoid(dense(x, 1))"`)
	}
}

// sortParams puts the params in the order they first appear in the spec.
func (c *checker) sortParams() {
	sort.SliceStable(c.f.Params, func(i, j int) bool {
		a, b := c.paramKey[c.f.Params[i]], c.paramKey[c.f.Params[j]]
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		return a[1] < b[1]
	})
}

// checkExportNames reports spec-level names with the same exported Go
// form, at the later one.
func (c *checker) checkExportNames() {
	type named struct {
		name string
		off  int
	}
	var all []named
	for name, off := range c.declOff {
		all = append(all, named{name, off})
	}
	for _, p := range c.f.Params {
		if p.Implicit {
			all = append(all, named{p.Name, c.paramKey[p][0]})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].off != all[j].off {
			return all[i].off < all[j].off
		}
		return all[i].name < all[j].name
	})
	first := map[string]string{}
	for _, n := range all {
		e := ExportName(n.name)
		if prev, ok := first[e]; ok {
			c.errorAt(n.off, "%q and %q have the same Go name %q: rename one of them", prev, n.name, e)
			continue
		}
		first[e] = n.name
	}
}

// describeShape names a shape for a message.
func describeShape(s []int) string {
	switch len(s) {
	case 0:
		return "a scalar"
	case 1:
		return fmt.Sprintf("a vector %v", s)
	}
	return fmt.Sprintf("a matrix %v", s)
}

// env is the context of a shape check: a definition or the loss (record is
// true and results go to Info), or one instantiation of a function body.
type env struct {
	fn     *Func
	params [][]int // shapes of the arguments, for a function body
	record bool
	sizes  map[*ast.CallExpr]int // size of each index by its binding sum; nil for a function's index
}

// result is the shape of an expression.
type result struct {
	shape   []int
	ok      bool // false if the expression has an error, already reported
	isConst bool
	value   float64 // if isConst
}

var bad = result{}

func scalar() result { return result{ok: true} }

func konst(v float64) result { return result{ok: true, isConst: true, value: v} }

func vector(n int) result { return result{shape: []int{n}, ok: true} }

// shape checks the shapes of an expression whose names are resolved.
func (c *checker) shape(e ast.Expr, env *env) result {
	r := c.shape1(e, env)
	if r.ok && env.record {
		c.info.Shapes[e] = r.shape
		if r.isConst {
			c.info.Consts[e] = r.value
		}
	}
	return r
}

func (c *checker) shape1(e ast.Expr, env *env) result {
	switch e := e.(type) {
	case *ast.BasicLit:
		return c.literal(e)
	case *ast.Ident:
		if c.badObj[c.info.Uses[e]] {
			return bad
		}
		switch o := c.info.Uses[e].(type) {
		case *Var:
			return vector(o.Size)
		case *Param:
			return result{shape: o.Shape, ok: true}
		case *Def:
			if c.defOK[o] {
				return result{shape: o.Shape, ok: true}
			}
		case FuncParam:
			if env.fn == o.Func {
				return result{shape: env.params[o.Index], ok: true}
			}
		}
		return bad
	case *ast.ParenExpr:
		return c.shape(e.X, env)
	case *ast.UnaryExpr:
		r := c.shape(e.X, env)
		if !r.ok {
			return bad
		}
		if len(r.shape) == 2 {
			c.errorf(e.OpPos, "invalid use of matrix %s: a matrix can only multiply a vector, as in W*v", exprString(e.X))
			return bad
		}
		if r.isConst && e.Op == token.SUB {
			r.value = -r.value
		}
		return r
	case *ast.BinaryExpr:
		return c.binary(e, env)
	case *ast.CallExpr:
		return c.call(e, env)
	case *ast.IndexExpr:
		return c.index(e, env)
	}
	return bad
}

// literal returns the value of a number literal.
func (c *checker) literal(e *ast.BasicLit) result {
	if e.Kind != token.INT && e.Kind != token.FLOAT {
		return bad // reported by resolve
	}
	v, ok := floatLit(e)
	if !ok {
		c.errorf(e.Pos(), "number %s out of range", exprString(e))
		return bad
	}
	return konst(v)
}

// binary checks + - * /.
func (c *checker) binary(e *ast.BinaryExpr, env *env) result {
	l, r := c.shape(e.X, env), c.shape(e.Y, env)
	if !l.ok || !r.ok {
		return bad
	}
	if e.Op == token.QUO && r.isConst && r.value == 0 {
		if _, lit := e.Y.(*ast.BasicLit); lit {
			c.errorf(e.OpPos, "division by zero: divide by a nonzero number")
		} else {
			c.errorf(e.OpPos, "division by zero: the divisor %s is 0", exprString(e.Y))
		}
		return bad
	}
	if l.isConst && r.isConst {
		var v float64
		switch e.Op {
		case token.ADD:
			v = l.value + r.value
		case token.SUB:
			v = l.value - r.value
		case token.MUL:
			v = l.value * r.value
		case token.QUO:
			v = l.value / r.value
		}
		if math.IsInf(v, 0) || math.IsNaN(v) {
			c.errorf(e.OpPos, "constant overflow in %s", exprString(e))
			return bad
		}
		return konst(v)
	}
	lm, rm := len(l.shape) == 2, len(r.shape) == 2
	if lm || rm {
		if e.Op == token.MUL && lm && len(r.shape) == 1 {
			if l.shape[1] != r.shape[0] {
				c.errorf(e.OpPos, "shape mismatch: %v * %v: a %v matrix needs a vector of size %d", l.shape, r.shape, l.shape, l.shape[1])
				return bad
			}
			return vector(l.shape[0])
		}
		m := e.X
		if !lm {
			m = e.Y
		}
		c.errorf(e.OpPos, "invalid use of matrix %s: a matrix can only multiply a vector, as in W*v", exprString(m))
		return bad
	}
	if len(l.shape) == 1 && len(r.shape) == 1 && l.shape[0] != r.shape[0] {
		op := e.Op.String()
		if e.Op == token.MUL {
			op = "elementwise *"
		}
		c.errorf(e.OpPos, "shape mismatch: %v %s %v: operands of %s must have the same size", l.shape, e.Op, r.shape, op)
		return bad
	}
	if l.shape != nil {
		return vector(l.shape[0])
	}
	if r.shape != nil {
		return vector(r.shape[0])
	}
	return scalar()
}

// index checks v[i].
func (c *checker) index(e *ast.IndexExpr, env *env) result {
	idx, ok := e.Index.(*ast.Ident)
	if !ok {
		return bad
	}
	iv, ok := c.info.Uses[idx].(IndexVar)
	if !ok {
		return bad
	}
	r := c.shape(e.X, env)
	if !r.ok {
		return bad
	}
	if len(r.shape) != 1 {
		c.errorf(e.X.Pos(), "cannot index %s: it is %s, not a vector", exprString(e.X), describeShape(r.shape))
		return bad
	}
	n := r.shape[0]
	if m, seen := env.sizes[iv.Sum]; seen && m != n {
		c.errorf(idx.Pos(), "index %q ranges over vectors of sizes %d and %d: the vectors indexed by %q must have the same size", idx.Name, m, n, idx.Name)
		return bad
	}
	env.sizes[iv.Sum] = n
	return scalar()
}

// call checks a call of a builtin or user-defined function.
func (c *checker) call(e *ast.CallExpr, env *env) result {
	id, ok := e.Fun.(*ast.Ident)
	if !ok {
		return bad
	}
	switch o := c.info.Uses[id].(type) {
	case Builtin:
		return c.callBuiltin(e, id, builtins[o.Name], env)
	case *Func:
		return c.callFunc(e, id, o, env)
	}
	return bad
}

// args checks the shapes of all arguments; ok is false if one has an error.
func (c *checker) args(args []ast.Expr, env *env) ([]result, bool) {
	rs := make([]result, len(args))
	ok := true
	for i, a := range args {
		rs[i] = c.shape(a, env)
		ok = ok && rs[i].ok
	}
	return rs, ok
}

// broadcast returns the shape of an elementwise function of args: scalars
// and vectors of one size, giving a vector if any argument is one.
func (c *checker) broadcast(name string, id *ast.Ident, args []ast.Expr, rs []result) result {
	var size []int
	for i, r := range rs {
		switch len(r.shape) {
		case 2:
			c.errorf(args[i].Pos(), "cannot pass matrix %s to %q: multiply it by a vector first", exprString(args[i]), name)
			return bad
		case 1:
			if size != nil && size[0] != r.shape[0] {
				c.errorf(id.Pos(), "shape mismatch: arguments of %q have sizes %d and %d: elementwise arguments must have the same size", name, size[0], r.shape[0])
				return bad
			}
			size = r.shape
		}
	}
	if size != nil {
		return vector(size[0])
	}
	return scalar()
}

// needVector reports an argument that is not a vector.
func (c *checker) needVector(name string, arg ast.Expr, r result) bool {
	if len(r.shape) != 1 {
		c.errorf(arg.Pos(), "%s needs a vector, found %s", name, describeShape(r.shape))
		return false
	}
	return true
}

func (c *checker) callBuiltin(e *ast.CallExpr, id *ast.Ident, b builtin, env *env) result {
	name := id.Name
	if len(e.Args) < b.min || len(e.Args) > b.max {
		return bad
	}
	if name == "sum" && len(e.Args) == 2 {
		return c.sumIndex(e, env)
	}
	rs, ok := c.args(e.Args, env)
	if !ok {
		return bad
	}
	switch b.kind {
	case elementwise:
		if i := b.constArg; i >= 0 && !rs[i].isConst {
			c.errorf(e.Args[i].Pos(), "the %s of %s must be a constant number, found %s", b.constIs, name, exprString(e.Args[i]))
			return bad
		}
		return c.broadcast(name, id, e.Args, rs)
	case vectorMap:
		if !c.needVector(name, e.Args[0], rs[0]) {
			return bad
		}
		return rs[0]
	case reduce:
		if !c.needVector(name, e.Args[0], rs[0]) {
			return bad
		}
		return scalar()
	case divergence:
		if !c.needVector(name, e.Args[0], rs[0]) || !c.needVector(name, e.Args[1], rs[1]) {
			return bad
		}
		if rs[0].shape[0] != rs[1].shape[0] {
			c.errorf(id.Pos(), "shape mismatch: %s of %v and %v: both arguments must have the same size", name, rs[0].shape, rs[1].shape)
			return bad
		}
		return scalar()
	case denseLayer:
		if !c.needVector(name, e.Args[0], rs[0]) {
			return bad
		}
		dp, ok := c.info.Dense[e]
		if !ok {
			return bad
		}
		n, in := dp.Weight.Shape[0], rs[0].shape[0]
		if int64(n)*int64(in) > MaxElements {
			c.errorf(id.Pos(), "dense weight [%d %d] has %d elements: a matrix can have at most 67108864 (1<<26)", n, in, int64(n)*int64(in))
			return bad
		}
		dp.Weight.Shape[1] = in
		return vector(n)
	case pool:
		if !c.needVector(name, e.Args[0], rs[0]) {
			return bad
		}
		if v := rs[1].value; !rs[1].isConst || v < 1 || v > MaxSize || v != math.Trunc(v) {
			return bad // reported by sizeArg
		}
		n, k := rs[0].shape[0], int(rs[1].value)
		if n%k != 0 {
			c.errorf(e.Args[1].Pos(), "maxpool group size %d does not divide vector size %d: choose a size that divides %d", k, n, n)
			return bad
		}
		return vector(n / k)
	}
	return bad
}

// sumIndex checks sum(i, expr).
func (c *checker) sumIndex(e *ast.CallExpr, env *env) result {
	idx, ok := e.Args[0].(*ast.Ident)
	if !ok {
		return bad
	}
	if _, ok := c.info.Uses[idx].(IndexVar); !ok {
		return bad
	}
	r := c.shape(e.Args[1], env)
	if !r.ok {
		return bad
	}
	if r.shape != nil {
		c.errorf(e.Args[1].Pos(), "the body of sum(%s, ...) must be a scalar, found %s: index vectors with %s, as in v[%s]", idx.Name, describeShape(r.shape), idx.Name, idx.Name)
		return bad
	}
	n, seen := env.sizes[e]
	if !seen {
		c.errorf(idx.Pos(), "index %q does not index any vector: use it in the body, as in v[%s]", idx.Name, idx.Name)
		return bad
	}
	if env.record {
		for _, id := range c.binds[e] {
			c.info.Uses[id] = IndexVar{Name: idx.Name, Size: n, Sum: e}
		}
	}
	return scalar()
}

// instance is the checked result of a function body for one list of
// argument shapes.
type instance struct {
	shape []int
	ok    bool
	msg   string // the error, if not ok
}

// callFunc checks a call of a user-defined function.
func (c *checker) callFunc(e *ast.CallExpr, id *ast.Ident, fn *Func, env *env) result {
	if len(e.Args) != len(fn.Params) || c.badObj[fn] {
		return bad
	}
	rs, ok := c.args(e.Args, env)
	if !ok || c.badFunc[fn] || c.badObj[fn] {
		return bad
	}
	if fn.Index == "" {
		return c.broadcast(fn.Name, id, e.Args, rs)
	}
	shapes := make([][]int, len(rs))
	for i, r := range rs {
		if len(r.shape) == 2 {
			c.errorf(e.Args[i].Pos(), "cannot pass matrix %s to %q: multiply it by a vector first", exprString(e.Args[i]), fn.Name)
			return bad
		}
		shapes[i] = r.shape
	}
	inst := c.instantiate(fn, shapes)
	if !inst.ok {
		c.errorf(id.Pos(), "in call to %q: %s", fn.Name, inst.msg)
		return bad
	}
	return vector(inst.shape[0])
}

// instantiate checks the body of an index-form function for arguments of
// the given shapes. Results are memoized, so that functions calling
// functions several times take linear time.
func (c *checker) instantiate(fn *Func, shapes [][]int) instance {
	key := fmt.Sprintf("%p%v", fn, shapes)
	if inst, ok := c.insts[key]; ok {
		return inst
	}
	saved := c.capture
	c.capture = &capture{}
	env := &env{fn: fn, params: shapes, sizes: map[*ast.CallExpr]int{}}
	r := c.shape(fn.Body, env)
	msg := c.capture.msg
	c.capture = saved
	var inst instance
	switch n, seen := env.sizes[nil]; {
	case !r.ok:
		inst.msg = msg
		if msg == "" {
			inst.msg = "invalid function body"
		}
	case r.shape != nil:
		inst.msg = fmt.Sprintf("the body must be a scalar, found %s: index vectors with %s, as in v[%s]", describeShape(r.shape), fn.Index, fn.Index)
	case !seen:
		inst.msg = fmt.Sprintf("index %q does not index any vector", fn.Index)
	default:
		inst = instance{shape: []int{n}, ok: true}
	}
	c.insts[key] = inst
	return inst
}
