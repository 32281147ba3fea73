// Package docs holds bpgen's documents. Its test keeps the listings of
// tutorial.md equal to what they quote, so that the tutorial cannot go
// stale.
package docs

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

var update = flag.Bool("update", false, "rewrite the listings of the documents from their sources")

// A listing is marked by an HTML comment naming its source, right before a
// fenced code block:
//
//	<!-- listing: generated/xor/xor.bp -->                    the whole file
//	<!-- listing: generated/xor/xor.bp.go func backward -->   a function or method, with its doc comment
//	<!-- listing: generated/xor/xor.bp.go type Workspace -->  a type declaration, with its doc comment
//	<!-- listing: explain generated/xor/xor.bp -->            the output of bpgen explain FILE
//	<!-- listing: explain -format=md generated/xor/xor.bp --> the same, in Markdown
//
// Paths are relative to the module root.
var listingRE = regexp.MustCompile(`(?m)^<!-- listing: (.*?) -->\n(` + "```" + `[a-z]*\n)((?s:.*?))(` + "```" + `\n)`)

func TestTutorialListings(t *testing.T) {
	const doc = "tutorial.md"
	src, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	markers := strings.Count(string(src), "<!-- listing:")
	ms := listingRE.FindAllSubmatchIndex(src, -1)
	if len(ms) != markers {
		t.Fatalf("%s has %d listing markers but %d are followed by a fenced code block", doc, markers, len(ms))
	}
	if len(ms) == 0 {
		t.Fatalf("%s has no listings", doc)
	}
	var out bytes.Buffer
	last := 0
	for _, m := range ms {
		what := string(src[m[2]:m[3]])
		got := string(src[m[6]:m[7]])
		want, err := listing(what)
		if err != nil {
			t.Errorf("%s: listing %q: %v", doc, what, err)
			continue
		}
		if !strings.HasSuffix(want, "\n") {
			want += "\n"
		}
		if want != got {
			if !*update {
				t.Errorf("%s: listing %q is stale; run go test ./docs -update (-want +got):\n%s", doc, what, cmp.Diff(want, got))
			}
		}
		out.Write(src[last:m[6]])
		out.WriteString(want)
		last = m[7]
	}
	out.Write(src[last:])
	if *update && !bytes.Equal(out.Bytes(), src) {
		if err := os.WriteFile(doc, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// listing returns the text that a listing marker names.
func listing(what string) (string, error) {
	f := strings.Fields(what)
	if len(f) == 0 {
		return "", fmt.Errorf("empty listing marker")
	}
	if f[0] == "explain" {
		md := false
		if len(f) == 3 && f[1] == "-format=md" {
			md, f = true, []string{f[0], f[2]}
		}
		if len(f) != 2 {
			return "", fmt.Errorf("want explain [-format=md] FILE.bp")
		}
		return explain(f[1], md)
	}
	src, err := os.ReadFile(filepath.Join("..", f[0]))
	if err != nil {
		return "", err
	}
	switch {
	case len(f) == 1:
		return string(src), nil
	case len(f) == 3 && (f[1] == "func" || f[1] == "type"):
		return decl(f[0], src, f[1], f[2])
	}
	return "", fmt.Errorf("want FILE, FILE func NAME or FILE type NAME")
}

// decl returns the source of the function or type named name in a Go file,
// with its doc comment, as go doc -src prints it.
func decl(path string, src []byte, kind, name string) (string, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	for _, d := range file.Decls {
		var doc *ast.CommentGroup
		switch d := d.(type) {
		case *ast.FuncDecl:
			if kind != "func" || d.Name.Name != name {
				continue
			}
			doc = d.Doc
		case *ast.GenDecl:
			if kind != "type" || d.Tok != token.TYPE || len(d.Specs) != 1 || d.Specs[0].(*ast.TypeSpec).Name.Name != name {
				continue
			}
			doc = d.Doc
		default:
			continue
		}
		start := d.Pos()
		if doc != nil {
			start = doc.Pos()
		}
		return string(src[fset.Position(start).Offset:fset.Position(d.End()).Offset]), nil
	}
	return "", fmt.Errorf("no %s %s in %s", kind, name, path)
}

// explain runs what bpgen explain runs.
func explain(path string, md bool) (string, error) {
	src, err := os.ReadFile(filepath.Join("..", path))
	if err != nil {
		return "", err
	}
	f, err := spec.Parse(path, src)
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
	return symbolic.Explain(d, md), nil
}
