// Package ink turns a drawing into an input of the ten-digit network the
// way the MNIST digits were made (LeCun, Cortes and Burges, "The MNIST
// database of handwritten digits"): the ink is scaled, keeping its aspect
// ratio, to fit a 20x20 box, with grey levels from the anti-aliasing of
// the scaling, and the result is placed in a 28x28 field so that its
// center of mass lies at the center of the field.
//
// The web example runs it in the browser (compiled to WebAssembly) on
// the pixels of the drawing area, and its test runs it natively on the
// same pixels, so both sides see the same input.
package ink

import (
	"encoding/binary"
	"math"
)

// Side is the side of the network's input image, and Box the side of the
// box the ink is scaled into.
const (
	Side = 28
	Box  = 20
)

// Pixels is the number of pixels of an input image.
const Pixels = Side * Side

// Threshold is the smallest alpha (0..255) of a pixel that counts as ink
// when the bounding box of the drawing is found: the faint edge of an
// anti-aliased stroke would otherwise widen the box by a pixel.
const Threshold = 32

// Center is the point of the 28x28 field (in pixel indices, x to the
// right and y down) that the center of mass is moved to. It is the mean
// center of mass of the MNIST test digits, about (14, 14) rather than
// the geometric center (13.5, 13.5); the test of this package measures
// it.
const Center = 14.0

// Preprocess returns the network input for a drawing of w x h pixels
// whose ink is alpha (row by row, 0 for no ink, 255 for full ink), each
// pixel of the result in [0, 1], row by row. It reports false, with a
// zero image, when no pixel reaches Threshold or alpha is shorter than
// w*h.
//
// The ink's bounding box is scaled by Box/max(width, height) with an area
// (box) filter, so that a pixel of the result is the mean alpha/255 of
// the part of the drawing it covers. The scaled ink is then moved by the
// whole number of pixels that brings its center of mass nearest to
// (Center, Center); ink moved past the border is dropped.
func Preprocess(alpha []byte, w, h int) (img [Pixels]float32, ok bool) {
	if w <= 0 || h <= 0 || len(alpha) < w*h {
		return img, false
	}
	x0, y0, x1, y1, ok := bounds(alpha, w, h)
	if !ok {
		return img, false
	}
	side := max(x1-x0, y1-y0)
	scale := float64(Box) / float64(side)
	tw := max(1, int(math.Round(float64(x1-x0)*scale)))
	th := max(1, int(math.Round(float64(y1-y0)*scale)))
	// Center the box of the scaled ink on the source box, so that its
	// aspect ratio is kept: the source window is side/Box pixels per
	// output pixel on both axes.
	step := float64(side) / Box
	sx := float64(x0+x1)/2 - float64(tw)*step/2
	sy := float64(y0+y1)/2 - float64(th)*step/2
	wx := weights(sx, step, tw, w)
	wy := weights(sy, step, th, h)
	small := resample(alpha, w, &wx, &wy, tw, th)
	for k := range small {
		small[k] /= 255 * step * step
	}
	place(&img, small[:tw*th], tw, th)
	return img, true
}

// inkBits has, in each byte, the bits of which at least one is set in a
// byte of alpha >= Threshold (32): bounds tests eight pixels at once.
const inkBits = 0xe0e0e0e0e0e0e0e0

// Threshold must stay 32 for inkBits: these fail to compile otherwise.
const (
	_ = uint(Threshold - 32)
	_ = uint(32 - Threshold)
)

// bounds returns the bounding box [x0, x1) x [y0, y1) of the pixels of
// alpha that reach Threshold. It looks at each row from both ends, eight
// pixels at a time.
func bounds(alpha []byte, w, h int) (x0, y0, x1, y1 int, ok bool) {
	x0, y0 = w, h
	for y := range h {
		row := alpha[y*w : (y+1)*w]
		first := 0
		for first+8 <= w && binary.LittleEndian.Uint64(row[first:])&inkBits == 0 {
			first += 8
		}
		for first < w && row[first] < Threshold {
			first++
		}
		if first == w {
			continue
		}
		last := w
		for last-8 > first && binary.LittleEndian.Uint64(row[last-8:])&inkBits == 0 {
			last -= 8
		}
		for row[last-1] < Threshold {
			last--
		}
		x0, x1 = min(x0, first), max(x1, last)
		y0, y1 = min(y0, y), y+1
	}
	return x0, y0, x1, y1, x1 > x0
}

