package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
)

var nan = math.NaN()

// descriptions of the workloads of bench/bench_test.go, for the notes under
// the table.
var descriptions = map[string]string{
	"W1":    "one SGD step, one sample, 784-128-64-10 (ReLU, ReLU, softmax + cross-entropy), float32",
	"W2":    "one SGD step on a batch of 64 (mean gradient, update), same network, float32",
	"W3":    "one SGD step, one sample, 2-8-1 sigmoid network with binary cross-entropy, float32",
	"W4":    "inference, one sample (forward only), 784-128-64-10, float32",
	"W1F64": "W1 in float64",
}

// A row of the table: one workload and one bpgen implementation of it.
type row struct {
	workload, variant    string
	naive, gonum, bpgen  float64 // median ns/op, NaN if absent
	aNaive, aGonum, aBp  float64 // median allocs/op
	runsNaive, runsBpgen int
}

// rows builds the table: one row per workload and per implementation whose
// name starts with "bpgen" (bpgen, bpgen-backward+step, bpgen-trainbatch),
// each against the workload's naive and gonum implementations. Workloads
// with none of these (the optimizer benchmarks, which compare bpgen with
// itself) are left out.
func rows(rep *report) []row {
	var out []row
	for _, w := range rep.workloads {
		var variants []string
		for _, impl := range w.impls {
			if strings.HasPrefix(impl, "bpgen") {
				variants = append(variants, impl)
			}
		}
		if len(variants) == 0 && w.runs["naive"] == nil && w.runs["gonum"] == nil {
			continue
		}
		if len(variants) == 0 {
			variants = []string{""}
		}
		for _, v := range variants {
			r := row{workload: w.name, variant: v}
			r.naive, r.aNaive = stat(w, "naive")
			r.gonum, r.aGonum = stat(w, "gonum")
			r.bpgen, r.aBp = stat(w, v)
			out = append(out, r)
		}
	}
	return out
}

func stat(w *workload, impl string) (ns, allocs float64) {
	rs := w.runs[impl]
	if rs == nil {
		return nan, nan
	}
	return median(rs.ns), median(rs.allocs)
}

// write prints the table, as Markdown if md, else as aligned text.
func write(out io.Writer, rep *report, md bool, notes []string) error {
	head := []string{"workload", "bpgen impl", "naive", "gonum", "bpgen", "bpgen/naive", "bpgen/gonum", "allocs/op naive, gonum, bpgen"}
	var lines [][]string
	for _, r := range rows(rep) {
		lines = append(lines, []string{
			r.workload, r.variant,
			fmtTime(r.naive), fmtTime(r.gonum), fmtTime(r.bpgen),
			fmtRatio(r.bpgen / r.naive), fmtRatio(r.bpgen / r.gonum),
			fmtAllocs(r.aNaive) + ", " + fmtAllocs(r.aGonum) + ", " + fmtAllocs(r.aBp),
		})
	}
	var b strings.Builder
	if md {
		b.WriteString("| " + strings.Join(head, " | ") + " |\n")
		b.WriteString("|" + strings.Repeat("---|", 2) + strings.Repeat("---:|", len(head)-2) + "\n")
		for _, l := range lines {
			b.WriteString("| " + strings.Join(l, " | ") + " |\n")
		}
	} else {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		for _, l := range append([][]string{head}, lines...) {
			fmt.Fprintln(tw, strings.Join(l, "\t")+"\t")
		}
		tw.Flush()
	}
	b.WriteString("\n")
	prefix := ""
	if md {
		prefix = "- "
	}
	b.WriteString(prefix + "times are medians of ns/op over the runs; a ratio below 1 means bpgen is faster\n")
	for _, w := range rep.workloads {
		if d, ok := descriptions[w.name]; ok {
			fmt.Fprintf(&b, "%s%s: %s\n", prefix, w.name, d)
		}
	}
	if name, sp := spread(rep); sp > 0 {
		fmt.Fprintf(&b, "%slargest spread of a benchmark's runs, (max-min)/median: %.0f%% (%s)\n", prefix, 100*sp, name)
	}
	for _, h := range rep.header {
		if !strings.HasPrefix(h, "pkg:") {
			b.WriteString(prefix + h + "\n")
		}
	}
	for _, n := range notes {
		b.WriteString(prefix + n + "\n")
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// spread returns the benchmark whose ns/op vary most over its runs, and
// (max-min)/median for it: a measure of how noisy the machine was.
func spread(rep *report) (string, float64) {
	var name string
	var worst float64
	for _, w := range rep.workloads {
		for _, impl := range w.impls {
			ns := w.runs[impl].ns
			if len(ns) < 2 {
				continue
			}
			sp := (slices.Max(ns) - slices.Min(ns)) / median(ns)
			if sp > worst {
				name, worst = w.name+"/"+impl, sp
			}
		}
	}
	return name, worst
}

// fmtTime formats a time in ns with 4 significant digits and a unit.
func fmtTime(ns float64) string {
	if math.IsNaN(ns) {
		return "-"
	}
	v, unit := ns, "ns"
	switch {
	case ns >= 1e9:
		v, unit = ns/1e9, "s"
	case ns >= 1e6:
		v, unit = ns/1e6, "ms"
	case ns >= 1e3:
		v, unit = ns/1e3, "µs"
	}
	switch {
	case v < 10:
		return fmt.Sprintf("%.3f %s", v, unit)
	case v < 100:
		return fmt.Sprintf("%.2f %s", v, unit)
	default:
		return fmt.Sprintf("%.1f %s", v, unit)
	}
}

func fmtRatio(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return fmt.Sprintf("%.2f", x)
}

func fmtAllocs(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%g", x)
}
