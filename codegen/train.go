package codegen

import (
	"github.com/bpgen/bpgen/symbolic"
	"github.com/dave/jennifer/jen"
)

// The training calls change the model only when the whole step is finite.
// Their rule, stated once in each call's doc comment: an input, target or
// learning rate that is NaN or infinite, a NaN or infinite loss, or a step
// lr·g whose norm is NaN or infinite leaves the model as it was, and the
// call returns a value that is not finite. The norm, |lr|·sqrt(g·g), is NaN
// or infinite exactly when an element of lr·g is, except that a gradient
// whose squared norm overflows (|g| above about 1.8e19 in float32) is
// refused too. The fused TrainStep checks a bound of the norm from the
// vectors its gradient steps read, before its first update; when the
// bound is not finite, the gradient itself decides, as in Step.

// guardable reports whether the fused training step can bound the squared
// norm of the gradient that st computes before any parameter changes: a
// stored vector or scalar that is copied, or the contraction of two of
// them (the outer product of a dense layer's weight gradient).
func guardable(st step) bool {
	small := func(t *symbolic.Tensor) bool { return len(t.Shape) <= 1 }
	if st.copyTo {
		return small(st.t)
	}
	t := st.t
	return t.Kind == symbolic.KindContract && len(t.Args) == 2 && small(t.Args[0]) && small(t.Args[1])
}

// normSq returns an expression for the squared norm of the vector or
// scalar a, as the training functions read it.
func (f *funcGen) normSq(a *symbolic.Tensor) *jen.Statement {
	switch {
	case a.Scalar():
		return f.access(a, nil).Op("*").Add(f.access(a, nil))
	case a.Size() < minSIMD:
		return jen.Id("sumSq").Call(f.slice(a, nil)) // inlined: no kernel call for a few elements
	}
	return jen.Id("dot").Call(f.slice(a, nil), f.slice(a, nil))
}

// gradNormSq returns an upper bound of the squared norm of the gradient
// that the guardable step st computes. For a contraction of a and b it is
// |a|²·|b|² (Cauchy-Schwarz) times the range of every index that only one
// argument sums over or that no argument has.
func (f *funcGen) gradNormSq(st step) *jen.Statement {
	if st.copyTo {
		return f.normSq(st.t)
	}
	t := st.t
	uses := make([]int, len(t.Dims))
	for _, ix := range t.Index {
		for _, i := range ix {
			uses[i]++
		}
	}
	isOut := make([]bool, len(t.Dims))
	for _, o := range t.Out {
		isOut[o] = true
	}
	factor := 1
	for i, n := range t.Dims {
		if isOut[i] && uses[i] == 0 || !isOut[i] && uses[i] == 1 {
			factor *= n
		}
	}
	bound := f.normSq(t.Args[0]).Op("*").Add(f.normSq(t.Args[1]))
	if factor != 1 {
		bound = jen.Lit(factor).Op("*").Add(bound)
	}
	return bound
}

// genTrainBackward emits trainBackward: backward with each parameter
// gradient applied as soon as it is known, after a check that the whole
// step is finite.
func genTrainBackward(f *jen.File, p *plan) {
	fg := &funcGen{p: p, update: true}
	var body []jen.Code
	for _, s := range p.grads[:p.tail] {
		body = append(body, fg.genStep(s)...)
	}
	body = append(body,
		jen.Comment("Every gradient below is known from the values above: the step lr·g is"),
		jen.Comment("finite if lr times the bound of its norm is (see finiteStep)."),
		jen.Var().Id("sq").Id("Float"),
	)
	for _, s := range p.grads[p.tail:] {
		body = append(body, jen.Id("sq").Op("+=").Add(fg.gradNormSq(s)))
	}
	body = append(body, jen.If(jen.Op("!").Id("finiteStep").Call(jen.Id("lr"), jen.Id("sq"))).Block(jen.Return(jen.False())))
	for _, s := range p.grads[p.tail:] {
		body = append(body, fg.genStep(s)...)
	}
	body = append(body, jen.Return(jen.True()))
	f.Comment("trainBackward is backward with each parameter gradient applied as soon as")
	f.Comment("it is known, W -= lr * dW, instead of stored: every gradient that reads a")
	f.Comment("parameter is computed before any parameter changes. It reports false, and")
	f.Comment("changes nothing, when a bound of the step's norm is not finite.")
	f.Func().Params(jen.Id("m").Op("*").Id("Model")).Id("trainBackward").Params(
		jen.Id("ws").Op("*").Id("Workspace"),
		jen.Id("x").Op("*").Index(jen.Id("InputSize")).Id("Float"),
		jen.Id("d").Op("*").Index(jen.Id("TargetSize")).Id("Float"),
		jen.Id("lr").Id("Float"),
	).Bool().Block(body...)
}

