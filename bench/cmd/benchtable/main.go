// Command benchtable runs bpgen's benchmark suite (bench/) and prints a
// table: one row per workload (and per bpgen implementation of it), with the
// median time per op of the naive, gonum and bpgen implementations, the
// ratios bpgen/naive and bpgen/gonum, and allocs/op.
//
// Usage, from the module root:
//
//	go run ./bench/cmd/benchtable [-count 5] [-md] [-benchtime 1s] [-bench .] [-cpu 1] [-save FILE]
//	go run ./bench/cmd/benchtable -in FILE [-md]      table of a saved run ("-" for stdin)
//
// It runs
//
//	go test -run '^$' -bench . -count N ./bench/
//
// and notes the load average (from /proc/loadavg) before and after the run:
// figures taken on a busy machine are not worth reporting.
//
// gonum's Gemm (W2) splits large products over GOMAXPROCS goroutines, while
// bpgen's TrainBatch uses one core unless Workspace.SetWorkers is called;
// -cpu 1 compares them on one core each.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchtable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	count := fs.Int("count", 5, "run each benchmark `N` times; the table shows medians")
	md := fs.Bool("md", false, "print a Markdown table")
	bench := fs.String("bench", ".", "the -bench `regexp` passed to go test")
	benchtime := fs.String("benchtime", "", "the -benchtime passed to go test (default: go test's)")
	cpu := fs.String("cpu", "", "the GOMAXPROCS `n` passed to go test as -cpu (one value; default: go test's)")
	pkg := fs.String("pkg", "./bench/", "the `package` to benchmark")
	in := fs.String("in", "", "read saved `file` of go test -bench output (\"-\" for stdin) instead of running")
	save := fs.String("save", "", "also write the raw go test output to `file`")
	verbose := fs.Bool("v", false, "copy go test's output to stderr as it runs")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *count < 1 || strings.Contains(*cpu, ",") {
		fmt.Fprintln(stderr, "usage: benchtable [-count N] [-md] [-bench regexp] [-benchtime d] [-cpu n] [-pkg dir] [-save file] | -in file")
		return 2
	}

	var raw []byte
	var notes []string
	var err error
	switch *in {
	case "":
		cmdArgs := []string{"test", "-run", "^$", "-bench", *bench, "-count", fmt.Sprint(*count)}
		if *benchtime != "" {
			cmdArgs = append(cmdArgs, "-benchtime", *benchtime)
		}
		if *cpu != "" {
			cmdArgs = append(cmdArgs, "-cpu", *cpu)
		}
		cmdArgs = append(cmdArgs, *pkg)
		before := loadavg()
		fmt.Fprintf(stderr, "benchtable: go %s (load average %s)\n", strings.Join(quote(cmdArgs), " "), before)
		var buf bytes.Buffer
		cmd := exec.Command("go", cmdArgs...)
		cmd.Stdout = &buf
		if *verbose {
			cmd.Stdout = io.MultiWriter(&buf, stderr)
		}
		cmd.Stderr = stderr
		runErr := cmd.Run()
		raw = buf.Bytes()
		if *save != "" {
			if err := os.WriteFile(*save, raw, 0o666); err != nil {
				fmt.Fprintln(stderr, "benchtable:", err)
				return 1
			}
		}
		if runErr != nil {
			stderr.Write(raw)
			fmt.Fprintln(stderr, "benchtable: go test:", runErr)
			return 1
		}
		notes = append(notes, fmt.Sprintf("%d runs each (go test -count %d); load average (1, 5, 15 min) before: %s, after: %s", *count, *count, before, loadavg()))
	case "-":
		raw, err = io.ReadAll(os.Stdin)
	default:
		raw, err = os.ReadFile(*in)
	}
	if err != nil {
		fmt.Fprintln(stderr, "benchtable:", err)
		return 1
	}
	rep, err := parse(bytes.NewReader(raw))
	if err != nil {
		fmt.Fprintln(stderr, "benchtable:", err)
		return 1
	}
	if err := write(stdout, rep, *md, notes); err != nil {
		fmt.Fprintln(stderr, "benchtable:", err)
		return 1
	}
	return 0
}

// loadavg returns the 1, 5 and 15 minute load averages, or "unknown".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

// quote quotes the arguments a shell would need quoted, for the log line.
func quote(args []string) []string {
	q := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, "^$*?[] ") {
			a = "'" + a + "'"
		}
		q[i] = a
	}
	return q
}
