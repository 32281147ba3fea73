package cli

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// sampleHistory is a plausible ten-epoch run.
func sampleHistory() *History {
	var h History
	for e := 1; e <= 10; e++ {
		x := float64(e)
		h.Add(e, 0.05+0.6*math.Exp(-0.5*(x-1)), 0.99-0.12*math.Exp(-0.45*(x-1)), 0.975-0.10*math.Exp(-0.5*(x-1)))
	}
	return &h
}

// coloured counts the pixels of img in columns [x0,x1) that are clearly
// coloured (not grey, black or white): the curves.
func coloured(img image.Image, x0, x1 int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := x0; x < x1; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			hi, lo := max(r, g, bl), min(r, g, bl)
			if hi-lo > 0x3000 {
				n++
			}
		}
	}
	return n
}

func TestWritePNG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.png")
	if out := os.Getenv("BPGEN_PLOT_OUT"); out != "" {
		path = out // to look at the plot
	}
	if err := sampleHistory().WritePNG(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 8*PlotDPI || b.Dy() != 4*PlotDPI {
		t.Errorf("image is %dx%d, want %dx%d", b.Dx(), b.Dy(), 8*PlotDPI, 4*PlotDPI)
	}
	// Both panels have curves.
	if l, r := coloured(img, 0, b.Dx()/2), coloured(img, b.Dx()/2, b.Dx()); l < 200 || r < 400 {
		t.Errorf("coloured pixels: %d in the loss panel, %d in the accuracy panel", l, r)
	}
}

func TestEncodePNGEdgeCases(t *testing.T) {
	var empty History
	if err := empty.EncodePNG(&bytes.Buffer{}); err == nil {
		t.Error("no error for an empty history")
	}
	bad := History{Epoch: []int{1, 2}, Loss: []float64{1}}
	if err := bad.EncodePNG(&bytes.Buffer{}); err == nil {
		t.Error("no error for ragged history")
	}
	var one History
	one.Add(1, 0.5, math.NaN(), math.NaN())
	var buf bytes.Buffer
	if err := one.EncodePNG(&buf); err != nil {
		t.Fatalf("one epoch, no accuracy: %v", err)
	}
	if _, err := png.Decode(&buf); err != nil {
		t.Fatal(err)
	}
	if err := sampleHistory().WritePNG(filepath.Join(t.TempDir(), "no", "such", "dir.png")); err == nil {
		t.Error("no error writing into a missing folder")
	}
}
