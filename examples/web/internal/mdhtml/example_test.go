package mdhtml_test

import (
	"fmt"

	"github.com/bpgen/bpgen/examples/web/internal/mdhtml"
)

func ExampleRender() {
	h, err := mdhtml.Render("## Backward pass\n\n$$\n\\frac{\\partial \\mathrm{Div}}{\\partial b} = y - d\n$$\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(h)
	// Output:
	// <h2>Backward pass</h2>
	// <math display="block"><mrow><mfrac><mrow><mi>∂</mi><mi>Div</mi></mrow><mrow><mi>∂</mi><mi>b</mi></mrow></mfrac><mo>=</mo><mi>y</mi><mo>−</mo><mi>d</mi></mrow></math>
}
