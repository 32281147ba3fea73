package difftest

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/randspec"
	"github.com/bpgen/bpgen/spec"
)

var torchRandom = flag.Int("torch.random", 20, "number of random specs (seeds 1..N) TestTorch compares with PyTorch, besides the checked-in specs")

// pythonPath is the interpreter with Debian's python3-torch. It is not a
// python3 found on PATH, which may be another installation without torch.
const pythonPath = "/usr/bin/python3"

// Tolerances of TestTorch. The reference w is PyTorch's value, computed in
// the spec's precision for float64 specs and, for float32 specs, in
// float64 from the same float32 weights, inputs and targets (the exact
// function of the values bpgen sees, so that the error measured is bpgen's
// rounding alone, not the sum of two float32 roundings). A value g of bpgen
// passes against w when |g - w| <= tol * max(|w|, floor), with tol 1e-9
// for float64 specs and 1e-4 for float32 ones, and
// floor = max(frac * M, 1e-6 * max(1, |loss|)), where M is the largest
// magnitude in the same tensor (output, input gradient, or one parameter's
// gradient) of either side and frac is 1e-2 for float64 and 1e-1 for
// float32. The floor is there because an element that is small next to its
// tensor's largest comes out of sums (matrix products, the softmax
// Jacobian) with terms as large as M, so any implementation rounds it to an
// absolute error of a few eps*M, not a relative one: in float32 the
// allowed absolute error is then 1e-5*M, about 170 units of rounding of M,
// which randspec seed 3 needs (bpgen is off by 3.6e-6*M there, PyTorch in
// float32 by 7e-6*M); in float64 it is 1e-11*M. The loss term covers
// tensors that are zero up to rounding (a softmax over one class, dead relu
// units).
const (
	torchTol64 = 1e-9
	torchTol32 = 1e-4
)

// torchCase is one spec compared with PyTorch.
type torchCase struct {
	Name      string `json:"name"`      // package directory in the scratch module
	Spec      string `json:"spec"`      // where the spec comes from
	Precision string `json:"precision"` // float32 or float64
	Program   string `json:"program"`   // file of the PyTorch translation
	Go        string `json:"go"`        // file of the Go results
	Weights   string `json:"weights"`   // safetensors file written by Save
	Dist      bool   `json:"-"`         // the target is declared a distribution
	src       []byte
}

// torchSample is what both sides compute for one input and target.
type torchSample struct {
	X     []float64            `json:"x,omitempty"`
	D     []float64            `json:"d,omitempty"`
	Y     []float64            `json:"y"`
	Loss  float64              `json:"loss"`
	Dx    []float64            `json:"dx"`
	Grads map[string][]float64 `json:"grads"`
}

