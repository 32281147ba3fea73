package spec

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/scanner"
	"go/token"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parse parses and checks the spec file src; filename is used in positions
// and error messages, as the user gave it. If the spec has problems, Parse
// returns a nil File and an [ErrorList] of all of them, sorted by position.
func Parse(filename string, src []byte) (*File, error) {
	c := newChecker(filename, src)
	if c.checkText() {
		c.parseFile()
		if c.ndecls > 0 {
			c.check()
		}
	}
	if len(c.errs) > 0 {
		return nil, c.errs.sortAndDedup()
	}
	return c.f, nil
}

// item is one token of the spec, as go/scanner returns it.
type item struct {
	off int // byte offset in the file
	tok token.Token
	lit string
}

// checker holds the state of parsing and checking one spec file. Its
// methods are split between parse.go (the line-level syntax) and check.go
// (names, shapes and the rest).
type checker struct {
	filename string
	src      []byte
	fset     *token.FileSet
	file     *token.File         // the whole spec
	snippets map[*token.File]int // file of each parsed expression -> its offset in the spec
	errs     ErrorList
	capture  *capture // if not nil, errors are captured instead of reported (see instantiate)

	f         *File
	info      *Info
	ndecls    int            // number of declarations seen
	firstOff  int            // offset of the first declaration
	seen      map[string]int // declaration keyword -> offset of its first use
	globals   map[string]Object
	declOff   map[string]int // global name -> offset of its declaration
	output    item           // the name in "output NAME", if any
	outputBad bool           // the output is not a vector, already reported
	defOff    map[*Def]int
	funcOff   map[*Func]int
	paramKey  map[*Param][2]int // sort key of each param: offset, 0 for weight or 1 for bias

	// Filled in by check.go.
	defDeps   map[*Def][]*Def
	lossDeps  []*Def
	calls     map[*Func][]*Func
	badFunc   map[*Func]bool // body has errors, or the function is recursive
	binds     map[*ast.CallExpr][]*ast.Ident
	denseN    map[*Def]int
	defOK     map[*Def]bool
	insts     map[string]instance
	indexUsed map[*Func]bool
	badObj    map[Object]bool // declared with an invalid shape: uses are not checked further
}

