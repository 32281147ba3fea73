package difftest

import (
	"flag"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/randspec"
)

var (
	advSpecs = flag.Int("advspecs", 100, "number of adversarial specs TestAdversarial checks")
	advStart = flag.Uint64("advspecs.start", 1, "first seed of TestAdversarial")
)

// positioned matches an error that names its place in the spec.
var positioned = regexp.MustCompile(`^spec\.(Parse|Lower): a\d+\.bp:\d+:\d+: `)

// TestAdversarial runs the specs of randspec.GenerateAdversarial (seeds
// advspecs.start to advspecs.start+advspecs-1) through the pipeline: bpgen
// must refuse each one with an error at file:line:col, or generate a
// package that builds, passes go vet and passes its own emitted tests. It
// never panics. All accepted packages are built, vetted and tested in one
// scratch module.
//
// Ten thousand: go test ./internal/difftest -run TestAdversarial -advspecs=10000 -timeout=3h
func TestAdversarial(t *testing.T) {
	n := *advSpecs
	if testing.Short() && n > 10 {
		n = 10
	}
	mod := newModule(t, "adversarial")
	srcs := map[string][]byte{}
	var pkgs []selfTested
	refused := 0
	start := time.Now()
	for seed := *advStart; seed < *advStart+uint64(n); seed++ {
		name, src := randspec.GenerateAdversarial(seed, randspec.AdversarialOptions{})
		tests, err := generateGuarded(t, mod, name, src)
		switch {
		case err != nil && !positioned.MatchString(err.Error()):
			t.Errorf("seed %d: refused without a position, or by a later stage: %v\nspec:\n%s", seed, err, src)
		case err != nil:
			refused++
		default:
			srcs[name] = src
			pkgs = append(pkgs, selfTested{dir: name, tests: tests})
		}
	}
	t.Logf("%d adversarial specs: %d refused with a position, %d generated in %v", n, refused, len(pkgs), time.Since(start))
	if len(pkgs) == 0 {
		return
	}
	vet := mod.goCmd("vet", "./...")
	if out, err := vet.CombinedOutput(); err != nil {
		t.Errorf("go vet on the accepted packages: %v\n%s", err, trimOutput(string(out)))
	}
	res, err := mod.runSelfTests(t, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range failedPackages(res) {
		t.Errorf("%s: accepted, but its package fails:\n%s\nspec:\n%s", p, trimOutput(res[p].output.String()), srcs[p])
	}
	t.Logf("%d accepted packages built, vetted and tested: %d failed", len(pkgs), len(failedPackages(res)))
}

// generateGuarded is mod.generate that turns a panic into an error the
// test reports as one.
func generateGuarded(t *testing.T, mod *scratchModule, name string, src []byte) (tests []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	tests, err = mod.generate(t, name, name+".bp", src)
	if err != nil && strings.Contains(err.Error(), "internal error") {
		err = fmt.Errorf("internal error: %v", err)
	}
	return tests, err
}
