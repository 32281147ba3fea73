package spec

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics or hangs, and that every error
// it returns has a valid position in the file. The seed corpus is every
// .bp file of the module, so it runs in every go test.
func FuzzParse(f *testing.F) {
	root := moduleRoot(f)
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // skip what cannot be read
		}
		if d.IsDir() && (d.Name() == ".git" || strings.HasPrefix(d.Name(), ".") && path != root) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".bp") {
			if src, err := os.ReadFile(path); err == nil {
				f.Add(src)
			}
		}
		return nil
	})
	f.Add([]byte(""))
	f.Add([]byte("package p\ninput x[3]\ntarget d[3]\ny = x\nloss l2(y, d)\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		type result struct {
			f   *File
			err error
		}
		done := make(chan result, 1)
		go func() {
			file, err := Parse("fuzz.bp", src)
			done <- result{file, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("Parse did not return within 20s")
		}
		if r.err == nil {
			if r.f == nil || r.f.Output == nil || r.f.Loss == nil || len(r.f.Order) != len(r.f.Defs) {
				t.Fatalf("Parse returned an incomplete File without error")
			}
			_ = r.f.String()
			return
		}
		if r.f != nil {
			t.Errorf("Parse returned both a File and an error")
		}
		var list ErrorList
		if !errors.As(r.err, &list) || len(list) == 0 {
			t.Fatalf("error %T %v is not a non-empty ErrorList", r.err, r.err)
		}
		lines := strings.Count(string(crToLF(src)), "\n") + 1 // a lone CR ends a line too
		for i, e := range list {
			p := e.Pos
			if p.Filename != "fuzz.bp" || p.Line < 1 || p.Line > lines || p.Column < 1 || p.Offset < 0 || p.Offset > len(src) {
				t.Errorf("error with invalid position: %v (offset %d)", e, p.Offset)
			}
			if e.Msg == "" {
				t.Errorf("error without a message at %v", p)
			}
			if i > 0 && (list[i-1].Pos.Line > p.Line || list[i-1].Pos.Line == p.Line && list[i-1].Pos.Column > p.Column) {
				t.Errorf("errors not sorted: %v before %v", list[i-1], e)
			}
		}
	})
}

// moduleRoot walks up from the working directory to the directory with
// go.mod.
func moduleRoot(tb testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found")
		}
		dir = parent
	}
}