// crToLF returns src with every carriage return that is not part of a CRLF
// pair replaced by a newline, so that a file with the CR line endings of
// old Mac editors reads line by line, as in the editor that wrote it; Go's
// scanner would read it as one line. Offsets do not change. src itself is
// not modified.
func crToLF(src []byte) []byte {
	if !bytes.Contains(src, []byte{'\r'}) {
		return src
	}
	out := bytes.Clone(src)
	for i, b := range out {
		if b == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}

func newChecker(filename string, src []byte) *checker {
	src = crToLF(src)
	c := &checker{
		filename:  filename,
		src:       src,
		fset:      token.NewFileSet(),
		snippets:  map[*token.File]int{},
		seen:      map[string]int{},
		globals:   map[string]Object{},
		declOff:   map[string]int{},
		defOff:    map[*Def]int{},
		funcOff:   map[*Func]int{},
		paramKey:  map[*Param][2]int{},
		defDeps:   map[*Def][]*Def{},
		calls:     map[*Func][]*Func{},
		badFunc:   map[*Func]bool{},
		binds:     map[*ast.CallExpr][]*ast.Ident{},
		denseN:    map[*Def]int{},
		defOK:     map[*Def]bool{},
		insts:     map[string]instance{},
		indexUsed: map[*Func]bool{},
		badObj:    map[Object]bool{},
	}
	c.file = c.fset.AddFile(filename, -1, len(src))
	c.file.SetLinesForContent(src)
	c.info = &Info{
		Shapes: map[ast.Expr][]int{},
		Consts: map[ast.Expr]float64{},
		Uses:   map[*ast.Ident]Object{},
		Dense:  map[*ast.CallExpr]DenseParams{},
		Pos:    c.pos,
	}
	c.f = &File{Filename: filename, Precision: "float32", Info: c.info}
	return c
}

// position returns the position of a byte offset in the spec. It ignores
// //line directives: positions always point into the file as written.
func (c *checker) position(off int) token.Position {
	p := c.file.PositionFor(c.file.Pos(off), false)
	if p.Line == 0 { // an empty file has no lines
		p.Line, p.Column = 1, 1
	}
	return p
}

// pos maps a position in a parsed expression to its place in the spec.
func (c *checker) pos(p token.Pos) token.Position {
	f := c.fset.File(p)
	if f == nil {
		return token.Position{}
	}
	if f == c.file {
		return c.file.PositionFor(p, false)
	}
	start, ok := c.snippets[f]
	if !ok {
		return token.Position{}
	}
	return c.position(start + f.Offset(p))
}

// errorAt reports a problem at a byte offset of the spec.
func (c *checker) errorAt(off int, format string, args ...any) {
	c.report(c.position(off), fmt.Sprintf(format, args...))
}

// errorf reports a problem at a position in a parsed expression.
func (c *checker) errorf(p token.Pos, format string, args ...any) {
	c.report(c.pos(p), fmt.Sprintf(format, args...))
}

// capture collects the first error reported while instantiating a function
// body for one call; the call reports it at its own position.
type capture struct {
	msg string
}

func (c *checker) report(pos token.Position, msg string) {
	if c.capture != nil {
		if c.capture.msg == "" {
			c.capture.msg = fmt.Sprintf("%s (at %d:%d)", msg, pos.Line, pos.Column)
		}
		return
	}
	c.errs = append(c.errs, &Error{Pos: pos, Msg: msg})
}

// checkText reports whether src is UTF-8 text without NUL bytes, and
// reports the first offending byte if not.
func (c *checker) checkText() bool {
	if utf8.Valid(c.src) && bytes.IndexByte(c.src, 0) < 0 {
		return true
	}
	for off := 0; off < len(c.src); {
		r, n := utf8.DecodeRune(c.src[off:])
		if r == utf8.RuneError && n == 1 {
			c.errorAt(off, "invalid UTF-8 encoding: a spec file must be UTF-8 text")
			return false
		}
		if r == 0 {
			c.errorAt(off, "invalid NUL byte: a spec file must be UTF-8 text")
			return false
		}
		off += n
	}
	return true
}

// parseFile splits the spec into declarations with go/scanner and parses
// each one. A declaration ends at a newline (where Go would insert a
// semicolon, so a line ending in an operator or a comma continues on the
// next line) or at an explicit semicolon.
func (c *checker) parseFile() {
	var scanErrs []int // offsets of scanner errors, in order
	var s scanner.Scanner
	s.Init(c.file, c.src, func(pos token.Position, msg string) {
		scanErrs = append(scanErrs, pos.Offset)
		c.errorAt(pos.Offset, "%s", msg)
	}, 0)
	var toks []item
	for {
		pos, tok, lit := s.Scan()
		if tok == token.SEMICOLON || tok == token.EOF {
			if len(toks) > 0 {
				off := c.file.Offset(pos)
				toks = append(toks, item{off, tok, lit})
				// Skip declarations in which the scanner found errors:
				// the error is already reported.
				i := sort.SearchInts(scanErrs, toks[0].off)
				if i < len(scanErrs) && scanErrs[i] <= off {
					c.ndecls++
					c.noteKeyword(toks)
				} else {
					c.parseDecl(&line{c: c, toks: toks})
				}
				toks = nil
			}
			if tok == token.EOF {
				break
			}
			continue
		}
		toks = append(toks, item{c.file.Offset(pos), tok, lit})
	}
	if c.ndecls == 0 && len(c.errs) == 0 {
		c.errorAt(0, `empty spec file: write declarations, starting with "package NAME"`)
	}
}

// noteKeyword records that a declaration starting with t was seen, even if
// it has errors, so that it is not also reported as missing.
func (c *checker) noteKeyword(toks []item) {
	t := toks[0]
	if c.ndecls == 1 {
		c.firstOff = t.off
	}
	if len(toks) > 1 && toks[1].tok == token.ASSIGN {
		return // a definition
	}
	name := t.lit
	if t.tok.IsKeyword() {
		name = t.tok.String()
	}
	if _, ok := c.seen[name]; !ok {
		c.seen[name] = t.off
	}
}

// line is the tokens of one declaration; the last one is the SEMICOLON or
// EOF that ends it.
type line struct {
	c    *checker
	toks []item
	i    int
}

func (l *line) peek() item { return l.toks[l.i] }

func (l *line) next() item {
	t := l.toks[l.i]
	if l.i < len(l.toks)-1 {
		l.i++
	}
	return t
}

func (l *line) atEnd() bool { return l.i == len(l.toks)-1 }

// expect consumes a token of kind tok or reports that want is missing.
func (l *line) expect(tok token.Token, want string) bool {
	if t := l.peek(); t.tok != tok {
		l.c.errorAt(t.off, "expected %s, found %s", want, describe(t))
		return false
	}
	l.next()
	return true
}

// end reports extra tokens at the end of a declaration.
func (l *line) end(what string) {
	if !l.atEnd() {
		t := l.peek()
		l.c.errorAt(t.off, "unexpected %s at end of %s declaration", describe(t), what)
	}
}

// describe names a token for an error message.
func describe(t item) string {
	switch {
	case t.tok == token.EOF:
		return "end of file"
	case t.tok == token.SEMICOLON && t.lit == "\n":
		return "end of line"
	case t.tok == token.IDENT:
		return strconv.Quote(t.lit)
	case t.tok.IsKeyword():
		return "keyword " + strconv.Quote(t.tok.String())
	case t.tok.IsLiteral():
		if len(t.lit) > 20 {
			return t.lit[:20] + "..."
		}
		return t.lit
	}
	return strconv.Quote(t.tok.String())
}

// parseDecl parses one declaration.
func (c *checker) parseDecl(l *line) {
	c.ndecls++
	first := l.peek()
	c.noteKeyword(l.toks)
	switch {
	case first.tok == token.PACKAGE:
		c.parsePackage(l)
	case first.tok == token.FUNC:
		c.parseFunc(l)
	case (first.tok == token.IDENT || first.tok.IsKeyword()) && len(l.toks) > 1 && l.toks[1].tok == token.ASSIGN:
		c.parseDef(l)
	case first.tok == token.IDENT && len(l.toks) > 1 && l.toks[1].tok == token.DEFINE:
		c.errorAt(l.toks[1].off, "unexpected :=, expected =: write %s = EXPR", first.lit)
	case first.tok == token.IDENT && first.lit == "precision":
		c.parsePrecision(l)
	case first.tok == token.IDENT && (first.lit == "input" || first.lit == "target"):
		c.parseVar(l)
	case first.tok == token.IDENT && first.lit == "param":
		c.parseParams(l)
	case first.tok == token.IDENT && first.lit == "output":
		c.parseOutput(l)
	case first.tok == token.IDENT && first.lit == "loss":
		c.parseLoss(l)
	case first.tok == token.IDENT || first.tok.IsKeyword():
		name := first.lit
		if first.tok.IsKeyword() {
			name = first.tok.String()
		}
		c.errorAt(first.off, "unknown declaration keyword %q: use package, precision, input, target, param, func, output, loss, or NAME = EXPR", name)
	default:
		c.errorAt(first.off, "unexpected %s at start of declaration: use package, precision, input, target, param, func, output, loss, or NAME = EXPR", describe(first))
	}
}

// duplicate reports a second declaration of a kind that may appear once.
func (c *checker) duplicate(t item, what string) bool {
	if first := c.seen[what]; first != t.off {
		p := c.position(first)
		c.errorAt(t.off, "duplicate %s declaration (first at %d:%d): remove one", what, p.Line, p.Column)
		return true
	}
	return false
}

// IsPackageName reports whether s can name a generated package: a Go
// identifier that is not a keyword nor _, and ASCII, as Go tooling expects
// of the import paths that end in it. The spec's package clause and
// bpgen's -pkg flag both follow this rule.
func IsPackageName(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return false
		}
	}
	return token.IsIdentifier(s) && s != "_"
}

