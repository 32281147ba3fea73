package ink

import (
	"math"
	"testing"

	"github.com/bpgen/bpgen/examples/internal/mnist"
)

// upscale returns img drawn k times larger, as alpha values.
func upscale(img *[Pixels]float32, k int) []byte {
	w := Side * k
	alpha := make([]byte, w*w)
	for y := range w {
		for x := range w {
			alpha[y*w+x] = byte(math.Round(255 * float64(img[(y/k)*Side+x/k])))
		}
	}
	return alpha
}

// TestCenter checks that Center is the mean center of mass of the MNIST
// test digits, to a tenth of a pixel on both axes.
func TestCenter(t *testing.T) {
	_, test, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	var sx, sy float64
	for i := range test.Images {
		x, y, ok := CenterOfMass(&test.Images[i])
		if !ok {
			t.Fatalf("test image %d is blank", i)
		}
		sx, sy = sx+x, sy+y
	}
	n := float64(test.Len())
	t.Logf("mean center of mass of %d test digits: (%.3f, %.3f)", test.Len(), sx/n, sy/n)
	if math.Abs(sx/n-Center) > 0.1 || math.Abs(sy/n-Center) > 0.1 {
		t.Errorf("mean center of mass (%.3f, %.3f), want (%v, %v) within 0.1", sx/n, sy/n, Center, Center)
	}
}

// TestMNISTUnchanged checks that a MNIST digit drawn ten times larger
// comes back close to itself, since the data set was made by this
// procedure: at least 95% of the first 200 test digits within 5% in L1
// norm. The others are moved by one pixel: their center of mass lies
// half a pixel from the center, where rounding can go either way.
func TestMNISTUnchanged(t *testing.T) {
	_, test, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	var far int
	for i := range n {
		want := &test.Images[i]
		got, ok := Preprocess(upscale(want, 10), 280, 280)
		if !ok {
			t.Fatalf("digit %d: no ink found", i)
		}
		var diff, norm float64
		for k := range got {
			diff += math.Abs(float64(got[k] - want[k]))
			norm += float64(want[k])
		}
		if diff/norm > 0.05 {
			far++
			t.Logf("digit %d: relative L1 difference %.3f", i, diff/norm)
		}
	}
	if far > n/20 {
		t.Errorf("%d of %d digits differ by more than 5%%, want at most %d", far, n, n/20)
	}
}

func TestSquare(t *testing.T) {
	// A 100x50 block of full ink at (30, 60) in a 280x200 drawing: it
	// becomes a 20x10 block of ones, centered at (Center, Center).
	const w, h = 280, 200
	alpha := make([]byte, w*h)
	for y := 60; y < 110; y++ {
		for x := 30; x < 130; x++ {
			alpha[y*w+x] = 255
		}
	}
	img, ok := Preprocess(alpha, w, h)
	if !ok {
		t.Fatal("no ink found")
	}
	var ones int
	for k, v := range img {
		switch v {
		case 1:
			ones++
		case 0:
		default:
			t.Errorf("pixel (%d, %d) = %v, want 0 or 1", k%Side, k/Side, v)
		}
	}
	if ones != 200 {
		t.Errorf("%d pixels of full ink, want 200", ones)
	}
	x, y, _ := CenterOfMass(&img)
	if math.Abs(x-Center) > 0.5 || math.Abs(y-Center) > 0.5 {
		t.Errorf("center of mass (%v, %v), want within half a pixel of (%v, %v)", x, y, Center, Center)
	}
}

func TestNoInk(t *testing.T) {
	faint := make([]byte, 100)
	faint[55] = Threshold - 1
	for _, c := range []struct {
		name  string
		alpha []byte
		w, h  int
	}{
		{"empty", make([]byte, 100), 10, 10},
		{"faint", faint, 10, 10},
		{"short", make([]byte, 99), 10, 10},
		{"no size", nil, 0, 0},
	} {
		if img, ok := Preprocess(c.alpha, c.w, c.h); ok || img != ([Pixels]float32{}) {
			t.Errorf("%s: Preprocess reported ink", c.name)
		}
	}
}

// BenchmarkPreprocess preprocesses a MNIST digit drawn ten times larger,
// as the web page's drawing area is.
func BenchmarkPreprocess(b *testing.B) {
	_, test, err := mnist.LoadDefault()
	if err != nil {
		b.Fatal(err)
	}
	alpha := upscale(&test.Images[0], 10)
	b.ReportAllocs()
	for b.Loop() {
		Preprocess(alpha, 280, 280)
	}
}
