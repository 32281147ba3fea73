package spec

import (
	"slices"
	"testing"
)

// hostileHead declares a float32 package with input x[4] and target d[2].
const hostileHead = "package p\ninput x[4]\ntarget d[2]\n"

// lowerSrc parses and lowers src, failing the test on a Parse error. It
// returns the error of Lower, converting a panic into a test failure.
func lowerSrc(t *testing.T, src string) (*File, error) {
	t.Helper()
	f, err := Parse("t.bp", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Lower panicked: %v\n%s", r, src)
		}
	}()
	net, err := Lower(f)
	if err == nil {
		if _, derr := net.Derive(); derr != nil {
			t.Fatalf("Derive: %v", derr)
		}
	}
	return f, err
}

// TestLowerConstantVectors lowers vectors that simplify to a constant:
// each keeps its shape (issue 17 item 5: "internal error: symbolic:
// GroupMax of [] by 1" and "maxpool of [] by 2").
func TestLowerConstantVectors(t *testing.T) {
	for _, body := range []string{
		"y = softmax(0*dense(x, 2))",
		"h = dense(x, 2)\ny = softmax(h - h)",
		"m = maxof(0*x)\ny = dense(x, 2)*m\noutput y",
		"y = softmax(dense(x, 2)*0)",
		"y = softmax(dense(x, 2)*1e-400)",
		"y = softmax(maxpool(x - x, 2))",
		"y = dense(maxpool(x - x, 2), 2)",
		"y = dense(0*x, 2)",
		"y = softmax(tanh(0*dense(x, 2)))",
		"func z(v)[i] = v[i] - v[i]\ny = softmax(z(dense(x, 2)))",
		"y = softmax(dense(x, 2)) + sum(i, 0*x[i])",
	} {
		src := hostileHead + body + "\nloss crossentropy(y, d)\n"
		f, err := lowerSrc(t, src)
		if err != nil {
			t.Errorf("%s: %v", body, err)
			continue
		}
		net, _ := Lower(f)
		if !slices.Equal(net.Output.Shape, []int{2}) {
			t.Errorf("%s: output shape %v, want [2]", body, net.Output.Shape)
		}
	}
}
