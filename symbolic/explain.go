package symbolic

import (
	"fmt"
	"slices"
	"strings"
)

// Explain prints the forward and backward passes of a derivation, one
// equation per tensor, in the order they are computed. Temporaries are
// numbered t0, t1, ... in that order; gradients are named d<name>. With md
// set, the output is Markdown with each equation in a math block.
func Explain(d *Derivation, md bool) string {
	net := d.Network
	fwdRoots := []*Tensor{d.Output, d.Loss}
	fwd := liveFrom(fwdRoots...)
	seen := map[*Tensor]bool{}
	for _, t := range fwd {
		seen[t] = true
	}
	bwdRoots := append(slices.Clone(d.ParamGrads), d.InputGrad)
	var bwd []*Tensor
	for _, t := range liveFrom(bwdRoots...) {
		if !seen[t] {
			bwd = append(bwd, t)
		}
	}
	names := map[*Tensor]string{}
	n := 0
	label := func(t *Tensor) string {
		if s, ok := names[t]; ok {
			return s
		}
		if t.Name != "" {
			return t.Name
		}
		s := fmt.Sprintf("t%d", n)
		n++
		names[t] = s
		return s
	}
	names[d.Loss] = "loss"
	var b strings.Builder
	heading := func(s string) {
		if md {
			fmt.Fprintf(&b, "## %s\n\n", s)
		} else {
			fmt.Fprintf(&b, "%s\n\n", s)
		}
	}
	line := func(t *Tensor) {
		s := t.Format(label)
		if md {
			fmt.Fprintf(&b, "    %s\n", s)
		} else {
			fmt.Fprintf(&b, "  %s\n", s)
		}
	}
	fmt.Fprintf(&b, "")
	heading(fmt.Sprintf("Forward pass of %s (input %s, target %s)", net.Source, net.Input.Name, net.Target.Name))
	for _, t := range fwd {
		if t.Kind == KindLeaf {
			continue
		}
		line(t)
	}
	b.WriteString("\n")
	heading("Backward pass (reverse mode: each gradient is the sum over all paths to the loss)")
	for _, t := range bwd {
		if t.Kind == KindLeaf {
			continue
		}
		line(t)
	}
	b.WriteString("\n")
	heading("Gradients")
	for k, p := range net.Params {
		fmt.Fprintf(&b, "  dloss/d%s = %s\n", p.Name, label(d.ParamGrads[k]))
	}
	fmt.Fprintf(&b, "  dloss/d%s = %s\n", net.Input.Name, label(d.InputGrad))
	return b.String()
}

// Dot writes the influence diagram of a derivation in Graphviz DOT: one
// node per tensor, one edge per use, labelled with the derivative kind of
// the edge. With backward set, the gradient tensors are included, dashed.
func Dot(d *Derivation, backward bool) string {
	roots := []*Tensor{d.Output, d.Loss}
	fwd := liveFrom(roots...)
	inFwd := map[*Tensor]bool{}
	for _, t := range fwd {
		inFwd[t] = true
	}
	all := fwd
	if backward {
		all = liveFrom(append(append(roots, d.ParamGrads...), d.InputGrad)...)
	}
	var b strings.Builder
	b.WriteString("digraph influence {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"Helvetica\"];\n")
	id := func(t *Tensor) string { return fmt.Sprintf("n%d", t.ID) }
	for _, t := range all {
		label := t.label()
		if t == d.Loss {
			label = "loss"
		}
		attrs := fmt.Sprintf("label=%q", fmt.Sprintf("%s %v\n%s", label, t.Shape, t.Kind))
		switch {
		case t.Kind == KindLeaf && t.Role == RoleParam:
			attrs += ", style=filled, fillcolor=\"#fde8c8\""
		case t.Kind == KindLeaf:
			attrs += ", style=filled, fillcolor=\"#d8e8fb\""
		case !inFwd[t]:
			attrs += ", style=dashed, color=\"#b03030\""
		}
		fmt.Fprintf(&b, "\t%s [%s];\n", id(t), attrs)
	}
	for _, t := range all {
		for _, a := range t.Args {
			style := ""
			if !inFwd[t] {
				style = ", style=dashed, color=\"#b03030\""
			}
			fmt.Fprintf(&b, "\t%s -> %s [label=%q%s];\n", id(a), id(t), edgeLabel(t, a), style)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// edgeLabel names the local derivative of t with respect to its argument a.
func edgeLabel(t, a *Tensor) string {
	switch t.Kind {
	case KindMap:
		return "∂" + t.label() + "/∂" + a.label()
	case KindContract:
		return "linear"
	case KindMax:
		return "argmax"
	case KindStop:
		return "no gradient"
	}
	return ""
}
