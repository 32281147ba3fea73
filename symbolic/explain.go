package symbolic

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// This file prints a derivation for people: Explain writes the forward and
// backward passes in the notation of the lecture, and Dot draws the
// influence diagram. Both only name and arrange what the graph holds: every
// expression printed is a node of the derived graph (or, for the edges of
// the diagram, the partial derivative that Grad derives from a map body).
//
// Names follow the lecture. A dense layer h has the weight W(h), the bias
// b(h) and the pre-activation z(h) = W(h) v + b(h); the divergence is Div;
// the gradient of v is dDiv/dv. Temporaries with a recognisable role are
// named by it (m, e and s for the shift, the exponentials and their sum in
// a softmax); others are numbered t1, t2, ... Small temporaries with one
// use are printed inside their user.

// name is a display name: base, subscript and layer, as in W_1(h), or the
// gradient dDiv/d<...> of such a name.
type name struct {
	base, sub, layer string
	grad             bool
}

func (n name) inner() string {
	s := n.base
	if n.sub != "" {
		s += "_" + n.sub
	}
	if n.layer != "" {
		s += "(" + n.layer + ")"
	}
	return s
}

func (n name) text() string {
	if n.grad {
		return "dDiv/d" + n.inner()
	}
	return n.inner()
}

func (n name) tex() string {
	s := texIdent(n.base)
	if n.sub != "" {
		s += "_{" + n.sub + "}"
	}
	if n.layer != "" {
		s += "^{(" + texIdent(n.layer) + ")}"
	}
	if n.grad {
		return `\frac{\partial \mathrm{Div}}{\partial ` + s + `}`
	}
	return s
}

// texIdent writes a spec identifier in TeX: h1 as h_{1}, W as W, longer
// names upright.
func texIdent(s string) string {
	if s == "Div" {
		return `\mathrm{Div}`
	}
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	switch {
	case i == 1 && j == len(s) && j > 1:
		return s[:1] + "_{" + s[1:] + "}"
	case len(s) == 1:
		return s
	}
	return `\mathrm{` + strings.ReplaceAll(s, "_", `\_`) + `}`
}

// explainer holds the names and layout decisions shared by Explain and Dot.
type explainer struct {
	d        *Derivation
	g        *Graph
	fwd, bwd []*Tensor
	inFwd    map[*Tensor]bool
	users    map[*Tensor][]*Tensor
	roots    map[*Tensor]bool
	tname    map[*Tensor]name
	ename    map[*Expr]name    // named subexpressions: pre-activations, composed definitions
	eowner   map[*Expr]*Tensor // the live tensor whose value is that subexpression, if any
	adds     []*Expr           // the named subexpressions that are sums, to spot their negations
	inline   map[*Tensor]bool
	fold     map[*Tensor]*Tensor // a stop-gradient prints as its argument
	zgrad    map[*Tensor]name    // gradients identified as dDiv/dz of a pre-activation
	via      map[*Tensor]string  // named adjoints that cover only some of the paths
	viaPath  map[*Tensor]string  // and the paths they cover
	used     map[string]bool     // text names taken
}

func newExplainer(d *Derivation) *explainer {
	x := &explainer{
		d: d, g: d.Network.Graph,
		inFwd: map[*Tensor]bool{}, users: map[*Tensor][]*Tensor{}, roots: map[*Tensor]bool{},
		tname: map[*Tensor]name{}, ename: map[*Expr]name{}, eowner: map[*Expr]*Tensor{},
		inline: map[*Tensor]bool{}, fold: map[*Tensor]*Tensor{}, zgrad: map[*Tensor]name{},
		via: map[*Tensor]string{}, viaPath: map[*Tensor]string{}, used: map[string]bool{},
	}
	x.fwd = liveFrom(d.Output, d.Loss)
	for _, t := range x.fwd {
		x.inFwd[t] = true
	}
	grads := append(slices.Clone(d.ParamGrads), d.InputGrad)
	for _, t := range liveFrom(grads...) {
		if !x.inFwd[t] {
			x.bwd = append(x.bwd, t)
		}
	}
	for _, t := range append(slices.Clone(x.fwd), x.bwd...) {
		seen := map[*Tensor]bool{}
		for _, a := range t.Args {
			if !seen[a] {
				seen[a] = true
				x.users[a] = append(x.users[a], t)
			}
		}
	}
	for _, r := range append([]*Tensor{d.Output, d.Loss}, grads...) {
		x.roots[r] = true
	}
	x.nameForward()
	x.nameBackward()
	x.decideInline()
	x.number()
	return x
}

func (x *explainer) setName(t *Tensor, n name) {
	if n.sub == "" && x.used[n.text()] && n.base != "t" {
		for k := 2; ; k++ {
			m := n
			m.sub = strconv.Itoa(k)
			if !x.used[m.text()] {
				n = m
				break
			}
		}
	}
	x.used[n.text()] = true
	x.tname[t] = n
}

// paramName turns the names dense gives, h.weight, h.bias, h.weight_1,
// into W(h), b(h), W_1(h); explicit parameters keep their names.
func paramName(s string) name {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return name{base: s}
	}
	layer, kind := s[:i], s[i+1:]
	sub := ""
	if j := strings.IndexByte(kind, '_'); j >= 0 {
		kind, sub = kind[:j], kind[j+1:]
	}
	switch kind {
	case "weight":
		return name{base: "W", sub: sub, layer: layer}
	case "bias":
		return name{base: "b", sub: sub, layer: layer}
	}
	return name{base: s}
}

// isMatVec reports whether t is W*v for a matrix W and a vector v.
func isMatVec(t *Tensor) bool {
	return t.Kind == KindContract && len(t.Args) == 2 && len(t.Args[0].Shape) == 2 &&
		len(t.Args[1].Shape) == 1 && slices.Equal(t.Out, []int{0}) &&
		slices.Equal(t.Index[0], []int{0, 1}) && slices.Equal(t.Index[1], []int{1})
}

// affine reports whether e is a pre-activation: a sum of matrix-vector
// products and parameter vectors, at least one of them a product.
func affine(e *Expr) (*Tensor, bool) {
	if e.Op != OpAdd {
		return nil, false
	}
	var mv *Tensor
	for _, a := range e.Args {
		if a.Op != OpRef {
			return nil, false
		}
		t := a.Tensor
		switch {
		case isMatVec(t):
			if mv == nil {
				mv = t
			}
		case t.Kind == KindLeaf && t.Role == RoleParam:
		default:
			return nil, false
		}
	}
	return mv, mv != nil
}

