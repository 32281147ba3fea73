package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/codegen"
	"github.com/bpgen/bpgen/spec"
	"github.com/rogpeppe/go-internal/gotooltest"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected files in testdata/script/*.txtar")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"bpgen": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScript runs the scripts in testdata/script, one behaviour of the
// command each; go test -update rewrites the files they cmp against.
//
// Scripts can run the go command (gotooltest) offline: the module proxy is
// off and the module cache is the real one, so a scratch module can depend
// on bpgen (through a replace to $BPGEN_ROOT) and its already-downloaded
// dependencies. Besides testscript's own commands they have exitcode, pad,
// fileid and lsdir (below), and the condition [root].
func TestScript(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	p := testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Setup: func(e *testscript.Env) error {
			e.Vars = append(e.Vars,
				"BPGEN_ROOT="+root,
				"GOMODCACHE="+strings.TrimSpace(string(modcache)),
				// Offline: every module a script needs is in the cache.
				// With a real proxy, go get asks it about the
				// unpublished github.com/bpgen/bpgen/cmd/bpgen and fails
				// instead of falling back to the replace directive.
				"GOPROXY=off",
				"GOFLAGS=-mod=mod",
				"GOTOOLCHAIN=local",
			)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "root":
				// root can read a file whatever its mode.
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitcode,
			"pad":      cmdPad,
			"fileid":   cmdFileID,
			"lsdir":    cmdLsdir,
		},
	}
	if err := gotooltest.Setup(&p); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, p)
}

// cmdExitcode runs a program, like exec, and fails unless it exits with
// status N; exec only tells zero from non-zero, and bpgen's statuses 1
// (errors) and 2 (usage) mean different things.
//
//	exitcode N PROG [ARG...]
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROG [ARG...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdPad appends newlines to a file until it is exactly N bytes long.
//
//	pad FILE N
func cmdPad(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pad FILE N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	if len(data) > n {
		ts.Fatalf("%s is already %d bytes, more than %d", args[0], len(data), n)
	}
	data = append(data, bytes.Repeat([]byte("\n"), n-len(data))...)
	ts.Check(os.WriteFile(path, data, 0o666))
}

// cmdFileID prints the inode and modification time of each file, one a
// line, so that a script can tell whether a file was rewritten (a rename
// gives a new inode) even when its contents are the same. For a directory
// it prints every entry in it.
//
//	fileid FILE|DIR...
func cmdFileID(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: fileid FILE|DIR...")
	}
	for _, name := range args {
		fi, err := os.Stat(ts.MkAbs(name))
		ts.Check(err)
		if !fi.IsDir() {
			fmt.Fprintf(ts.Stdout(), "%s %d %d\n", name, inode(fi), fi.ModTime().UnixNano())
			continue
		}
		ents, err := os.ReadDir(ts.MkAbs(name))
		ts.Check(err)
		for _, e := range ents {
			fi, err := e.Info()
			ts.Check(err)
			fmt.Fprintf(ts.Stdout(), "%s %d %d\n", filepath.Join(name, e.Name()), inode(fi), fi.ModTime().UnixNano())
		}
	}
}

// cmdLsdir prints the names of all entries of a directory, hidden ones
// included, sorted, one a line, with a / after directories.
//
//	lsdir DIR
func cmdLsdir(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: lsdir DIR")
	}
	ents, err := os.ReadDir(ts.MkAbs(args[0]))
	ts.Check(err)
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		fmt.Fprintln(ts.Stdout(), name)
	}
}

// TestGeneratedFresh runs bpgen -check over each package in generated/,
// as its go:generate line would (same spec, same directory), so the
// command agrees with generated/'s own staleness test.
func TestGeneratedFresh(t *testing.T) {
	specs, err := filepath.Glob("../../generated/*/*.bp")
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) == 0 {
		t.Fatal("no specs under generated/")
	}
	for _, path := range specs {
		dir := filepath.Dir(path)
		name := strings.TrimSuffix(filepath.Base(path), ".bp")
		if filepath.Base(dir) != name {
			t.Errorf("%s: the spec of generated/%s should be named %s.bp", path, filepath.Base(dir), filepath.Base(dir))
		}
		var stdout, stderr bytes.Buffer
		code := run([]string{"-check", "-o", dir, path}, &stdout, &stderr)
		if code != exitOK || stdout.Len() > 0 || stderr.Len() > 0 {
			t.Errorf("bpgen -check -o %s %s: exit %d\nstdout:\n%s\nstderr:\n%s\nrun: go generate ./generated/...", dir, path, code, &stdout, &stderr)
		}
	}
}

const xorSpec = `package xor

input  x[2]
target d[1]

h = sigmoid(dense(x, 8))
y = sigmoid(dense(h, 1))

loss bce(y, d)
`

// snapshot returns the contents of every entry of dir, hidden ones
// included; a directory maps to "<dir>".
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]string)
	for _, e := range ents {
		if e.IsDir() {
			m[e.Name()] = "<dir>"
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = string(data)
	}
	return m
}

