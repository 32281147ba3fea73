package spec

import (
	"slices"
	"strings"
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
		"m = maxof(0*x)\ny = softmax(dense(x, 2)*m)\noutput y",
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

// TestLowerBadConstants pins the errors for constants that generated code
// cannot use (issue 17 items 4 and 6): a division by a constant zero, and
// constants that fold to NaN, to an infinity or beyond float32's range.
func TestLowerBadConstants(t *testing.T) {
	tests := []struct {
		prec, body, want string
	}{
		{"float32", "y = softmax(dense(x, 2)*1e39)",
			"t.bp:5:25: number 1e39 overflows float32 (largest 3.4028235e+38): use a smaller number, or precision float64"},
		{"float32", "y = softmax(dense(x, 2)*exp(100))",
			"t.bp:5:25: constant overflow: exp(100) computes the constant 2.6881171418161356e+43, which overflows float32 (largest 3.4028235e+38): use smaller constants, or precision float64"},
		{"float64", "y = softmax(dense(x, 2)*1e300*1e300)",
			"t.bp:5:13: constant overflow: dense(x, 2) * 1e300 * 1e300 computes the constant +Inf: use smaller constants"},
		{"float64", "y = softmax(dense(x, 2)*exp(1000))",
			"t.bp:5:25: constant overflow: exp(1000) computes the constant +Inf: use smaller constants"},
		{"float64", "y = softmax(pow(dense(x, 2), 2)*pow(-8, 1/3))",
			"t.bp:5:33: pow(-8, 1 / 3) computes the constant NaN (not a number): change its constants so that it has a real value"},
		{"float64", "y = softmax(dense(x, 2)*log(0))",
			"t.bp:5:25: constant overflow: log(0) computes the constant -Inf: use smaller constants"},
		{"float64", "y = softmax(dense(x, 2)*sqrt(-1))",
			"t.bp:5:25: sqrt(-1) computes the constant NaN (not a number): change its constants so that it has a real value"},
		{"float64", "y = softmax(dense(x, 2)/(maxof(x) - maxof(x)))",
			"t.bp:5:24: division by zero: the divisor (maxof(x) - maxof(x)) is always 0"},
		{"float64", "h = x - x\ny = softmax(dense(x, 2)*sum(1/h))",
			"t.bp:6:30: division by zero: the divisor h is always 0"},
		{"float32", "func big(z) = z*1e30\ny = softmax(big(big(dense(x, 2))))",
			`t.bp:6:13: in call to "big": constant overflow: z * 1e30 computes the constant 1.0000000000000001e+60, which overflows float32 (largest 3.4028235e+38): use smaller constants, or precision float64 (at 5:15)`},
	}
	for _, tt := range tests {
		src := "package p\nprecision " + tt.prec + "\ninput x[4]\ntarget d[2]\n" + tt.body + "\nloss crossentropy(y, d)\n"
		_, err := lowerSrc(t, src)
		if err == nil {
			t.Errorf("%s: Lower succeeded, want %s", tt.body, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tt.body, got, tt.want)
		}
	}
}

// TestDivisionByConstantZero pins the checker's errors for a divisor that
// is a constant zero (issue 17 item 6: dense(x, 2)/0 was accepted and
// generated math.Inf(1)*t0[i]).
func TestDivisionByConstantZero(t *testing.T) {
	for body, want := range map[string]string{
		"y = softmax(dense(x, 2)/0)":       "t.bp:4:24: division by zero: divide by a nonzero number",
		"y = softmax(dense(x, 2)/(1-1))":   "t.bp:4:24: division by zero: the divisor (1 - 1) is 0",
		"y = softmax(dense(x, 2)*(1/0.0))": "t.bp:4:27: division by zero: divide by a nonzero number",
	} {
		_, err := Parse("t.bp", []byte(hostileHead+body+"\nloss crossentropy(y, d)\n"))
		if err == nil || err.Error() != want {
			t.Errorf("%s:\ngot  %v\nwant %s", body, err, want)
		}
	}
}

// TestDeriveConstantOverflow checks that a constant of the derivation
// that overflows float32, although every constant of the spec fits, is an
// error of Derive rather than a package that does not compile ("1e+39
// (untyped float constant) overflows float32").
func TestDeriveConstantOverflow(t *testing.T) {
	src := hostileHead + "y = softmax(pow(dense(x, 2), 100)*1e37)\nloss crossentropy(y, d)\n"
	f, err := Parse("t.bp", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	net, err := Lower(f)
	if err != nil {
		t.Fatal(err)
	}
	_, err = net.Derive()
	if err == nil || !strings.Contains(err.Error(), "the derivation computes the constant -1e+39, which float32 cannot represent") {
		t.Errorf("Derive: %v, want an error about the constant -1e+39", err)
	}
	net.Precision = "float64"
	if _, err := net.Derive(); err != nil {
		t.Errorf("float64: %v", err)
	}
}

// TestGeneratedNames pins the error for a param whose Go name is a method
// of the generated Model or Gradients (issue 17 item 2).
func TestGeneratedNames(t *testing.T) {
	for body, want := range map[string]string{
		"param tensors[2][4]\ny = softmax(tensors*x)":                 `t.bp:4:7: param "tensors" has the Go name "Tensors", which the generated package uses for the methods Model.Tensors and Gradients.Tensors: rename the param`,
		"param forward[2]\ny = softmax(dense(x, 2) + forward)":        `t.bp:4:7: param "forward" has the Go name "Forward", which the generated package uses for the method Model.Forward: rename the param`,
		"param W[2][4], train_step[2]\ny = softmax(W*x + train_step)": `t.bp:4:16: param "train_step" has the Go name "TrainStep", which the generated package uses for the method Model.TrainStep: rename the param`,
		"param zero[2]\ny = softmax(dense(x, 2) + zero)":              `t.bp:4:7: param "zero" has the Go name "Zero", which the generated package uses for the method Gradients.Zero: rename the param`,
	} {
		_, err := Parse("t.bp", []byte(hostileHead+body+"\nloss crossentropy(y, d)\n"))
		if err == nil || err.Error() != want {
			t.Errorf("%s:\ngot  %v\nwant %s", body, err, want)
		}
	}
	// A definition may have such a name: it is not an exported field.
	if _, err := Parse("t.bp", []byte(hostileHead+"forward = tanh(dense(x, 3))\ny = softmax(dense(forward, 2))\nloss crossentropy(y, d)\n")); err != nil {
		t.Errorf("definition named forward: %v", err)
	}
}

// TestCRLineEndings checks that the CR line endings of old Mac editors end
// lines (issue 17 item 9: the file read as one line, with errors about
// missing declarations at 1:1), and that CRLF still does.
func TestCRLineEndings(t *testing.T) {
	lf := hostileHead + "y = softmax(dense(x, 2))\nloss crossentropy(y, d)\n"
	want, err := Parse("t.bp", []byte(lf))
	if err != nil {
		t.Fatal(err)
	}
	for name, nl := range map[string]string{"CR": "\r", "CRLF": "\r\n"} {
		f, err := Parse("t.bp", []byte(strings.ReplaceAll(lf, "\n", nl)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if f.String() != want.String() {
			t.Errorf("%s: parsed as\n%s\nwant\n%s", name, f, want)
		}
	}
	bad := strings.ReplaceAll(hostileHead+"y = softmax(dense(q, 2))\nloss crossentropy(y, d)\n", "\n", "\r")
	if _, err := Parse("t.bp", []byte(bad)); err == nil || err.Error() != `t.bp:4:19: unknown name "q"` {
		t.Errorf("CR: got %v, want t.bp:4:19: unknown name \"q\"", err)
	}
}

// TestNoFollowUpErrors checks that a broken declaration is reported once:
// its uses are not reported again (issue 17 item 9). Each spec has
// exactly the one error given.
func TestNoFollowUpErrors(t *testing.T) {
	for src, want := range map[string]string{
		// before: also 5:13: unknown function "f0"
		hostileHead + "func f0(z)ww tanh(z)\ny = softmax(f0(dense(x, 2)))\nloss crossentropy(y, d)\n": `t.bp:4:11: expected =, found "ww"`,
		// before: also 5:22: unknown name "d"
		"package p\ninput x[4]\ntarget d\ny = softmax(dense(x, 2))\nloss crossentropy(y, d)\n": `t.bp:3:8: target "d" must be a vector: write target d[n]`,
		// before: also 4:19: unknown name "x"
		"package p\ninput x\ntarget d[2]\ny = softmax(dense(x, 2))\nloss crossentropy(y, d)\n": `t.bp:2:7: input "x" must be a vector: write input x[n]`,
		// before: also 5:13: unknown name "W"
		hostileHead + "param W[2\ny = softmax(W*x)\nloss crossentropy(y, d)\n": `t.bp:4:10: expected ], found end of line`,
		// before: also 5:13: unknown function "f"
		hostileHead + "func f(a, a) = a\ny = softmax(f(x, x))\nloss crossentropy(y, d)\n": `t.bp:4:11: duplicate parameter "a": rename one of them`,
		// before: also 6:6: loss does not depend on output "m"
		hostileHead + "y = softmax(dense(x, 2))\nm = sum(y)\nloss crossentropy(y, d)\n": `t.bp:5:1: output "m" must be a vector, found a scalar: without an output declaration, the output is the last definition; add "output y", or define "y" last`,
	} {
		_, err := Parse("t.bp", []byte(src))
		if err == nil || err.Error() != want {
			t.Errorf("got:\n%v\nwant:\n%s\nspec:\n%s", err, want, src)
		}
	}
}