// parsePackage parses "package NAME".
func (c *checker) parsePackage(l *line) {
	kw := l.next()
	t := l.peek()
	switch {
	case t.tok.IsKeyword():
		c.errorAt(t.off, "cannot use Go keyword %q as a package name", t.tok.String())
		return
	case t.tok != token.IDENT:
		c.errorAt(t.off, "expected package name, found %s", describe(t))
		return
	case t.lit == "_":
		c.errorAt(t.off, "cannot use _ as a package name")
		return
	case !IsPackageName(t.lit):
		c.errorAt(t.off, "package name %q must be ASCII, like the import paths of Go packages", t.lit)
		return
	}
	l.next()
	l.end("package")
	if !c.duplicate(kw, "package") {
		c.f.Package = t.lit
	}
}

// parsePrecision parses "precision float32|float64".
func (c *checker) parsePrecision(l *line) {
	kw := l.next()
	t := l.peek()
	if t.tok != token.IDENT {
		c.errorAt(t.off, "expected float32 or float64, found %s", describe(t))
		return
	}
	l.next()
	if t.lit != "float32" && t.lit != "float64" {
		c.errorAt(t.off, "unknown precision %q: use float32 or float64", t.lit)
		return
	}
	l.end("precision")
	if !c.duplicate(kw, "precision") {
		c.f.Precision = t.lit
	}
}

