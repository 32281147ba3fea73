package main

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

// TestDiagram checks that the influence diagram the page shows is the
// current one: docs/mnist.dot is what bpgen graph -backward prints for
// generated/mnist/mnist.bp now, and docs/mnist.svg, which Graphviz drew
// from it, has every node and edge label of it.
func TestDiagram(t *testing.T) {
	root, err := findRoot()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(root, specPath))
	if err != nil {
		t.Fatal(err)
	}
	f, err := spec.Parse(specPath, src)
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
	dot := symbolic.Dot(d, true)
	const fix = "go run ./cmd/bpgen graph -backward generated/mnist/mnist.bp > docs/mnist.dot && dot -Tsvg docs/mnist.dot > docs/mnist.svg"
	old, err := os.ReadFile(filepath.Join(root, "docs/mnist.dot"))
	if err != nil || string(old) != dot {
		t.Errorf("docs/mnist.dot is not what bpgen graph -backward prints (%v); run: %s", err, fix)
	}
	svg, err := os.ReadFile(filepath.Join(root, svgPath))
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	for _, m := range regexp.MustCompile(`<text[^>]*>([^<]*)</text>`).FindAllStringSubmatch(string(svg), -1) {
		texts[html.UnescapeString(m[1])] = true
	}
	labels := regexp.MustCompile(`label="((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(dot, -1)
	if len(labels) == 0 {
		t.Fatal("no labels in the diagram")
	}
	for _, m := range labels {
		if l := strings.ReplaceAll(m[1], `\"`, `"`); l != "" && !texts[l] {
			t.Errorf("docs/mnist.svg has no label %q; run: %s", l, fix)
		}
	}
}

// TestHandler checks what the server serves, without a browser.
func TestHandler(t *testing.T) {
	root, err := findRoot()
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSite(root)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	for _, c := range []struct {
		path, ctype, contains string
	}{
		{"/", "text/html", `<math display="block">`},
		{"/app.js", "text/javascript", "bpgen.analyze"},
		{"/style.css", "text/css", "#pad"},
		{"/wasm_exec.js", "text/javascript", "globalThis.Go = class"},
		{"/main.wasm", "application/wasm", "\x00asm"},
		{"/mnist.safetensors", "application/octet-stream", "h1.weight"},
		{"/mnist.svg", "image/svg+xml", "<svg"},
	} {
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), c.ctype) || !strings.Contains(string(body), c.contains) {
			t.Errorf("GET %s: %s, Content-Type %q, %d bytes; want 200, %s, with %q", c.path, resp.Status, resp.Header.Get("Content-Type"), len(body), c.ctype, c.contains)
		}
	}
	resp, err := http.Get(srv.URL + "/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nothing: %s, want 404", resp.Status)
	}
}
