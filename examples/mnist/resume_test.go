package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bpgen/bpgen/examples/internal/cli"
)

// TestKillResume kills training runs with SIGKILL, once in the middle of
// writing a checkpoint and once in the middle of an epoch, resumes them
// with -resume, and checks that the final weights are bit for bit those of
// an uninterrupted run; then that a damaged checkpoint is refused without
// anything being written.
func TestKillResume(t *testing.T) {
	data(t) // skips in -short mode; the program loads the same data
	dir := t.TempDir()
	bin := filepath.Join(dir, "mnist")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	args := []string{"-q", "-train", "2000", "-epochs", "3", "-opt", "adam", "-seed", "3"}
	command := func(env string, more ...string) *exec.Cmd {
		cmd := exec.Command(bin, append(append([]string{}, args...), more...)...)
		cmd.Env = append(os.Environ(), env)
		return cmd
	}
	want := filepath.Join(dir, "uninterrupted.safetensors")
	if out, err := command("", "-save", want).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}

	// Killed while writing the checkpoint of epoch 2: the file holds epoch 1.
	ckpt := filepath.Join(dir, "a.ckpt")
	killAt(t, command(pauseEnv+"=2", "-checkpoint", ckpt), func(line string) bool { return strings.HasPrefix(line, "pausing") })
	if c, err := cli.ReadCheckpoint(ckpt); err != nil || c.Epoch != 1 {
		t.Fatalf("after a kill in the checkpoint of epoch 2: %v, want the checkpoint of epoch 1", err)
	}
	if fi, err := os.Stat(ckpt + ".tmp"); err != nil || fi.Size() == 0 {
		t.Errorf("no half-written temporary file: %v", err)
	}
	resumeAndCompare(t, command, ckpt, want)

	// Killed in the middle of training, as soon as the first checkpoint exists.
	ckpt = filepath.Join(dir, "b.ckpt")
	cmd := command("", "-checkpoint", ckpt)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); ; time.Sleep(2 * time.Millisecond) {
		if _, err := os.Stat(ckpt); err == nil {
			break
		}
		if time.Since(start) > 2*time.Minute {
			t.Fatal("no checkpoint after 2 minutes")
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	c, err := cli.ReadCheckpoint(ckpt)
	if err != nil || c.Epoch == 3 {
		t.Fatalf("after a kill in training: %v, epoch %v; want an earlier epoch", err, c)
	}
	t.Logf("killed after the checkpoint of epoch %d", c.Epoch)
	resumeAndCompare(t, command, ckpt, want)

	// A damaged checkpoint is refused, and neither it nor -save is written.
	orig, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(orig)
	bad[len(bad)/2] ^= 1
	if err := os.WriteFile(ckpt, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "never.safetensors")
	msg, err := command("", "-resume", ckpt, "-save", out).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(msg), "damaged checkpoint") {
		t.Errorf("resuming from a damaged checkpoint: %v, output %q; want exit status 1 and an error naming the damage", err, msg)
	}
	if now, _ := os.ReadFile(ckpt); !bytes.Equal(now, bad) {
		t.Error("the damaged checkpoint was overwritten")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a run from a damaged checkpoint saved weights: %v", err)
	}
	t.Logf("refused: %s", strings.TrimSpace(string(msg)))
}

// killAt starts cmd and kills it with SIGKILL when it prints a line to
// stderr for which at returns true.
func killAt(t *testing.T, cmd *exec.Cmd, at func(line string) bool) {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if at(sc.Text()) {
			cmd.Process.Signal(syscall.SIGKILL)
			break
		}
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the run ended before it was killed")
	}
}

// resumeAndCompare resumes the run of checkpoint ckpt to its end and
// compares the final weights with the file want.
func resumeAndCompare(t *testing.T, command func(string, ...string) *exec.Cmd, ckpt, want string) {
	t.Helper()
	got := ckpt + ".safetensors"
	if out, err := command("", "-resume", ckpt, "-save", got).CombinedOutput(); err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out)
	}
	a, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("the resumed run from %s ends with other weights than the uninterrupted run", ckpt)
	}
	if c, err := cli.ReadCheckpoint(ckpt); err != nil || c.Epoch != 3 {
		t.Errorf("the resumed run's last checkpoint: %v, want epoch 3", err)
	}
}