// name reads a spec-level name and checks it.
func (c *checker) name(l *line, what string) (item, bool) {
	t := l.peek()
	if !c.checkName(t, what) {
		return t, false
	}
	l.next()
	return t, true
}

// checkName checks a spec-level name: a Go identifier that is not a Go
// keyword, a declaration keyword or a builtin, and whose exported form is
// an exported Go identifier.
func (c *checker) checkName(t item, what string) bool {
	switch {
	case t.tok.IsKeyword():
		c.errorAt(t.off, "cannot use Go keyword %q as a name", t.tok.String())
	case t.tok != token.IDENT:
		c.errorAt(t.off, "expected %s name, found %s", what, describe(t))
	case t.lit == "_":
		c.errorAt(t.off, "cannot use _ as a name")
	case isBuiltin(t.lit):
		c.errorAt(t.off, "cannot use builtin %q as a name: choose another name", t.lit)
	case keywords[t.lit]:
		c.errorAt(t.off, "cannot use declaration keyword %q as a name: choose another name", t.lit)
	case !exportable(t.lit):
		c.errorAt(t.off, "name %q has no exported Go form: start it with a letter that has an upper case", t.lit)
	default:
		return true
	}
	return false
}

// declare adds a spec-level name.
func (c *checker) declare(t item, obj Object) bool {
	if _, ok := c.globals[t.lit]; ok {
		p := c.position(c.declOff[t.lit])
		c.errorAt(t.off, "%q redeclared (first declared at %d:%d): rename one of them", t.lit, p.Line, p.Column)
		return false
	}
	c.globals[t.lit] = obj
	c.declOff[t.lit] = t.off
	return true
}

// declareBad declares a name whose declaration is broken (and already
// reported), if the name is free, so that its uses are not reported again
// as unknown: the checker treats uses of a bad object as already wrong.
func (c *checker) declareBad(t item, obj Object) {
	if _, ok := c.globals[t.lit]; ok {
		return
	}
	c.globals[t.lit] = obj
	c.declOff[t.lit] = t.off
	c.badObj[obj] = true
}

// dims parses zero or more "[size]".
//
// An invalid size is reported and read as 0; ok is false only if the
// brackets themselves are broken.
func (c *checker) dims(l *line) (dims []int, ok bool) {
	for l.peek().tok == token.LBRACK {
		l.next()
		n, ok := c.size(l)
		if !ok { // skip the rest of the size, already reported
			for l.peek().tok != token.RBRACK && !l.atEnd() {
				l.next()
			}
		}
		if !l.expect(token.RBRACK, "]") {
			return nil, false
		}
		dims = append(dims, n)
	}
	return dims, true
}

func hasZero(dims []int) bool {
	for _, n := range dims {
		if n == 0 {
			return true
		}
	}
	return false
}

// size parses a size: an integer literal from 1 to MaxSize.
func (c *checker) size(l *line) (int, bool) {
	t := l.peek()
	sign := ""
	if t.tok == token.SUB {
		l.next()
		sign = "-"
	}
	n := l.peek()
	if n.tok != token.INT {
		c.errorAt(n.off, "size must be an integer literal, found %s", describe(n))
		return 0, false
	}
	l.next()
	v, ok := intLit(n.lit)
	if sign != "" || !ok || v < 1 || v > MaxSize {
		c.errorAt(t.off, "invalid size %s%s: %s", sign, n.lit, sizeRule)
		return 0, false
	}
	return int(v), true
}

