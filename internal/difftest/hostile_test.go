package difftest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

// hostileSpecs are adversarial specs of issue 17 that bpgen accepts: each
// must generate a package that builds, vets and passes its self-tests.
// Each is a body after "package p", the input x[4] and the target d[2].
var hostileSpecs = []string{
	// Vectors that simplify to a constant (item 5).
	"y = softmax(0*dense(x, 2))\nloss crossentropy(y, d)",
	"h = dense(x, 2)\ny = softmax(h - h)\nloss crossentropy(y, d)",
	"m = maxof(0*x)\ny = softmax(dense(x, 2)*m)\noutput y\nloss crossentropy(y, d)",
	"y = softmax(dense(x, 2)*0)\nloss crossentropy(y, d)",
	"y = softmax(dense(x, 2)*1e-400)\nloss crossentropy(y, d)",
	"y = softmax(maxpool(x - x, 2))\nloss crossentropy(y, d)",
	"y = dense(maxpool(x - x, 2), 2)\nloss l2(y, d)",
	"y = dense(0*x, 2)\nloss l2(y, d)",
	// Chains whose fused bodies would exceed 64 operations, so that maps
	// stop composing (item 7), and nested functions.
	chain("h%d = tanh(h%d) + 0.5*h%d", 40) + "y = softmax(dense(h39, 2))\nloss crossentropy(y, d)",
	"precision float64\n" + chain("h%d = tanh(dense(h%d, 4) + h%d)", 20) + "y = dense(h19, 2)\nloss l2(y, d)",
	"func f0(z) = tanh(z)\nfunc f1(z) = f0(z)*f0(z) + f0(z)\nfunc f2(z) = f1(z)*f1(z) + f1(z)\nfunc f3(z) = f2(z)*f2(z) + f2(z)\n" +
		"y = softmax(f3(dense(x, 2)))\nloss crossentropy(y, d)",
}

// chain returns the definitions h0 = tanh(x) and, for k from 1 to n-1, the
// definition format with k, k-1 and k-1.
func chain(format string, n int) string {
	var b strings.Builder
	b.WriteString("h0 = tanh(x)\n")
	for k := 1; k < n; k++ {
		fmt.Fprintf(&b, format+"\n", k, k-1, k-1)
	}
	return b.String()
}

// TestHostileSpecs generates, builds and self-tests every hostile spec.
func TestHostileSpecs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a package per spec")
	}
	mod := newModule(t, "hostile")
	var pkgs []selfTested
	srcs := map[string]string{}
	for i, body := range hostileSpecs {
		src := "package p\ninput x[4]\ntarget d[2]\n" + body + "\n"
		dir := fmt.Sprintf("h%02d", i)
		tests, err := mod.generate(t, dir, "p.bp", []byte(src))
		if err != nil {
			t.Errorf("%v\n%s", err, src)
			continue
		}
		pkgs = append(pkgs, selfTested{dir: dir, tests: tests})
		srcs[dir] = src
	}
	if out, err := mod.goCmd("vet", "./...").CombinedOutput(); err != nil {
		t.Errorf("go vet: %v\n%s", err, out)
	}
	res, err := mod.runSelfTests(t, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range failedPackages(res) {
		t.Errorf("%s\n%s", srcs[p], res[p].output.String())
	}
}

// exportedIdents returns the exported identifiers that a generated package
// declares (types, functions, constants, variables and methods), and the
// exported methods of Model and Gradients, from its non-test files.
func exportedIdents(t *testing.T, files map[string][]byte) (all []string, methods map[string]bool) {
	t.Helper()
	methods = map[string]bool{}
	seen := map[string]bool{}
	add := func(name string) {
		if ast.IsExported(name) && !seen[name] {
			seen[name] = true
			all = append(all, name)
		}
	}
	for name, src := range files {
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				add(d.Name.Name)
				if d.Recv != nil && ast.IsExported(d.Name.Name) {
					recv := types.ExprString(d.Recv.List[0].Type)
					if recv == "*Model" || recv == "*Gradients" {
						methods[d.Name.Name] = true
					}
				}
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.TypeSpec:
						add(sp.Name.Name)
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							add(n.Name)
						}
					}
				}
			}
		}
	}
	slices.Sort(all)
	return all, methods
}

