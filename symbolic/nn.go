package symbolic

// The functions in this file build the layers, activations and divergences
// of the lecture from the tensor op kinds. None of them states a
// derivative: Derive finds their gradients from their structure.

// Affine returns W*v + b.
func (g *Graph) Affine(w, v, b *Tensor) *Tensor {
	return g.Map(g.Add(g.Ref(g.MatVec(w, v)), g.Ref(b)))
}

// Softmax returns y[i] = exp(z[i]) / sum_j exp(z[j]), computed as
// exp(z[i] - m) / sum_j exp(z[j] - m) with m = max(z), so that no exp
// overflows. The shift m does not change the value, so no gradient flows
// into it.
func (g *Graph) Softmax(z *Tensor) *Tensor {
	_, e, s := g.softmaxParts(z)
	return g.Map(g.Div(g.Ref(e), g.Ref(s)))
}

// LogSoftmax returns log(softmax(z)) = z[i] - m - log(sum_j exp(z[j] - m)).
func (g *Graph) LogSoftmax(z *Tensor) *Tensor {
	m, _, s := g.softmaxParts(z)
	return g.Map(g.Sub(g.Sub(g.Ref(z), g.Ref(m)), g.Log(g.Ref(s))))
}

func (g *Graph) softmaxParts(z *Tensor) (m, e, s *Tensor) {
	m = g.StopGradient(g.GroupMax(z, z.Size(), true))
	e = g.Map(g.Exp(g.Sub(g.Ref(z), g.Ref(m))))
	s = g.Sum(e)
	return m, e, s
}

// CrossEntropy returns -sum_i d[i] log y[i].
func (g *Graph) CrossEntropy(y, d *Tensor) *Tensor {
	return g.Sum(g.Map(g.Neg(g.Mul(g.Ref(d), g.Log(g.Ref(y))))))
}

// KL returns sum_i d[i] log(d[i] / y[i]), with 0 log 0 = 0.
func (g *Graph) KL(y, d *Tensor) *Tensor {
	rd, ry := g.Ref(d), g.Ref(y)
	return g.Sum(g.Map(g.Sub(
		g.Select(rd, g.Mul(rd, g.Log(rd)), g.Const(0)),
		g.Mul(rd, g.Log(ry)))))
}

// L2 returns 1/2 sum_i (y[i] - d[i])^2.
func (g *Graph) L2(y, d *Tensor) *Tensor {
	return g.Sum(g.Map(g.Mul(g.Const(0.5), g.Pow(g.Sub(g.Ref(y), g.Ref(d)), 2))))
}

// BCE returns the binary KL divergence -sum_i (d[i] log y[i] + (1-d[i]) log(1-y[i])).
func (g *Graph) BCE(y, d *Tensor) *Tensor {
	rd, ry := g.Ref(d), g.Ref(y)
	one := g.Const(1)
	return g.Sum(g.Map(g.Neg(g.Add(
		g.Mul(rd, g.Log(ry)),
		g.Mul(g.Sub(one, rd), g.Log(g.Sub(one, ry)))))))
}
