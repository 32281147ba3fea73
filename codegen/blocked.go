package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/bpgen/bpgen/symbolic"
)

// unrollFactor is the number of rows a two-level contraction handles per
// iteration of its outer loop: the largest of 4, 2, 1 that divides n. Four
// rows give four independent accumulators (hiding the latency of the
// additions) and let each element of the shared vector be loaded once for
// four multiplications.
func unrollFactor(n int) int {
	for _, r := range []int{4, 2} {
		if n%r == 0 {
			return r
		}
	}
	return 1
}

// genContract2 emits a contraction whose loop nest has exactly two levels,
// an outer index o and an inner index n (the matrix-vector products of
// dense layers and their adjoints), with the outer loop unrolled by R:
//
//	dot:   out[o] = sum_n A[o][n]*v[n]        R rows, R accumulators
//	axpy:  out[n] += sum_o v[o]*A[o][n]       R rows folded into one update of out
//	outer: out[o][n] = u[o]*v[n]              R rows per iteration
//
// Operands indexed by [o][n] are read through row pointers, so the inner
// loop over n has no bounds checks.
func (f *funcGen) genContract2(st step, cp contractPlan) []jen.Code {
	t := st.t
	o, n := cp.order[0], cp.order[1]
	R := unrollFactor(t.Dims[o])
	summed := len(t.Dims) > len(t.Out)
	if !summed && len(t.Args) == 2 && len(t.Out) == 2 && t.Out[0] == o && t.Out[1] == n &&
		len(t.Index[0]) == 1 && len(t.Index[1]) == 1 && t.Index[0][0] != t.Index[1][0] {
		return f.genOuter(st, o, n)
	}
	var zero []jen.Code
	if summed && !cp.dot && !st.accum {
		vars := indexNames[len(indexNames)-len(t.Shape):]
		zero = loopNest(vars, t.Shape, []jen.Code{f.dest(st, ids(vars)).Op("=").Lit(0)})
	}
	oi := func(r int) jen.Code {
		if r == 0 {
			return jen.Id("i")
		}
		return jen.Id("i").Op("+").Lit(r)
	}
	// kind of each operand: which of o, n index it
	type operand struct {
		t      *symbolic.Tensor
		hasO   bool
		hasN   bool
		rowMaj bool // indexed [o][n]
	}
	ops := make([]operand, len(t.Args))
	for k, a := range t.Args {
		op := operand{t: a}
		for _, ix := range t.Index[k] {
			op.hasO = op.hasO || ix == o
			op.hasN = op.hasN || ix == n
		}
		op.rowMaj = len(t.Index[k]) == 2 && t.Index[k][0] == o && t.Index[k][1] == n
		ops[k] = op
	}
	if code, ok := f.genContractSIMD(st, cp, o, n); ok {
		return append(f.perSample(zero), code...)
	}
	// In block mode the scalar loops below run inside one loop over the
	// samples, which genBlockStep adds.
	out := zero
	var top, outerPre, innerPre []jen.Code
	// factor r returns the code of operand k for row r inside the inner loop.
	factors := make([]func(r int) jen.Code, len(ops))
	for k, op := range ops {
		k, op := k, op
		idx := func(r int) []jen.Code {
			c := make([]jen.Code, len(t.Index[k]))
			for i, ix := range t.Index[k] {
				if ix == o {
					c[i] = oi(r)
				} else {
					c[i] = jen.Id("j")
				}
			}
			return c
		}
		switch {
		case !op.hasO && !op.hasN:
			v := f.temp()
			top = append(top, jen.Id(v).Op(":=").Add(f.access(op.t, nil)))
			factors[k] = func(int) jen.Code { return jen.Id(v) }
		case op.hasO && !op.hasN:
			vs := make([]string, R)
			for r := range R {
				vs[r] = f.temp()
				outerPre = append(outerPre, jen.Id(vs[r]).Op(":=").Add(f.access(op.t, idx(r))))
			}
			factors[k] = func(r int) jen.Code { return jen.Id(vs[r]) }
		case !op.hasO && op.hasN:
			if R == 1 {
				factors[k] = func(int) jen.Code { return f.access(op.t, idx(0)) }
				break
			}
			v := f.temp()
			innerPre = append(innerPre, jen.Id(v).Op(":=").Add(f.access(op.t, idx(0))))
			factors[k] = func(int) jen.Code { return jen.Id(v) }
		case op.rowMaj:
			vs := make([]string, R)
			for r := range R {
				vs[r] = f.temp()
				outerPre = append(outerPre, jen.Id(vs[r]).Op(":=").Op("&").Add(f.access(op.t, idx(r)[:1])))
			}
			factors[k] = func(r int) jen.Code { return jen.Id(vs[r]).Index(jen.Id("j")) }
		default:
			factors[k] = func(r int) jen.Code { return f.access(op.t, idx(r)) }
		}
	}
	prod := func(r int) *jen.Statement {
		s := jen.Null()
		for k := range ops {
			if k > 0 {
				s = s.Op("*")
			}
			s = s.Add(factors[k](r))
		}
		return s
	}
	destOf := func(r int) []jen.Code {
		c := make([]jen.Code, len(t.Out))
		for i, ix := range t.Out {
			if ix == o {
				c[i] = oi(r)
			} else {
				c[i] = jen.Id("j")
			}
		}
		return c
	}
	innerLoop := func(body []jen.Code) jen.Code {
		return jen.For(jen.Id("j").Op(":=").Range().Lit(t.Dims[n])).Block(append(append([]jen.Code{}, innerPre...), body...)...)
	}
	var outerBody []jen.Code
	outerBody = append(outerBody, outerPre...)
	switch {
	case cp.dot:
		accs := make([]string, R)
		var body []jen.Code
		for r := range R {
			accs[r] = f.temp()
			outerBody = append(outerBody, jen.Var().Id(accs[r]).Id("Float"))
			body = append(body, jen.Id(accs[r]).Op("+=").Add(prod(r)))
		}
		outerBody = append(outerBody, innerLoop(body))
		for r := range R {
			outerBody = append(outerBody, f.store(st, destOf(r), assignOp(st.accum), jen.Id(accs[r])))
		}
	case summed: // axpy: the destination is indexed by n only
		sum := jen.Null()
		for r := range R {
			if r > 0 {
				sum = sum.Op("+")
			}
			sum = sum.Add(prod(r))
		}
		outerBody = append(outerBody, innerLoop([]jen.Code{f.store(st, destOf(0), "+=", sum)}))
	default: // no summed index: every element written once
		var body []jen.Code
		for r := range R {
			body = append(body, f.store(st, destOf(r), assignOp(st.accum), prod(r)))
		}
		outerBody = append(outerBody, innerLoop(body))
	}
	var loop jen.Code
	if R == 1 {
		loop = jen.For(jen.Id("i").Op(":=").Range().Lit(t.Dims[o])).Block(outerBody...)
	} else {
		loop = jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Lit(t.Dims[o]), jen.Id("i").Op("+=").Lit(R)).Block(outerBody...)
	}
	return append(append(out, top...), loop)
}

