package symbolic_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

// The package's internal tests may already define -update; share it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// derive parses, lowers and derives the spec at path (relative to the
// module root), naming it by that path.
func derive(t *testing.T, path string) *symbolic.Derivation {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", path))
	if err != nil {
		t.Fatal(err)
	}
	f, err := spec.Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	net, err := spec.Lower(f)
	if err != nil {
		t.Fatal(err)
	}
	d, err := net.Derive()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func specs(t *testing.T, pattern string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", pattern))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no specs match %s: %v", pattern, err)
	}
	for i, p := range paths {
		paths[i] = filepath.ToSlash(strings.TrimPrefix(p, ".."+string(filepath.Separator)))
	}
	return paths
}

// TestExplainGolden compares Explain (text and Markdown) and Dot (forward,
// and with the backward graph) for every spec in generated/ with
// testdata/explain/<name>.{txt,md,dot,backward.dot}. Run with -update to
// rewrite them.
func TestExplainGolden(t *testing.T) {
	for _, path := range specs(t, "generated/*/*.bp") {
		name := strings.TrimSuffix(filepath.Base(path), ".bp")
		t.Run(name, func(t *testing.T) {
			outs := map[string]func(d *symbolic.Derivation) string{
				".txt":          func(d *symbolic.Derivation) string { return symbolic.Explain(d, false) },
				".md":           func(d *symbolic.Derivation) string { return symbolic.Explain(d, true) },
				".dot":          func(d *symbolic.Derivation) string { return symbolic.Dot(d, false) },
				".backward.dot": func(d *symbolic.Derivation) string { return symbolic.Dot(d, true) },
			}
			for _, ext := range []string{".txt", ".md", ".dot", ".backward.dot"} {
				// A fresh derivation for each output: Dot and Explain must
				// not depend on what ran before them.
				got := outs[ext](derive(t, path))
				golden := filepath.Join("testdata", "explain", name+ext)
				if updating() {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./symbolic -run ExplainGolden -update)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
				}
			}
		})
	}
}

// TestExplainGoodSpecs checks that Explain and Dot succeed on every valid
// spec of the spec package's tests, and that what they print is
// deterministic and names the gradient of every parameter.
func TestExplainGoodSpecs(t *testing.T) {
	for _, path := range specs(t, "spec/testdata/good/*.bp") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			d := derive(t, path)
			for _, md := range []bool{false, true} {
				s := symbolic.Explain(d, md)
				if s == "" || s != symbolic.Explain(derive(t, path), md) {
					t.Errorf("Explain(md=%v) is empty or not deterministic", md)
				}
				if !md {
					for _, p := range d.Params {
						if !strings.Contains(s, p.Name) {
							t.Errorf("Explain does not list parameter %q", p.Name)
						}
					}
					if !strings.Contains(s, "dDiv/d"+d.Input.Name+" = ") {
						t.Errorf("Explain has no equation for dDiv/d%s:\n%s", d.Input.Name, s)
					}
				}
			}
			for _, backward := range []bool{false, true} {
				s := symbolic.Dot(d, backward)
				if !strings.HasPrefix(s, "digraph") || !strings.HasSuffix(s, "}\n") {
					t.Errorf("Dot(backward=%v) is not a digraph:\n%s", backward, s)
				}
			}
		})
	}
}

// TestExplainLecture pins the steps of the lecture in the derivations of
// small networks: the sigmoid derivative as y(1-y), softmax with
// cross-entropy as one simplified step, and the sum over the paths of a
// skip connection, a gate and a shared weight.
func TestExplainLecture(t *testing.T) {
	tests := []struct {
		path string
		want []string
	}{
		{"generated/xor/xor.bp", []string{
			"z(h) = W(h) x + b(h)",
			"h = sigmoid(z(h))",
			"dDiv/dz(y) = y - d",
			"dDiv/dz(h) = h*(1 - h)*dDiv/dh",
			"dDiv/db(h) = dDiv/dz(h)",
			"dDiv/dW(h) = dDiv/dz(h) x^T",
			"dDiv/dh = W(y)^T dDiv/dz(y)",
		}},
		{"generated/mnist/mnist.bp", []string{
			"h1 = max(0, z(h1))",
			"dDiv/dz(y) = y - d",
			"dDiv/dz(h1) = [z(h1) > 0]*dDiv/dh1",
		}},
		{"generated/skip/skip.bp", []string{
			"h2 = max(0, z(h2)) + h1",
			"(sums 2 paths: through h2, z(h2))",
		}},
		{"generated/gate/gate.bp", []string{
			"h = g*c",
			"dDiv/dz(g) = (1 - g)*h*dDiv/dh",
			"dDiv/dx = W(c)^T dDiv/dz(c) + W(g)^T dDiv/dz(g)",
			"(sums 2 paths: through z(c), z(g))",
		}},
		{"spec/testdata/good/shared.bp", []string{
			"dDiv/dW = dDiv/dy h2^T + dDiv/dz(h2) h1^T + dDiv/dz(h1) x^T",
			"(sums 3 paths: through y, z(h2), z(h1))",
		}},
	}
	for _, tt := range tests {
		s := symbolic.Explain(derive(t, tt.path), false)
		for _, w := range tt.want {
			if !strings.Contains(s, w) {
				t.Errorf("Explain(%s) lacks %q:\n%s", tt.path, w, s)
			}
		}
	}
}
