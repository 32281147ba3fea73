// Command web serves a page that runs the ten-digit network of package
// github.com/bpgen/bpgen/generated/mnist in the browser: the generated Go
// package, unchanged, compiled to WebAssembly.
//
// Usage, from a clone of the repository:
//
//	go run ./examples/web [-addr localhost:8080]
//
// At start-up it builds examples/web/wasm with GOOS=js GOARCH=wasm (a few
// seconds; the go command's build cache makes later starts faster), reads
// the influence diagram docs/mnist.svg and derives the network's backward
// pass from generated/mnist/mnist.bp, then serves, from the address given
// and with nothing fetched from elsewhere:
//
//   - a drawing area: draw a digit with the mouse or a finger; it is
//     preprocessed as the MNIST digits were (scaled into a 20x20 box,
//     centered by its center of mass in 28x28, see internal/ink), and the
//     ten class probabilities, the hidden layers' activations and the
//     input gradient dDiv/dx for the predicted class (the "why" view)
//     follow every stroke;
//   - a demo that trains the XOR network of generated/xor live, with the
//     generated TrainStep, and draws its loss curve;
//   - the influence diagram, and the derivation as bpgen explain
//     -format=md prints it, rendered (formulas as MathML, see
//     internal/mdhtml).
//
// The weights, mnist.safetensors, were written by
//
//	go run ./examples/mnist -save examples/web/mnist.safetensors
//
// (98.33% test accuracy; the test checks it still is) and the page loads
// them with the generated package's Load.
//
// The page times the inference of a digit (preprocessing and Forward) with
// performance.now: 0.26 to 0.45 ms in headless Chromium on a busy 2-core
// machine (fastest of 15 batches; docs/performance.md has the figures).
//
// Its test, TestPage, drives headless Chromium (Debian's chromium, which
// .ci/run installs) with chromedp: it draws MNIST test digits with mouse
// and touch events and checks the page's numbers against the same
// computed natively, and writes the screenshot docs/web.png.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "the address to serve on")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: web [-addr host:port]\n\nServes a page that runs the ten-digit network, compiled to WebAssembly, in the browser.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "web: unexpected argument %q\n", flag.Arg(0))
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*addr); err != nil {
		fmt.Fprintf(os.Stderr, "web: %v\n", err)
		os.Exit(1)
	}
}

// run builds the site and serves it on addr until the process ends.
func run(addr string) error {
	root, err := findRoot()
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := newSite(root)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "built the WebAssembly binary (%d bytes) in %.1fs\n", len(s.wasm), time.Since(start).Seconds())
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("serving http://%s/\n", ln.Addr())
	return http.Serve(ln, s.handler())
}
