package spec

import (
	"errors"
	"go/ast"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bpgen/bpgen/symbolic"
)

// TestGood parses every spec in testdata/good; all must parse.
func TestGood(t *testing.T) {
	files, err := filepath.Glob("testdata/good/*.bp")
	if err != nil || len(files) == 0 {
		t.Fatalf("no good specs: %v", err)
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(name, src)
			if err != nil {
				t.Fatalf("Parse:\n%v", err)
			}
			checkFile(t, f)
		})
	}
}

// checkFile checks invariants that lowering relies on.
func checkFile(t *testing.T, f *File) {
	t.Helper()
	if f.Input == nil || f.Target == nil || f.Output == nil || f.Loss == nil || f.Package == "" {
		t.Fatalf("incomplete File: %+v", f)
	}
	if f.String() == "" {
		t.Errorf("empty String")
	}
	if len(f.Order) != len(f.Defs) {
		t.Fatalf("Order has %d definitions, Defs %d", len(f.Order), len(f.Defs))
	}
	done := map[*Def]bool{}
	for _, d := range f.Order {
		ast.Inspect(d.Expr, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if u, ok := f.Info.Uses[id].(*Def); ok && !done[u] {
					t.Errorf("%s uses %s before it in Order", d.Name, u.Name)
				}
			}
			return true
		})
		done[d] = true
		s, ok := f.Info.Shapes[d.Expr]
		if !ok || !cmp.Equal(s, d.Shape) {
			t.Errorf("Shapes[%s] = %v, %v; Def.Shape = %v", d.Name, s, ok, d.Shape)
		}
	}
	if s, ok := f.Info.Shapes[f.Loss]; !ok || s != nil {
		t.Errorf("loss shape = %v, %v; want a scalar", s, ok)
	}
	for _, p := range f.Params {
		for _, n := range p.Shape {
			if n < 1 {
				t.Errorf("param %s has shape %v", p.Name, p.Shape)
			}
		}
	}
	// Every identifier in a definition or the loss is resolved.
	exprs := []ast.Expr{f.Loss}
	for _, d := range f.Defs {
		exprs = append(exprs, d.Expr)
	}
	for _, fn := range f.Funcs {
		exprs = append(exprs, fn.Body)
	}
	for _, e := range exprs {
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if _, ok := f.Info.Uses[id]; !ok {
					t.Errorf("%s: %s not in Uses", f.Info.Pos(id.Pos()), id.Name)
				}
			}
			return true
		})
	}
}