func (x *explainer) nameForward() {
	net := x.d.Network
	for _, t := range x.fwd {
		if t.Kind == KindLeaf {
			if t.Role == RoleParam {
				x.setName(t, paramName(t.Name))
			} else {
				x.setName(t, name{base: t.Name})
			}
		}
	}
	for _, t := range x.fwd {
		if t.Kind != KindLeaf && t.Name != "" && t != x.d.Loss {
			x.setName(t, name{base: t.Name})
		}
	}
	x.setName(x.d.Loss, name{base: "Div"})
	// Definitions whose maps were composed into their users are still
	// subexpressions of those users' bodies: name them.
	defs := map[string]bool{}
	for _, l := range net.Layers {
		defs[l.Name] = true
	}
	for _, t := range x.g.Tensors() {
		if t.Kind != KindMap || !defs[t.Name] || t.Body.Op == OpRef || t.Body.Op == OpConst {
			continue
		}
		if _, ok := x.ename[t.Body]; ok {
			continue
		}
		if x.inFwd[t] {
			x.ename[t.Body] = x.tname[t]
			x.eowner[t.Body] = t
		} else if !x.used[t.Name] {
			x.ename[t.Body] = name{base: t.Name}
			x.used[t.Name] = true
		}
		if _, named := x.ename[t.Body]; named && t.Body.Op == OpAdd {
			x.adds = append(x.adds, t.Body) // a named sum, for negOf
		}
	}
	// Pre-activations.
	for _, t := range x.fwd {
		if t.Kind != KindMap {
			continue
		}
		for _, e := range postorder(t.Body) {
			mv, ok := affine(e)
			if !ok {
				continue
			}
			if _, ok := x.ename[e]; ok {
				continue
			}
			if e == t.Body && t.Name != "" {
				continue
			}
			n := paramName(mv.Args[0].Name)
			n.base = "z"
			if n.layer == "" {
				n.sub = ""
				n.layer = x.ownerOf(t)
			}
			if n.layer == "" {
				n = name{base: "z"}
			}
			if e == t.Body && !x.roots[t] {
				x.setName(t, n)
				n = x.tname[t]
				x.eowner[e] = t
			} else {
				x.setName(nil, n)
				n = x.tname[nil]
				delete(x.tname, nil)
			}
			x.ename[e] = n
			x.adds = append(x.adds, e)
		}
	}
	// Stop-gradients print as their argument when nothing else reads it.
	for _, t := range x.fwd {
		if t.Kind == KindStop && len(x.users[t.Args[0]]) == 1 && !x.roots[t.Args[0]] {
			x.fold[t] = t.Args[0]
		}
	}
	// Softmax parts and other temporaries with a recognisable role.
	for _, t := range x.fwd {
		if _, ok := x.tname[t]; ok || t.Kind == KindLeaf || t.Kind == KindStop {
			continue
		}
		base := ""
		switch {
		case t.Kind == KindMax && t.Scalar():
			base = "m"
		case t.Kind == KindMap && t.Body.Op == OpExp && len(x.users[t]) > 1:
			base = "e"
		case t.Kind == KindContract && len(t.Args) == 1 && len(t.Out) == 0 && len(x.users[t]) > 1:
			base = "s"
		}
		if base == "" {
			continue
		}
		layer := ""
		for _, a := range t.Args {
			if n, ok := x.tname[a]; ok && n.layer != "" {
				layer = n.layer
				break
			}
		}
		if layer == "" {
			layer = x.ownerOf(t)
		}
		if layer != "" {
			x.setName(t, name{base: base, layer: layer})
		}
	}
}

// ownerOf returns the name of the first named definition that depends on
// t, or "".
func (x *explainer) ownerOf(t *Tensor) string {
	if t.Name != "" && t != x.d.Loss {
		return t.Name
	}
	seen := map[*Tensor]bool{}
	best := (*Tensor)(nil)
	var walk func(u *Tensor)
	walk = func(u *Tensor) {
		for _, v := range x.users[u] {
			if seen[v] || !x.inFwd[v] {
				continue
			}
			seen[v] = true
			if v.Name != "" && v != x.d.Loss && v.Kind != KindLeaf {
				if best == nil || v.ID < best.ID {
					best = v
				}
				continue
			}
			walk(v)
		}
	}
	walk(t)
	if best == nil {
		return ""
	}
	return best.Name
}