// genOuter emits the outer product out[o][n] = u[o]*v[n], the gradient of a
// dense weight, a row at a time. A row whose u[o] is zero (a ReLU unit that
// is off) adds nothing and is skipped. In a training function the row is
// applied to the weight at once: W[o][n] -= (lr*u[o]) * v[n].
func (f *funcGen) genOuter(st step, o, n int) []jen.Code {
	t := st.t
	ku, kv := 0, 1
	if t.Index[0][0] != o {
		ku, kv = 1, 0
	}
	u, row := f.temp(), f.temp()
	body := []jen.Code{jen.Id(u).Op(":=").Add(f.access(t.Args[ku], []jen.Code{jen.Id("i")}))}
	op := assignOp(st.accum)
	if (st.accum || f.update && st.dest == destGrad) && t.Dims[n] >= minSIMD {
		// skip an inactive unit's row; a shorter row costs less than the test
		body = append(body, jen.If(jen.Id(u).Op("==").Lit(0)).Block(jen.Continue()))
	}
	if f.update && st.dest == destGrad {
		body = append(body, jen.Id(u).Op("*=").Id("lr"))
		op = "-="
	}
	if f.block && op == "+=" && t.Dims[n] >= minSIMD {
		return f.genOuterBlock(st, o, n, ku, kv)
	}
	if op != "=" && t.Dims[n] >= minSIMD {
		if op == "-=" {
			body = append(body, jen.Id("axpy").Call(f.destSlice(st, []jen.Code{jen.Id("i")}), jen.Op("-").Id(u), f.slice(t.Args[kv], nil)))
		} else {
			body = append(body, jen.Id("axpy").Call(f.destSlice(st, []jen.Code{jen.Id("i")}), jen.Id(u), f.slice(t.Args[kv], nil)))
		}
		return []jen.Code{jen.For(jen.Id("i").Op(":=").Range().Lit(t.Dims[o])).Block(f.perSample(body)...)}
	}
	body = append(body,
		jen.Id(row).Op(":=").Op("&").Add(f.dest(st, []jen.Code{jen.Id("i")})),
		jen.For(jen.Id("j").Op(":=").Range().Lit(t.Dims[n])).Block(
			jen.Id(row).Index(jen.Id("j")).Op(op).Id(u).Op("*").Add(f.access(t.Args[kv], []jen.Code{jen.Id("j")})),
		),
	)
	return []jen.Code{jen.For(jen.Id("i").Op(":=").Range().Lit(t.Dims[o])).Block(f.perSample(body)...)}
}

