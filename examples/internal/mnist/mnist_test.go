package mnist

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var (
	realOnce        sync.Once
	realTrain       *Set
	realTest        *Set
	realErr         error
	realLoadElapsed time.Duration
)

// loadReal loads the real MNIST data once for all tests that need it. It
// ignores BPGEN_MNIST_DIR so that the go mod download path is what is
// tested, unless that variable is set (then it is what the user wants).
func loadReal(t *testing.T) (train, test *Set) {
	t.Helper()
	if testing.Short() {
		t.Skip("loading the real MNIST data is skipped in -short mode")
	}
	realOnce.Do(func() {
		start := time.Now()
		realTrain, realTest, realErr = LoadDefault()
		realLoadElapsed = time.Since(start)
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realTrain, realTest
}

func TestLocateModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	if os.Getenv(EnvDir) != "" {
		t.Setenv(EnvDir, "")
	}
	dir, err := Locate()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != "data" {
		t.Errorf("Locate() = %q, want a data folder", dir)
	}
}

func TestRealMNIST(t *testing.T) {
	train, test := loadReal(t)
	t.Logf("LoadDefault took %v", realLoadElapsed)
	if train.Len() != 60000 || len(train.Labels) != 60000 {
		t.Errorf("train has %d images, %d labels; want 60000", train.Len(), len(train.Labels))
	}
	if test.Len() != 10000 || len(test.Labels) != 10000 {
		t.Errorf("test has %d images, %d labels; want 10000", test.Len(), len(test.Labels))
	}
	if train.Labels[0] != 5 {
		t.Errorf("first training label is %d, want 5", train.Labels[0])
	}
	if test.Labels[0] != 7 {
		t.Errorf("first test label is %d, want 7", test.Labels[0])
	}
	for _, s := range []struct {
		name     string
		set      *Set
		min, max int
	}{{"train", train, 5000, 7000}, {"test", test, 800, 1200}} {
		var hist [Classes]int
		for _, l := range s.set.Labels {
			hist[l]++
		}
		t.Logf("%s label histogram: %v", s.name, hist)
		for d, n := range hist {
			if n < s.min || n > s.max {
				t.Errorf("%s: digit %d appears %d times, want %d..%d", s.name, d, n, s.min, s.max)
			}
		}
	}
	// Pixels: in [0,1], mostly background, with some full ink; the mean
	// intensity of MNIST is about 0.13.
	var sum float64
	var max float32
	for _, img := range train.Images {
		for _, v := range img {
			if v < 0 || v > 1 {
				t.Fatalf("pixel %v outside [0,1]", v)
			}
			sum += float64(v)
			max = maxf(max, v)
		}
	}
	mean := sum / float64(train.Len()*Pixels)
	if mean < 0.12 || mean > 0.14 || max != 1 {
		t.Errorf("train pixel mean %.4f (want about 0.13), max %v (want 1)", mean, max)
	}
	// The first training image is a 5: its corners are blank and its
	// centre row has ink.
	img := train.Images[0]
	if img[0] != 0 || img[Pixels-1] != 0 {
		t.Errorf("corners of the first image are not blank")
	}
	var ink float32
	for c := range Cols {
		ink += img[14*Cols+c]
	}
	if ink == 0 {
		t.Errorf("the centre row of the first image has no ink")
	}
}

func maxf(a, b float32) float32 {
	if a > b {
		return a
	}
	return b
}

func BenchmarkLoad(b *testing.B) {
	dir, err := Locate()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func TestInputs(t *testing.T) {
	images := make([][Pixels]float32, 3)
	images[1][5] = 0.5
	images[2][Pixels-1] = 1
	same := Inputs[float32](images)
	if &same[0] != &images[0] {
		t.Error("Inputs[float32] copied the images")
	}
	wide := Inputs[float64](images)
	if len(wide) != 3 || wide[1][5] != 0.5 || wide[2][Pixels-1] != 1 || wide[0][0] != 0 {
		t.Errorf("Inputs[float64] = %v, %v, %v", wide[1][5], wide[2][Pixels-1], wide[0][0])
	}
}