// torchAvailable reports whether /usr/bin/python3 can import torch. When
// it cannot, the test fails in CI (CI=true) and is skipped elsewhere.
func torchAvailable(t *testing.T) {
	t.Helper()
	out, err := exec.Command(pythonPath, "-c", "import torch; print(torch.__version__)").CombinedOutput()
	if err == nil {
		t.Logf("PyTorch %s", strings.TrimSpace(string(out)))
		return
	}
	msg := fmt.Sprintf("%s cannot import torch (%v: %s); install it with: apt-get install -y --no-install-recommends python3-torch", pythonPath, err, strings.TrimSpace(string(out)))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// torchKnownBad lists specs (by their Spec field) that TestTorch skips
// because of a known bug, with the bug.
var torchKnownBad = map[string]string{}

// TestTorch is the differential test against PyTorch. For every spec in
// generated/*/ and spec/testdata/good/, and for random specs, it generates
// the package and a PyTorch translation (TorchProgram), and builds one Go
// program that, for each network, initializes the model (Init, then every
// parameter nudged), saves its weights with Save, and computes for three
// inputs and targets the output, the loss, the parameter gradients
// (Backward into zero Gradients) and the input gradient (InputGradient).
// One Python process then loads the same weights from the safetensors
// files, runs the same inputs through the translation with autograd, and
// the results are compared here (see torchTol64 and torchTol32).
func TestTorch(t *testing.T) {
	torchAvailable(t)
	var specs []string
	for _, pat := range []string{"../../generated/*/*.bp", "../../spec/testdata/good/*.bp"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, m...)
	}
	if len(specs) < 12 {
		t.Fatalf("found only %d checked-in specs", len(specs))
	}
	mod := newModule(t, "torch")
	var cases []*torchCase
	add := func(where string, filename string, src []byte) {
		if why, ok := torchKnownBad[where]; ok {
			t.Logf("%s skipped: %s", where, why)
			return
		}
		c := &torchCase{Name: fmt.Sprintf("c%d", len(cases)), Spec: where, src: src}
		f, err := spec.Parse(filename, src)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			return
		}
		c.Precision, c.Dist = f.Precision, f.Target.Distribution
		prog, err := TorchProgram(f)
		if err != nil {
			t.Errorf("%s: TorchProgram: %v", where, err)
			return
		}
		if _, err := mod.generate(t, c.Name, filename, src); err != nil {
			t.Errorf("%s: %v\n%s", where, err, src)
			return
		}
		mod.write(t, c.Name+"/net.py", []byte(prog))
		c.Program = filepath.Join(mod.dir, c.Name, "net.py")
		c.Go = filepath.Join(mod.dir, c.Name, "go.json")
		c.Weights = filepath.Join(mod.dir, c.Name, "weights.safetensors")
		cases = append(cases, c)
	}
	for _, p := range specs {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		add(strings.TrimPrefix(p, "../../"), filepath.Base(p), src)
	}
	for seed := uint64(1); seed <= uint64(*torchRandom); seed++ {
		if why, ok := knownBad[seed]; ok {
			t.Logf("randspec seed %d skipped: %s", seed, why)
			continue
		}
		name, src := randspec.Generate(seed)
		add(fmt.Sprintf("randspec seed %d", seed), name+".bp", src)
	}

	// A package that does not build is reported and left out, so that it
	// does not stop the comparison of the others.
	var stderr strings.Builder
	build := mod.goCmd("build", "./...")
	build.Stderr = &stderr
	if err := build.Run(); err != nil {
		broken := map[string]bool{}
		for _, line := range strings.Split(stderr.String(), "\n") {
			if rest, ok := strings.CutPrefix(line, "# rnd/"); ok {
				broken[strings.TrimSpace(rest)] = true
			}
		}
		if len(broken) == 0 {
			t.Fatalf("go build: %v\n%s", err, stderr.String())
		}
		kept := cases[:0]
		for _, c := range cases {
			if broken[c.Name] {
				t.Errorf("%s: the generated package does not build:\n%s\nspec:\n%s", c.Spec, stderr.String(), c.src)
				continue
			}
			kept = append(kept, c)
		}
		cases = kept
	}

	// The Go side: one program for all networks.
	var main strings.Builder
	main.WriteString("package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tfailed := false\n")
	for i, c := range cases {
		fmt.Fprintf(&main, "\tif err := run%s(%d, %t, %q, %q); err != nil {\n\t\tfmt.Fprintln(os.Stderr, %q, err)\n\t\tfailed = true\n\t}\n", c.Name, i+1, c.Dist, c.Weights, c.Go, c.Spec+":")
	}
	main.WriteString("\tif failed {\n\t\tos.Exit(1)\n\t}\n}\n")
	mod.write(t, "runner/main.go", []byte(main.String()))
	mod.write(t, "runner/run.go", []byte(runnerHelpers))
	for _, c := range cases {
		mod.write(t, "runner/"+c.Name+".go", []byte(strings.ReplaceAll(runnerCase, "PKG", c.Name)))
	}
	start := time.Now()
	build = mod.goCmd("build", "-o", "runner.exe", "./runner")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the Go side: %v\n%s", err, out)
	}
	t.Logf("built the Go side of %d networks in %v", len(cases), time.Since(start))
	start = time.Now()
	run := exec.Command(filepath.Join(mod.dir, "runner.exe"))
	if out, err := run.CombinedOutput(); err != nil {
		t.Errorf("running the Go side: %v\n%s", err, out)
	}

	// The PyTorch side: one Python process for all networks.
	casesFile := filepath.Join(mod.dir, "cases.json")
	data, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	mod.write(t, "cases.json", data)
	mod.write(t, "driver.py", []byte(torchDriver))
	resultsFile := filepath.Join(mod.dir, "torch.json")
	py := exec.Command(pythonPath, filepath.Join(mod.dir, "driver.py"), casesFile, resultsFile)
	if out, err := py.CombinedOutput(); err != nil {
		t.Fatalf("running PyTorch: %v\n%s", err, out)
	}
	t.Logf("ran both sides in %v", time.Since(start))
	data, err = os.ReadFile(resultsFile)
	if err != nil {
		t.Fatal(err)
	}
	var results map[string]struct {
		Error     string        `json:"error"`
		Samples   []torchSample `json:"samples"`
		Samples64 []torchSample `json:"samples64"`
	}
	if err := json.Unmarshal(data, &results); err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, c := range cases {
		r, ok := results[c.Name]
		prog, _ := os.ReadFile(c.Program)
		if !ok || r.Error != "" {
			t.Errorf("%s: PyTorch failed: %s\nspec:\n%s\nprogram:\n%s", c.Spec, r.Error, c.src, prog)
			continue
		}
		data, err := os.ReadFile(c.Go)
		if err != nil {
			t.Errorf("%s: %v", c.Spec, err)
			continue
		}
		var goSamples []torchSample
		if err := json.Unmarshal(data, &goSamples); err != nil {
			t.Errorf("%s: %v", c.Spec, err)
			continue
		}
		ref := r.Samples
		if c.Precision == "float32" {
			// bpgen's float32 results are compared with the exact function
			// of the same float32 values (PyTorch in float64), so that only
			// bpgen's rounding counts; PyTorch's own float32 results are
			// logged when they differ from bpgen's by more than the
			// tolerance, for information.
			ref = r.Samples64
			if d := compareTorch(c.Precision, goSamples, r.Samples); len(d) > 0 {
				t.Logf("%s: note: bpgen and PyTorch in float32 differ by more than %g, but bpgen is within it of the float64 evaluation: %s", c.Spec, torchTol32, d[0])
			}
		}
		if diffs := compareTorch(c.Precision, goSamples, ref); len(diffs) > 0 {
			if len(diffs) > 12 {
				diffs = append(diffs[:12], fmt.Sprintf("... and %d more", len(diffs)-12))
			}
			t.Errorf("%s (%s): bpgen and PyTorch differ:\n\t%s\nspec:\n%s\nPyTorch program:\n%s", c.Spec, c.Precision, strings.Join(diffs, "\n\t"), c.src, prog)
			continue
		}
		compared++
	}
	t.Logf("%d of %d networks agree with PyTorch", compared, len(cases))
}

