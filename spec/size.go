package spec

import (
	"fmt"
	"go/ast"
	"strconv"
	"strings"
)

// MaxExpanded is the largest expanded size a spec may have: the number of
// distinct operations of its definitions and loss once every call of a
// user function is replaced by the function's body (see checkSize).
// Generation takes time and memory linear in the expanded size, so the
// limit keeps every accepted spec to seconds; 1<<18 is also about the
// number of operations that fit in the 1 MiB a spec file may have.
const MaxExpanded = 1 << 18

// sizer computes expanded sizes. Expressions are hash-consed by structure
// (ids), as the algebra does with the nodes they become, so that within
// one body an expression written twice, such as the two f(z) of
// f(z)*f(z) + f(z), counts once.
type sizer struct {
	c      *checker
	ids    map[string]int
	fnSize map[*Func]float64
}

// checkSize reports a spec whose expanded size exceeds MaxExpanded, at
// the call whose function expands the most, or else at the definition
// where the running total crosses the limit. The size of each function is
// computed once, so the check takes time linear in the spec, however
// large the expansion: func fK(z) = f{K-1}(f{K-1}(z)) for K up to 40
// expands to 2^40 operations and is refused at once. Sizes are float64,
// so that no expansion overflows them.
func (c *checker) checkSize() {
	s := &sizer{c: c, ids: map[string]int{}, fnSize: map[*Func]float64{}}
	total := 0.0
	check := func(e ast.Expr, at func(format string, args ...any)) bool {
		if e == nil {
			return true
		}
		_, n := s.size(e, map[int]bool{})
		total += n
		switch call, m := s.largestCall(e); {
		case n > MaxExpanded && call != nil:
			c.errorf(call.Pos(), "call of %q expands to about %.3g operations, more than the limit of %d: %s",
				call.Fun.(*ast.Ident).Name, m, MaxExpanded, sizeHint)
		case total > MaxExpanded:
			at("the spec expands to about %.3g operations up to here, more than the limit of %d: %s", total, MaxExpanded, sizeHint)
		default:
			return true
		}
		return false
	}
	for _, d := range c.f.Defs {
		if !check(d.Expr, func(format string, args ...any) { c.errorAt(c.defOff[d], format, args...) }) {
			return
		}
	}
	if e := c.f.Loss; e != nil {
		check(e, func(format string, args ...any) { c.errorf(e.Pos(), format, args...) })
	}
}

// sizeHint says what to change in a spec that expands too much.
const sizeHint = "each call of a function expands its body, so a function that calls another on two different arguments doubles the size with each level of nesting; nest fewer levels"

// size returns the id of e and the number of its operations not yet in
// seen, with calls of user functions expanded, and adds them to seen.
func (s *sizer) size(e ast.Expr, seen map[int]bool) (id int, n float64) {
	var key strings.Builder
	var kids []ast.Expr
	var callee *Func
	switch e := e.(type) {
	case *ast.BasicLit:
		key.WriteString("lit " + e.Value)
	case *ast.Ident:
		key.WriteString("id " + e.Name)
	case *ast.ParenExpr:
		return s.size(e.X, seen)
	case *ast.UnaryExpr:
		key.WriteString("un " + e.Op.String())
		kids = []ast.Expr{e.X}
	case *ast.BinaryExpr:
		key.WriteString("bin " + e.Op.String())
		kids = []ast.Expr{e.X, e.Y}
	case *ast.IndexExpr:
		key.WriteString("index")
		kids = []ast.Expr{e.X, e.Index}
	case *ast.CallExpr:
		key.WriteString("call")
		kids = append([]ast.Expr{e.Fun}, e.Args...)
		if id, ok := e.Fun.(*ast.Ident); ok {
			if fn, ok := s.c.info.Uses[id].(*Func); ok && !s.c.badFunc[fn] && fn.Body != nil {
				callee = fn
			}
		}
	default:
		key.WriteString(fmt.Sprintf("other %d", e.Pos()))
	}
	n = 1
	for _, k := range kids {
		kid, kn := s.size(k, seen)
		key.WriteString(" " + strconv.Itoa(kid))
		n += kn
	}
	id, ok := s.ids[key.String()]
	if !ok {
		id = len(s.ids)
		s.ids[key.String()] = id
	}
	if seen[id] {
		return id, 0
	}
	seen[id] = true
	if callee != nil {
		n += s.funcSize(callee)
	}
	return id, n
}

// funcSize returns the expanded size of a function's body, computed once.
// Recursive functions are reported by the checker and not counted.
func (s *sizer) funcSize(fn *Func) float64 {
	if n, ok := s.fnSize[fn]; ok {
		return n
	}
	s.fnSize[fn] = 0 // a cycle, already reported, counts nothing
	_, n := s.size(fn.Body, map[int]bool{})
	s.fnSize[fn] = n
	return n
}

// largestCall returns the call of a user function in e whose body expands
// the most, and that size.
func (s *sizer) largestCall(e ast.Expr) (*ast.CallExpr, float64) {
	var best *ast.CallExpr
	bestN := 0.0
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); ok {
			if fn, ok := s.c.info.Uses[id].(*Func); ok && !s.c.badFunc[fn] && fn.Body != nil {
				if m := s.funcSize(fn); m > bestN {
					best, bestN = call, m
				}
			}
		}
		return true
	})
	return best, bestN
}
