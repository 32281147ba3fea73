package cli

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestAccuracy(t *testing.T) {
	if got := Accuracy([]uint8{1, 2, 3, 4}, []uint8{1, 2, 0, 4}); got != 0.75 {
		t.Errorf("Accuracy = %v, want 0.75", got)
	}
	if got := Accuracy(nil, nil); got != 0 {
		t.Errorf("Accuracy of nothing = %v, want 0", got)
	}
	expectPanic(t, "length mismatch", func() { Accuracy([]uint8{1}, nil) })
}

func TestConfusion(t *testing.T) {
	pred := []uint8{0, 0, 1, 2, 1, 2, 2, 0}
	labels := []uint8{0, 1, 1, 2, 1, 2, 1, 0}
	m := ConfusionMatrix(pred, labels, 3)
	want := [][]int{
		{2, 0, 0},
		{1, 2, 1},
		{0, 0, 2},
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("ConfusionMatrix = %v, want %v", m, want)
	}
	got := FormatConfusion(m)
	wantText := `true\pred      0      1      2  recall
        0      2      0      0  100.0%
        1      1      2      1   50.0%
        2      0      0      2  100.0%
precision  66.7% 100.0%  66.7%
`
	if got != wantText {
		t.Errorf("FormatConfusion:\n%s\nwant\n%s", got, wantText)
	}
	expectPanic(t, "label out of range", func() { ConfusionMatrix([]uint8{0}, []uint8{3}, 3) })
	expectPanic(t, "length mismatch", func() { ConfusionMatrix([]uint8{0}, nil, 3) })
}

func TestFormatConfusionWide(t *testing.T) {
	m := make([][]int, 10)
	for i := range m {
		m[i] = make([]int, 10)
		m[i][i] = 1000000
	}
	m[3] = make([]int, 10) // a class with no example
	got := FormatConfusion(m)
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 12 {
		t.Fatalf("%d lines, want 12:\n%s", len(lines), got)
	}
	for _, l := range lines[1:11] {
		if len(l) != len(lines[0]) {
			t.Errorf("ragged table:\n%s", got)
			break
		}
	}
	if !strings.Contains(lines[4], "-") || !strings.Contains(lines[4], "        3") {
		t.Errorf("row of class 3 should show an undefined recall: %q", lines[4])
	}
}

func TestPrecisionRecall(t *testing.T) {
	pred := []bool{true, true, true, false, false, false}
	truth := []bool{true, true, false, true, false, false}
	p, r := PrecisionRecall(pred, truth)
	if math.Abs(p-2.0/3) > 1e-12 || math.Abs(r-2.0/3) > 1e-12 {
		t.Errorf("PrecisionRecall = %v, %v; want 2/3, 2/3", p, r)
	}
	p, r = PrecisionRecall([]bool{false, false}, []bool{false, true})
	if p != 0 || r != 0 {
		t.Errorf("nothing flagged: %v, %v; want 0, 0", p, r)
	}
	p, r = PrecisionRecall([]bool{true, false}, []bool{true, false})
	if p != 1 || r != 1 {
		t.Errorf("perfect: %v, %v; want 1, 1", p, r)
	}
	expectPanic(t, "length mismatch", func() { PrecisionRecall([]bool{true}, nil) })
}

func TestArgmax(t *testing.T) {
	nan := float32(math.NaN())
	for _, tt := range []struct {
		v    []float32
		want int
	}{
		{nil, -1},
		{[]float32{3}, 0},
		{[]float32{0.1, 0.7, 0.2}, 1},
		{[]float32{0.5, 0.5, 0.1}, 0},
		{[]float32{nan, -1, nan}, 1},
		{[]float32{nan, nan}, 0},
	} {
		if got := Argmax(tt.v); got != tt.want {
			t.Errorf("Argmax(%v) = %d, want %d", tt.v, got, tt.want)
		}
	}
	if got := Argmax([]float64{-3, -1, -2}); got != 1 {
		t.Errorf("Argmax float64 = %d, want 1", got)
	}
}

func expectPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", what)
		}
	}()
	f()
}

func TestFormatConfusionNamed(t *testing.T) {
	m := [][]int{{8936, 32}, {24, 1008}}
	got := FormatConfusionNamed(m, []string{"not 2", "2"})
	want := `true\pred  not 2      2  recall
    not 2   8936     32   99.6%
        2     24   1008   97.7%
precision  99.7%  96.9%
`
	if got != want {
		t.Errorf("FormatConfusionNamed:\n%s\nwant\n%s", got, want)
	}
	long := FormatConfusionNamed([][]int{{1, 0}, {0, 1}}, []string{"a rather long name"})
	lines := strings.Split(strings.TrimSuffix(long, "\n"), "\n")
	for _, l := range lines[1:3] {
		if len(l) != len(lines[0]) {
			t.Errorf("ragged table:\n%s", long)
			break
		}
	}
	if !strings.Contains(lines[2], " 1 ") {
		t.Errorf("unnamed class 1 should be named by its number:\n%s", long)
	}
}