// span is the part of one source row or column that an output pixel
// covers: the n pixels from first on, of which it covers the fraction
// head of the first, tail of the last (when n > 1), and all of the others.
type span struct {
	first, n   int
	head, tail float64
}

// weights returns, for each of n <= Box output pixels along one axis, the
// span of the source pixels 0..size-1 it covers when output pixel k covers
// [start + k*step, start + (k+1)*step). Source pixels outside 0..size-1
// count as empty.
func weights(start, step float64, n, size int) (spans [Box]span) {
	for k := range n {
		lo, hi := start+float64(k)*step, start+float64(k+1)*step
		first := max(0, int(math.Floor(lo)))
		last := min(size-1, int(math.Ceil(hi))-1)
		cover := func(p int) float64 { return math.Min(hi, float64(p+1)) - math.Max(lo, float64(p)) }
		spans[k] = span{first: first, n: max(0, last-first+1), head: cover(first), tail: cover(last)}
	}
	return spans
}

// weight returns the fraction of its k-th pixel that s covers.
func (s span) weight(k int) float64 {
	switch k {
	case 0:
		return s.head
	case s.n - 1:
		return s.tail
	}
	return 1
}

// sum returns the weighted sum of the pixels of row that s covers.
func (s span) sum(row []byte) float64 {
	switch s.n {
	case 0:
		return 0
	case 1:
		return s.head * float64(row[s.first])
	}
	px := row[s.first : s.first+s.n]
	var inner int // the pixels of weight 1
	for _, a := range px[1 : s.n-1] {
		inner += int(a)
	}
	return s.head*float64(px[0]) + float64(inner) + s.tail*float64(px[s.n-1])
}

// resample returns the tw x th image whose pixel (i, j) is the sum of
// alpha over the rectangle spanned by wx[i] and wy[j], each pixel weighted
// by the fraction of it the rectangle covers. It adds along each source
// row first; a row shared by two output rows is added twice.
func resample(alpha []byte, w int, wx, wy *[Box]span, tw, th int) (small [Box * Box]float64) {
	for j, sy := range wy[:th] {
		dst := small[j*tw : (j+1)*tw]
		for k := range sy.n {
			row := alpha[(sy.first+k)*w : (sy.first+k+1)*w]
			f := sy.weight(k)
			for i, sx := range wx[:tw] {
				dst[i] += f * sx.sum(row)
			}
		}
	}
	return small
}

// place copies the tw x th image small into img, moved so that its
// center of mass is nearest to (Center, Center), with values clamped to
// [0, 1].
func place(img *[Pixels]float32, small []float64, tw, th int) {
	var m, mx, my float64
	for j := range th {
		for i := range tw {
			v := small[j*tw+i]
			m += v
			mx += v * float64(i)
			my += v * float64(j)
		}
	}
	dx, dy := (Side-tw)/2, (Side-th)/2
	if m > 0 {
		dx = int(math.Round(Center - mx/m))
		dy = int(math.Round(Center - my/m))
	}
	for j := range th {
		for i := range tw {
			x, y := i+dx, j+dy
			if x < 0 || x >= Side || y < 0 || y >= Side {
				continue
			}
			img[y*Side+x] = float32(min(1, max(0, small[j*tw+i])))
		}
	}
}

// CenterOfMass returns the center of mass of img, in pixel indices, and
// false if img is all zero.
func CenterOfMass(img *[Pixels]float32) (x, y float64, ok bool) {
	var m float64
	for k, v := range img {
		m += float64(v)
		x += float64(v) * float64(k%Side)
		y += float64(v) * float64(k/Side)
	}
	if m == 0 {
		return 0, 0, false
	}
	return x / m, y / m, true
}
