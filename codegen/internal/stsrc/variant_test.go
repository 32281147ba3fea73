package stsrc

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// variantTypes stands in for the declarations a float64 generated package
// emits.
const variantTypes = `package gen

type Float = float64

const floatBits = 64

type Tensor struct {
	Name  string
	Shape []int
	Data  []Float
}
`

// variantModel mimics the rest of a generated package, so that a clash
// between a name declared in safetensors.go and a generated name fails to
// compile, and exercises Save/Load as generated code calls them.
const variantModel = `package gen

import "io"

type Model struct{ W, B []Float }
type Workspace struct{}
type Gradients struct{}

func forward(m *Model, ws *Workspace)                    {}
func backward(m *Model, ws *Workspace, g *Gradients)     {}

func (m *Model) Tensors() []Tensor {
	return []Tensor{
		{Name: "fc.weight", Shape: []int{2, 3}, Data: m.W},
		{Name: "fc.bias", Shape: []int{2}, Data: m.B},
	}
}

func (m *Model) Save(w io.Writer) error { return saveTensors(w, m.Tensors()) }
func (m *Model) Load(r io.Reader) error { return loadTensors(r, m.Tensors()) }
`

const variantModelTest = `package gen

import (
	"bytes"
	"testing"
)

func TestModelSaveLoad(t *testing.T) {
	src := &Model{W: []Float{1, 2, 3, 4, 5, 6.000000000000001}, B: []Float{-1, 1e-300}}
	var buf bytes.Buffer
	if err := src.Save(&buf); err != nil {
		t.Fatal(err)
	}
	dst := &Model{W: make([]Float, 6), B: make([]Float, 2)}
	if err := dst.Load(&buf); err != nil {
		t.Fatal(err)
	}
	for i := range src.W {
		if src.W[i] != dst.W[i] {
			t.Errorf("W[%d] = %v, want %v", i, dst.W[i], src.W[i])
		}
	}
	for i := range src.B {
		if src.B[i] != dst.B[i] {
			t.Errorf("B[%d] = %v, want %v", i, dst.B[i], src.B[i])
		}
	}
}
`

// packageClause matches the package clause of a source file of this package.
var packageClause = regexp.MustCompile(`(?m)^package stsrc$`)

// TestFloat64Variant builds safetensors.go, unchanged except for its package
// clause as the generator emits it, in a package with Float = float64 and
// generated-looking declarations, and runs this package's tests there
// (including the FuzzLoad seed corpus).
func TestFloat64Variant(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found in PATH")
	}
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"safetensors.go", "safetensors_test.go"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(packageClause.FindAllIndex(src, -1)); n != 1 {
			t.Fatalf("%s: found %d package clauses, want 1", name, n)
		}
		write(name, packageClause.ReplaceAllString(string(src), "package gen"))
	}
	write("go.mod", "module example.com/gen\n\ngo 1.26\n")
	write("types.go", variantTypes)
	write("model.go", variantModel)
	write("model_test.go", variantModelTest)

	cmd := exec.Command(goCmd, "test", "-count=1", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test of the float64 variant failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
