package ref

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Gonum32 is the network on gonum's BLAS in float32: Gemv and Ger for one
// sample, Gemm for a batch. Weights are row-major [out][in] matrices.
type Gonum32 struct {
	Arch
	W []blas32.General // W[l] is out×in
	B []blas32.Vector

	// one sample
	a     []blas32.Vector // a[0] is the input, a[l+1] = f(z[l])
	z     []blas32.Vector
	delta []blas32.Vector

	// a batch of rows samples, one sample per row
	rows   int
	bA     []blas32.General // bA[0] is the input batch
	bZ     []blas32.General
	bDelta []blas32.General
}

// NewGonum32 returns a network with a copy of params, as NewNaive.
func NewGonum32(arch Arch, params [][]float32) *Gonum32 {
	n := &Gonum32{Arch: arch}
	L := len(arch.Sizes) - 1
	n.a = make([]blas32.Vector, L+1)
	for l := range L {
		in, out := arch.Sizes[l], arch.Sizes[l+1]
		w := newGeneral32(out, in)
		copy(w.Data, params[2*l])
		b := newVector32(out)
		copy(b.Data, params[2*l+1])
		n.W = append(n.W, w)
		n.B = append(n.B, b)
		n.z = append(n.z, newVector32(out))
		n.delta = append(n.delta, newVector32(out))
		n.a[l+1] = newVector32(out)
	}
	return n
}

func newVector32(n int) blas32.Vector {
	return blas32.Vector{N: n, Inc: 1, Data: make([]float32, n)}
}

func newGeneral32(rows, cols int) blas32.General {
	return blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: make([]float32, rows*cols)}
}

// Params returns copies of the parameters in the order NewGonum32 takes them.
func (n *Gonum32) Params() [][]float32 {
	var ps [][]float32
	for l := range n.W {
		ps = append(ps, append([]float32(nil), n.W[l].Data...), append([]float32(nil), n.B[l].Data...))
	}
	return ps
}

// forward computes every layer's z, and a up to the last hidden layer.
func (n *Gonum32) forward(x []float32) {
	n.a[0] = blas32.Vector{N: len(x), Inc: 1, Data: x}
	L := len(n.W)
	for l := range L {
		copy(n.z[l].Data, n.B[l].Data)
		blas32.Gemv(blas.NoTrans, 1, n.W[l], n.a[l], 1, n.z[l]) // z = W·a + b
		if l < L-1 {
			activate(n.Hidden, n.z[l].Data, n.a[l+1].Data)
		}
	}
}

// Forward returns the output for x; it points into n.
func (n *Gonum32) Forward(x []float32) []float32 {
	n.forward(x)
	L := len(n.W)
	output(n.Out, n.z[L-1].Data, n.a[L].Data, nil)
	return n.a[L].Data
}

// backward runs forward and computes the loss and every layer's delta.
func (n *Gonum32) backward(x, d []float32) float32 {
	n.forward(x)
	L := len(n.W)
	loss := output(n.Out, n.z[L-1].Data, n.a[L].Data, d)
	for j, y := range n.a[L].Data {
		n.delta[L-1].Data[j] = y - d[j]
	}
	for l := L - 1; l > 0; l-- {
		blas32.Gemv(blas.Trans, 1, n.W[l], n.delta[l], 0, n.delta[l-1]) // Wᵀ·delta
		dz, z, a := n.delta[l-1].Data, n.z[l-1].Data, n.a[l].Data
		for i := range dz {
			dz[i] *= slope(n.Hidden, z[i], a[i])
		}
	}
	return loss
}

// TrainStep is one SGD step on one sample: forward, backward, and
// W -= lr·dW as a rank-1 update. It returns the loss before the update.
func (n *Gonum32) TrainStep(x, d []float32, lr float32) float32 {
	loss := n.backward(x, d)
	for l := range n.W {
		blas32.Ger(-lr, n.delta[l], n.a[l], n.W[l]) // W -= lr·delta·aᵀ
		blas32.Axpy(-lr, n.delta[l], n.B[l])
	}
	return loss
}

// TrainBatch is one step of minibatch gradient descent on the samples in
// the rows of xs and ds (row-major, len(xs)/Sizes[0] samples): the gradient
// summed over the batch with Gemm, then W -= (lr/rows)·ΣdW. It returns the
// sum of the losses before the update.
func (n *Gonum32) TrainBatch(xs, ds []float32, lr float32) float32 {
	L := len(n.W)
	rows := len(xs) / n.Sizes[0]
	if rows != n.rows {
		n.rows = rows
		n.bA = make([]blas32.General, L+1)
		n.bZ, n.bDelta = nil, nil
		for l := range L {
			out := n.Sizes[l+1]
			n.bA[l+1] = newGeneral32(rows, out)
			n.bZ = append(n.bZ, newGeneral32(rows, out))
			n.bDelta = append(n.bDelta, newGeneral32(rows, out))
		}
	}
	n.bA[0] = blas32.General{Rows: rows, Cols: n.Sizes[0], Stride: n.Sizes[0], Data: xs}

	// forward: Z = A·Wᵀ + b, one sample per row
	for l := range L {
		z := n.bZ[l]
		for r := range rows {
			copy(z.Data[r*z.Stride:r*z.Stride+z.Cols], n.B[l].Data)
		}
		blas32.Gemm(blas.NoTrans, blas.Trans, 1, n.bA[l], n.W[l], 1, z)
		if l < L-1 {
			activate(n.Hidden, z.Data, n.bA[l+1].Data)
		}
	}
	var loss float32
	out := n.Sizes[L]
	y, z, delta := n.bA[L].Data, n.bZ[L-1].Data, n.bDelta[L-1].Data
	for r := range rows {
		s := r * out
		loss += output(n.Out, z[s:s+out], y[s:s+out], ds[s:s+out])
	}
	for i := range delta {
		delta[i] = y[i] - ds[i]
	}
	// backward: Delta(l-1) = Delta(l)·W(l) ⊙ f'(Z(l-1))
	for l := L - 1; l > 0; l-- {
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, n.bDelta[l], n.W[l], 0, n.bDelta[l-1])
		dz, z, a := n.bDelta[l-1].Data, n.bZ[l-1].Data, n.bA[l].Data
		for i := range dz {
			dz[i] *= slope(n.Hidden, z[i], a[i])
		}
	}
	// update: W -= (lr/rows)·Deltaᵀ·A, b -= (lr/rows)·Σ rows of Delta
	scale := lr / float32(rows)
	for l := range L {
		blas32.Gemm(blas.Trans, blas.NoTrans, -scale, n.bDelta[l], n.bA[l], 1, n.W[l])
		dl := n.bDelta[l]
		for r := range rows {
			row := blas32.Vector{N: dl.Cols, Inc: 1, Data: dl.Data[r*dl.Stride : r*dl.Stride+dl.Cols]}
			blas32.Axpy(-scale, row, n.B[l])
		}
	}
	return loss
}