const sizeRule = "sizes must be from 1 to 16777216 (1<<24)"

// intLit returns the value of a Go integer literal.
func intLit(lit string) (int64, bool) {
	v := constant.MakeFromLiteral(lit, token.INT, 0)
	if v.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(v)
}

// parseVar parses "input NAME[size]" and "target NAME[size]", the latter
// optionally followed by the fact "distribution".
func (c *checker) parseVar(l *line) {
	kw := l.next()
	t, ok := c.name(l, kw.lit)
	if !ok {
		return
	}
	v := &Var{Name: t.lit, Pos: c.position(t.off)}
	dims, ok := c.dims(l)
	if !ok {
		c.declareBad(t, v)
		return
	}
	if len(dims) != 1 {
		c.errorAt(t.off, "%s %q must be a vector: write %s %s[n]", kw.lit, t.lit, kw.lit, t.lit)
		c.declareBad(t, v)
		return
	}
	v.Size = dims[0]
	if f := l.peek(); f.tok == token.IDENT {
		switch {
		case f.lit == "distribution" && kw.lit == "target":
			l.next()
			v.Distribution = true
		case f.lit == "distribution":
			l.next()
			c.errorAt(f.off, "only a target can be declared a distribution: remove %q", f.lit)
		case kw.lit == "target":
			l.next()
			c.errorAt(f.off, "unknown fact %q about target %q: the one fact a target can declare is distribution%s", f.lit, t.lit, suggest(f.lit, []string{"distribution"}))
		}
	}
	l.end(kw.lit)
	if c.duplicate(kw, kw.lit) || !c.declare(t, v) {
		return
	}
	if v.Size == 0 {
		c.badObj[v] = true
	}
	if kw.lit == "input" {
		c.f.Input = v
	} else {
		c.f.Target = v
	}
}

// parseParams parses "param NAME dims {, NAME dims}".
func (c *checker) parseParams(l *line) {
	l.next()
	for {
		t, ok := c.name(l, "param")
		if !ok {
			return
		}
		dims, ok := c.dims(l)
		if !ok {
			c.declareBad(t, &Param{Name: t.lit, Pos: c.position(t.off)})
			return
		}
		valid := false
		switch {
		case len(dims) == 0:
			c.errorAt(t.off, "missing shape of param %q: write %s[n] or %s[out][in]", t.lit, t.lit, t.lit)
		case len(dims) > 2:
			c.errorAt(t.off, "param %q has %d dimensions: a param is a vector [n] or a matrix [out][in]", t.lit, len(dims))
		case len(dims) == 2 && int64(dims[0])*int64(dims[1]) > MaxElements:
			c.errorAt(t.off, "param %q has %d elements: a matrix can have at most 67108864 (1<<26)", t.lit, int64(dims[0])*int64(dims[1]))
		default:
			valid = !hasZero(dims)
		}
		p := &Param{Name: t.lit, Shape: dims, Pos: c.position(t.off)}
		if c.declare(t, p) {
			c.f.Params = append(c.f.Params, p)
			c.paramKey[p] = [2]int{t.off, 0}
			if !valid {
				c.badObj[p] = true
			}
		}
		if l.peek().tok != token.COMMA {
			break
		}
		l.next()
	}
	l.end("param")
}

// parseOutput parses "output NAME".
func (c *checker) parseOutput(l *line) {
	kw := l.next()
	t := l.peek()
	if t.tok != token.IDENT {
		c.errorAt(t.off, "expected the name of a definition, found %s", describe(t))
		return
	}
	l.next()
	l.end("output")
	if !c.duplicate(kw, "output") {
		c.output = t
	}
}

// parseLoss parses "loss EXPR".
func (c *checker) parseLoss(l *line) {
	kw := l.next()
	e := c.expr(l, "loss")
	if c.duplicate(kw, "loss") || e == nil {
		return
	}
	c.f.Loss = e
}

// parseDef parses "NAME = EXPR".
func (c *checker) parseDef(l *line) {
	t, ok := c.name(l, "definition")
	if !ok {
		return
	}
	l.next() // =
	d := &Def{Name: t.lit, Pos: c.position(t.off)}
	d.Expr = c.expr(l, "definition")
	if c.declare(t, d) {
		c.f.Defs = append(c.f.Defs, d)
		c.defOff[d] = t.off
	}
}

