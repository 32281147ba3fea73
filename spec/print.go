package spec

import (
	"fmt"
	"go/types"
	"strings"
)

// String prints the checked spec in a stable text form, one declaration a
// line: the package, precision, input and target, every param with its
// shape (dense-made ones marked "// dense"), the functions, the definitions
// in topological order with their shapes, the output and the loss.
func (f *File) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n", f.Package)
	fmt.Fprintf(&b, "precision %s\n", f.Precision)
	fmt.Fprintf(&b, "input %s[%d]\n", f.Input.Name, f.Input.Size)
	fmt.Fprintf(&b, "target %s[%d]", f.Target.Name, f.Target.Size)
	if f.Target.Distribution {
		b.WriteString(" distribution")
	}
	b.WriteByte('\n')
	for _, p := range f.Params {
		fmt.Fprintf(&b, "param %s%s", p.Name, dimsString(p.Shape))
		if p.Implicit {
			b.WriteString(" // dense")
		}
		b.WriteByte('\n')
	}
	for _, fn := range f.Funcs {
		fmt.Fprintf(&b, "func %s(%s)", fn.Name, strings.Join(fn.Params, ", "))
		if fn.Index != "" {
			fmt.Fprintf(&b, "[%s]", fn.Index)
		}
		fmt.Fprintf(&b, " = %s\n", types.ExprString(fn.Body))
	}
	for _, d := range f.Order {
		fmt.Fprintf(&b, "%s%s = %s\n", d.Name, dimsString(d.Shape), types.ExprString(d.Expr))
	}
	fmt.Fprintf(&b, "output %s\n", f.Output.Name)
	fmt.Fprintf(&b, "loss %s\n", types.ExprString(f.Loss))
	return b.String()
}

// dimsString formats a shape as in a declaration: [10][64].
func dimsString(shape []int) string {
	var b strings.Builder
	for _, n := range shape {
		fmt.Fprintf(&b, "[%d]", n)
	}
	return b.String()
}