// compareTorch compares bpgen's results with PyTorch's and describes each
// difference beyond the tolerance.
func compareTorch(precision string, gos, torchs []torchSample) []string {
	tol, frac := torchTol32, 1e-1
	if precision == "float64" {
		tol, frac = torchTol64, 1e-2
	}
	if len(gos) != len(torchs) {
		return []string{fmt.Sprintf("%d samples from Go, %d from PyTorch", len(gos), len(torchs))}
	}
	var diffs []string
	for s := range gos {
		g, w := gos[s], torchs[s]
		lossFloor := 1e-6 * math.Max(1, math.Abs(w.Loss))
		cmp := func(what string, got, want []float64) {
			if len(got) != len(want) {
				diffs = append(diffs, fmt.Sprintf("sample %d %s: %d values from Go, %d from PyTorch", s, what, len(got), len(want)))
				return
			}
			m := 0.0
			for i := range got {
				m = math.Max(m, math.Max(math.Abs(got[i]), math.Abs(want[i])))
			}
			floor := math.Max(frac*m, lossFloor)
			worst, wi := 0.0, -1
			bad := 0
			for i := range got {
				e := math.Abs(got[i]-want[i]) / math.Max(math.Abs(want[i]), floor)
				if !(e <= tol) {
					bad++
					if wi < 0 || e > worst || math.IsNaN(e) {
						worst, wi = e, i
					}
				}
			}
			if bad > 0 {
				diffs = append(diffs, fmt.Sprintf("sample %d %s: %d of %d values differ; worst [%d]: bpgen %.17g, PyTorch %.17g (scaled error %.3g > %g)",
					s, what, bad, len(got), wi, got[wi], want[wi], worst, tol))
			}
		}
		cmp("loss", []float64{g.Loss}, []float64{w.Loss})
		cmp("output", g.Y, w.Y)
		cmp("input gradient", g.Dx, w.Dx)
		names := make([]string, 0, len(g.Grads))
		for name := range g.Grads {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			cmp("gradient of "+name, g.Grads[name], w.Grads[name])
		}
		if len(w.Grads) != len(g.Grads) {
			diffs = append(diffs, fmt.Sprintf("sample %d: %d parameters in Go, %d in PyTorch", s, len(g.Grads), len(w.Grads)))
		}
	}
	return diffs
}

