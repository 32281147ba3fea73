//go:build js && wasm

// Command wasm is the part of the web example that runs in the browser:
// the generated packages github.com/bpgen/bpgen/generated/mnist and
// generated/xor, compiled with GOOS=js GOARCH=wasm. The example's server
// builds it at start-up (see examples/web) and the page's app.js calls
// the functions it sets on the global object bpgen:
//
//	bpgen.load(bytes)            load safetensors weights with the generated Load; returns "" or the error
//	bpgen.analyze(alpha, w, h)   preprocess a drawing (package ink) and analyze it (package netview);
//	                             returns null when there is no ink, else {input, probs, h1, h2, grad}
//	                             as Float32Arrays and {digit, loss} as numbers
//	bpgen.forward(n)             run the generated Forward n times on the last input (for timing)
//	bpgen.infer(n)               preprocess the last drawing and run Forward on it, n times (for timing)
//	bpgen.xorReset(seed)         start the XOR demo over from Init(seed)
//	bpgen.xorTrain(epochs, lr)   train it with the generated TrainStep; returns the mean loss of the last epoch
//	bpgen.xorMap(n)              its output over an n x n grid of the unit square, as a Float32Array
//	bpgen.xorOutputs()           its output for the four points of XOR, as a Float32Array
package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"syscall/js"

	"github.com/bpgen/bpgen/examples/web/internal/ink"
	"github.com/bpgen/bpgen/examples/web/internal/netview"
	gm "github.com/bpgen/bpgen/generated/mnist"
)

// state is what the functions share: the page calls them one at a time,
// on the browser's one thread.
var state struct {
	m     gm.Model
	ws    gm.Workspace
	x     [gm.InputSize]float32
	alpha []byte // the last drawing analyzed, w x h
	w, h  int
	a     netview.Analysis
	xor   netview.XOR
}

func main() {
	state.xor.Reset(1)
	funcs := map[string]func(args []js.Value) any{
		"load":       load,
		"analyze":    analyze,
		"forward":    forward,
		"infer":      infer,
		"xorReset":   func(args []js.Value) any { state.xor.Reset(uint64(args[0].Int())); return nil },
		"xorTrain":   func(args []js.Value) any { return state.xor.Train(args[0].Int(), float32(args[1].Float())) },
		"xorMap":     xorMap,
		"xorOutputs": func([]js.Value) any { y := state.xor.Outputs(); return float32s(y[:]) },
	}
	obj := js.Global().Get("Object").New()
	for name, f := range funcs {
		obj.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) }))
	}
	js.Global().Set("bpgen", obj)
	js.Global().Call("dispatchEvent", js.Global().Get("Event").New("bpgen-ready"))
	select {}
}

// load reads safetensors weights from a Uint8Array into the model with
// the generated Load and returns "" or the error's text.
func load(args []js.Value) any {
	b := make([]byte, args[0].Get("length").Int())
	js.CopyBytesToGo(b, args[0])
	if err := state.m.Load(bytes.NewReader(b)); err != nil {
		return err.Error()
	}
	return ""
}

// analyze preprocesses the drawing whose alpha channel is args[0] (a
// Uint8Array of args[1] x args[2] pixels) and returns what the page shows
// about it, or null if it has no ink.
func analyze(args []js.Value) any {
	w, h := args[1].Int(), args[2].Int()
	alpha := make([]byte, args[0].Get("length").Int())
	js.CopyBytesToGo(alpha, args[0])
	x, ok := ink.Preprocess(alpha, w, h)
	if !ok {
		return nil
	}
	state.x, state.alpha, state.w, state.h = x, alpha, w, h
	a := &state.a
	netview.Analyze(&state.m, &state.ws, &state.x, a)
	return map[string]any{
		"input": float32s(state.x[:]),
		"probs": float32s(a.Probs[:]),
		"h1":    float32s(a.H1[:]),
		"h2":    float32s(a.H2[:]),
		"grad":  float32s(a.Grad[:]),
		"digit": a.Class,
		"loss":  float64(a.Loss),
	}
}

// forward runs the generated Forward args[0] times on the last analyzed
// input, so that the page can time it with performance.now, and returns
// the last output's first probability (so that the work cannot be left
// out).
func forward(args []js.Value) any {
	var y *[gm.OutputSize]float32
	for range args[0].Int() {
		y = state.m.Forward(&state.ws, &state.x)
	}
	if y == nil {
		return nil
	}
	return float64(y[0])
}

// infer preprocesses the last analyzed drawing and runs the generated
// Forward on the result, args[0] times, so that the page can time the
// inference from pixels to probabilities; it returns the last output's
// first probability.
func infer(args []js.Value) any {
	var y *[gm.OutputSize]float32
	for range args[0].Int() {
		x, _ := ink.Preprocess(state.alpha, state.w, state.h)
		y = state.m.Forward(&state.ws, &x)
	}
	if y == nil {
		return nil
	}
	return float64(y[0])
}

// xorMap returns the XOR demo's output over an args[0] x args[0] grid, or
// null if args[0] < 2.
func xorMap(args []js.Value) any {
	n := args[0].Int()
	if n < 2 {
		return nil
	}
	out := make([]float32, n*n)
	state.xor.Map(out, n)
	return float32s(out)
}

// float32s returns a new JavaScript Float32Array holding v.
func float32s(v []float32) js.Value {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	return js.Global().Get("Float32Array").New(u8.Get("buffer"))
}