func (x *explainer) nameBackward() {
	net := x.d.Network
	named := map[string]*Tensor{}
	for _, t := range x.fwd {
		if t.Name != "" {
			named[t.Name] = t
		}
	}
	for _, t := range x.bwd {
		if t.Kind == KindLeaf || !strings.HasPrefix(t.Name, "d") {
			continue
		}
		if f, ok := named[t.Name[1:]]; ok && f.Kind != KindLeaf {
			n := x.tname[f]
			n.grad = true
			x.setName(t, n)
		}
	}
	for k, p := range net.Params {
		if gt := x.d.ParamGrads[k]; !x.inFwd[gt] {
			n := paramName(p.Name)
			n.grad = true
			x.setName(gt, n)
		}
	}
	if gt := x.d.InputGrad; !x.inFwd[gt] {
		x.setName(gt, name{base: net.Input.Name, grad: true})
	}
	// The gradient of a pre-activation z = W v + b: by the adjoint rule of
	// a contraction, the gradient of W gets dout v^T, with dout the
	// gradient of W v; and dDiv/d(W v) = dDiv/dz when dz/d(W v) = 1.
	for k, p := range net.Params {
		if len(p.Shape) != 2 {
			continue
		}
		for _, c := range x.contributions(x.d.ParamGrads[k]) {
			if c.Kind != KindContract || len(c.Args) != 2 || !slices.Equal(c.Out, []int{0, 1}) ||
				!slices.Equal(c.Index[0], []int{0}) || !slices.Equal(c.Index[1], []int{1}) {
				continue
			}
			gz, v := c.Args[0], c.Args[1]
			if x.inFwd[gz] {
				continue
			}
			var mv *Tensor
			for _, u := range x.users[p] {
				if isMatVec(u) && u.Args[0] == p && u.Args[1] == v && x.inFwd[u] {
					mv = u
				}
			}
			if mv == nil {
				continue
			}
			z, zn, ok := x.preactivation(mv)
			if !ok || !x.g.Grad(z, x.g.Ref(mv))[0].IsConst(1) {
				continue
			}
			zn.grad = true
			if old, ok := x.tname[gz]; ok {
				delete(x.used, old.text())
			}
			x.setName(gz, zn)
			x.zgrad[gz] = zn
		}
	}
	// A named adjoint is the sum over the paths from its tensor. When
	// another map recomputes the definition's body instead of reading the
	// tensor (maps compose), or reads it through a rewritten copy, the
	// adjoint covers fewer uses than the definition has: say which.
	reach := map[*Tensor]bool{}
	for _, t := range x.fwd {
		if t == x.d.Loss {
			reach[t] = true
		}
	}
	for i := len(x.fwd) - 1; i >= 0; i-- {
		t := x.fwd[i]
		if reach[t] && t.Kind != KindStop {
			for _, a := range t.Args {
				reach[a] = true
			}
		}
	}
	for _, t := range x.bwd {
		n, ok := x.tname[t]
		if !ok || !n.grad || x.zgrad[t].base != "" || !strings.HasPrefix(t.Name, "d") {
			continue
		}
		f := named[t.Name[1:]]
		if f == nil || f.Kind != KindMap {
			continue
		}
		var through, other []string
		for _, u := range x.users[f] {
			if !x.inFwd[u] || !reach[u] || u.Kind == KindStop {
				continue
			}
			s := x.tname[u].text()
			if isMatVec(u) {
				if _, zn, ok := x.preactivation(u); ok {
					s = zn.text()
				}
			}
			through = append(through, s)
		}
		for _, u := range x.fwd {
			if u != f && u.Kind == KindMap && !slices.Contains(x.users[f], u) && containsExpr(u.Body, f.Body) {
				other = append(other, x.tname[u].text())
			}
		}
		if len(other) == 0 && len(x.contributions(t)) >= len(through) {
			continue
		}
		// Which users does the gradient come from? The ones whose
		// adjoints it reads.
		var from, rest []string
		for _, u := range x.users[f] {
			if !x.inFwd[u] || !reach[u] || u.Kind == KindStop {
				continue
			}
			s := x.tname[u].text()
			if isMatVec(u) {
				if _, zn, ok := x.preactivation(u); ok {
					s = zn.text()
				}
			}
			if x.readsGradOf(t, s) {
				from = append(from, s)
			} else {
				rest = append(rest, s)
			}
		}
		rest = append(rest, other...)
		if len(from) == 0 || len(rest) == 0 {
			continue
		}
		x.viaPath[t] = strings.Join(from, ", ")
		x.via[t] = fmt.Sprintf("the paths through %s only; the paths through %s are added where %s is used",
			strings.Join(from, ", "), strings.Join(rest, ", "), n.text())
	}
}

// readsGradOf reports whether t reads the gradient named dDiv/d<s>,
// directly or through a tensor printed inline.
func (x *explainer) readsGradOf(t *Tensor, s string) bool {
	for _, a := range t.Args {
		if n, ok := x.tname[a]; ok && n.grad && n.inner() == s {
			return true
		}
	}
	return false
}

// preactivation returns the pre-activation that the matrix-vector product
// mv is a term of, when there is exactly one.
func (x *explainer) preactivation(mv *Tensor) (*Expr, name, bool) {
	var found *Expr
	for _, u := range x.fwd {
		if u.Kind != KindMap {
			if slices.Contains(u.Args, mv) {
				return nil, name{}, false
			}
			continue
		}
		for _, e := range postorder(u.Body) {
			if e.Op == OpAdd && slices.Contains(e.Args, x.g.Ref(mv)) {
				if found != nil && found != e {
					return nil, name{}, false
				}
				found = e
			}
		}
	}
	if found == nil {
		return nil, name{}, false
	}
	if n, ok := x.ename[found]; ok {
		return found, n, true
	}
	for _, u := range x.fwd {
		if u.Kind == KindMap && u.Body == found {
			if n, ok := x.tname[u]; ok {
				return found, n, true
			}
		}
	}
	return nil, name{}, false
}

func containsExpr(e, sub *Expr) bool {
	return slices.Contains(postorder(e), sub)
}

// contributions returns the terms of a gradient that sums several paths,
// or the gradient itself.
func (x *explainer) contributions(t *Tensor) []*Tensor {
	if t.Kind == KindMap && t.Body.Op == OpAdd {
		var cs []*Tensor
		for _, a := range t.Body.Args {
			if a.Op != OpRef {
				return []*Tensor{t}
			}
			cs = append(cs, a.Tensor)
		}
		return cs
	}
	return []*Tensor{t}
}

// decideInline marks the small single-use temporaries that are printed
// inside their user.
func (x *explainer) decideInline() {
	weight := map[*Tensor]int{}
	for _, t := range append(slices.Clone(x.fwd), x.bwd...) {
		if t.Kind == KindLeaf || x.roots[t] || x.fold[t] != nil {
			continue
		}
		if _, ok := x.tname[t]; ok {
			continue
		}
		if isMatVec(t) && x.inFwd[t] {
			x.inline[t] = true
			weight[t] = 2
			continue
		}
		us := x.users[t]
		if len(us) != 1 || x.inFwd[us[0]] != x.inFwd[t] {
			continue
		}
		w := 0
		switch t.Kind {
		case KindMap:
			w = len(postorder(t.Body))
		case KindContract, KindMaxGrad:
			w = 2
		default:
			continue
		}
		for _, a := range t.Args {
			w += weight[a]
		}
		if w <= 20 {
			x.inline[t] = true
			weight[t] = w
		}
	}
}

// number names the remaining temporaries t1, t2, ... in schedule order,
// the printed ones first.
func (x *explainer) number() {
	n := 0
	all := append(slices.Clone(x.fwd), x.bwd...)
	for _, pass := range []bool{false, true} {
		for _, t := range all {
			if _, ok := x.tname[t]; ok || t.Kind == KindLeaf || x.fold[t] != nil || x.inline[t] != pass {
				continue
			}
			n++
			x.setName(t, name{base: "t" + strconv.Itoa(n)})
		}
	}
	for s, a := range x.fold {
		x.tname[s] = x.tname[a]
	}
}

// printer writes expressions in vector notation, as text or TeX.
type printer struct {
	x     *explainer
	tex   bool
	notes map[string]bool
	self  *Expr // the body being defined: not replaced by its own name
	memo  map[printKey]string
}

// printKey identifies one printing of an expression: printing is memoized,
// so a body that shares subexpressions many times over (a DAG whose tree is
// exponentially large) prints in time linear in its nodes.
type printKey struct {
	e, self *Expr
	outer   int
}