// genOuterBlock emits the gradient of a dense weight for a block of
// samples, dW[o] += sum over samples b of u_b[o] * v_b: for each row, the
// samples whose u_b[o] is nonzero (an active unit) are gathered, then
// added four at a time by axpy4, so that the row is loaded and stored once
// for every four samples instead of once for each.
func (f *funcGen) genOuterBlock(st step, o, n, ku, kv int) []jen.Code {
	t := st.t
	row := f.destSlice(st, []jen.Code{jen.Id("i")})
	at := func(c jen.Code) jen.Code { // v of the sample whose index is c
		f.sample = c
		defer func() { f.sample = nil }()
		return f.slice(t.Args[kv], nil)
	}
	kPlus := func(r int) *jen.Statement { // k+r
		if r == 0 {
			return jen.Id("k")
		}
		return jen.Id("k").Op("+").Lit(r)
	}
	picked := func(r int) jen.Code { return jen.Id("us").Index(kPlus(r)) }   // the r-th gathered u
	sampleOf := func(r int) jen.Code { return jen.Id("bs").Index(kPlus(r)) } // and its sample
	u := f.temp()
	f.wrapped = true
	return []jen.Code{
		jen.For(jen.Id("i").Op(":=").Range().Lit(t.Dims[o])).Block(
			jen.Var().Id("us").Index(jen.Id("blockSize")).Id("Float").Comment("the nonzero u_b[o] of this row"),
			jen.Var().Id("bs").Index(jen.Id("blockSize")).Int().Comment("their samples"),
			jen.Id("nu").Op(":=").Lit(0),
			jen.For(jen.Id("b").Op(":=").Range().Id("xs")).Block(
				jen.Id(u).Op(":=").Add(f.access(t.Args[ku], []jen.Code{jen.Id("i")})),
				jen.If(jen.Id(u).Op("!=").Lit(0)).Block(
					jen.List(jen.Id("us").Index(jen.Id("nu")), jen.Id("bs").Index(jen.Id("nu"))).Op("=").List(jen.Id(u), jen.Id("b")),
					jen.Id("nu").Op("++"),
				),
			),
			jen.Id("k").Op(":=").Lit(0),
			jen.For(jen.Op(";").Id("k").Op("+").Lit(4).Op("<=").Id("nu").Op(";").Id("k").Op("+=").Lit(4)).Block(
				jen.Id("axpy4").Call(row.Clone(), picked(0), picked(1), picked(2), picked(3),
					at(sampleOf(0)), at(sampleOf(1)), at(sampleOf(2)), at(sampleOf(3))),
			),
			jen.For(jen.Op(";").Id("k").Op("<").Id("nu").Op(";").Id("k").Op("++")).Block(
				jen.Id("axpy").Call(row.Clone(), picked(0), at(sampleOf(0))),
			),
		),
	}
}

// minSIMD is the shortest inner loop handed to the vector kernels; shorter
// ones stay scalar loops, where a call would cost more than it saves.
const minSIMD = 16

// slice returns t[:] for a vector or for one row of a matrix given by idx.
func (f *funcGen) slice(t *symbolic.Tensor, idx []jen.Code) *jen.Statement {
	return f.access(t, idx).Index(jen.Op(":"))
}