// genTrain emits the training calls TrainStep, TrainBatch and Step.
func genTrain(f *jen.File, p *plan) {
	xT := jen.Op("*").Index(jen.Id("InputSize")).Id("Float")
	dT := jen.Op("*").Index(jen.Id("TargetSize")).Id("Float")
	notFinite := func(loss string) *jen.Statement {
		return jen.If(jen.Id(loss).Op("-").Id(loss).Op("!=").Lit(0)).Block(
			jen.Return(jen.Id(loss)).Comment("NaN or infinite: leave the model unchanged"),
		)
	}
	refuse := func(cond jen.Code, why string) *jen.Statement {
		return jen.If(cond).Block(jen.Return(jen.Id("nan").Call()).Comment(why))
	}
	badLR := jen.Id("lr").Op("-").Id("lr").Op("!=").Lit(0)

	net := p.d.Network
	train := []jen.Code{
		refuse(jen.Op("!").Id(finiteFunc(net.Input)).Call(jen.Id("x").Index(jen.Op(":"))).Op("||").Op("!").Id(finiteFunc(net.Target)).Call(jen.Id("d").Index(jen.Op(":"))).Op("||").Add(badLR.Clone()),
			"a NaN or infinite input, target or learning rate"),
		jen.Id("m").Dot("forward").Call(jen.Id("ws"), jen.Id("x")),
		jen.Id("loss").Op(":=").Id("m").Dot("divergence").Call(jen.Id("ws"), jen.Id("x"), jen.Id("d")),
		notFinite("loss"),
	}
	unfused := []jen.Code{
		jen.Id("ws").Dot("grad").Dot("Zero").Call(),
		jen.Id("m").Dot("backward").Call(jen.Id("ws"), jen.Id("x"), jen.Id("d"), jen.Op("&").Id("ws").Dot("grad")),
		refuse(jen.Op("!").Id("m").Dot("step").Call(jen.Op("&").Id("ws").Dot("grad"), jen.Id("lr"), jen.Lit(1)), "a NaN or infinite step"),
	}
	if p.fusedUpdate {
		// The fused step checks a bound of the step's norm; when the bound
		// is not finite, the gradient itself decides, as in Step.
		train = append(train, jen.If(jen.Op("!").Id("m").Dot("trainBackward").Call(jen.Id("ws"), jen.Id("x"), jen.Id("d"), jen.Id("lr"))).Block(
			append([]jen.Code{jen.Comment("the bound of the step is not finite: decide on the gradient itself")}, unfused...)...,
		))
	} else {
		train = append(train, unfused...)
	}
	train = append(train, jen.Return(jen.Id("loss")))
	f.Comment("TrainStep is one step of stochastic gradient descent on one sample: forward,")
	f.Comment("backward, and W -= lr * dW for every parameter, with each gradient applied")
	f.Comment("as soon as it is known rather than stored. It returns the divergence before")
	f.Comment("the update, and does not allocate. When the input, the target, lr, the")
	f.Comment("divergence or the step is NaN or infinite, TrainStep leaves the model")
	f.Comment("unchanged and returns a value that is not finite (the divergence, or NaN),")
	f.Comment("so one bad sample cannot poison the weights.")
	f.Func().Params(jen.Id("m").Op("*").Id("Model")).Id("TrainStep").Params(jen.Id("ws").Op("*").Id("Workspace"), jen.Id("x").Add(xT.Clone()), jen.Id("d").Add(dT.Clone()), jen.Id("lr").Id("Float")).Id("Float").Block(train...)

	xsT := jen.Index().Index(jen.Id("InputSize")).Id("Float")
	dsT := jen.Index().Index(jen.Id("TargetSize")).Id("Float")
	f.Comment("TrainBatch is one step of minibatch gradient descent: the mean gradient over")
	f.Comment("the samples, then W -= lr * mean for every parameter. It returns the sum of")
	f.Comment("the divergences before the update, like BackwardBatch, and does not allocate.")
	f.Comment("When any input or target of the batch, lr, that sum or the step is NaN or")
	f.Comment("infinite, TrainBatch leaves the model unchanged (the whole batch is skipped)")
	f.Comment("and returns a value that is not finite (the sum, or NaN).")
	f.Func().Params(jen.Id("m").Op("*").Id("Model")).Id("TrainBatch").Params(jen.Id("ws").Op("*").Id("Workspace"), jen.Id("xs").Add(xsT), jen.Id("ds").Add(dsT), jen.Id("lr").Id("Float")).Id("Float").Block(
		jen.If(jen.Len(jen.Id("xs")).Op("==").Lit(0)).Block(jen.Return(jen.Lit(0))),
		jen.Id("ds").Op("=").Id("ds").Index(jen.Op(":").Len(jen.Id("xs"))),
		refuse(jen.Op("!").Id("finiteBatch").Call(jen.Id("xs"), jen.Id("ds")).Op("||").Add(badLR.Clone()), "a NaN or infinite input, target or learning rate"),
		jen.If(jen.Len(jen.Id("ws").Dot("workers")).Op(">").Lit(0).Op("&&").Len(jen.Id("xs")).Op(">").Len(jen.Id("ws").Dot("workers"))).Block(
			jen.Return(jen.Id("m").Dot("trainParallel").Call(jen.Id("ws"), jen.Id("xs"), jen.Id("ds"), jen.Id("lr"))),
		),
		jen.Id("ws").Dot("grad").Dot("Zero").Call(),
		jen.Id("sum").Op(":=").Id("m").Dot("BackwardBatch").Call(jen.Id("ws"), jen.Id("xs"), jen.Id("ds"), jen.Op("&").Id("ws").Dot("grad")),
		notFinite("sum"),
		refuse(jen.Op("!").Id("m").Dot("step").Call(jen.Op("&").Id("ws").Dot("grad"), jen.Id("lr"), jen.Len(jen.Id("xs"))), "a NaN or infinite step"),
		jen.Return(jen.Id("sum")),
	)
	genStep(f)
}

