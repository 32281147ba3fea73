package difftest

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/spec"
)

// Tolerances of TestTorchOptim: a parameter p of bpgen passes against
// PyTorch's w when |p - w| <= tol * max(|w|, frac * M), M the largest
// magnitude in the same parameter tensor and frac 1e-2 in float64, 1e-1 in
// float32, as in TestTorch. The floor covers elements that pass near zero:
// their absolute error is that of the larger values they were summed from
// (in float32, a bias that went from -0.074 to 0.0028 in 19 Adam steps
// differs from PyTorch's by 3.6e-8, five units of rounding of 0.074, which
// is 1.3e-5 of its final value). PyTorch runs in the spec's precision.
const (
	torchOptimTol64, torchOptimFrac64 = 1e-9, 1e-2
	torchOptimTol32, torchOptimFrac32 = 1e-5, 1e-1
	torchOptimSteps                   = 20
)

// torchOptimSpec is the network of TestTorchOptim: two layers, a kink
// (relu) and a smooth unit (tanh), softmax and cross-entropy.
const torchOptimSpec = `package PKG
precision PREC

input  x[6]
target d[3] distribution

h = relu(dense(x, 8))
k = tanh(dense(h, 5))
y = softmax(dense(k, 3))

loss crossentropy(y, d)
`

// torchOptimConfig is one optimizer: how the Go side makes it and the
// PyTorch class and keyword arguments (PyTorch's defaults elsewhere, so
// that the defaults of NewSGD, NewAdam and NewAdamW are checked too).
type torchOptimConfig struct {
	Name   string         `json:"name"`
	Go     string         `json:"-"`
	Class  string         `json:"class"`
	Kwargs map[string]any `json:"kwargs"`
}

var torchOptimConfigs = []torchOptimConfig{
	{"momentum", "o := PKG.NewSGD(0.1); o.Momentum = 0.9", "SGD", map[string]any{"lr": 0.1, "momentum": 0.9}},
	{"nesterov", "o := PKG.NewSGD(0.1); o.Momentum, o.Nesterov = 0.9, true", "SGD", map[string]any{"lr": 0.1, "momentum": 0.9, "nesterov": true}},
	{"sgd-wd", "o := PKG.NewSGD(0.1); o.Momentum, o.WeightDecay = 0.5, 0.05", "SGD", map[string]any{"lr": 0.1, "momentum": 0.5, "weight_decay": 0.05}},
	{"adam", "o := PKG.NewAdam(0.01)", "Adam", map[string]any{"lr": 0.01}},
	{"adam-wd", "o := PKG.NewAdam(0.01); o.WeightDecay = 0.1", "Adam", map[string]any{"lr": 0.01, "weight_decay": 0.1}},
	{"adamw", "o := PKG.NewAdamW(0.01)", "AdamW", map[string]any{"lr": 0.01}},
}