func mustParse(t *testing.T, name string) *File {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata/good", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

type paramSummary struct {
	Name     string
	Shape    []int
	Pos      string
	Implicit bool
}

func params(f *File) []paramSummary {
	var out []paramSummary
	for _, p := range f.Params {
		out = append(out, paramSummary{p.Name, p.Shape, p.Pos.String(), p.Implicit})
	}
	return out
}

func TestParamsDigits(t *testing.T) {
	f := mustParse(t, "digits.bp")
	want := []paramSummary{
		{"W3", []int{10, 64}, "digits.bp:12:7", false},
		{"b3", []int{10}, "digits.bp:12:19", false},
		{"h1.weight", []int{128, 784}, "digits.bp:14:11", true},
		{"h1.bias", []int{128}, "digits.bp:14:11", true},
		{"h2.weight", []int{64, 128}, "digits.bp:15:12", true},
		{"h2.bias", []int{64}, "digits.bp:15:12", true},
	}
	if diff := cmp.Diff(want, params(f)); diff != "" {
		t.Errorf("Params (-want +got):\n%s", diff)
	}
	if f.Package != "digits" || f.Precision != "float32" || f.Output.Name != "y" {
		t.Errorf("package %q, precision %q, output %q", f.Package, f.Precision, f.Output.Name)
	}
	if f.Input.Name != "x" || f.Input.Size != 784 || f.Input.Pos.String() != "digits.bp:6:8" {
		t.Errorf("input = %+v", f.Input)
	}
	var names []string
	for _, fn := range f.Funcs {
		names = append(names, fn.Name+"("+strings.Join(fn.Params, ",")+")["+fn.Index+"]")
	}
	if diff := cmp.Diff([]string{"swish(z)[]", "softmax2(z)[i]"}, names); diff != "" {
		t.Errorf("Funcs (-want +got):\n%s", diff)
	}
}

func TestParamsMultiDense(t *testing.T) {
	f := mustParse(t, "multiline.bp")
	want := []paramSummary{
		{"h.weight", []int{7, 5}, "multiline.bp:6:10", true},
		{"h.bias", []int{7}, "multiline.bp:6:10", true},
		{"h.weight_1", []int{7, 5}, "multiline.bp:7:10", true},
		{"h.bias_1", []int{7}, "multiline.bp:7:10", true},
		{"y.weight", []int{5, 7}, "multiline.bp:8:13", true},
		{"y.bias", []int{5}, "multiline.bp:8:13", true},
	}
	if diff := cmp.Diff(want, params(f)); diff != "" {
		t.Errorf("Params (-want +got):\n%s", diff)
	}
}

// find returns the first node in e for which match is true.
func find[N ast.Node](e ast.Node, match func(N) bool) N {
	var found N
	done := false
	ast.Inspect(e, func(n ast.Node) bool {
		if x, ok := n.(N); ok && !done && match(x) {
			found, done = x, true
		}
		return !done
	})
	if !done {
		panic("not found")
	}
	return found
}

func ident(name string) func(*ast.Ident) bool {
	return func(id *ast.Ident) bool { return id.Name == name }
}

func TestInfoDigits(t *testing.T) {
	f := mustParse(t, "digits.bp")
	info := f.Info
	defs := map[string]*Def{}
	for _, d := range f.Defs {
		defs[d.Name] = d
	}

	// h1 = relu(dense(x, 128))
	h1 := defs["h1"]
	relu := h1.Expr.(*ast.CallExpr)
	dense := relu.Args[0].(*ast.CallExpr)
	if got := info.Uses[relu.Fun.(*ast.Ident)]; got != (Builtin{"relu"}) {
		t.Errorf("Uses[relu] = %v", got)
	}
	if got := info.Uses[dense.Args[0].(*ast.Ident)]; got != Object(f.Input) {
		t.Errorf("Uses[x] = %v", got)
	}
	dp := info.Dense[dense]
	if dp.Weight == nil || dp.Weight.Name != "h1.weight" || dp.Bias.Name != "h1.bias" {
		t.Errorf("Dense[dense(x, 128)] = %+v", dp)
	}
	if len(info.Dense) != 2 {
		t.Errorf("len(Dense) = %d, want 2", len(info.Dense))
	}
	for e, want := range map[ast.Expr][]int{relu: {128}, dense: {128}, dense.Args[0]: {784}, dense.Args[1]: nil} {
		if got, ok := info.Shapes[e]; !ok || !cmp.Equal(got, want) {
			t.Errorf("Shapes[%s] = %v, %v; want %v", exprString(e), got, ok, want)
		}
	}
	if v, ok := info.Consts[dense.Args[1]]; !ok || v != 128 {
		t.Errorf("Consts[128] = %v, %v", v, ok)
	}
	if got := info.Pos(dense.Args[1].Pos()).String(); got != "digits.bp:14:20" {
		t.Errorf("Pos(128) = %s", got)
	}

	// y = softmax2(W3*h2 + b3)
	y := defs["y"]
	call := y.Expr.(*ast.CallExpr)
	if got := info.Uses[call.Fun.(*ast.Ident)]; got != Object(f.Funcs[1]) {
		t.Errorf("Uses[softmax2] = %v", got)
	}
	sum := call.Args[0].(*ast.BinaryExpr)
	mul := sum.X.(*ast.BinaryExpr)
	for e, want := range map[ast.Expr][]int{mul.X: {10, 64}, mul.Y: {64}, mul: {10}, sum: {10}, call: {10}} {
		if got, ok := info.Shapes[e]; !ok || !cmp.Equal(got, want) {
			t.Errorf("Shapes[%s] = %v, %v; want %v", exprString(e), got, ok, want)
		}
	}
	if got := info.Uses[mul.X.(*ast.Ident)]; got != Object(f.Params[0]) {
		t.Errorf("Uses[W3] = %v", got)
	}
	if got := info.Uses[mul.Y.(*ast.Ident)]; got != Object(defs["h2"]) {
		t.Errorf("Uses[h2] = %v", got)
	}
	if got := info.Pos(mul.OpPos).String(); got != "digits.bp:16:17" {
		t.Errorf("Pos(*) = %s", got)
	}

	// func softmax2(z)[i] = exp(z[i]) / sum(j, exp(z[j]))
	fn := f.Funcs[1]
	zi := find(fn.Body, func(e *ast.IndexExpr) bool { return true })
	if got := info.Uses[zi.X.(*ast.Ident)]; got != (FuncParam{fn, 0}) {
		t.Errorf("Uses[z] = %v", got)
	}
	if got := info.Uses[zi.Index.(*ast.Ident)]; got != (IndexVar{Name: "i"}) {
		t.Errorf("Uses[i] = %v", got)
	}
	j := find(fn.Body, ident("j"))
	jv, ok := info.Uses[j].(IndexVar)
	if !ok || jv.Name != "j" || jv.Sum == nil || jv.Size != 0 {
		t.Errorf("Uses[j] = %v", info.Uses[j])
	}
	if got := info.Pos(j.Pos()).String(); got != "digits.bp:10:39" {
		t.Errorf("Pos(j) = %s", got)
	}
	if _, ok := info.Shapes[fn.Body]; ok {
		t.Errorf("function bodies must have no Shapes")
	}
}

func TestInfoCustomLoss(t *testing.T) {
	f := mustParse(t, "customloss.bp")
	// loss sum(i, pow(y[i] - d[i], 2))
	sum := f.Loss.(*ast.CallExpr)
	i := sum.Args[0].(*ast.Ident)
	want := IndexVar{Name: "i", Size: 2, Sum: sum}
	if got := f.Info.Uses[i]; got != want {
		t.Errorf("Uses[i] = %v, want %v", got, want)
	}
	yi := find(f.Loss, func(e *ast.IndexExpr) bool { return true })
	if got := f.Info.Uses[yi.Index.(*ast.Ident)]; got != want {
		t.Errorf("Uses[i in y[i]] = %v, want %v", got, want)
	}
	if got := f.Info.Uses[yi.X.(*ast.Ident)]; got != Object(f.Output) {
		t.Errorf("Uses[y] = %v", got)
	}
	if s, ok := f.Info.Shapes[yi]; !ok || s != nil {
		t.Errorf("Shapes[y[i]] = %v, %v", s, ok)
	}
	// y = min(max(dense(x, 2), -1), 1)
	neg := find(f.Defs[0].Expr, func(e *ast.UnaryExpr) bool { return true })
	if v, ok := f.Info.Consts[neg]; !ok || v != -1 {
		t.Errorf("Consts[-1] = %v, %v", v, ok)
	}
}

func TestOrder(t *testing.T) {
	f := mustParse(t, "skip.bp")
	var got []string
	for _, d := range f.Order {
		got = append(got, d.Name)
	}
	if diff := cmp.Diff([]string{"h1", "h2", "y"}, got); diff != "" {
		t.Errorf("Order (-want +got):\n%s", diff)
	}
	f = mustParse(t, "float64.bp")
	if f.Precision != "float64" || f.Output.Name != "y" {
		t.Errorf("precision %q output %q", f.Precision, f.Output.Name)
	}
}

func TestExportName(t *testing.T) {
	for in, want := range map[string]string{
		"h1.weight":   "H1Weight",
		"h1.weight_1": "H1Weight1",
		"W3":          "W3",
		"b3":          "B3",
		"fc1_bias":    "Fc1Bias",
		"_x":          "X",
		"a__b":        "AB",
	} {
		if got := ExportName(in); got != want {
			t.Errorf("ExportName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBad checks the inline /* ERROR "regexp" */ expectations in
// testdata/bad: each expects an error at the token just before it whose
// message matches the regexp. Missing and unexpected errors both fail.
func TestBad(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.bp")
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad specs: %v", err)
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			want := expectations(t, name, src)
			f, err := Parse(name, src)
			if err == nil {
				t.Fatalf("Parse succeeded: %v", f)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, not an ErrorList", err)
			}
			for _, e := range list {
				key := e.Pos.String()
				matched := false
				for i, rx := range want[key] {
					if rx.MatchString(e.Msg) {
						want[key] = append(want[key][:i], want[key][i+1:]...)
						matched = true
						break
					}
				}
				if !matched {
					t.Errorf("unexpected error: %v", e)
				}
			}
			for pos, rxs := range want {
				for _, rx := range rxs {
					t.Errorf("%s: missing error matching %q", pos, rx)
				}
			}
		})
	}
}

var errorComment = regexp.MustCompile(`^/\* ERROR ("(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `) \*/$`)

// expectations returns the regexps of the ERROR comments of src by the
// position of the token before each; a comment before any token applies
// to 1:1.
func expectations(t *testing.T, filename string, src []byte) map[string][]*regexp.Regexp {
	fset := token.NewFileSet()
	file := fset.AddFile(filename, -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	want := map[string][]*regexp.Regexp{}
	prev := token.Position{Filename: filename, Line: 1, Column: 1}
	for {
		pos, tok, lit := s.Scan()
		switch {
		case tok == token.EOF:
			return want
		case tok == token.COMMENT:
			m := errorComment.FindStringSubmatch(lit)
			if m == nil {
				continue
			}
			pat, err := strconv.Unquote(m[1])
			if err != nil {
				t.Fatalf("%s: bad ERROR comment: %v", prev, err)
			}
			rx, err := regexp.Compile(pat)
			if err != nil {
				t.Fatalf("%s: bad ERROR regexp: %v", prev, err)
			}
			want[prev.String()] = append(want[prev.String()], rx)
		case tok == token.SEMICOLON && lit == "\n":
			// An automatic semicolon is not a token of the spec.
		default:
			prev = file.PositionFor(pos, false)
		}
	}
}

// TestMessages pins the exact text of the main errors.
func TestMessages(t *testing.T) {
	const head = "package p\ninput x[4]\ntarget d[2]\n"
	tests := []struct {
		name, src, want string
	}{
		{"unknown name", head + "y = dense(h, 2)\nloss l2(y, d)\n",
			`t.bp:4:11: unknown name "h"`},
		{"tabs are one column", head + "y\t=\tdense(q, 2)\nloss l2(y, d)\n",
			`t.bp:4:11: unknown name "q"`},
		{"unknown name suggestion", head + "hidden = x\ny = dense(hiden, 2)\nloss l2(y, d)\n",
			`t.bp:5:11: unknown name "hiden" (did you mean "hidden"?)`},
		{"unknown function", head + "y = swish(dense(x, 2))\nloss l2(y, d)\n",
			`t.bp:4:5: unknown function "swish"`},
		{"redefinition", head + "y = dense(x, 2)\ny = dense(x, 2)\nloss l2(y, d)\n",
			`t.bp:5:1: "y" redeclared (first declared at 4:1): rename one of them`},
		{"add mismatch", head + "a = dense(x, 64)\nb = dense(x, 32)\nc = a + b\ny = dense(c, 2)\nloss l2(y, d)\n",
			`t.bp:6:7: shape mismatch: [64] + [32]: operands of + must have the same size`},
		{"gate mismatch", head + "g = sigmoid(dense(x, 16))\nh = tanh(dense(x, 8))\nc = g * h\ny = dense(c, 2)\nloss l2(y, d)\n",
			`t.bp:6:7: shape mismatch: [16] * [8]: operands of elementwise * must have the same size`},
		{"matrix vector mismatch", head + "param W[2][3]\ny = W*x\nloss l2(y, d)\n",
			`t.bp:5:6: shape mismatch: [2 3] * [4]: a [2 3] matrix needs a vector of size 3`},
		{"cycle", head + "a = b + x\nb = tanh(a)\ny = dense(a, 2)\nloss l2(y, d)\n",
			`t.bp:4:1: definition cycle "a" -> "b" -> "a": a definition cannot use itself, directly or through others`},
		{"no loss", head + "y = dense(x, 2)\n",
			`t.bp:1:1: missing loss declaration: add "loss EXPR", such as "loss l2(y, d)"`},
		{"no input", "package p\ntarget d[2]\ny = dense(d, 2)\nloss l2(y, d)\n",
			"t.bp:1:1: missing input declaration: add \"input x[n]\"\n" +
				`t.bp:3:11: definition "y" cannot use target "d": only the loss can use the target`},
		{"loss independent of output", head + "y = dense(x, 2)\nz = dense(x, 2)\noutput y\nloss l2(z, d)\n",
			`t.bp:7:6: loss does not depend on output "y": compute the loss from "y", as in l2(y, d)`},
		{"size zero", "package p\ninput x[0]\ntarget d[2]\ny = dense(x, 2)\nloss l2(y, d)\n",
			`t.bp:2:9: invalid size 0: sizes must be from 1 to 16777216 (1<<24)`},
		{"size negative", "package p\ninput x[-3]\ntarget d[2]\ny = dense(x, 2)\nloss l2(y, d)\n",
			`t.bp:2:9: invalid size -3: sizes must be from 1 to 16777216 (1<<24)`},
		{"size too large", "package p\ninput x[16777217]\ntarget d[2]\ny = dense(x, 2)\nloss l2(y, d)\n",
			`t.bp:2:9: invalid size 16777217: sizes must be from 1 to 16777216 (1<<24)`},
		{"matrix too large", head + "param W[16777216][5]\ny = x\nloss l2(y, y)\n",
			`t.bp:4:7: param "W" has 83886080 elements: a matrix can have at most 67108864 (1<<26)`},
		{"dense size zero", head + "y = dense(x, 0)\nloss l2(y, d)\n",
			`t.bp:4:14: invalid size 0: sizes must be from 1 to 16777216 (1<<24)`},
		{"wrong argument count", head + "y = dense(relu(x, 1), 2)\nloss l2(y, d)\n",
			`t.bp:4:11: wrong number of arguments in call to "relu": have 2, want 1`},
		{"wrong argument count user", head + "func f(a, b) = a*b\ny = dense(f(x), 2)\nloss l2(y, d)\n",
			`t.bp:5:11: wrong number of arguments in call to "f": have 1, want 2`},
		{"unknown precision", "package p\nprecision float16\ninput x[4]\ntarget d[2]\ny = dense(x, 2)\nloss l2(y, d)\n",
			`t.bp:2:11: unknown precision "float16": use float32 or float64`},
		{"recursion", head + "func f(z) = tanh(f(z))\ny = dense(x, 2)\nloss l2(y, d)\n",
			`t.bp:4:6: function "f" calls itself: functions cannot be recursive`},
		{"indirect recursion", head + "func f(z) = g(z)\nfunc g(z) = h(z)\nfunc h(z) = f(z)\ny = dense(x, 2)\nloss l2(y, d)\n",
			`t.bp:4:6: function "f" calls itself through "g", "h": functions cannot be recursive`},
		{"maxpool", head + "h = maxpool(dense(x, 10), 3)\ny = dense(h, 2)\nloss l2(y, d)\n",
			`t.bp:4:27: maxpool group size 3 does not divide vector size 10: choose a size that divides 10`},
		{"not utf8", head + "y = dense(x, 2) // caf\xe9\nloss l2(y, d)\n",
			`t.bp:4:23: invalid UTF-8 encoding: a spec file must be UTF-8 text`},
		{"nul byte", "package p\x00\n",
			`t.bp:1:10: invalid NUL byte: a spec file must be UTF-8 text`},
		{"empty", "// nothing here\n\n",
			`t.bp:1:1: empty spec file: write declarations, starting with "package NAME"`},
		{"empty bytes", "",
			`t.bp:1:1: empty spec file: write declarations, starting with "package NAME"`},
		{"unknown keyword", head + "layer h = dense(x, 2)\ny = dense(x, 2)\nloss l2(y, d)\n",
			`t.bp:4:1: unknown declaration keyword "layer": use package, precision, input, target, param, func, output, loss, or NAME = EXPR`},
		{"syntax error", head + "y = dense(x, 2\nloss l2(y, d)\n",
			`t.bp:4:15: syntax error: missing ',' before newline in argument list`},
		{"syntax error operand", head + "y = dense(x, 2) + )\nloss l2(y, d)\n",
			`t.bp:4:19: syntax error: expected operand, found ')'`},
		{"loss not scalar", head + "y = dense(x, 2)\nloss y - d\n",
			`t.bp:5:6: loss must be a scalar, found a vector [2]: use a divergence such as l2(y, d), or sum(i, ...)`},
		{"export collision", head + "h_1 = x\nh1 = x\ny = dense(h1 + h_1, 2)\nloss l2(y, d)\n",
			`t.bp:5:1: "h_1" and "h1" have the same Go name "H1": rename one of them`},
		{"nested index", head + "func f(z)[i] = z[i] * sum(j, z[j] * z[i])\ny = dense(f(x), 2)\nloss l2(y, d)\n",
			`t.bp:4:39: index "i" cannot be used inside sum over "j": not supported in v1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.bp", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded, want %s", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestErrorListCap(t *testing.T) {
	var src strings.Builder
	src.WriteString("package p\ninput x[4]\ntarget d[2]\n")
	for i := range 13 {
		src.WriteString("y" + strconv.Itoa(i) + " = nope\n")
	}
	src.WriteString("y = dense(x, 2)\nloss l2(y, d)\n")
	_, err := Parse("t.bp", []byte(src.String()))
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 11 || lines[10] != "(and 3 more errors)" || lines[0] != `t.bp:4:6: unknown name "nope"` {
		t.Errorf("got:\n%s", err)
	}
	if len(err.(ErrorList)) != 13 {
		t.Errorf("got %d errors, want 13", len(err.(ErrorList)))
	}
}

// TestDocExamples parses every complete spec (a code block starting with
// "package") in docs/spec.md.
func TestDocExamples(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(moduleRoot(t), "docs", "spec.md"))
	if err != nil {
		t.Skip(err)
	}
	blocks := strings.Split(string(doc), "```")
	n := 0
	for i := 1; i < len(blocks); i += 2 {
		block := strings.TrimPrefix(blocks[i], "\n")
		if !strings.HasPrefix(block, "package ") {
			continue
		}
		n++
		if _, err := Parse("spec.md", []byte(block)); err != nil {
			t.Errorf("example %d:\n%s\n%v", n, block, err)
		}
	}
	if n < 10 {
		t.Errorf("found %d examples, want at least 10", n)
	}
}

// TestNumberLiterals checks that Lower reads a number the way the checker
// does, by Go's rules: 010 is eight, 0x2 is two, 1_0 is ten.
func TestNumberLiterals(t *testing.T) {
	for _, c := range []struct {
		lit  string
		want float64
	}{{"010", 8}, {"0x2", 2}, {"1_0", 10}, {"2.5", 2.5}, {"0b11", 3}, {"1e2", 100}} {
		src := "package p\ninput x[1]\ntarget d[1]\ny = x * " + c.lit + "\nloss l2(y, d)\n"
		f, err := Parse("p.bp", []byte(src))
		if err != nil {
			t.Errorf("%s: %v", c.lit, err)
			continue
		}
		net, err := Lower(f)
		if err != nil {
			t.Errorf("%s: %v", c.lit, err)
			continue
		}
		vals, err := symbolic.Evaluate(symbolic.Values{net.Input: {1}, net.Target: {0}}, net.Output)
		if err != nil {
			t.Fatal(err)
		}
		if got := vals[net.Output][0]; got != c.want {
			t.Errorf("y = x * %s at x = 1: %v, want %v", c.lit, got, c.want)
		}
	}
}
