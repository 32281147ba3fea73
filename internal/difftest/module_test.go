package difftest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/codegen"
	"github.com/bpgen/bpgen/spec"
)

// keepDir, when set, is where the scratch modules are written instead of a
// temporary directory, so that a failure can be reproduced by hand with
// "cd DIR/NAME && GOFLAGS=-mod=mod GOWORK=off go test ./...".
var keepDir = flag.String("difftest.keep", "", "write the scratch modules under this `dir` and keep them")

// scratchModule is a temporary Go module "rnd" holding generated packages.
type scratchModule struct {
	dir string
}

// newModule creates an empty scratch module named rnd for test t.
func newModule(t *testing.T, name string) *scratchModule {
	t.Helper()
	dir := t.TempDir()
	if *keepDir != "" {
		dir = filepath.Join(*keepDir, name)
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		t.Logf("scratch module %s kept in %s", name, dir)
	}
	m := &scratchModule{dir: dir}
	m.write(t, "go.mod", []byte("module rnd\n\ngo 1.24\n"))
	return m
}

// write writes a file of the module, creating its directory.
func (m *scratchModule) write(t *testing.T, rel string, data []byte) {
	t.Helper()
	p := filepath.Join(m.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// generate runs the whole pipeline on a spec (spec.Parse, spec.Lower,
// codegen.Generate with its self-tests) and writes the package into
// directory pkgDir of the module, with the spec itself beside it.
//
// The emitted test files *_bp_test.go are written as *_bp_selftest.go,
// ordinary files of the package, so that its Test functions are exported
// functions of the package: runSelfTests then links every package's
// self-tests into one test binary instead of one per package, which makes
// checking many networks several times faster. The test code is the
// emitted text, unchanged. The names of its Test functions are returned.
func (m *scratchModule) generate(t *testing.T, pkgDir, filename string, src []byte) (tests []string, err error) {
	t.Helper()
	files, err := generateFiles(filename, src)
	if err != nil {
		return nil, err
	}
	m.write(t, pkgDir+"/"+filename, src)
	for name, data := range files {
		if base, ok := strings.CutSuffix(name, "_bp_test.go"); ok {
			more, err := testFuncs(name, data)
			if err != nil {
				return nil, err
			}
			tests = append(tests, more...)
			name = base + "_bp_selftest.go"
		}
		m.write(t, pkgDir+"/"+name, data)
	}
	slices.Sort(tests)
	return tests, nil
}

// testFuncs lists the functions TestXxx(t *testing.T) of a test file.
func testFuncs(name string, src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
	if err != nil {
		return nil, fmt.Errorf("parsing emitted %s: %v", name, err)
	}
	var out []string
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || !strings.HasPrefix(fd.Name.Name, "Test") || fd.Name.Name == "TestMain" {
			continue
		}
		if ps := fd.Type.Params.List; len(ps) == 1 && len(ps[0].Names) == 1 {
			if star, ok := ps[0].Type.(*ast.StarExpr); ok {
				if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "T" {
					out = append(out, fd.Name.Name)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("emitted %s has no Test functions", name)
	}
	return out, nil
}

// selfTested is a generated package of the scratch module and its
// self-tests.
type selfTested struct {
	dir   string   // directory in the module, also the last element of its import path
	tests []string // names of its Test functions
}

// runSelfTests builds every package, then links the self-tests of those
// that build into one test package "all" (a subtest DIR/TestName for each)
// and runs it once. It returns the result of each package by directory;
// a package that does not build has its build errors as output. Subtests
// run one after another, as TestNoAllocations requires.
func (m *scratchModule) runSelfTests(t *testing.T, pkgs []selfTested) (map[string]*packageResult, error) {
	t.Helper()
	res := map[string]*packageResult{}
	for _, p := range pkgs {
		res[p.dir] = &packageResult{}
	}
	var stderr bytes.Buffer
	build := m.goCmd("build", "./...")
	build.Stderr = &stderr
	if err := build.Run(); err != nil {
		cur := (*packageResult)(nil)
		for _, line := range strings.SplitAfter(stderr.String(), "\n") {
			if rest, ok := strings.CutPrefix(line, "# rnd/"); ok {
				cur = res[strings.TrimSpace(rest)]
				if cur != nil {
					cur.failed = true
				}
			}
			if cur != nil {
				cur.output.WriteString(line)
			}
		}
		if len(failedPackages(res)) == 0 {
			return nil, fmt.Errorf("go build: %v\n%s", err, stderr.String())
		}
	}
	var b strings.Builder
	b.WriteString("package all\n\nimport (\n\t\"testing\"\n\n")
	for i, p := range pkgs {
		if !res[p.dir].failed {
			fmt.Fprintf(&b, "\tp%d \"rnd/%s\"\n", i, p.dir)
		}
	}
	b.WriteString(")\n\nfunc TestAll(t *testing.T) {\n")
	for i, p := range pkgs {
		if res[p.dir].failed {
			continue
		}
		fmt.Fprintf(&b, "\tt.Run(%q, func(t *testing.T) {\n", p.dir)
		for _, name := range p.tests {
			fmt.Fprintf(&b, "\t\tt.Run(%q, p%d.%s)\n", name, i, name)
		}
		b.WriteString("\t})\n")
	}
	b.WriteString("}\n")
	m.write(t, "all/all_test.go", []byte(b.String()))
	out, err := m.goTest(t, "-timeout=30m", "./all")
	if err != nil {
		return nil, err
	}
	all := out["rnd/all"]
	if all == nil {
		return nil, fmt.Errorf("go test reported nothing on rnd/all")
	}
	if all.failed && all.failedTests == nil {
		return nil, fmt.Errorf("rnd/all failed outside any self-test:\n%s", all.output.String())
	}
	for _, p := range pkgs {
		r := res[p.dir]
		if r.failed {
			continue
		}
		prefix := "TestAll/" + p.dir + "/"
		var names []string
		for name := range all.testOutput {
			if strings.HasPrefix(name, prefix) {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		for _, name := range names {
			r.output.WriteString(all.testOutput[name].String())
		}
		for name := range all.failedTests {
			if strings.HasPrefix(name, prefix) {
				r.failed = true
				if r.failedTests == nil {
					r.failedTests = map[string]bool{}
				}
				r.failedTests[strings.TrimPrefix(name, prefix)] = true
			}
		}
	}
	return res, nil
}

// generateFiles runs spec.Parse, spec.Lower and codegen.Generate with
// Tests: true.
func generateFiles(filename string, src []byte) (map[string][]byte, error) {
	f, err := spec.Parse(filename, src)
	if err != nil {
		return nil, fmt.Errorf("spec.Parse: %v", err)
	}
	net, err := spec.Lower(f)
	if err != nil {
		return nil, fmt.Errorf("spec.Lower: %v", err)
	}
	files, err := codegen.Generate(net, codegen.Options{Tests: true})
	if err != nil {
		return nil, fmt.Errorf("codegen.Generate: %v", err)
	}
	return files, nil
}

// goCmd returns a go command run in the module, isolated from any
// workspace and free to resolve its (empty) requirements.
func (m *scratchModule) goCmd(args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = m.dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	return cmd
}

// testEvent is one line of "go test -json".
type testEvent struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

// packageResult is what "go test" said about one package.
type packageResult struct {
	failed      bool
	output      strings.Builder
	testOutput  map[string]*strings.Builder // output of each test and subtest
	failedTests map[string]bool             // tests and subtests that failed
}

// goTest runs "go test -json" over patterns and returns the result of each
// package, keyed by import path. err is set only when go test could not run
// or its output could not be read; failing packages are in the results.
func (m *scratchModule) goTest(t *testing.T, args ...string) (map[string]*packageResult, error) {
	t.Helper()
	cmd := m.goCmd(append([]string{"test", "-json", "-vet=off"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	res := map[string]*packageResult{}
	get := func(path string) *packageResult {
		path, _, _ = strings.Cut(path, " ")
		r := res[path]
		if r == nil {
			r = &packageResult{}
			res[path] = r
		}
		return r
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var ev testEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, fmt.Errorf("reading go test -json: %v: %q", err, sc.Text())
		}
		path := ev.Package
		if path == "" {
			path = ev.ImportPath
		}
		if path == "" {
			continue
		}
		r := get(path)
		r.output.WriteString(ev.Output)
		if ev.Test != "" {
			if r.testOutput == nil {
				r.testOutput = map[string]*strings.Builder{}
				r.failedTests = map[string]bool{}
			}
			if r.testOutput[ev.Test] == nil {
				r.testOutput[ev.Test] = &strings.Builder{}
			}
			r.testOutput[ev.Test].WriteString(ev.Output)
			if ev.Action == "fail" {
				r.failedTests[ev.Test] = true
			}
		}
		if (ev.Action == "fail" && ev.Test == "") || ev.Action == "build-fail" {
			r.failed = true
		}
	}
	// Build errors are printed on stderr by older go commands.
	for _, line := range strings.Split(stderr.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok {
			get(rest).failed = true
		}
	}
	if runErr != nil {
		anyFailed := false
		for _, r := range res {
			anyFailed = anyFailed || r.failed
		}
		if !anyFailed {
			return nil, fmt.Errorf("go test: %v\n%s", runErr, stderr.String())
		}
	}
	if stderr.Len() > 0 {
		t.Logf("go test stderr:\n%s", stderr.String())
	}
	return res, nil
}

// failedPackages returns the sorted import paths of the failed packages.
func failedPackages(res map[string]*packageResult) []string {
	var out []string
	for p, r := range res {
		if r.failed {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
