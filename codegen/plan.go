package codegen

import (
	"fmt"
	"unicode"

	"github.com/bpgen/bpgen/symbolic"
)

// A plan is the plain-data form of a generated package: which tensors are
// stored where, and which steps each internal function runs, in order. It
// is built from a symbolic.Derivation and read by the emitter; the emitter
// never decides what to compute, only how to write it.
type plan struct {
	d *symbolic.Derivation

	store   map[*symbolic.Tensor]*slot // where each computed tensor lives
	slots   []*slot                    // Workspace fields, in schedule order
	forward []step                     // forward: computes the output
	loss    []step                     // divergence: computes the loss from the output
	grads   []step                     // backward: adds parameter gradients into g
	inGrad  []step                     // inputBackward: writes dLoss/dx into dx

	names map[string]bool // Workspace field names in use
	temps int             // temporaries numbered so far

	// outSlot holds the output that Forward returns.
	outSlot *slot

	// fusedUpdate reports whether TrainStep can update parameters in the
	// backward pass itself, never storing their gradients.
	fusedUpdate bool
	// tail is the index in grads of the first step that writes a parameter
	// gradient; the steps before it compute what those read.
	tail int
}

// A slot is a place that holds a tensor's values: recv.field in the
// generated code (ws.h1, m.H1Weight), or the parameter x or d itself when
// recv is "".
type slot struct {
	recv  string // "ws" for Workspace fields, "m" for parameters, "" for x and d
	field string
	t     *symbolic.Tensor
}

// isLeaf reports whether the slot is an input, target or parameter.
func (s *slot) isLeaf() bool { return s.recv != "ws" }

// destKind says where a step writes.
type destKind int

const (
	destSlot  destKind = iota // the tensor's own Workspace field
	destGrad                  // g.<Param>, accumulating
	destInput                 // dx, overwriting
)

// A step computes one tensor.
type step struct {
	t      *symbolic.Tensor
	dest   destKind
	param  int  // for destGrad: index into Params
	accum  bool // add into the destination instead of overwriting it
	copyTo bool // the tensor is stored in its slot; then add/copy it to dest

	copyLeaf bool // copy the leaf t into the output slot (an output that is a leaf)
}

// exportName is the Go field name of a tensor, the same rule spec/ checks
// names against.
func exportName(name string) string { return symbolic.ExportName(name) }

