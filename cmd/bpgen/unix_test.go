//go:build unix

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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
// The limit applies to a whole process, so bpgen runs in a child process.
// Go ignores SIGXFSZ, so the write returns EFBIG.
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

	// The limit applies to a whole process: set it in a child process that
	// runs this test binary, so that it cannot affect this process's own
	// writes (the log go test keeps of the files a test opens).
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteLimitedChild$")
	cmd.Env = append(os.Environ(), childLimitEnv+"="+strconv.Itoa(limit), childArgsEnv+"="+strings.Join([]string{"-o", out, bp}, "\n"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := exitOK
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running the child process: %v", err)
	}
	if stderr.Len() > 0 && strings.HasPrefix(stderr.String(), "skip: ") {
		t.Skip(strings.TrimPrefix(stderr.String(), "skip: "))
	}
	var stdout bytes.Buffer

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

// The environment of the child process of TestWriteInterrupted: the file
// size limit, and bpgen's arguments, one a line.
const (
	childLimitEnv = "BPGEN_TEST_FILE_SIZE_LIMIT"
	childArgsEnv  = "BPGEN_TEST_ARGS"
)

// TestWriteLimitedChild is the child process of TestWriteInterrupted: it
// runs bpgen under a file size limit and exits with bpgen's exit code. Run
// by itself, it does nothing.
func TestWriteLimitedChild(t *testing.T) {
	limit, err := strconv.ParseUint(os.Getenv(childLimitEnv), 10, 64)
	if err != nil {
		t.Skip("run by TestWriteInterrupted")
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Fprintf(os.Stderr, "skip: getrlimit: %v", err)
		os.Exit(exitOK)
	}
	if lim.Cur < limit {
		fmt.Fprintf(os.Stderr, "skip: file size limit %d is already below %d", lim.Cur, limit)
		os.Exit(exitOK)
	}
	lim.Cur = limit
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Fprintf(os.Stderr, "skip: setrlimit: %v", err)
		os.Exit(exitOK)
	}
	os.Exit(run(strings.Split(os.Getenv(childArgsEnv), "\n"), os.Stdout, os.Stderr))
}
