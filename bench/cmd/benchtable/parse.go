package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// A report is what one `go test -bench` run printed.
type report struct {
	header    []string    // "goos: linux", "cpu: ...", in order
	workloads []*workload // in the order they first appear
}

// A workload is one top-level benchmark, such as BenchmarkW1; its
// sub-benchmarks are the implementations.
type workload struct {
	name  string   // "W1"
	impls []string // "naive", "gonum", "bpgen", ... in order of appearance
	runs  map[string]*runs
}

// runs holds the measurements of one implementation, one entry per -count.
type runs struct {
	procs             string // the -GOMAXPROCS suffix of the name ("" if none)
	ns, bytes, allocs []float64
}

// get returns the runs of impl at GOMAXPROCS procs, or an error if impl
// was run at another GOMAXPROCS too (go test -cpu 1,2): medians over
// different numbers of cores mean nothing.
func (w *workload) get(impl, procs string) (*runs, error) {
	if r, ok := w.runs[impl]; ok {
		if r.procs != procs {
			return nil, fmt.Errorf("%s/%s ran with GOMAXPROCS %q and %q: give go test one -cpu value", w.name, impl, r.procs, procs)
		}
		return r, nil
	}
	w.impls = append(w.impls, impl)
	r := &runs{procs: procs}
	w.runs[impl] = r
	return r, nil
}

// parse reads the output of `go test -bench`. Lines that are not benchmark
// results or header lines (PASS, ok, log output) are skipped; a FAIL line
// is an error, since the figures of a failing run mean nothing.
func parse(r io.Reader) (*report, error) {
	rep := &report{}
	byName := map[string]*workload{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "FAIL" || strings.HasPrefix(line, "--- FAIL") || strings.HasPrefix(line, "FAIL\t") || strings.HasPrefix(line, "panic:"):
			return nil, fmt.Errorf("line %d: the benchmark run failed: %s", lineNo, line)
		case strings.HasPrefix(line, "goos:"), strings.HasPrefix(line, "goarch:"),
			strings.HasPrefix(line, "cpu:"), strings.HasPrefix(line, "pkg:"):
			if !slices.Contains(rep.header, line) {
				rep.header = append(rep.header, line)
			}
		case strings.HasPrefix(line, "Benchmark"):
			f := strings.Fields(line)
			// name iterations value unit [value unit]...
			if len(f) < 4 || len(f)%2 != 0 {
				continue // a benchmark's own log line, or a name printed alone
			}
			if _, err := strconv.Atoi(f[1]); err != nil {
				continue
			}
			wname, impl, procs, ok := splitName(f[0])
			if !ok {
				continue
			}
			w := byName[wname]
			if w == nil {
				w = &workload{name: wname, runs: map[string]*runs{}}
				byName[wname] = w
				rep.workloads = append(rep.workloads, w)
			}
			rs, err := w.get(impl, procs)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", lineNo, err)
			}
			var haveNs bool
			for i := 2; i+1 < len(f); i += 2 {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					return nil, fmt.Errorf("line %d: bad value %q: %v", lineNo, f[i], err)
				}
				switch f[i+1] {
				case "ns/op":
					rs.ns, haveNs = append(rs.ns, v), true
				case "B/op":
					rs.bytes = append(rs.bytes, v)
				case "allocs/op":
					rs.allocs = append(rs.allocs, v)
				}
			}
			if !haveNs {
				return nil, fmt.Errorf("line %d: no ns/op in %q", lineNo, line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rep.workloads) == 0 {
		return nil, fmt.Errorf("no benchmark results in the output")
	}
	return rep, nil
}

// splitName splits "BenchmarkW1/bpgen-backward+step-8" into "W1" and
// "bpgen-backward+step" and the -GOMAXPROCS suffix "8" ("" when
// GOMAXPROCS is 1). Benchmarks without a sub-benchmark are not
// implementations of a workload.
func splitName(s string) (workload, impl, procs string, ok bool) {
	s = strings.TrimPrefix(s, "Benchmark")
	workload, impl, ok = strings.Cut(s, "/")
	if !ok || workload == "" || impl == "" {
		return "", "", "", false
	}
	if i := strings.LastIndexByte(impl, '-'); i > 0 {
		if _, err := strconv.Atoi(impl[i+1:]); err == nil {
			impl, procs = impl[:i], impl[i+1:]
		}
	}
	return workload, impl, procs, true
}

// median returns the median of xs (the mean of the middle two for an even
// count), or NaN for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return nan
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
