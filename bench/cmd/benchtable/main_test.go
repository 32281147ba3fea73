package main

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// testdata/sample.txt is real output of
//
//	go test -run '^$' -bench . -benchtime 100ms -count 2 ./bench/
//
// (taken on a busy machine: its figures are for testing the parser only).

func readSample(t *testing.T) *report {
	t.Helper()
	f, err := os.Open("testdata/sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestParseSample(t *testing.T) {
	rep := readSample(t)
	var names []string
	for _, w := range rep.workloads {
		names = append(names, w.name+":"+strings.Join(w.impls, ","))
	}
	want := []string{
		"W1:naive,gonum,bpgen,bpgen-backward+step",
		"W2:naive,gonum,bpgen-trainbatch",
		"W3:naive,gonum,bpgen",
		"W4:naive,gonum,bpgen",
		"W1F64:naive,gonum,bpgen",
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("workloads\n%v\nwant\n%v", names, want)
	}
	if got := strings.Join(rep.header, "; "); got != "goos: linux; goarch: amd64; pkg: github.com/bpgen/bpgen/bench; cpu: Intel(R) Xeon(R) Processor @ 2.80GHz" {
		t.Errorf("header %q", got)
	}
	w1 := rep.workloads[0].runs["naive"]
	if len(w1.ns) != 2 || w1.ns[0] != 2146934 || w1.ns[1] != 2260745 {
		t.Errorf("W1/naive ns/op %v", w1.ns)
	}
	w2 := rep.workloads[1].runs["gonum"]
	if median(w2.allocs) != 54 || median(w2.bytes) != (5702+5648)/2.0 {
		t.Errorf("W2/gonum allocs %v bytes %v", w2.allocs, w2.bytes)
	}

	rs := rows(rep)
	if len(rs) != 6 {
		t.Fatalf("%d rows, want 6: %+v", len(rs), rs)
	}
	r := rs[1] // W1, bpgen-backward+step
	if r.workload != "W1" || r.variant != "bpgen-backward+step" ||
		r.naive != (2146934+2260745)/2.0 || r.gonum != (184887+266036)/2.0 ||
		r.bpgen != (1350745+1451441)/2.0 || r.aNaive != 0 || r.aBp != 0 {
		t.Errorf("row %+v", r)
	}
	if rs[2].variant != "bpgen-trainbatch" || rs[2].aGonum != 54 {
		t.Errorf("W2 row %+v", rs[2])
	}
}

func TestWriteMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := write(&b, readSample(t), true, []string{"a note"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"| workload | bpgen impl | naive | gonum | bpgen | bpgen/naive | bpgen/gonum | allocs/op naive, gonum, bpgen |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
		// W2: naive (110077971+123697622)/2 ns, gonum (3329129+3360588)/2,
		// bpgen (61774230+61504594)/2; ratios 0.53 and 18.43
		"| W2 | bpgen-trainbatch | 116.9 ms | 3.345 ms | 61.64 ms | 0.53 | 18.43 | 0, 54, 0 |\n",
		"| W4 | bpgen | 528.2 µs | 66.50 µs | 678.6 µs | 1.28 | 10.20 | 0, 0, 0 |\n",
		"| W3 | bpgen | 1.796 µs | 2.423 µs | 2.160 µs | 1.20 | 0.89 | 0, 0, 0 |\n",
		"- W1F64: W1 in float64\n",
		"- cpu: Intel(R) Xeon(R) Processor @ 2.80GHz\n",
		"- a note\n",
		// W1F64/gonum: (1656687-239051)/((1656687+239051)/2)
		"- largest spread of a benchmark's runs, (max-min)/median: 150% (W1F64/gonum)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "pkg:") {
		t.Errorf("output has the pkg line:\n%s", out)
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := write(&b, readSample(t), false, nil); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if !strings.Contains(lines[0], "bpgen/naive") || !strings.Contains(lines[2], "bpgen-backward+step") {
		t.Errorf("text table:\n%s", b.String())
	}
	if w := utf8.RuneCountInString(lines[0]); utf8.RuneCountInString(lines[1]) != w || utf8.RuneCountInString(lines[6]) != w {
		t.Errorf("columns not aligned:\n%s", b.String())
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"PASS\nok  \tpkg\t0.1s\n",
		"BenchmarkW1/naive-2 100 12 ns/op\n--- FAIL: BenchmarkW1/bpgen\nFAIL\n",
		"BenchmarkW1/naive-2 100 1x2 ns/op\n",
		"BenchmarkW1/naive-2 100 12 B/op\n",
		"BenchmarkW1/naive 100 12 ns/op\nBenchmarkW1/naive-2 100 10 ns/op\n", // go test -cpu 1,2
	} {
		if _, err := parse(strings.NewReader(in)); err == nil {
			t.Errorf("parse(%q) succeeded", in)
		}
	}
}

func TestParseSkips(t *testing.T) {
	in := "BenchmarkW1/naive\n" + // name printed alone (-v, or a long name)
		"BenchmarkW1/naive-8 \t 100\t 10 ns/op\n" +
		"    bench_test.go:12: a log line\n" +
		"BenchmarkTop-8 100 5 ns/op\n" + // no sub-benchmark
		"BenchmarkW1/naive-8 100 30 ns/op 8 B/op 1 allocs/op\n" +
		"BenchmarkW1/bpgen-8 100 20 ns/op\n"
	rep, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.workloads) != 1 {
		t.Fatalf("%d workloads", len(rep.workloads))
	}
	w := rep.workloads[0]
	if got := median(w.runs["naive"].ns); got != 20 {
		t.Errorf("median %v, want 20", got)
	}
	if got := w.runs["bpgen"].ns; len(got) != 1 || got[0] != 20 {
		t.Errorf("bpgen %v", got)
	}
}

func TestSplitName(t *testing.T) {
	for in, want := range map[string]string{
		"BenchmarkW1/naive-2":               "W1 naive 2",
		"BenchmarkW1/bpgen-backward+step-8": "W1 bpgen-backward+step 8",
		"BenchmarkW2/bpgen-trainbatch":      "W2 bpgen-trainbatch ",
		"BenchmarkW1F64/gonum-16":           "W1F64 gonum 16",
		"BenchmarkX/a-b-c-4":                "X a-b-c 4",
	} {
		w, i, p, ok := splitName(in)
		if !ok || w+" "+i+" "+p != want {
			t.Errorf("splitName(%q) = %q, %q, %q, %v; want %q", in, w, i, p, ok, want)
		}
	}
	if _, _, _, ok := splitName("BenchmarkTop-2"); ok {
		t.Error("splitName accepted a benchmark without a sub-benchmark")
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median odd %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median even %v", m)
	}
	if m := median(nil); !math.IsNaN(m) {
		t.Errorf("median empty %v", m)
	}
}

func TestRunIn(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-in", "testdata/sample.txt", "-md"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "| W4 | bpgen |") {
		t.Errorf("output:\n%s", out.String())
	}
	if code := run([]string{"-count", "0"}, &out, &errb); code != 2 {
		t.Errorf("-count 0: exit %d, want 2", code)
	}
}

// TestRowsSkipSelfComparisons checks that a workload without naive, gonum
// or bpgen implementations (BenchmarkOptW2/adam...) makes no row.
func TestRowsSkipSelfComparisons(t *testing.T) {
	in := "BenchmarkOptW2/trainbatch-2 \t 100 \t 470000 ns/op \t 0 B/op \t 0 allocs/op\n" +
		"BenchmarkOptW2/adam-2 \t 100 \t 510000 ns/op \t 0 B/op \t 0 allocs/op\n" +
		"BenchmarkW2/naive-2 \t 100 \t 9000000 ns/op \t 0 B/op \t 0 allocs/op\n" +
		"BenchmarkW2/bpgen-2 \t 100 \t 470000 ns/op \t 0 B/op \t 0 allocs/op\n"
	rep, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	rs := rows(rep)
	if len(rs) != 1 || rs[0].workload != "W2" {
		t.Errorf("rows %+v, want one row, of W2", rs)
	}
}
