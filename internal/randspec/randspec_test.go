package randspec

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/spec"
)

// TestParseAndLower checks that every spec of seeds 1..2000 passes
// spec.Parse and spec.Lower, and that generation is deterministic.
func TestParseAndLower(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		name, src := Generate(seed)
		f, err := spec.Parse(name+".bp", src)
		if err != nil {
			t.Errorf("seed %d: spec.Parse: %v\n%s", seed, err, src)
			continue
		}
		if _, err := spec.Lower(f); err != nil {
			t.Errorf("seed %d: spec.Lower: %v\n%s", seed, err, src)
		}
		if seed <= 50 {
			if _, again := Generate(seed); !bytes.Equal(src, again) {
				t.Errorf("seed %d: Generate is not deterministic", seed)
			}
		}
	}
}

// TestCoverage checks that the first 2000 seeds use every construct the
// package documentation promises.
func TestCoverage(t *testing.T) {
	var all strings.Builder
	precisions := map[string]bool{}
	for seed := uint64(1); seed <= 2000; seed++ {
		_, src := Generate(seed)
		all.Write(src)
		if bytes.Contains(src, []byte("precision float64")) {
			precisions["float64"] = true
		} else {
			precisions["float32"] = true
		}
	}
	text := all.String()
	for _, want := range []string{
		"relu(", "leakyrelu(", "sigmoid(", "tanh(", "softplus(", "abs(", "sqrt(", "exp(",
		"max(", "min(", "pow(", "maxpool(", "maxof(", "softmax(", "logsoftmax(",
		"func swish", "func gelu", "func mix", "func silu2", "func norm(z)[i]", "func center(z)[i]",
		"func layernorm(z)[i]", "func smax(z)[i]", "func scaled(z, s)[i]",
		"l2(y, d)", "crossentropy(y, d)", "kl(y, d)", "bce(y, d)", "loss sum(i,", "loss -sum(i,",
		"output y", "param W", "penalty", " * h", ") + h",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no spec of seeds 1..2000 contains %q", want)
		}
	}
	if len(precisions) != 2 {
		t.Errorf("precisions used: %v, want both", precisions)
	}
}

func ExampleGenerate() {
	name, src := Generate(7)
	fmt.Println(name)
	fmt.Println(strings.Contains(string(src), "package "+name))
	// Output:
	// r7
	// true
}