// maxPrinted caps the length of one printed expression; longer ones end in
// "...". Hash-consed graphs can stand for expressions far too long to read.
const maxPrinted = 2000

const (
	precAddP  = 1
	precMulP  = 2
	precJuxtP = 3 // W v
	precPowP  = 4
)

func (p *printer) note(s string) {
	if p.notes != nil {
		p.notes[s] = true
	}
}

func (p *printer) paren(s string, on bool) string {
	if !on {
		return s
	}
	if p.tex {
		return `\left(` + s + `\right)`
	}
	return "(" + s + ")"
}

func (p *printer) name(n name) string {
	if p.tex {
		return n.tex()
	}
	return n.text()
}

// ref prints a reference to t: its name, or its definition when t is
// printed inline.
func (p *printer) ref(t *Tensor, outer int) string {
	if a := p.x.fold[t]; a != nil {
		t = a
	}
	if p.x.inline[t] {
		return p.def(t, outer)
	}
	return p.name(p.x.tname[t])
}

func isVector(e *Expr) bool {
	for _, t := range sortedRefs(e) {
		if !t.Scalar() {
			return true
		}
	}
	return false
}

func (p *printer) constant(v float64) string {
	s := formatConst(v)
	if p.tex {
		if m, e, ok := strings.Cut(s, "e"); ok {
			ex, _ := strconv.Atoi(e)
			if m == "1" {
				return fmt.Sprintf("10^{%d}", ex)
			}
			return fmt.Sprintf(`%s \cdot 10^{%d}`, m, ex)
		}
	}
	return s
}

