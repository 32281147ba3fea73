package main

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/bpgen/bpgen/examples/web/internal/mdhtml"
	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

// modulePath is the path of the module whose root findRoot looks for.
const modulePath = "github.com/bpgen/bpgen"

// Paths in the repository, relative to its root.
const (
	wasmPkg  = "./examples/web/wasm"
	specPath = "generated/mnist/mnist.bp"
	svgPath  = "docs/mnist.svg"
)

//go:embed static
var static embed.FS

// weights are the trained weights of the ten-digit network, written by
// go run ./examples/mnist -save examples/web/mnist.safetensors.
//
//go:embed mnist.safetensors
var weights []byte

// site is what the server serves besides the static files, all made when
// it starts.
type site struct {
	page     []byte // index.html, with the derivation filled in
	wasm     []byte // examples/web/wasm built for GOOS=js GOARCH=wasm
	wasmExec []byte // the Go installation's wasm_exec.js, which runs it
	svg      []byte // the influence diagram
}

// newSite builds the WebAssembly binary from the repository at root, and
// reads or makes everything else the page shows.
func newSite(root string) (*site, error) {
	gocmd, err := goCommand()
	if err != nil {
		return nil, err
	}
	s := new(site)
	if s.wasm, err = buildWasm(gocmd, root); err != nil {
		return nil, err
	}
	if s.wasmExec, err = readWasmExec(gocmd); err != nil {
		return nil, err
	}
	if s.svg, err = os.ReadFile(filepath.Join(root, svgPath)); err != nil {
		return nil, err
	}
	derivation, err := derivationHTML(root)
	if err != nil {
		return nil, err
	}
	tmpl, err := template.ParseFS(static, "static/index.html")
	if err != nil {
		return nil, err
	}
	var page bytes.Buffer
	if err := tmpl.Execute(&page, map[string]any{"Derivation": template.HTML(derivation), "Spec": specPath}); err != nil {
		return nil, err
	}
	s.page = page.Bytes()
	return s, nil
}

// handler returns the handler that serves the page.
func (s *site) handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(sub))
	serve := func(path, ctype string, b []byte) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(b)
		})
	}
	serve("/{$}", "text/html; charset=utf-8", s.page)
	serve("/main.wasm", "application/wasm", s.wasm)
	serve("/wasm_exec.js", "text/javascript; charset=utf-8", s.wasmExec)
	serve("/mnist.safetensors", "application/octet-stream", weights)
	serve("/mnist.svg", "image/svg+xml", s.svg)
	return isolated(mux)
}

// isolated makes the page cross-origin isolated (every resource is its
// own server's), which gives it performance.now to 5 microseconds
// instead of 100 in Chromium, for the times the page reports.
func isolated(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		h.ServeHTTP(w, r)
	})
}

// findRoot returns the root of the repository: the nearest directory at
// or above the working directory whose go.mod declares modulePath.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module "+modulePath+"\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the web example from inside a clone of the bpgen repository: no go.mod of " + modulePath + " found above the working directory")
		}
		dir = parent
	}
}

// goCommand returns the go command: the one on PATH, or else the one of
// the Go installation this program was built with.
func goCommand() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("no go command on PATH nor in %s", filepath.Dir(p))
	}
	return p, nil
}

// buildWasm builds the wasm package of the repository at root for
// GOOS=js GOARCH=wasm and returns the binary.
func buildWasm(gocmd, root string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "bpgen-web")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "main.wasm")
	cmd := exec.Command(gocmd, "build", "-o", out, wasmPkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("GOOS=js GOARCH=wasm go build %s: %v\n%s", wasmPkg, err, msg)
	}
	return os.ReadFile(out)
}

// readWasmExec returns the wasm_exec.js of the Go installation of gocmd,
// which is lib/wasm/wasm_exec.js since Go 1.24 and misc/wasm/wasm_exec.js
// before.
func readWasmExec(gocmd string) ([]byte, error) {
	out, err := exec.Command(gocmd, "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	var errs []error
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} {
		b, err := os.ReadFile(filepath.Join(goroot, p))
		if err == nil {
			return b, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("no wasm_exec.js in the Go installation: %w", errors.Join(errs...))
}

// derivationHTML returns the derivation of the ten-digit network, as
// bpgen explain -format=md prints it, rendered as HTML.
func derivationHTML(root string) (string, error) {
	src, err := os.ReadFile(filepath.Join(root, specPath))
	if err != nil {
		return "", err
	}
	f, err := spec.Parse(specPath, src)
	if err != nil {
		return "", err
	}
	net, err := spec.Lower(f)
	if err != nil {
		return "", err
	}
	d, err := net.Derive()
	if err != nil {
		return "", err
	}
	return mdhtml.Render(symbolic.Explain(d, true))
}
