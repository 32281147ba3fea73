package ref

// Naive is a network written the way a person writes one by hand: weights
// as [][]F slices, nested range loops over rows, one sample at a time; no
// unrolling, no BLAS. Scratch slices are allocated once, in NewNaive. It is
// generic so that float32 and float64 share one source; Go compiles a
// separate instance for each.
type Naive[F Float] struct {
	Arch
	W [][][]F // W[l][j][i]: weight from input i to output j of layer l
	B [][]F   // B[l][j]

	a     [][]F // a[0] is the input, a[l+1] = f(z[l])
	z     [][]F
	delta [][]F   // dLoss/dz per layer
	gW    [][][]F // batch gradients
	gB    [][]F
}

// NewNaive returns a network with a copy of params: weight and bias of each
// layer in turn, each flat in PyTorch's [out][in] order (as the generated
// package's Tensors returns them).
func NewNaive[F Float](arch Arch, params [][]F) *Naive[F] {
	n := &Naive[F]{Arch: arch}
	L := len(arch.Sizes) - 1
	n.a = make([][]F, L+1)
	for l := range L {
		in, out := arch.Sizes[l], arch.Sizes[l+1]
		w := make([][]F, out)
		gw := make([][]F, out)
		for j := range w {
			w[j] = make([]F, in)
			copy(w[j], params[2*l][j*in:(j+1)*in])
			gw[j] = make([]F, in)
		}
		b := make([]F, out)
		copy(b, params[2*l+1])
		n.W = append(n.W, w)
		n.B = append(n.B, b)
		n.gW = append(n.gW, gw)
		n.gB = append(n.gB, make([]F, out))
		n.z = append(n.z, make([]F, out))
		n.delta = append(n.delta, make([]F, out))
		n.a[l+1] = make([]F, out)
	}
	return n
}

// Params returns copies of the parameters in the order NewNaive takes them.
func (n *Naive[F]) Params() [][]F {
	var ps [][]F
	for l := range n.W {
		var w []F
		for _, row := range n.W[l] {
			w = append(w, row...)
		}
		ps = append(ps, w, append([]F(nil), n.B[l]...))
	}
	return ps
}

// forward computes every layer's z, and a up to the last hidden layer.
func (n *Naive[F]) forward(x []F) {
	n.a[0] = x
	L := len(n.W)
	for l := 0; l < L; l++ {
		in, z := n.a[l], n.z[l]
		for j, row := range n.W[l] {
			sum := n.B[l][j]
			for i, w := range row {
				sum += w * in[i]
			}
			z[j] = sum
		}
		if l < L-1 {
			activate(n.Hidden, z, n.a[l+1])
		}
	}
}

// Forward returns the output for x; it points into n.
func (n *Naive[F]) Forward(x []F) []F {
	n.forward(x)
	L := len(n.W)
	output(n.Out, n.z[L-1], n.a[L], nil)
	return n.a[L]
}

// backward runs forward and computes the loss and every layer's delta.
func (n *Naive[F]) backward(x, d []F) F {
	n.forward(x)
	L := len(n.W)
	y := n.a[L]
	loss := output(n.Out, n.z[L-1], y, d)
	for j := range n.delta[L-1] {
		n.delta[L-1][j] = y[j] - d[j]
	}
	for l := L - 1; l > 0; l-- {
		next, cur := n.delta[l], n.delta[l-1]
		for i := range cur {
			var sum F
			for j, row := range n.W[l] {
				sum += row[i] * next[j]
			}
			cur[i] = sum * slope(n.Hidden, n.z[l-1][i], n.a[l][i])
		}
	}
	return loss
}

// TrainStep is one SGD step on one sample: forward, backward, and
// W -= lr·dW. It returns the loss before the update.
func (n *Naive[F]) TrainStep(x, d []F, lr F) F {
	loss := n.backward(x, d)
	for l := range n.W {
		in := n.a[l]
		for j, row := range n.W[l] {
			g := lr * n.delta[l][j]
			for i := range row {
				row[i] -= g * in[i]
			}
			n.B[l][j] -= g
		}
	}
	return loss
}

// TrainBatch is one step of minibatch gradient descent: it adds up the
// gradients of the samples, then W -= (lr/n)·ΣdW. It returns the sum of the
// losses before the update.
func (n *Naive[F]) TrainBatch(xs, ds [][]F, lr F) F {
	for l := range n.gW {
		for j, row := range n.gW[l] {
			for i := range row {
				row[i] = 0
			}
			n.gB[l][j] = 0
		}
	}
	var loss F
	for s := range xs {
		loss += n.backward(xs[s], ds[s])
		for l := range n.W {
			in := n.a[l]
			for j, row := range n.gW[l] {
				g := n.delta[l][j]
				for i := range row {
					row[i] += g * in[i]
				}
				n.gB[l][j] += g
			}
		}
	}
	scale := lr / F(len(xs))
	for l := range n.W {
		for j, row := range n.W[l] {
			grad := n.gW[l][j]
			for i := range row {
				row[i] -= scale * grad[i]
			}
			n.B[l][j] -= scale * n.gB[l][j]
		}
	}
	return loss
}