// TestGeneratedNamesAsParams gives params the names of every exported
// identifier of a generated package (issue 17 item 2: a param named
// tensors, forward, zero, save, step or init gave a package that did not
// compile, "field and method with the same name"). A name whose exported
// form is a method of Model or Gradients must be rejected by spec.Parse,
// naming the method, and must be in symbolic's list; every other name
// must give a package that builds, vets and passes its self-tests.
func TestGeneratedNamesAsParams(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a package")
	}
	files, err := generateFiles("p.bp", []byte("package p\ninput x[4]\ntarget d[2]\ny = softmax(dense(x, 2))\nloss crossentropy(y, d)\n"))
	if err != nil {
		t.Fatal(err)
	}
	idents, methods := exportedIdents(t, files)
	var ok []string
	for _, id := range idents {
		_, reserved := symbolic.GeneratedMethod(id)
		if methods[id] != reserved {
			t.Errorf("%s: a method of Model or Gradients: %v; in symbolic's list: %v", id, methods[id], reserved)
		}
		// Both spellings: forward and Forward have the Go name Forward.
		for _, name := range []string{strings.ToLower(id[:1]) + id[1:], id} {
			src := fmt.Sprintf("package p\ninput x[4]\ntarget d[2]\nparam %s[2][4]\ny = softmax(%s*x)\nloss crossentropy(y, d)\n", name, name)
			_, err := spec.Parse("p.bp", []byte(src))
			switch {
			case reserved && err == nil:
				t.Errorf("param %q accepted, want an error about the Go name %q", name, id)
			case reserved && !strings.Contains(err.Error(), fmt.Sprintf("param %q has the Go name %q", name, id)) &&
				!strings.Contains(err.Error(), "declaration keyword"):
				t.Errorf("param %q: %v, want an error about the Go name %q", name, err, id)
			case !reserved && err != nil:
				t.Errorf("param %q: %v", name, err)
			case !reserved && name != id:
				ok = append(ok, name) // one spelling: two would have the same Go name
			}
		}
	}
	// Go's predeclared names (len, string, nil, ...) are params too, where
	// the spec allows them (max, min and abs are spec builtins).
	for _, name := range types.Universe.Names() {
		src := fmt.Sprintf("package p\ninput x[4]\ntarget d[2]\nparam %s[2][4]\ny = softmax(%s*x)\nloss crossentropy(y, d)\n", name, name)
		if _, err := spec.Parse("p.bp", []byte(src)); err == nil && !slices.Contains(ok, name) {
			ok = append(ok, name)
		}
	}
	// One package with a param for each accepted name.
	var b strings.Builder
	b.WriteString("package p\ninput x[4]\ntarget d[2]\n")
	sum := make([]string, len(ok))
	for i, name := range ok {
		fmt.Fprintf(&b, "param %s[2][4]\n", name)
		sum[i] = name + "*x"
	}
	fmt.Fprintf(&b, "y = softmax(%s)\nloss crossentropy(y, d)\n", strings.Join(sum, " + "))
	t.Logf("%d exported identifiers of the package; params accepted: %s", len(idents), strings.Join(ok, " "))
	mod := newModule(t, "names")
	tests, err := mod.generate(t, "names", "p.bp", []byte(b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if out, err := mod.goCmd("vet", "./...").CombinedOutput(); err != nil {
		t.Fatalf("go vet: %v\n%s\n%s", err, out, b.String())
	}
	res, err := mod.runSelfTests(t, []selfTested{{dir: "names", tests: tests}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range failedPackages(res) {
		t.Errorf("%s\n%s", b.String(), res[p].output.String())
	}
}