// genStep emits Step, its internal form step, and the finiteness checks
// the training calls share.
func genStep(f *jen.File) {
	gT := jen.Op("*").Id("Gradients")
	f.Comment("Step is one step of gradient descent: every parameter W -= (lr/n) * g.W")
	f.Comment("(with fused multiply-adds where the CPU has them). It does nothing when")
	f.Comment("n <= 0, or when lr or an element of g is NaN or infinite (more exactly:")
	f.Comment("when the norm of the step, |lr/n|·sqrt(g·g), is), so that one bad")
	f.Comment("gradient cannot poison the model. It does not allocate.")
	f.Func().Params(jen.Id("m").Op("*").Id("Model")).Id("Step").Params(jen.Id("g").Add(gT.Clone()), jen.Id("lr").Id("Float"), jen.Id("n").Int()).Block(
		jen.Id("m").Dot("step").Call(jen.Id("g"), jen.Id("lr"), jen.Id("n")),
	)
	f.Comment("step is Step; it reports whether it changed the parameters.")
	f.Func().Params(jen.Id("m").Op("*").Id("Model")).Id("step").Params(jen.Id("g").Add(gT.Clone()), jen.Id("lr").Id("Float"), jen.Id("n").Int()).Bool().Block(
		jen.If(jen.Id("n").Op("<=").Lit(0)).Block(jen.Return(jen.False())),
		jen.Id("s").Op(":=").Id("lr").Op("/").Id("Float").Call(jen.Id("n")),
		jen.If(jen.Op("!").Id("finiteStep").Call(jen.Id("s"), jen.Id("dot").Call(jen.Id("g").Dot("flat").Call(), jen.Id("g").Dot("flat").Call()))).Block(jen.Return(jen.False())),
		jen.Id("axpy").Call(jen.Id("m").Dot("flat").Call(), jen.Op("-").Id("s"), jen.Id("g").Dot("flat").Call()),
		jen.Return(jen.True()),
	)
	genFinite(f)
}

