package main

import (
	"fmt"
	"io"

	"github.com/bpgen/bpgen/symbolic"
)

const explainUsage = `usage: bpgen explain [-format=text|md] FILE.bp

Prints the forward pass and the derived backward pass of the network, one
equation per tensor, as bpgen's symbolic package derived and simplified them.

Flags:
`

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("bpgen explain", stderr, explainUsage)
	format := fs.String("format", "text", "output format: text or md (Markdown with LaTeX math)")
	path, code := parseArgs(fs, args, stderr)
	if code >= 0 {
		return code
	}
	if *format != "text" && *format != "md" {
		fmt.Fprintf(stderr, "bpgen: unknown -format %q; want text or md\n", *format)
		return exitUsage
	}
	d, ok := loadDerivation(path, stderr)
	if !ok {
		return exitError
	}
	fmt.Fprint(stdout, symbolic.Explain(d, *format == "md"))
	return exitOK
}

const graphUsage = `usage: bpgen graph [-backward] FILE.bp

Writes the influence diagram of the network in Graphviz DOT: one node per
tensor, one edge per use. With -backward the derived gradient tensors are
included, drawn dashed. Render it with: bpgen graph FILE.bp | dot -Tsvg > net.svg

Flags:
`

func runGraph(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("bpgen graph", stderr, graphUsage)
	backward := fs.Bool("backward", false, "include the backward (gradient) graph")
	path, code := parseArgs(fs, args, stderr)
	if code >= 0 {
		return code
	}
	d, ok := loadDerivation(path, stderr)
	if !ok {
		return exitError
	}
	fmt.Fprint(stdout, symbolic.Dot(d, *backward))
	return exitOK
}

// loadDerivation loads a spec and derives its gradients, printing errors.
func loadDerivation(path string, stderr io.Writer) (*symbolic.Derivation, bool) {
	net, ok := load(path, stderr)
	if !ok {
		return nil, false
	}
	d, err := net.Derive()
	if err != nil {
		fmt.Fprintf(stderr, "bpgen: %v\n", err)
		return nil, false
	}
	return d, true
}
