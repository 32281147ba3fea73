package codegen_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/codegen"
	"github.com/bpgen/bpgen/spec"
)

// FuzzGenerate runs the whole pipeline on arbitrary spec text: whenever the
// spec is accepted, generation must succeed and every generated file must
// parse as Go, so that no spec can produce broken or injected code. It
// never panics. The seed corpus is every .bp file in the module.
func FuzzGenerate(f *testing.F) {
	root, err := filepath.Abs("..")
	if err != nil {
		f.Fatal(err)
	}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".bp") {
			return nil
		}
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src)
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := spec.Parse("fuzz.bp", src)
		if err != nil {
			return
		}
		// Keep each case fast: the generated code does not depend on the
		// widths, but building the graph of a huge network still takes time.
		for _, p := range file.Params {
			n := 1
			for _, d := range p.Shape {
				n *= d
			}
			if n > 1<<16 {
				return
			}
		}
		net, err := spec.Lower(file)
		if err != nil {
			t.Fatalf("Lower rejected an accepted spec: %v\n%s", err, src)
		}
		files, err := codegen.Generate(net, codegen.Options{Tests: true})
		if err != nil {
			t.Fatalf("Generate failed on an accepted spec: %v\n%s", err, src)
		}
		for name, out := range files {
			if !strings.HasSuffix(name, ".go") {
				continue // the assembly kernels, copied verbatim
			}
			if _, err := parser.ParseFile(token.NewFileSet(), name, out, 0); err != nil {
				t.Fatalf("%s does not parse: %v\nspec:\n%s", name, err, src)
			}
		}
	})
}