// finiteFunc returns the helper that checks that every element of t is
// finite: finiteShort, which the compiler inlines, for a short vector.
func finiteFunc(t *symbolic.Tensor) string {
	if t.Size() < minSIMD {
		return "finiteShort"
	}
	return "finite"
}

// genFinite emits the helpers that decide whether values are finite.
func genFinite(f *jen.File) {
	v := func(i int) *jen.Statement { return jen.Id("v").Index(jen.Lit(i)) }
	var four []jen.Code
	for i := range 4 {
		s := jen.Id("s" + string(rune('0'+i)))
		four = append(four, s.Op("+=").Add(v(i)).Op("-").Add(v(i)))
	}
	f.Comment("finite reports whether every element of v is finite: e-e is 0 for a")
	f.Comment("finite e and NaN for an infinite or NaN one.")
	f.Func().Id("finite").Params(jen.Id("v").Index().Id("Float")).Bool().Block(
		jen.Var().List(jen.Id("s0"), jen.Id("s1"), jen.Id("s2"), jen.Id("s3")).Id("Float"),
		jen.For(jen.Len(jen.Id("v")).Op(">=").Lit(4)).Block(append(four, jen.Id("v").Op("=").Id("v").Index(jen.Lit(4).Op(":")))...),
		jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("v")).Block(
			jen.Id("s0").Op("+=").Id("e").Op("-").Id("e"),
		),
		jen.Return(jen.Id("s0").Op("+").Id("s1").Op("+").Id("s2").Op("+").Id("s3").Op("==").Lit(0)),
	)
	f.Comment("finiteShort is finite for a few elements, in a loop short enough to be")
	f.Comment("inlined.")
	f.Func().Id("finiteShort").Params(jen.Id("v").Index().Id("Float")).Bool().Block(
		jen.Var().Id("s").Id("Float"),
		jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("v")).Block(
			jen.Id("s").Op("+=").Id("e").Op("-").Id("e"),
		),
		jen.Return(jen.Id("s").Op("==").Lit(0)),
	)
	f.Comment("sumSq returns the sum of the squares of v, for vectors too short for dot.")
	f.Func().Id("sumSq").Params(jen.Id("v").Index().Id("Float")).Id("Float").Block(
		jen.Var().Id("s").Id("Float"),
		jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("v")).Block(
			jen.Id("s").Op("+=").Id("e").Op("*").Id("e"),
		),
		jen.Return(jen.Id("s")),
	)
	f.Comment("finiteBatch reports whether every input and target of a batch is finite.")
	f.Func().Id("finiteBatch").Params(jen.Id("xs").Index().Index(jen.Id("InputSize")).Id("Float"), jen.Id("ds").Index().Index(jen.Id("TargetSize")).Id("Float")).Bool().Block(
		jen.For(jen.Id("i").Op(":=").Range().Id("xs")).Block(
			jen.If(jen.Op("!").Id("finite").Call(jen.Id("xs").Index(jen.Id("i")).Index(jen.Op(":"))).Op("||").Op("!").Id("finite").Call(jen.Id("ds").Index(jen.Id("i")).Index(jen.Op(":")))).Block(jen.Return(jen.False())),
		),
		jen.Return(jen.True()),
	)
	f.Comment("finiteStep reports whether the step s·g is finite, given sq, the squared")
	f.Comment("norm of g or a bound of it: |s|·sqrt(sq) is NaN or infinite when s or an")
	f.Comment("element of g is.")
	f.Func().Id("finiteStep").Params(jen.Id("s"), jen.Id("sq").Id("Float")).Bool().Block(
		jen.Id("u").Op(":=").Id("s").Op("*").Id("sqrt").Call(jen.Id("sq")),
		jen.Return(jen.Id("u").Op("-").Id("u").Op("==").Lit(0)),
	)
	f.Comment("nan returns a NaN.")
	f.Func().Id("nan").Params().Id("Float").Block(
		jen.Return(jen.Id("Float").Call(jen.Qual("math", "NaN").Call())),
	)
}
