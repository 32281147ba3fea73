//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

func inode(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}

// TestWriteInterrupted makes a write fail halfway through a file, with a
// file size limit that only the largest generated file exceeds, and checks
// that every file on disk is either the old one or the new one, whole, that
// the largest is still the old one, and that no temporary file is left.
// Root is subject to the limit too.
//
// The limit applies to the whole test process, so this test must not run
// in parallel with others. Go ignores SIGXFSZ, so the write returns EFBIG.
func TestWriteInterrupted(t *testing.T) {
	dir := t.TempDir()
	bp := filepath.Join(dir, "xor.bp")
	if err := os.WriteFile(bp, []byte(xorSpec), 0o666); err != nil {
		t.Fatal(err)
	}
	want := generated(t, bp)
	names := keys(want)
	largest := slices.MaxFunc(names, func(a, b string) int { return len(want[a]) - len(want[b]) })
	limit := len(want[largest]) - 1
	for _, name := range names {
		if name != largest && len(want[name]) > limit {
			t.Fatalf("%s and %s are both %d bytes or more: no limit fails only one", name, largest, limit+1)
		}
	}

	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o777); err != nil {
		t.Fatal(err)
	}
	old := make(map[string]string)
	for _, name := range names {
		old[name] = "// " + name + " of an earlier run\n"
		if err := os.WriteFile(filepath.Join(out, name), []byte(old[name]), 0o666); err != nil {
			t.Fatal(err)
		}
	}

	var saved syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &saved); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	if saved.Cur < uint64(limit) {
		t.Skipf("file size limit %d is already below %d", saved.Cur, limit)
	}
	lim := saved
	lim.Cur = uint64(limit)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skipf("setrlimit: %v", err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"-o", out, bp}, &stdout, &stderr)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &saved); err != nil {
		t.Fatalf("restoring the file size limit: %v", err)
	}

	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	if want := "bpgen: writing " + filepath.Join(out, largest) + ": file too large\n"; stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", &stderr, want)
	}
	got := snapshot(t, out)
	if !slices.Equal(keys(got), names) {
		t.Fatalf("after the failed run, out holds %q, want %q", keys(got), names)
	}
	for _, name := range names {
		switch {
		case name == largest && got[name] != old[name]:
			t.Errorf("%s was changed by the failed write:\n%.200s", name, got[name])
		case got[name] != old[name] && got[name] != want[name]:
			t.Errorf("%s is neither the old file nor the complete new one:\n%.200s", name, got[name])
		}
	}

	// Without the limit, the run completes.
	stderr.Reset()
	if code := run([]string{"-o", out, bp}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, &stderr)
	}
	if got := snapshot(t, out); !slices.Equal(keys(got), names) || got[largest] != want[largest] {
		t.Errorf("regenerating did not complete %s", largest)
	}
}
