package mdhtml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/spec"
	"github.com/bpgen/bpgen/symbolic"
)

// TestExplainAll renders the derivation of every spec in generated/, as
// bpgen explain -format=md prints it, and checks that every formula
// became MathML.
func TestExplainAll(t *testing.T) {
	paths, err := filepath.Glob("../../../../generated/*/*.bp")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no specs found in generated/: %v", err)
	}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := spec.Parse(filepath.Base(path), src)
		if err != nil {
			t.Fatal(err)
		}
		net, err := spec.Lower(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := net.Derive()
		if err != nil {
			t.Fatal(err)
		}
		md := symbolic.Explain(d, true)
		h, err := Render(md)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if want, got := strings.Count(md, "$$")/2, strings.Count(h, `<math display="block">`); got != want {
			t.Errorf("%s: %d display formulas, want %d", path, got, want)
		}
		if strings.Contains(h, "$") || strings.Contains(h, `\`) {
			t.Errorf("%s: TeX left in the HTML:\n%s", path, h)
		}
	}
}

func TestTeX(t *testing.T) {
	for _, c := range []struct{ tex, want string }{
		{`x_i`, `<msub><mi>x</mi><mi>i</mi></msub>`},
		{`z^{(h_{1})}_i`, `<msubsup><mi>z</mi><mi>i</mi><mrow><mo stretchy="false">(</mo><msub><mi>h</mi><mrow><mn>1</mn></mrow></msub><mo stretchy="false">)</mo></mrow></msubsup>`},
		{`\frac{a}{2}`, `<mfrac><mrow><mi>a</mi></mrow><mrow><mn>2</mn></mrow></mfrac>`},
		{`\left(x\right)`, `<mrow><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></mrow>`},
		{`\left(\frac{a}{b} - 1\right]`, `<mrow><mo stretchy="true">(</mo><mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac><mo>−</mo><mn>1</mn><mo stretchy="true">]</mo></mrow>`},
		{`\mathbb{R}^{3}`, `<msup><mi>ℝ</mi><mrow><mn>3</mn></mrow></msup>`},
		{`\mathrm{Div} < 1`, `<mi>Div</mi><mo>&lt;</mo><mn>1</mn>`},
		{`\begin{aligned} a &= \left(1.5 + {b_{2}... \\ c &= d \end{aligned}`, `<mtable class="aligned"><mtr><mtd class="c0" displaystyle="true"><mrow><mi>a</mi></mrow></mtd><mtd class="c1" displaystyle="true"><mrow><mo>=</mo><mrow><mo stretchy="false">(</mo><mn>1.5</mn><mo>+</mo><mrow><msub><mi>b</mi><mrow><mn>2</mn></mrow></msub><mo>.</mo><mo>.</mo><mo>.</mo></mrow></mrow></mrow></mtd></mtr><mtr><mtd class="c0" displaystyle="true"><mrow><mi>c</mi></mrow></mtd><mtd class="c1" displaystyle="true"><mrow><mo>=</mo><mi>d</mi></mrow></mtd></mtr></mtable>`},
		{`\begin{aligned} a &= b \\ c &= d \end{aligned}`, `<mtable class="aligned"><mtr><mtd class="c0" displaystyle="true"><mrow><mi>a</mi></mrow></mtd><mtd class="c1" displaystyle="true"><mrow><mo>=</mo><mi>b</mi></mrow></mtd></mtr><mtr><mtd class="c0" displaystyle="true"><mrow><mi>c</mi></mrow></mtd><mtd class="c1" displaystyle="true"><mrow><mo>=</mo><mi>d</mi></mrow></mtd></mtr></mtable>`},
	} {
		got, err := TeX(c.tex, false)
		if err != nil {
			t.Errorf("TeX(%q): %v", c.tex, err)
			continue
		}
		if want := "<math><mrow>" + c.want + "</mrow></math>"; got != want {
			t.Errorf("TeX(%q)\n got %s\nwant %s", c.tex, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ md, want string }{
		{`$\unknown$`, `unknown command \unknown`},
		{`$\frac{a}$`, `want {`},
		{`$x`, `$ without its closing $`},
		{"$$\nx\n", "$$ without its closing $$"},
		{"| a |\n| b |", "table without"},
		{`$\begin{matrix} a \end{matrix}$`, "only aligned"},
		{`$\left( x$`, `want \right`},
		{`$x}$`, `unexpected "}"`},
		{`$\mathbb{Q}$`, "no double-struck"},
	} {
		_, err := Render(c.md)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Render(%q) = %v, want an error with %q", c.md, err, c.want)
		}
	}
}

func TestRender(t *testing.T) {
	md := "# Title `a<b`\n\nsome $x$\ntext\n\n- one\n- two\n\n| h | k |\n|---|---|\n| 1 | $y$ |\n"
	want := "<h1>Title <code>a&lt;b</code></h1>\n" +
		"<p>some <math><mrow><mi>x</mi></mrow></math> text</p>\n" +
		"<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n" +
		"<table>\n<tr><th>h</th><th>k</th></tr>\n<tr><td>1</td><td><math><mrow><mi>y</mi></mrow></math></td></tr>\n</table>\n"
	got, err := Render(md)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Render:\n got %q\nwant %q", got, want)
	}
}
