package difftest

import (
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/randspec"
	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

// TestExplainRandom runs bpgen explain (text and Markdown) and bpgen graph
// (forward and backward) on the first 20 random specs: each must succeed,
// say something about every parameter, and be the same on a second run.
func TestExplainRandom(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		name, src := randspec.Generate(seed)
		outputs := func() []string {
			f, err := spec.Parse(name, src)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			net, err := spec.Lower(f)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			d, err := net.Derive()
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			return []string{symbolic.Explain(d, false), symbolic.Explain(d, true), symbolic.Dot(d, false), symbolic.Dot(d, true)}
		}
		first, second := outputs(), outputs()
		f, _ := spec.Parse(name, src)
		for k, out := range first {
			if out != second[k] {
				t.Errorf("seed %d: output %d differs between two runs", seed, k)
			}
			if k < 2 {
				for _, p := range f.Params {
					if !strings.Contains(out, p.Name) {
						t.Errorf("seed %d: explain output %d does not mention parameter %q", seed, k, p.Name)
					}
				}
			} else if !strings.HasPrefix(out, "digraph") {
				t.Errorf("seed %d: graph output %d is not a DOT digraph", seed, k)
			}
		}
	}
}