// fieldName turns a tensor name into an unexported Go identifier.
func fieldName(name string) string {
	e := exportName(name)
	if e == "" {
		return ""
	}
	r := []rune(e)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func buildPlan(d *symbolic.Derivation) (*plan, error) {
	// Workspace's own fields, and names the generated code gives locals.
	reserved := map[string]bool{"loss": true, "grad": true, "workers": true, "block": true, "sampleState": true}
	p := &plan{d: d, store: map[*symbolic.Tensor]*slot{}, names: reserved}
	n := d.Network
	p.store[n.Input] = &slot{field: "x", t: n.Input}
	p.store[n.Target] = &slot{field: "d", t: n.Target}
	for _, w := range n.Params {
		p.store[w] = &slot{recv: "m", field: exportName(w.Name), t: w}
	}
	if d.Output.Scalar() {
		return nil, fmt.Errorf("codegen: the output must be a vector")
	}

	// How many tensors read each tensor: a gradient that nothing else
	// reads is computed straight into its destination.
	roots := append([]*symbolic.Tensor{d.Output, d.Loss, d.InputGrad}, d.ParamGrads...)
	readers := map[*symbolic.Tensor]int{}
	occurs := map[*symbolic.Tensor]int{} // a gradient shared by two destinations is stored
	for _, r := range roots {
		occurs[r]++
	}
	for _, t := range symbolic.Live(roots...) {
		for _, a := range t.Args {
			readers[a]++
		}
	}

	// steps lists, in topological order, the tensors that roots need and
	// that are not in have; it records them in have.
	steps := func(have map[*symbolic.Tensor]bool, roots ...*symbolic.Tensor) []step {
		var out []step
		for _, t := range symbolic.Live(roots...) {
			if have[t] || t.Kind == symbolic.KindLeaf {
				continue
			}
			have[t] = true
			p.slotFor(t)
			if t.Kind == symbolic.KindStop {
				continue
			}
			out = append(out, step{t: t, dest: destSlot})
		}
		return out
	}
	fwd := map[*symbolic.Tensor]bool{}
	p.forward = steps(fwd, d.Output)
	if d.Output.Kind == symbolic.KindLeaf {
		// The output is the input or a parameter itself (y = x): Forward
		// returns a copy of it in the Workspace.
		p.outSlot = &slot{recv: "ws", field: "output", t: d.Output}
		for p.names[p.outSlot.field] {
			p.outSlot.field += "_"
		}
		p.names[p.outSlot.field] = true
		p.slots = append(p.slots, p.outSlot)
		p.forward = append(p.forward, step{t: d.Output, copyLeaf: true})
	} else {
		p.outSlot = p.slotFor(d.Output)
	}
	p.loss = steps(fwd, d.Loss)

	// direct reports whether gradient t can go straight to its destination.
	direct := func(t *symbolic.Tensor) bool {
		return !fwd[t] && readers[t] == 0 && occurs[t] == 1 && t.Kind != symbolic.KindStop && t.Kind != symbolic.KindLeaf
	}
	have := clone(fwd)
	var tail []step
	for k, gt := range d.ParamGrads {
		switch {
		case gt.IsZero():
		case direct(gt) && !have[gt]:
			have[gt] = true
			p.grads = append(p.grads, steps(have, gt.Args...)...)
			tail = append(tail, step{t: gt, dest: destGrad, param: k, accum: true})
		default:
			p.grads = append(p.grads, steps(have, gt)...)
			tail = append(tail, step{t: gt, dest: destGrad, param: k, accum: true, copyTo: true})
		}
	}
	p.tail = len(p.grads)
	p.grads = append(p.grads, tail...)
	// The training step updates each parameter as soon as its gradient is
	// known. That is sound when no gradient step reads a parameter's value,
	// so no update can be seen by a later step, and when the norm of every
	// gradient can be bounded before the first update (see guardable).
	p.fusedUpdate = true
	for _, st := range tail {
		if !guardable(st) {
			p.fusedUpdate = false
		}
		if st.copyTo {
			continue // copies a stored value computed before the tail
		}
		for _, a := range st.t.Args {
			if a.Role == symbolic.RoleParam {
				p.fusedUpdate = false
			}
		}
	}

	have = clone(fwd)
	ig := d.InputGrad
	switch {
	case ig.IsZero():
		p.inGrad = []step{{t: ig, dest: destInput}}
	case direct(ig):
		p.inGrad = append(steps(have, ig.Args...), step{t: ig, dest: destInput})
	default:
		p.inGrad = append(steps(have, ig), step{t: ig, dest: destInput, copyTo: true})
	}
	return p, nil
}

// slotFor returns the slot of t, giving a computed tensor a Workspace
// field the first time: its spec name if it has a free one, else the next
// temporary t0, t1, ... A stop-gradient shares its argument's slot.
func (p *plan) slotFor(t *symbolic.Tensor) *slot {
	if s, ok := p.store[t]; ok {
		return s
	}
	if t.Kind == symbolic.KindStop {
		s := p.slotFor(t.Args[0])
		p.store[t] = s
		return s
	}
	name := fieldName(t.Name)
	for name == "" || p.names[name] {
		name = fmt.Sprintf("t%d", p.temps)
		p.temps++
	}
	p.names[name] = true
	s := &slot{recv: "ws", field: name, t: t}
	p.slots = append(p.slots, s)
	p.store[t] = s
	return s
}

// perSample reports whether step st reads or writes a value of the
// sample: only a parameter gradient computed from parameters and
// constants alone does not.
func (p *plan) perSample(st step) bool {
	if st.dest != destGrad || st.copyTo || st.copyLeaf {
		return true
	}
	for _, a := range st.t.Args {
		if s, ok := p.store[a]; !ok || s.recv != "m" {
			return true
		}
	}
	return false
}

func clone(m map[*symbolic.Tensor]bool) map[*symbolic.Tensor]bool {
	c := make(map[*symbolic.Tensor]bool, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// label names t as the generated code does: leaves by their spec names,
// stored tensors by their Workspace fields.
func (p *plan) label(t *symbolic.Tensor) string {
	s, ok := p.store[t]
	switch {
	case !ok && t.Name != "":
		return t.Name
	case !ok:
		return fmt.Sprintf("t%d", t.ID)
	case s.isLeaf():
		return t.Name
	}
	return s.field
}