// negOf returns the named sum that e is the negation of, term by term.
func (p *printer) negOf(e *Expr) (name, bool) {
	if e.Op != OpAdd {
		return name{}, false
	}
	for _, a := range p.x.adds {
		if len(a.Args) != len(e.Args) {
			continue
		}
		ok := true
		for _, t := range a.Args {
			found := false
			for _, u := range e.Args {
				if negTerm(u, t) {
					found = true
					break
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok {
			return p.x.ename[a], true
		}
	}
	return name{}, false
}

// negTerm reports whether u is -t, structurally.
func negTerm(u, t *Expr) bool {
	if u.Op != OpMul || u.Args[0].Op != OpConst {
		return false
	}
	c, rest := u.Args[0].Val, u.Args[1:]
	tc, tf := 1.0, []*Expr{t}
	switch {
	case t.Op == OpMul && t.Args[0].Op == OpConst:
		tc, tf = t.Args[0].Val, t.Args[1:]
	case t.Op == OpMul:
		tf = t.Args
	}
	return c == -tc && slices.Equal(rest, tf)
}

func (p *printer) expr(e *Expr, outer int) string {
	k := printKey{e, p.self, outer}
	if s, ok := p.memo[k]; ok {
		return s
	}
	s := p.exprFull(e, outer)
	s = Shorten(s, maxPrinted+3)
	if p.memo == nil {
		p.memo = map[printKey]string{}
	}
	p.memo[k] = s
	return s
}

func (p *printer) exprFull(e *Expr, outer int) string {
	if e != p.self {
		if n, ok := p.x.ename[e]; ok {
			return p.name(n)
		}
	}
	switch e.Op {
	case OpConst:
		return p.paren(p.constant(e.Val), e.Val < 0 && outer > 0)
	case OpVar:
		return e.Name
	case OpRef:
		return p.ref(e.Tensor, outer)
	case OpAdd:
		if n, ok := p.negOf(e); ok {
			return p.paren("-"+p.name(n), outer > precAddP)
		}
		var b strings.Builder
		for i, a := range PositiveFirst(e.Args) {
			c, fs := termParts(a)
			switch {
			case i == 0 && a.Op == OpConst:
				b.WriteString(p.expr(a, 0))
			case i == 0:
				b.WriteString(p.expr(a, precAddP))
			case c < 0:
				b.WriteString(" - ")
				b.WriteString(p.product(-c, fs, precAddP+1))
			default:
				b.WriteString(" + ")
				b.WriteString(p.expr(a, precAddP))
			}
		}
		return p.paren(b.String(), outer > precAddP)
	case OpMul:
		c, fs := termParts(e)
		return p.product(c, fs, outer)
	case OpPow:
		if e.Val < 0 {
			return p.product(1, []*Expr{e}, outer)
		}
		if p.tex {
			if e.Val == 0.5 {
				return `\sqrt{` + p.expr(e.Args[0], 0) + `}`
			}
			return p.paren("{"+p.expr(e.Args[0], precPowP+1)+"}^{"+p.constant(e.Val)+"}", outer > precPowP)
		}
		return p.paren(p.expr(e.Args[0], precPowP+1)+"^"+formatConst(e.Val), outer > precPowP)
	case OpSelect:
		c, a, b := e.Args[0], e.Args[1], e.Args[2]
		cond := p.expr(c, precAddP)
		switch {
		case a.IsConst(1) && b.IsConst(0):
			p.note("iverson")
			if p.tex {
				return `\mathbb{1}[` + cond + ` > 0]`
			}
			return "[" + cond + " > 0]"
		case a.IsConst(0) && b.IsConst(1):
			p.note("iverson")
			if p.tex {
				return `\mathbb{1}[` + cond + ` \le 0]`
			}
			return "[" + cond + " <= 0]"
		}
		if p.tex {
			return `\left(` + cond + ` > 0 \;?\; ` + p.expr(a, 0) + ` : ` + p.expr(b, 0) + `\right)`
		}
		return "(" + cond + " > 0 ? " + p.expr(a, 0) + " : " + p.expr(b, 0) + ")"
	case OpAbs:
		if p.tex {
			return `\left|` + p.expr(e.Args[0], 0) + `\right|`
		}
	case OpSqrt:
		if p.tex {
			return `\sqrt{` + p.expr(e.Args[0], 0) + `}`
		}
	}
	fn := e.Op.String()
	if p.tex {
		switch e.Op {
		case OpExp, OpLog, OpTanh, OpMax, OpMin:
			fn = `\` + fn
		case OpSigmoid:
			fn = `\sigma`
		default:
			fn = `\operatorname{` + fn + `}`
		}
	}
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = p.expr(a, 0)
	}
	return fn + p.paren(strings.Join(args, ", "), true)
}

// termParts splits a term into its constant coefficient and its factors.
func termParts(e *Expr) (float64, []*Expr) {
	switch {
	case e.Op == OpConst:
		return e.Val, nil
	case e.Op == OpMul && e.Args[0].Op == OpConst:
		return e.Args[0].Val, e.Args[1:]
	case e.Op == OpMul:
		return 1, e.Args
	}
	return 1, []*Expr{e}
}

// product prints c times the product of fs, writing negative powers as
// divisions.
func (p *printer) product(c float64, fs []*Expr, outer int) string {
	// A product printed inline splices into this one.
	var flat []*Expr
	for _, f := range fs {
		if f.Op == OpRef && p.x.inline[f.Tensor] && f.Tensor.Kind == KindMap && f.Tensor.Body.Op == OpMul {
			k, gs := termParts(f.Tensor.Body)
			c *= k
			flat = append(flat, gs...)
			continue
		}
		flat = append(flat, f)
	}
	fs = flat
	var num, den []*Expr
	for _, f := range fs {
		if f.Op == OpPow && f.Val < 0 {
			den = append(den, f)
		} else {
			num = append(num, f)
		}
	}
	if len(fs) == 0 {
		return p.paren(p.constant(c), c < 0 && outer > 0)
	}
	prefix := ""
	switch {
	case c == -1:
		prefix = "-"
	case c != 1:
		prefix = p.constant(c)
		if p.tex {
			prefix += " "
		} else {
			prefix += "*"
		}
	}
	var body string
	if p.tex {
		factors := func(fs []*Expr) string {
			var b strings.Builder
			vec := false
			for i, f := range fs {
				v := isVector(f)
				if i > 0 {
					if v && vec {
						b.WriteString(` \odot `)
					} else {
						b.WriteString(` \, `)
					}
				}
				vec = vec || v
				b.WriteString(p.expr(f, precMulP+1))
			}
			return b.String()
		}
		n := "1"
		if len(num) > 0 {
			n = factors(num)
		}
		if len(den) == 0 {
			body = n
		} else {
			ds := make([]*Expr, len(den))
			for i, f := range den {
				ds[i] = p.x.g.Pow(f.Args[0], -f.Val)
			}
			body = `\frac{` + n + `}{` + factors(ds) + `}`
		}
	} else {
		var b strings.Builder
		if len(num) == 0 {
			b.WriteString("1")
		}
		for i, f := range num {
			if i > 0 {
				b.WriteString("*")
			}
			b.WriteString(p.expr(f, precMulP+1))
		}
		for _, f := range den {
			b.WriteString("/")
			if f.Val == -1 {
				b.WriteString(p.expr(f.Args[0], precPowP+1))
			} else {
				b.WriteString("(" + p.expr(f.Args[0], precPowP+1) + "^" + formatConst(-f.Val) + ")")
			}
		}
		body = b.String()
	}
	s := prefix + body
	if prefix == "-" {
		return p.paren(s, outer > precAddP)
	}
	return p.paren(s, outer > precMulP)
}

// def prints the right-hand side of t's definition.
func (p *printer) def(t *Tensor, outer int) string {
	switch t.Kind {
	case KindLeaf:
		return p.name(p.x.tname[t])
	case KindMap:
		if t.Body.Op == OpConst && !t.Scalar() {
			p.note("fill")
			c := p.constant(t.Body.Val)
			if p.tex {
				return fmt.Sprintf(`%s \cdot \mathbf{1}_{%d}`, c, t.Size())
			}
			return fmt.Sprintf("fill(%s, %d)", c, t.Size())
		}
		return p.expr(t.Body, outer)
	case KindStop:
		p.note("stop")
		if p.tex {
			return `\operatorname{stop}(` + p.ref(t.Args[0], 0) + `)`
		}
		return "stop(" + p.ref(t.Args[0], 0) + ")"
	case KindMax:
		if t.Scalar() {
			p.note("max")
			if p.tex {
				return `\max_i ` + p.ref(t.Args[0], precPowP+1) + `_i`
			}
			return "max(" + p.ref(t.Args[0], 0) + ")"
		}
		p.note("maxpool")
		if p.tex {
			return fmt.Sprintf(`\operatorname{maxpool}_{%d}(%s)`, t.Group, p.ref(t.Args[0], 0))
		}
		return fmt.Sprintf("maxpool_%d(%s)", t.Group, p.ref(t.Args[0], 0))
	case KindMaxGrad:
		p.note("maxgrad")
		if p.tex {
			return fmt.Sprintf(`\operatorname{maxgrad}_{%d}(%s, %s)`, t.Group, p.ref(t.Args[0], 0), p.ref(t.Args[1], 0))
		}
		return fmt.Sprintf("maxgrad_%d(%s, %s)", t.Group, p.ref(t.Args[0], 0), p.ref(t.Args[1], 0))
	case KindContract:
		return p.contract(t, outer)
	}
	return "?"
}

func (p *printer) contract(t *Tensor, outer int) string {
	is := func(out []int, idx ...[]int) bool {
		if !slices.Equal(t.Out, out) || len(idx) != len(t.Index) {
			return false
		}
		for k := range idx {
			if !slices.Equal(t.Index[k], idx[k]) {
				return false
			}
		}
		return true
	}
	arg := func(k int) string { return p.ref(t.Args[k], precPowP+1) }
	tr := func(s string) string {
		if p.tex {
			return "{" + s + `}^\top`
		}
		return s + "^T"
	}
	juxt := func(a, b string) string {
		if p.tex {
			return p.paren(a+` \, `+b, outer > precJuxtP)
		}
		return p.paren(a+" "+b, outer > precJuxtP)
	}
	switch {
	case isMatVec(t):
		p.note("matvec")
		return juxt(arg(0), arg(1))
	case len(t.Args) == 2 && len(t.Args[1].Shape) == 2 && is([]int{0}, []int{1}, []int{1, 0}):
		p.note("transpose")
		return juxt(tr(arg(1)), arg(0))
	case len(t.Args) == 2 && is([]int{0, 1}, []int{0}, []int{1}):
		p.note("outer")
		return juxt(arg(0), tr(arg(1)))
	case len(t.Args) == 1 && is(nil, []int{0}):
		p.note("sum")
		if p.tex {
			return p.paren(`\textstyle\sum_i `+p.ref(t.Args[0], precPowP+1)+"_i", outer > precMulP)
		}
		return "sum(" + p.ref(t.Args[0], 0) + ")"
	case len(t.Args) == 2 && is(nil, []int{0}, []int{0}):
		p.note("dot")
		return juxt(tr(arg(0)), arg(1))
	}
	letters := func(ix []int) string {
		var s strings.Builder
		for _, i := range ix {
			s.WriteByte("ijklmnopqrstuvwxyzabcdefgh"[i%26])
		}
		return s.String()
	}
	parts := make([]string, len(t.Args))
	for k := range t.Args {
		parts[k] = arg(k) + "[" + letters(t.Index[k]) + "]"
	}
	p.note("einsum")
	if p.tex {
		return `\operatorname{sum}(` + strings.Join(parts, ` \, `) + ` \to [` + letters(t.Out) + `])`
	}
	return "sum(" + strings.Join(parts, "*") + " -> [" + letters(t.Out) + "])"
}

// line is one printed equation with its remarks.
type line struct {
	lhs, rhs string
	notes    []string
}

// section prints the equations of one pass, each subexpression that has a
// name of its own defined before its first use.
type section struct {
	p       *printer
	defined map[*Expr]bool
	lines   []line
}

func (s *section) subexprs(t *Tensor, user string) {
	var walk func(t *Tensor, top bool)
	walk = func(t *Tensor, top bool) {
		if t.Kind != KindMap {
			for _, a := range t.Args {
				if s.p.x.inline[a] {
					walk(a, false)
				}
			}
			return
		}
		for _, e := range postorder(t.Body) {
			if e.Op == OpRef && s.p.x.inline[e.Tensor] {
				walk(e.Tensor, false)
			}
			n, ok := s.p.x.ename[e]
			if !ok || s.defined[e] || (top && e == t.Body) {
				continue
			}
			s.defined[e] = true
			if o := s.p.x.eowner[e]; o != nil {
				continue // defined by its own line
			}
			s.p.self = e
			rhs := s.p.expr(e, 0)
			s.p.self = nil
			l := line{lhs: s.p.name(n), rhs: rhs}
			l.notes = append(l.notes, "computed inside "+user+", not stored")
			s.lines = append(s.lines, l)
		}
	}
	walk(t, true)
}

func (s *section) add(t *Tensor, notes ...string) {
	n := s.p.x.tname[t]
	s.subexprs(t, n.text())
	if t.Kind == KindMap {
		s.p.self = t.Body
		s.defined[t.Body] = true
	}
	rhs := s.p.def(t, 0)
	s.p.self = nil
	s.lines = append(s.lines, line{lhs: s.p.name(n), rhs: rhs, notes: notes})
}

// paths names the paths that a sum of gradient terms adds up, or returns
// nil when the body is not such a sum.
func (x *explainer) paths(t *Tensor) []string {
	if t.Kind != KindMap {
		return nil
	}
	sum := t.Body
	if sum.Op == OpMul {
		for _, f := range sum.Args {
			if f.Op == OpAdd {
				if ps := x.pathsOf(f); ps != nil {
					return ps
				}
			}
		}
	}
	return x.pathsOf(sum)
}

func (x *explainer) pathsOf(sum *Expr) []string {
	if sum.Op != OpAdd {
		return nil
	}
	var ps []string
	seen := map[string]bool{}
	for _, term := range sum.Args {
		var gs []*Tensor
		var visit func(e *Expr)
		visit = func(e *Expr) {
			for _, r := range sortedRefs(e) {
				if x.inline[r] {
					if r.Kind == KindMap {
						visit(r.Body)
					} else {
						for _, a := range r.Args {
							visit(x.g.Ref(a))
						}
					}
					continue
				}
				if n, ok := x.tname[r]; ok && n.grad && !slices.Contains(gs, r) {
					gs = append(gs, r)
				}
			}
		}
		visit(term)
		if len(gs) != 1 {
			return nil
		}
		n := x.tname[gs[0]]
		n.grad = false
		p := n.text()
		if v, ok := x.viaPath[gs[0]]; ok {
			p = v
		}
		if seen[p] {
			return nil
		}
		seen[p] = true
		ps = append(ps, p)
	}
	if len(ps) < 2 {
		return nil
	}
	return ps
}

var notations = []struct{ key, text, tex string }{
	{"elementwise", "functions, u*v and u/v of vectors act elementwise; a scalar broadcasts",
		`functions, $u \odot v$ and $u/v$ of vectors act elementwise; a scalar broadcasts`},
	{"matvec", "W v is the matrix-vector product, sum_j W_ij v_j",
		`$W v$ is the matrix-vector product $\sum_j W_{ij} v_j$`},
	{"transpose", "W^T g multiplies by the transpose, sum_i W_ij g_i",
		`$W^\top g$ multiplies by the transpose, $\sum_i W_{ij} g_i$`},
	{"outer", "g v^T is the outer product, (g v^T)_ij = g_i v_j",
		`$g\, v^\top$ is the outer product, $(g\, v^\top)_{ij} = g_i v_j$`},
	{"dot", "u^T v is the dot product", `$u^\top v$ is the dot product`},
	{"sum", "sum(v) adds the elements of v", `$\sum_i v_i$ adds the elements of $v$`},
	{"einsum", "sum(A[ij]*v[j] -> [i]) sums the product over the indices missing from the result",
		`$\operatorname{sum}(A[ij]\, v[j] \to [i])$ sums the product over the indices missing from the result`},
	{"iverson", "[c > 0] is 1 where c > 0 and 0 elsewhere (the subgradient convention)",
		`$\mathbb{1}[c > 0]$ is 1 where $c > 0$ and 0 elsewhere (the subgradient convention)`},
	{"max", "max(v) is the largest element of v", `$\max_i v_i$ is the largest element of $v$`},
	{"maxpool", "maxpool_k(v) is the maximum of each group of k elements",
		`$\operatorname{maxpool}_k(v)$ is the maximum of each group of $k$ elements`},
	{"maxgrad", "maxgrad_k(v, g) routes g_j to the first maximum of group j of v (0 elsewhere)",
		`$\operatorname{maxgrad}_k(v, g)$ routes $g_j$ to the first maximum of group $j$ of $v$ (0 elsewhere)`},
	{"fill", "fill(c, n) is the vector of n elements equal to c", `$c \cdot \mathbf{1}_n$ is the vector of $n$ elements equal to $c$`},
	{"stop", "stop(v) is v, with no gradient flowing through it", `$\operatorname{stop}(v)$ is $v$, with no gradient flowing through it`},
}

// Explain prints the forward and backward passes of a derivation in the
// notation of the lecture, one equation per stored tensor, in the order
// they are computed: z(h) = W(h) v + b(h), h = f(z(h)), then the chain
// rule from the divergence back, dDiv/dz(h), dDiv/dW(h), dDiv/db(h) and
// dDiv/dv, with the expressions that the symbolic package derived and
// simplified. A gradient that sums several paths (a skip connection, a
// shared weight, an input read twice) says which. With md set, the output
// is Markdown with the equations in LaTeX math blocks.
func Explain(d *Derivation, md bool) string {
	x := newExplainer(d)
	net := d.Network
	p := &printer{x: x, tex: md, notes: map[string]bool{"elementwise": true}}
	fwd := &section{p: p, defined: map[*Expr]bool{}}
	for _, t := range x.fwd {
		if t.Kind == KindLeaf || x.inline[t] || x.fold[t] != nil {
			continue
		}
		var notes []string
		for _, u := range x.users[t] {
			if x.fold[u] == t {
				notes = append(notes, "a shift held constant: no gradient flows through it")
			}
		}
		if t == d.Output && t != d.Loss {
			notes = append(notes, "the output")
		}
		fwd.add(t, notes...)
	}
	bwd := &section{p: p, defined: fwd.defined}
	printed := map[*Tensor]bool{}
	alias := func(t *Tensor) {
		tn := x.tname[t].text()
		for k, q := range net.Params {
			if d.ParamGrads[k] == t {
				n := paramName(q.Name)
				n.grad = true
				if n.text() != tn {
					bwd.lines = append(bwd.lines, line{lhs: p.name(n), rhs: p.name(x.tname[t])})
				}
			}
		}
		if d.InputGrad == t {
			n := name{base: net.Input.Name, grad: true}
			if n.text() != tn {
				bwd.lines = append(bwd.lines, line{lhs: p.name(n), rhs: p.name(x.tname[t])})
			}
		}
	}
	for _, t := range x.bwd {
		if t.Kind == KindLeaf || x.inline[t] {
			continue
		}
		var notes []string
		if ps := x.paths(t); ps != nil {
			notes = append(notes, fmt.Sprintf("sums %d paths: through %s", len(ps), strings.Join(ps, ", ")))
		}
		if v, ok := x.via[t]; ok {
			notes = append(notes, v)
		}
		bwd.add(t, notes...)
		printed[t] = true
		alias(t)
	}
	for _, t := range append(slices.Clone(d.ParamGrads), d.InputGrad) {
		if !printed[t] {
			printed[t] = true
			alias(t)
		}
	}

	var b strings.Builder
	shape := func(t *Tensor) string {
		if md {
			return fmt.Sprintf(`$%s \in \mathbb{R}^{%s}$`, x.tname[t].tex(), strings.Trim(strings.ReplaceAll(fmt.Sprint(t.Shape), " ", `\times `), "[]"))
		}
		return x.tname[t].text() + fmt.Sprint(t.Shape)
	}
	intro := fmt.Sprintf("Input %s, target %s, output %s; %d parameter tensors.",
		shape(net.Input), shape(net.Target), shape(d.Output), len(net.Params))
	if fact := fmt.Sprintf("sum(%s) = 1", x.tname[net.Target].text()); net.Target.Distribution {
		if md {
			fact = fmt.Sprintf(`$\sum_i %s_i = 1$`, x.tname[net.Target].tex())
		}
		intro += "\nThe target is declared a distribution: the derivation uses " + fact + "."
	}
	if md {
		fmt.Fprintf(&b, "# Derivation of `%s`\n\n%s\n\n", net.Source, intro)
	} else {
		fmt.Fprintf(&b, "Derivation of %s\n\n%s\n\n", net.Source, intro)
	}
	write := func(title, sub string, s *section) {
		if md {
			fmt.Fprintf(&b, "## %s\n\n%s\n\n$$\n\\begin{aligned}\n", title, sub)
			for i, l := range s.lines {
				fmt.Fprintf(&b, "%s &= %s", l.lhs, l.rhs)
				if i < len(s.lines)-1 {
					b.WriteString(` \\`)
				}
				b.WriteString("\n")
			}
			b.WriteString("\\end{aligned}\n$$\n\n")
			for _, l := range s.lines {
				for _, n := range l.notes {
					fmt.Fprintf(&b, "- $%s$: %s.\n", l.lhs, n)
				}
			}
			if slices.ContainsFunc(s.lines, func(l line) bool { return len(l.notes) > 0 }) {
				b.WriteString("\n")
			}
			return
		}
		fmt.Fprintf(&b, "%s\n%s\n\n", title, sub)
		for _, l := range s.lines {
			fmt.Fprintf(&b, "  %s = %s\n", l.lhs, l.rhs)
			for _, n := range l.notes {
				fmt.Fprintf(&b, "      (%s)\n", n)
			}
		}
		b.WriteString("\n")
	}
	write("Forward pass", "Each line is one step of the forward graph, in the order it is computed.", fwd)
	write("Backward pass", "The chain rule from the divergence back, as derived and simplified: each gradient is\nthe sum over all paths from its variable to Div.", bwd)

	if md {
		b.WriteString("## Parameters\n\n| symbol | name | shape |\n|---|---|---|\n")
		for _, q := range net.Params {
			fmt.Fprintf(&b, "| $%s$ | `%s` | %v |\n", x.tname[q].tex(), q.Name, q.Shape)
		}
		b.WriteString("\n## Notation\n\n")
	} else {
		b.WriteString("Parameters\n\n")
		for _, q := range net.Params {
			fmt.Fprintf(&b, "  %-10s %-12s %v\n", x.tname[q].text(), q.Name, q.Shape)
		}
		b.WriteString("\nNotation\n\n")
	}
	for _, n := range notations {
		if !p.notes[n.key] {
			continue
		}
		if md {
			fmt.Fprintf(&b, "- %s.\n", n.tex)
		} else {
			fmt.Fprintf(&b, "  %s\n", n.text)
		}
	}
	return b.String()
}

// dotInput is one incoming edge of a node of the influence diagram: a
// tensor, or a named subexpression (a pre-activation, a composed
// definition) drawn as a node of its own.
type dotInput struct {
	t *Tensor
	e *Expr
}

// inputs returns the inputs of the map body (or named subexpression)
// body: its outermost named subexpressions and the tensors it reads
// outside them.
func (x *explainer) inputs(body *Expr) []dotInput {
	var in []dotInput
	seen := map[*Expr]bool{}
	p := &printer{x: x}
	var walk func(e *Expr)
	walk = func(e *Expr) {
		if seen[e] {
			return
		}
		seen[e] = true
		if e != body {
			if _, ok := x.ename[e]; ok {
				in = append(in, dotInput{e: e})
				return
			}
			if n, ok := p.negOf(e); ok {
				for k, v := range x.ename {
					if v == n && !seen[k] {
						seen[k] = true
						in = append(in, dotInput{e: k})
					}
				}
				return
			}
		}
		if e.Op == OpRef {
			in = append(in, dotInput{t: e.Tensor})
			return
		}
		for _, a := range e.Args {
			walk(a)
		}
	}
	walk(body)
	slices.SortStableFunc(in, func(a, b dotInput) int {
		return dotInputID(a) - dotInputID(b)
	})
	return in
}

func dotInputID(in dotInput) int {
	if in.t != nil {
		return in.t.ID
	}
	return 1<<30 + in.e.ID
}

// partialsOf returns, for each input of body, the partial derivative of
// body with respect to it, derived by Grad with the named subexpressions
// held as variables.
func (x *explainer) partialsOf(body *Expr, in []dotInput) []*Expr {
	g := x.g
	sub := map[*Expr]*Expr{}
	back := map[*Expr]*Expr{}
	p := &printer{x: x}
	wrt := make([]*Expr, len(in))
	for k, u := range in {
		if u.t != nil {
			wrt[k] = g.Ref(u.t)
			continue
		}
		v := g.Var(fmt.Sprintf("\x00dot%d", u.e.ID))
		sub[u.e] = v
		back[v] = u.e
		wrt[k] = v
	}
	for _, e := range postorder(body) {
		if _, ok := sub[e]; ok || e == body {
			continue
		}
		if n, ok := p.negOf(e); ok {
			for k, v := range x.ename {
				if v == n && sub[k] != nil {
					sub[e] = g.Neg(sub[k])
				}
			}
		}
	}
	b := body
	if len(sub) > 0 {
		b = g.Substitute(body, sub)
	}
	ps := g.Grad(b, wrt...)
	for k := range ps {
		if len(back) > 0 {
			ps[k] = g.Substitute(ps[k], back)
		}
	}
	return ps
}

// Dot writes the influence diagram of a derivation in Graphviz DOT. Each
// variable is a node, named as Explain names it (a pre-activation z(h)
// that the generated code computes inside h's loop is a node of its own);
// each edge is labelled with its local derivative: for an elementwise
// step, the partial derivative of its body with respect to the input,
// derived by Grad; for a matrix-vector product W v, the other operand (v^T
// on the edge from W, W on the edge from v). With backward set, the
// derived gradient tensors are drawn too, dashed and red, with an edge
// from every value they read.
func Dot(d *Derivation, backward bool) string {
	x := newExplainer(d)
	p := &printer{x: x}
	var b strings.Builder
	b.WriteString("digraph influence {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"Helvetica\"];\n\tedge [fontname=\"Helvetica\", fontsize=10];\n")
	id := func(in dotInput) string {
		if in.t != nil {
			return fmt.Sprintf("t%d", in.t.ID)
		}
		return fmt.Sprintf("e%d", in.e.ID)
	}
	label := func(t *Tensor) string {
		s := x.tname[t].text()
		if x.inline[t] || x.fold[t] != nil || s == "" {
			s = p.def(t, 0)
		}
		if !t.Scalar() {
			s += " " + fmt.Sprint(t.Shape)
		}
		return s
	}
	edge := func(from, to, lab, style string) {
		fmt.Fprintf(&b, "\t%s -> %s [label=%q%s];\n", from, to, lab, style)
	}
	node := func(t *Tensor, attrs string) {
		fmt.Fprintf(&b, "\t%s [label=%q%s];\n", id(dotInput{t: t}), label(t), attrs)
	}
	done := map[*Expr]bool{}
	var mapEdges func(to string, body *Expr)
	mapEdges = func(to string, body *Expr) {
		in := x.inputs(body)
		ps := x.partialsOf(body, in)
		for k, u := range in {
			if u.e != nil {
				if o := x.eowner[u.e]; o != nil {
					u = dotInput{t: o}
				} else if !done[u.e] {
					done[u.e] = true
					fmt.Fprintf(&b, "\t%s [label=%q, style=rounded];\n", id(u), x.ename[u.e].text())
					mapEdges(id(u), u.e)
				}
			}
			edge(id(u), to, p.expr(ps[k], 0), "")
		}
	}
	b.WriteString("\t// forward\n")
	for _, t := range x.fwd {
		switch {
		case t.Kind == KindLeaf && t.Role == RoleParam:
			node(t, ", style=filled, fillcolor=\"#fde8c8\"")
		case t.Kind == KindLeaf:
			node(t, ", style=filled, fillcolor=\"#d8e8fb\"")
		case t == d.Loss:
			node(t, ", style=bold")
		case t.Kind == KindStop:
			node(t, ", style=dotted")
		default:
			node(t, "")
		}
	}
	for _, t := range x.fwd {
		to := id(dotInput{t: t})
		switch t.Kind {
		case KindMap:
			mapEdges(to, t.Body)
		case KindContract:
			for k, a := range t.Args {
				lab := ""
				switch {
				case isMatVec(t) && k == 0:
					lab = x.tname[t.Args[1]].text() + "^T"
				case isMatVec(t):
					lab = x.tname[t.Args[0]].text()
				case len(t.Args) == 1:
					lab = "1"
				default:
					var others []string
					for m, o := range t.Args {
						if m != k {
							others = append(others, x.tname[o].text())
						}
					}
					lab = strings.Join(others, " ")
				}
				edge(id(dotInput{t: a}), to, lab, "")
			}
		case KindMax:
			edge(id(dotInput{t: t.Args[0]}), to, "1 at the first max", "")
		case KindStop:
			edge(id(dotInput{t: t.Args[0]}), to, "no gradient", ", style=dotted")
		}
	}
	if backward {
		b.WriteString("\t// backward\n")
		red := ", style=dashed, color=\"#b03030\", fontcolor=\"#b03030\""
		for _, t := range x.bwd {
			if t.Kind == KindLeaf {
				continue
			}
			node(t, red)
		}
		for _, t := range x.bwd {
			for _, a := range t.Args {
				if a.Kind == KindLeaf && a.Role == RoleTarget || !x.inFwd[a] || a.Kind != KindLeaf {
					edge(id(dotInput{t: a}), id(dotInput{t: t}), "", red)
				}
			}
		}
	}
	b.WriteString("}\n")
	return b.String()
}