// runnerHelpers is the shared code of the Go side of TestTorch.
const runnerHelpers = `package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
)

type rng struct{ s uint64 }

func (r *rng) float() float64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// nudge moves every value by up to ±0.1, so that no bias is exactly 0.
func nudge[F float32 | float64](data []F, r *rng) {
	for i := range data {
		data[i] += F(0.1 * (2*r.float() - 1))
	}
}

// sample fills an input in [-1, 1] and a target: for sample 0 a
// distribution with every entry in (0, 1), for sample 1 a one-hot vector
// (so kl meets 0 log 0), for sample 2 independent values in (0, 1).
func sample[F float32 | float64](x, d []F, s int, r *rng) {
	for i := range x {
		x[i] = F(2*r.float() - 1)
	}
	switch s {
	case 0:
		sum := 0.0
		w := make([]float64, len(d))
		for i := range w {
			w[i] = 0.1 + r.float()
			sum += w[i]
		}
		for i := range d {
			d[i] = F(w[i] / sum)
		}
	case 1:
		for i := range d {
			d[i] = 0
		}
		d[int(r.float()*float64(len(d)))] = 1
	default:
		for i := range d {
			d[i] = F(0.05 + 0.9*r.float())
		}
	}
}

type result struct {
	X     []float64            ` + "`json:\"x\"`" + `
	D     []float64            ` + "`json:\"d\"`" + `
	Y     []float64            ` + "`json:\"y\"`" + `
	Loss  float64              ` + "`json:\"loss\"`" + `
	Dx    []float64            ` + "`json:\"dx\"`" + `
	Grads map[string][]float64 ` + "`json:\"grads\"`" + `
}

func f64[F float32 | float64](v []F) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func finite(r *result) error {
	all := [][]float64{r.Y, r.Dx, {r.Loss}}
	for _, g := range r.Grads {
		all = append(all, g)
	}
	for _, v := range all {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("non-finite result: loss %v, output %v", r.Loss, r.Y)
			}
		}
	}
	return nil
}

func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
`

