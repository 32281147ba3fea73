package generated

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bpgen/bpgen/codegen"
	"github.com/bpgen/bpgen/spec"
)

// TestGenerated regenerates every package under generated/ in memory and
// fails on any byte of difference from the checked-in files, so the
// checked-in code is never stale.
func TestGenerated(t *testing.T) {
	specs, err := filepath.Glob("*/*.bp")
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) < 6 {
		t.Fatalf("found %d specs under generated/, want at least 6", len(specs))
	}
	for _, path := range specs {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := spec.Parse(filepath.Base(path), src)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		net, err := spec.Lower(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		files, err := codegen.Generate(net, codegen.Options{Tests: true})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		dir := filepath.Dir(path)
		for name, want := range files {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s is stale; run: go generate ./generated/...", filepath.Join(dir, name))
			}
		}
		// No generated file may be left over from an earlier spec.
		old, _ := filepath.Glob(filepath.Join(dir, "*.bp*.go"))
		old2, _ := filepath.Glob(filepath.Join(dir, "*_bp_test.go"))
		for _, p := range append(old, old2...) {
			if _, ok := files[filepath.Base(p)]; !ok && !slices.Contains([]string{"generate.go"}, filepath.Base(p)) {
				t.Errorf("%s is not generated from %s any more; delete it", p, path)
			}
		}
	}
}

// TestPortablePath runs the generated packages' own tests (gradients
// against finite differences, batches, training calls, Save and Load) once
// more with the purego build tag, so that go test ./... checks the
// gradients of both paths: the assembly kernels this CPU runs and the
// portable Go loops that every other machine runs.
func TestPortablePath(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test -tags purego: not in -short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	specs, err := filepath.Glob("*/*.bp")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"test", "-tags", "purego"}
	for _, path := range specs {
		args = append(args, "./"+filepath.Dir(path)) // the packages, not this one
	}
	cmd := exec.Command(goTool, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test -tags purego ./generated/...: %v\n%s", err, out)
	}
	t.Logf("go test -tags purego ./generated/...:\n%s", out)
}