// generated returns the files codegen generates for a spec, as bpgen
// would write them without flags.
func generated(t *testing.T, path string) map[string]string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := spec.Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	net, err := spec.Lower(f)
	if err != nil {
		t.Fatal(err)
	}
	files, err := codegen.Generate(net, codegen.Options{Tests: true})
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]string)
	for name, data := range files {
		m[name] = string(data)
	}
	return m
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// TestWriteAtomic checks that a run that fails while writing leaves every
// generated file either as it was or complete, and no temporary file.
func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	bp := filepath.Join(dir, "xor.bp")
	if err := os.WriteFile(bp, []byte(xorSpec), 0o666); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	gen := func(wantCode int, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != wantCode {
			t.Fatalf("bpgen %s: exit %d, want %d\nstderr:\n%s", strings.Join(args, " "), code, wantCode, &stderr)
		}
		return stderr.String()
	}
	gen(exitOK, "-o", out, bp)
	old := snapshot(t, out)
	if want := generated(t, bp); !maps.Equal(old, want) {
		t.Fatalf("bpgen wrote %q, want exactly codegen's files %q", keys(old), keys(want))
	}

	// The new spec changes every generated file: the header names the
	// spec, so renaming it is enough.
	bp2 := filepath.Join(dir, "xor2.bp")
	if err := os.WriteFile(bp2, []byte(strings.Replace(xorSpec, "dense(x, 8)", "dense(x, 6)", 1)), 0o666); err != nil {
		t.Fatal(err)
	}
	want := generated(t, bp2)
	names := keys(want)

	t.Run("target is a directory", func(t *testing.T) {
		out := t.TempDir()
		// Files are written in sorted order: the first is written before
		// the failure at the second, and the rest never are.
		if err := os.Mkdir(filepath.Join(out, names[1]), 0o777); err != nil {
			t.Fatal(err)
		}
		stderr := gen(exitError, "-o", out, bp2)
		wantErr := "bpgen: writing " + filepath.Join(out, names[1]) + ": file exists\n"
		if stderr != wantErr {
			t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
		}
		got := snapshot(t, out)
		if !slices.Equal(keys(got), names[:2]) {
			t.Errorf("after the failed run, out holds %q, want %q", keys(got), names[:2])
		}
		if got[names[0]] != want[names[0]] {
			t.Errorf("%s is not the complete generated file", names[0])
		}
	})

	t.Run("read-only directory", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root can write into a read-only directory")
		}
		out := t.TempDir()
		gen(exitOK, "-o", out, bp)
		if err := os.Rename(filepath.Join(out, "xor.bp.go"), filepath.Join(out, "keep")); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, out)
		if err := os.Chmod(out, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(out, 0o755)
		stderr := gen(exitError, "-o", out, bp)
		if want := "bpgen: writing " + filepath.Join(out, "xor.bp.go") + ": permission denied\n"; stderr != want {
			t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
		}
		if got := snapshot(t, out); !maps.Equal(got, before) {
			t.Errorf("a failed run changed the directory: %q, was %q", keys(got), keys(before))
		}
	})

	t.Run("output is a file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, []byte("data"), 0o666); err != nil {
			t.Fatal(err)
		}
		stderr := gen(exitError, "-o", file, bp)
		if want := "bpgen: " + file + ": not a directory\n"; stderr != want {
			t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
		}
		if data, err := os.ReadFile(file); err != nil || string(data) != "data" {
			t.Errorf("the file given as -o changed: %q, %v", data, err)
		}
		if got := snapshot(t, filepath.Dir(file)); !slices.Equal(keys(got), []string{"file"}) {
			t.Errorf("a failed run left %q", keys(got))
		}
	})

	// A run that succeeds replaces every file of the earlier run whole and
	// leaves no temporary file behind.
	t.Run("overwrite", func(t *testing.T) {
		out := t.TempDir()
		gen(exitOK, "-o", out, bp)
		stale := filepath.Join(out, "xor.bp.go")
		if err := os.WriteFile(stale, []byte("// partial"), 0o444); err != nil {
			t.Fatal(err)
		}
		gen(exitOK, "-o", out, bp)
		if got := snapshot(t, out); !maps.Equal(got, old) {
			t.Errorf("after regenerating, out holds %q, want %q (or different contents)", keys(got), keys(old))
		}
		fi, err := os.Stat(stale)
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode != 0o644 {
			t.Errorf("regenerated file has mode %v, want 0644", mode)
		}
	})
}

func TestPackageName(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"xor", true},
		{"net2", true},
		{"_x", true},
		{"X_y", true},
		{"", false},
		{"_", false}, // "package _" does not compile
		{"1x", false},
		{"a-b", false},
		{"a.b", false},
		{"func", false},
		{"package", false},
		{"ü", false}, // Go allows it; bpgen keeps package names ASCII
	} {
		if got := spec.IsPackageName(tc.s); got != tc.want {
			t.Errorf("spec.IsPackageName(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