// TestTorchOptim is the differential test of the optimizers against
// torch.optim. For the network torchOptimSpec in float64 and float32 and
// every configuration of torchOptimConfigs, the Go side initializes a
// model, saves its weights, and takes torchOptimSteps steps of
// TrainBatchWith on a batch of four samples, recording every parameter
// after every step and the mean gradient of every step; PyTorch loads the
// same weights and takes the same steps with torch.optim, and the
// parameters are compared after every step.
//
// In float64 PyTorch's steps use its own autograd gradients of the mean
// loss of the batch, so the whole training step is compared. In float32
// they use the gradients bpgen used (TestTorch compares the gradients
// themselves): two float32 gradient computations differ in rounding by
// about 1e-6 relative, which twenty steps of training amplify past 1e-5
// on small parameters (measured: 1.7e-5 for a bias near 1e-3), so the
// float32 comparison isolates what this test is about, the optimizer.
func TestTorchOptim(t *testing.T) {
	torchAvailable(t)
	mod := newModule(t, "torchoptim")
	type optCase struct {
		Name      string             `json:"name"`
		Precision string             `json:"precision"`
		Program   string             `json:"program"`
		Weights   string             `json:"weights"`
		Go        string             `json:"go"`
		Configs   []torchOptimConfig `json:"configs"`
		GoGrads   bool               `json:"go_grads"`
	}
	var cases []*optCase
	var main strings.Builder
	main.WriteString("package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n")
	for _, prec := range []string{"float64", "float32"} {
		name := "o" + strings.TrimPrefix(prec, "float")
		src := strings.NewReplacer("PKG", name, "PREC", prec).Replace(torchOptimSpec)
		f, err := spec.Parse(name+".bp", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		prog, err := TorchProgram(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mod.generate(t, name, name+".bp", []byte(src)); err != nil {
			t.Fatal(err)
		}
		mod.write(t, name+"/net.py", []byte(prog))
		c := &optCase{Name: name, Precision: prec, Configs: torchOptimConfigs, GoGrads: prec == "float32",
			Program: filepath.Join(mod.dir, name, "net.py"),
			Weights: filepath.Join(mod.dir, name, "weights.safetensors"),
			Go:      filepath.Join(mod.dir, name, "go.json")}
		cases = append(cases, c)
		var run strings.Builder
		for _, oc := range torchOptimConfigs {
			fmt.Fprintf(&run, "\t{\n\t\tmk := func() PKG.Optimizer { %s; return o }\n\t\tsteps[%q], grads[%[2]q] = trainPKG(mk(), mk)\n\t}\n", oc.Go, oc.Name)
		}
		body := strings.ReplaceAll(strings.Replace(torchOptimRunner, "CONFIGS", run.String(), 1), "PKG", name)
		mod.write(t, "runner/"+name+".go", []byte(body))
		fmt.Fprintf(&main, "\tif err := run%s(%q, %q); err != nil {\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(1)\n\t}\n", name, c.Weights, c.Go)
	}
	main.WriteString("}\n")
	mod.write(t, "runner/main.go", []byte(main.String()))
	mod.write(t, "runner/run.go", []byte(runnerHelpers))
	if out, err := mod.goCmd("build", "-o", "runner.exe", "./runner").CombinedOutput(); err != nil {
		t.Fatalf("building the Go side: %v\n%s", err, out)
	}
	if out, err := exec.Command(filepath.Join(mod.dir, "runner.exe")).CombinedOutput(); err != nil {
		t.Fatalf("running the Go side: %v\n%s", err, out)
	}
	data, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	mod.write(t, "cases.json", data)
	mod.write(t, "driver.py", []byte(torchOptimDriver))
	results := filepath.Join(mod.dir, "torch.json")
	py := exec.Command(pythonPath, filepath.Join(mod.dir, "driver.py"), filepath.Join(mod.dir, "cases.json"), results)
	if out, err := py.CombinedOutput(); err != nil {
		t.Fatalf("running PyTorch: %v\n%s", err, out)
	}
	var torch map[string]map[string][]map[string][]float64
	readJSON(t, results, &torch)
	for _, c := range cases {
		var gos struct {
			Steps map[string][]map[string][]float64 `json:"steps"`
		}
		readJSON(t, c.Go, &gos)
		tol, frac := torchOptimTol64, torchOptimFrac64
		if c.Precision == "float32" {
			tol, frac = torchOptimTol32, torchOptimFrac32
		}
		for _, oc := range c.Configs {
			got, want := gos.Steps[oc.Name], torch[c.Name][oc.Name]
			if len(got) != torchOptimSteps || len(want) != torchOptimSteps {
				t.Errorf("%s %s: %d steps from Go, %d from PyTorch, want %d", c.Precision, oc.Name, len(got), len(want), torchOptimSteps)
				continue
			}
			worst := 0.0
			for s := range got {
				if d := compareParams(got[s], want[s], tol, frac); d != "" {
					t.Errorf("%s %s, step %d: %s", c.Precision, oc.Name, s+1, d)
					break
				}
				worst = math.Max(worst, worstError(got[s], want[s], frac))
			}
			t.Logf("%s %s: %d steps, largest scaled difference %.3g (tolerance %g)", c.Precision, oc.Name, torchOptimSteps, worst, tol)
		}
	}
}

// compareParams describes the first parameter of got beyond tol of want
// (with the floor frac * M), or returns "".
func compareParams(got, want map[string][]float64, tol, frac float64) string {
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(got) != len(want) {
		return fmt.Sprintf("%d parameters from Go, %d from PyTorch", len(got), len(want))
	}
	for _, name := range names {
		g, w := got[name], want[name]
		if len(g) != len(w) {
			return fmt.Sprintf("%s: %d values from Go, %d from PyTorch", name, len(g), len(w))
		}
		floor := frac * maxAbs(w)
		for i := range g {
			if e := math.Abs(g[i]-w[i]) / math.Max(math.Abs(w[i]), floor); !(e <= tol) {
				return fmt.Sprintf("%s[%d]: bpgen %.17g, PyTorch %.17g (scaled difference %.3g > %g)", name, i, g[i], w[i], e, tol)
			}
		}
	}
	return ""
}

// worstError is the largest scaled difference of compareParams.
func worstError(got, want map[string][]float64, frac float64) float64 {
	worst := 0.0
	for name, w := range want {
		floor := frac * maxAbs(w)
		for i, g := range got[name] {
			worst = math.Max(worst, math.Abs(g-w[i])/math.Max(math.Abs(w[i]), floor))
		}
	}
	return worst
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// torchOptimRunner is the Go side of TestTorchOptim for package PKG; CONFIGS
// is replaced by one block per configuration that makes the optimizer o
// and trains with it.
const torchOptimRunner = `package main

import (
	"bytes"
	"fmt"
	"os"

	PKG "rnd/PKG"
)

// modelPKG is the initial model of every configuration.
func modelPKG() *PKG.Model {
	m := new(PKG.Model)
	m.Init(5)
	r := &rng{5}
	for _, t := range m.Tensors() {
		nudge(t.Data, r)
	}
	return m
}

// batchPKG is the batch: targets that are distributions (sample kind 0)
// and one-hot (kind 1).
func batchPKG() ([][PKG.InputSize]PKG.Float, [][PKG.TargetSize]PKG.Float) {
	r := &rng{77}
	xs := make([][PKG.InputSize]PKG.Float, 4)
	ds := make([][PKG.TargetSize]PKG.Float, 4)
	for i := range xs {
		sample(xs[i][:], ds[i][:], i%2, r)
	}
	return xs, ds
}

// trainPKG takes 20 steps with o and returns the parameters after each
// step and the mean gradient each step used. It trains two copies of the
// model, one with TrainBatchWith and one with BackwardBatch and Step (the
// latter with a second optimizer made by mk), and checks that they agree
// to the last bit.
func trainPKG(o PKG.Optimizer, mk func() PKG.Optimizer) (params, grads []map[string][]float64) {
	m, ref := modelPKG(), modelPKG()
	o2 := mk()
	xs, ds := batchPKG()
	var ws PKG.Workspace
	var g PKG.Gradients
	for range 20 {
		if loss := m.TrainBatchWith(&ws, xs, ds, o); loss != loss {
			fmt.Fprintln(os.Stderr, "PKG: TrainBatchWith refused a step")
			os.Exit(1)
		}
		g.Zero()
		ref.BackwardBatch(&ws, xs, ds, &g)
		o2.Step(ref, &g, len(xs))
		if *m != *ref {
			fmt.Fprintln(os.Stderr, "PKG: TrainBatchWith and BackwardBatch with Step differ")
			os.Exit(1)
		}
		p, mean := map[string][]float64{}, map[string][]float64{}
		for _, t := range m.Tensors() {
			p[t.Name] = f64(t.Data)
		}
		for _, t := range g.Tensors() {
			mean[t.Name] = f64(t.Data)
			for i := range mean[t.Name] {
				mean[t.Name][i] /= float64(len(xs)) // exact: a power of 2
			}
		}
		params, grads = append(params, p), append(grads, mean)
	}
	return params, grads
}

func runPKG(weightsFile, outFile string) error {
	var buf bytes.Buffer
	if err := modelPKG().Save(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(weightsFile, buf.Bytes(), 0o644); err != nil {
		return err
	}
	xs, ds := batchPKG()
	samples := map[string][][]float64{}
	for i := range xs {
		samples["x"] = append(samples["x"], f64(xs[i][:]))
		samples["d"] = append(samples["d"], f64(ds[i][:]))
	}
	steps, grads := map[string]any{}, map[string]any{}
CONFIGS
	return writeJSON(outFile, map[string]any{"samples": samples, "steps": steps, "grads": grads})
}
`

// torchOptimDriver is the PyTorch side of TestTorchOptim.
const torchOptimDriver = `import json, struct, sys
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

def run(case):
    ns = {}
    with open(case["program"]) as f:
        exec(compile(f.read(), case["program"], "exec"), ns)
    dt = ns["DT"]
    with open(case["go"]) as f:
        gos = json.load(f)
    samples = gos["samples"]
    X = [torch.tensor(x, dtype=dt) for x in samples["x"]]
    D = [torch.tensor(d, dtype=dt) for d in samples["d"]]
    out = {}
    for cfg in case["configs"]:
        weights = load_safetensors(case["weights"])
        names = list(weights)
        P = {k: weights[k].clone().requires_grad_(True) for k in names}
        opt = getattr(torch.optim, cfg["class"])([P[k] for k in names], **cfg["kwargs"])
        steps = []
        for s in range(20):
            opt.zero_grad()
            if case["go_grads"]:
                for k in names:
                    P[k].grad = torch.tensor(gos["grads"][cfg["name"]][s][k], dtype=dt).reshape(P[k].shape)
            else:
                loss = sum(ns["net"](P, x, d)[1] for x, d in zip(X, D)) / len(X)
                loss.backward()
            opt.step()
            steps.append({k: P[k].detach().reshape(-1).tolist() for k in names})
        out[cfg["name"]] = steps
    return out

def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    results = {c["name"]: run(c) for c in cases}
    with open(sys.argv[2], "w") as f:
        json.dump(results, f)

main()
`
