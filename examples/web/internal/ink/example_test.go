package ink_test

import (
	"fmt"

	"github.com/bpgen/bpgen/examples/web/internal/ink"
)

func ExamplePreprocess() {
	// A vertical bar, 40 pixels wide and 200 high, near the left edge of
	// a 280x280 drawing.
	const w, h = 280, 280
	alpha := make([]byte, w*h)
	for y := 30; y < 230; y++ {
		for x := 10; x < 50; x++ {
			alpha[y*w+x] = 255
		}
	}
	img, ok := ink.Preprocess(alpha, w, h)
	x, y, _ := ink.CenterOfMass(&img)
	fmt.Println(ok)
	// Scaled by 20/200 into a 4x20 block of full ink, moved by whole
	// pixels so that its center of mass is nearest to (14, 14).
	fmt.Printf("center of mass (%.1f, %.1f)\n", x, y)
	fmt.Println(img[5*ink.Side+11 : 5*ink.Side+18])
	fmt.Println(img[24*ink.Side+11 : 24*ink.Side+18])
	fmt.Println(img[25*ink.Side+11 : 25*ink.Side+18])
	// Output:
	// true
	// center of mass (14.5, 14.5)
	// [0 0 1 1 1 1 0]
	// [0 0 1 1 1 1 0]
	// [0 0 0 0 0 0 0]
}