// runnerCase is the Go side of TestTorch for one package, PKG.
const runnerCase = `package main

import (
	"bytes"
	"fmt"
	"os"

	PKG "rnd/PKG"
)

// runPKG computes the samples of package PKG. For a target declared a
// distribution (dist), the third sample's target is a distribution too.
func runPKG(seed uint64, dist bool, weightsFile, outFile string) error {
	m := new(PKG.Model)
	m.Init(seed)
	r := &rng{seed}
	for _, t := range m.Tensors() {
		nudge(t.Data, r)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(weightsFile, buf.Bytes(), 0o644); err != nil {
		return err
	}
	var ws PKG.Workspace
	var out []*result
	for s := range 3 {
		var x [PKG.InputSize]PKG.Float
		var d [PKG.TargetSize]PKG.Float
		kind := s
		if dist && kind == 2 {
			kind = 0
		}
		sample(x[:], d[:], kind, r)
		var g PKG.Gradients
		loss := m.Backward(&ws, &x, &d, &g)
		y := *m.Forward(&ws, &x)
		var dx [PKG.InputSize]PKG.Float
		loss2 := m.InputGradient(&ws, &x, &d, &dx)
		loss3 := m.Loss(&ws, &x, &d)
		if loss2 != loss || loss3 != loss {
			return fmt.Errorf("sample %d: Backward returns loss %v, InputGradient %v, Loss %v", s, loss, loss2, loss3)
		}
		res := &result{X: f64(x[:]), D: f64(d[:]), Y: f64(y[:]), Loss: float64(loss), Dx: f64(dx[:]), Grads: map[string][]float64{}}
		for _, t := range g.Tensors() {
			res.Grads[t.Name] = f64(t.Data)
		}
		if err := finite(res); err != nil {
			return fmt.Errorf("sample %d: %v", s, err)
		}
		out = append(out, res)
	}
	return writeJSON(outFile, out)
}
`

// torchDriver runs every case's PyTorch program on the weights and inputs
// of the Go side and writes the results. It reads safetensors files itself
// (8-byte little-endian header length, JSON header, raw little-endian
// data): Debian has no python3-safetensors.
const torchDriver = `import json, struct, sys, traceback
import torch

torch.set_num_threads(1)

DTYPES = {"F32": torch.float32, "F64": torch.float64}

def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    buf = data[8 + n:]
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(buf[begin:end]), dtype=DTYPES[e["dtype"]])
        out[name] = t.reshape(e["shape"]).clone()
    return out

def run(case, dt=None):
    ns = {}
    with open(case["program"]) as f:
        exec(compile(f.read(), case["program"], "exec"), ns)
    spec_dt = ns["DT"]
    if dt is None:
        dt = spec_dt
    ns["DT"] = dt  # C() reads it at each call
    weights = load_safetensors(case["weights"])
    for name, w in weights.items():
        if w.dtype != spec_dt:
            raise Exception("weight %s has dtype %s, want %s" % (name, w.dtype, spec_dt))
    with open(case["go"]) as f:
        samples = json.load(f)
    out = []
    for s in samples:
        P = {k: v.detach().to(dt).clone().requires_grad_(True) for k, v in weights.items()}
        X = torch.tensor(s["x"], dtype=dt, requires_grad=True)
        D = torch.tensor(s["d"], dtype=dt)
        y, loss = ns["net"](P, X, D)
        if y.dtype != dt or loss.dtype != dt or loss.dim() != 0:
            raise Exception("output %s %s, loss %s %s" % (y.dtype, tuple(y.shape), loss.dtype, tuple(loss.shape)))
        loss.backward()
        grads = {}
        for k, v in P.items():
            g = v.grad if v.grad is not None else torch.zeros_like(v)
            grads[k] = g.reshape(-1).tolist()
        dx = X.grad if X.grad is not None else torch.zeros_like(X)
        out.append({"y": y.detach().reshape(-1).tolist(), "loss": loss.item(), "dx": dx.tolist(), "grads": grads})
    try:
        json.dumps(out, allow_nan=False)
    except ValueError:
        raise Exception("PyTorch computed a non-finite value: %r" % (out,))
    return out

def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    results = {}
    for case in cases:
        try:
            r = {"samples": run(case)}
            if case["precision"] == "float32":
                # The same float32 weights and inputs, evaluated in float64.
                r["samples64"] = run(case, torch.float64)
            results[case["name"]] = r
        except Exception:
            results[case["name"]] = {"error": traceback.format_exc()}
    with open(sys.argv[2], "w") as f:
        json.dump(results, f, allow_nan=False)

main()
`