// genContractSIMD emits the two shapes of dense-layer product as calls of
// the vector kernels (dot and axpy, AVX2 on amd64): out[o] = W[o]·v and
// out += v[o]*W[o] for every row o. It reports false for other shapes.
func (f *funcGen) genContractSIMD(st step, cp contractPlan, o, n int) ([]jen.Code, bool) {
	t := st.t
	if len(t.Args) != 2 || t.Dims[n] < minSIMD {
		return nil, false
	}
	mat, vec := 0, 1
	if len(t.Index[1]) == 2 {
		mat, vec = 1, 0
	}
	mi, vi := t.Index[mat], t.Index[vec]
	if len(mi) != 2 || mi[0] != o || mi[1] != n || len(vi) != 1 {
		return nil, false
	}
	row := f.slice(t.Args[mat], []jen.Code{jen.Id("i")})
	rowAt := func(r int) *jen.Statement {
		return f.slice(t.Args[mat], []jen.Code{jen.Id("i").Op("+").Lit(r)})
	}
	four := t.Dims[o]%4 == 0
	step4 := jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Lit(t.Dims[o]), jen.Id("i").Op("+=").Lit(4))
	switch {
	case four && cp.dot && vi[0] == n && len(t.Out) == 1 && t.Out[0] == o:
		// out[o..o+3] = W[o..o+3] · v, four rows per pass over v
		vs := []string{f.temp(), f.temp(), f.temp(), f.temp()}
		call := jen.List(jen.Id(vs[0]), jen.Id(vs[1]), jen.Id(vs[2]), jen.Id(vs[3])).Op(":=").Id("dot4").Call(
			f.slice(t.Args[mat], []jen.Code{jen.Id("i")}), rowAt(1), rowAt(2), rowAt(3), f.slice(t.Args[vec], nil))
		stmts := []jen.Code{call}
		for r := range 4 {
			var idx jen.Code = jen.Id("i")
			if r > 0 {
				idx = jen.Id("i").Op("+").Lit(r)
			}
			stmts = append(stmts, f.store(st, []jen.Code{idx}, assignOp(st.accum), jen.Id(vs[r])))
		}
		return []jen.Code{step4.Block(f.perSample(stmts)...)}, true
	case four && !cp.dot && vi[0] == o && len(t.Out) == 1 && t.Out[0] == n && !(f.update && st.dest == destGrad):
		// out += sum over four rows of v[o]*W[o], one pass over out; a
		// block of four zero v[o] (inactive units) adds nothing
		vs := []string{f.temp(), f.temp(), f.temp(), f.temp()}
		stmts := []jen.Code{}
		for r := range 4 {
			var idx jen.Code = jen.Id("i")
			if r > 0 {
				idx = jen.Id("i").Op("+").Lit(r)
			}
			stmts = append(stmts, jen.Id(vs[r]).Op(":=").Add(f.access(t.Args[vec], []jen.Code{idx})))
		}
		stmts = append(stmts,
			jen.If(jen.Id(vs[0]).Op("==").Lit(0).Op("&&").Id(vs[1]).Op("==").Lit(0).Op("&&").Id(vs[2]).Op("==").Lit(0).Op("&&").Id(vs[3]).Op("==").Lit(0)).Block(jen.Continue()),
			jen.Id("axpy4").Call(f.destSlice(st, nil), jen.Id(vs[0]), jen.Id(vs[1]), jen.Id(vs[2]), jen.Id(vs[3]),
				row, rowAt(1), rowAt(2), rowAt(3)),
		)
		return []jen.Code{step4.Block(f.perSample(stmts)...)}, true
	case cp.dot && vi[0] == n && len(t.Out) == 1 && t.Out[0] == o:
		// out[o] = W[o] · v
		call := jen.Id("dot").Call(row, f.slice(t.Args[vec], nil))
		return []jen.Code{jen.For(jen.Id("i").Op(":=").Range().Lit(t.Dims[o])).Block(f.perSample([]jen.Code{
			f.store(st, []jen.Code{jen.Id("i")}, assignOp(st.accum), call),
		})...)}, true
	case !cp.dot && vi[0] == o && len(t.Out) == 1 && t.Out[0] == n && !(f.update && st.dest == destGrad):
		// out += v[o] * W[o] for every row o; a zero v[o] adds nothing
		v := f.temp()
		return []jen.Code{jen.For(jen.Id("i").Op(":=").Range().Lit(t.Dims[o])).Block(f.perSample([]jen.Code{
			jen.Id(v).Op(":=").Add(f.access(t.Args[vec], []jen.Code{jen.Id("i")})),
			jen.If(jen.Id(v).Op("==").Lit(0)).Block(jen.Continue()),
			jen.Id("axpy").Call(f.destSlice(st, nil), jen.Id(v), row),
		})...)}, true
	}
	return nil, false
}

// destSlice returns the destination of step st as a slice, for a vector
// (idx nil) or for one row of a matrix.
func (f *funcGen) destSlice(st step, idx []jen.Code) *jen.Statement {
	return f.dest(st, idx).Index(jen.Op(":"))
}