// parseFunc parses "func NAME(PARAM {, PARAM}) [[INDEX]] = EXPR". A
// function whose name is valid is declared even when the rest is broken,
// with no body, so that its calls are not reported as unknown.
func (c *checker) parseFunc(l *line) {
	l.next()
	t, ok := c.name(l, "function")
	if !ok {
		return
	}
	fn := &Func{Name: t.lit, Pos: c.position(t.off)}
	if c.parseFuncRest(l, fn) && c.declare(t, fn) {
		c.f.Funcs = append(c.f.Funcs, fn)
		c.funcOff[fn] = t.off
		return
	}
	if fn.Body == nil {
		c.declareBad(t, fn)
	}
}

// parseFuncRest parses a function declaration after its name, into fn. It
// reports false when the declaration is broken, already reported.
func (c *checker) parseFuncRest(l *line, fn *Func) bool {
	if !l.expect(token.LPAREN, "(") {
		return false
	}
	locals := map[string]bool{}
	for {
		p := l.peek()
		if !c.checkLocal(p, "parameter", locals) {
			return false
		}
		l.next()
		fn.Params = append(fn.Params, p.lit)
		if l.peek().tok != token.COMMA {
			break
		}
		l.next()
	}
	if !l.expect(token.RPAREN, ")") {
		return false
	}
	if l.peek().tok == token.LBRACK {
		l.next()
		p := l.peek()
		if !c.checkLocal(p, "index", locals) {
			return false
		}
		l.next()
		if !l.expect(token.RBRACK, "]") {
			return false
		}
		fn.Index = p.lit
	}
	if !l.expect(token.ASSIGN, "=") {
		return false
	}
	fn.Body = c.expr(l, "function")
	return true
}

// checkLocal checks the name of a function parameter or index.
func (c *checker) checkLocal(t item, what string, seen map[string]bool) bool {
	switch {
	case t.tok.IsKeyword():
		c.errorAt(t.off, "cannot use Go keyword %q as a name", t.tok.String())
	case t.tok != token.IDENT:
		c.errorAt(t.off, "expected %s name, found %s", what, describe(t))
	case t.lit == "_":
		c.errorAt(t.off, "cannot use _ as a name")
	case isBuiltin(t.lit):
		c.errorAt(t.off, "cannot use builtin %q as a name: choose another name", t.lit)
	case seen[t.lit]:
		c.errorAt(t.off, "duplicate %s %q: rename one of them", what, t.lit)
	default:
		seen[t.lit] = true
		return true
	}
	return false
}

// expr parses the rest of the declaration as a Go expression with
// go/parser, and records where it sits in the spec so that its positions
// can be mapped back.
func (c *checker) expr(l *line, what string) ast.Expr {
	start := l.peek()
	if l.atEnd() {
		c.errorAt(l.toks[l.i-1].off, "missing expression in %s declaration", what)
		return nil
	}
	end := l.toks[len(l.toks)-1].off
	base := c.fset.Base()
	e, err := parser.ParseExprFrom(c.fset, c.filename, c.src[start.off:end], parser.SkipObjectResolution)
	if f := c.fset.File(token.Pos(base)); f != nil {
		c.snippets[f] = start.off
	}
	if err != nil {
		if list, ok := err.(scanner.ErrorList); ok {
			for _, e := range list {
				c.errorAt(start.off+e.Pos.Offset, "syntax error: %s", strings.ReplaceAll(e.Msg, "'EOF'", "end of line"))
			}
		} else {
			c.errorAt(start.off, "syntax error: %v", err)
		}
		return nil
	}
	return e
}

// floatLit returns the value of an integer or floating-point literal, and
// false if it is not finite as a float64.
func floatLit(e *ast.BasicLit) (float64, bool) {
	if e.Kind != token.INT && e.Kind != token.FLOAT {
		return 0, false
	}
	v := constant.ToFloat(constant.MakeFromLiteral(e.Value, e.Kind, 0))
	if v.Kind() != constant.Float && v.Kind() != constant.Int {
		return 0, false
	}
	f, _ := constant.Float64Val(v)
	return f, !math.IsInf(f, 0) && !math.IsNaN(f)
}
