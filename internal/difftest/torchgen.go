// Package difftest holds the reliability tests of bpgen that need the whole
// pipeline: random networks checked by their own gradient tests, a
// differential test against PyTorch, and numerical robustness tests.
//
// TorchProgram, the translator from a checked spec to a PyTorch program,
// is the only non-test code: it is the reference semantics of the spec
// language written a second time, independently of spec.Lower and the
// symbolic package.
package difftest

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"strconv"
	"strings"

	"github.com/bpgen/bpgen/spec"
)

// torchPrelude defines the helpers every translated program uses. The
// formulas are those of docs/spec.md; where bpgen documents a subgradient
// convention the helper follows it exactly:
//   - relu'(0) = 0 (torch.relu does the same);
//   - leakyrelu(z, a) = z if z > 0 else a*z, so its slope at 0 is a;
//   - max(a, b) and min(a, b) give the whole derivative to a on a tie
//     (torch.maximum would split it 0.5/0.5), through torch.where;
//   - maxpool and maxof take the first maximum (Tensor.max(dim) returns
//     the first index of the maximum);
//   - softplus is computed as logaddexp(z, 0), whose derivative is exactly
//     sigmoid(z) (torch.nn.functional.softplus switches to the identity
//     above 20, a difference of 2e-9 that float64 comparisons would see);
//   - kl uses xlogy(d, d), so that 0 log 0 = 0.
const torchPrelude = `import torch

def C(v):
    return torch.tensor(v, dtype=DT)

def _softplus(z):
    return torch.logaddexp(z, torch.zeros_like(z))

def _leaky(z, a):
    return torch.where(z > 0, z, a * z)

def _max(a, b):
    a, b = torch.broadcast_tensors(a, b)
    return torch.where(a >= b, a, b)

def _min(a, b):
    a, b = torch.broadcast_tensors(a, b)
    return torch.where(a <= b, a, b)

def _maxpool(v, k):
    return v.reshape(-1, k).max(1).values

def _maxof(v):
    return v.max(0).values

def _l2(y, d):
    return 0.5 * torch.sum((y - d) ** 2)

def _crossentropy(y, d):
    return -torch.sum(d * torch.log(y))

def _kl(y, d):
    return torch.sum(torch.xlogy(d, d) - d * torch.log(y))

def _bce(y, d):
    return -torch.sum(d * torch.log(y) + (1 - d) * torch.log(1 - y))
`

// TorchProgram translates a checked spec into a Python program for PyTorch.
// The program defines
//
//	DT                 torch.float32 or torch.float64, the spec's precision
//	net(P, X, D)       returning (output, loss)
//
// where P maps each parameter name of the spec (as in f.Params and in the
// safetensors files of the generated package) to a tensor of its PyTorch
// shape ([out, in] for a dense weight), X is the input vector and D the
// target vector. Every definition becomes one Python statement, in
// topological order; user functions become Python functions; an index
// expression v[i] becomes the whole vector v, so that sum(i, expr) is
// torch.sum of the elementwise expression. dense(v, n) is W @ v + b with the
// parameters that spec.Parse assigned to the call.
func TorchProgram(f *spec.File) (string, error) {
	t := &translator{f: f}
	var b strings.Builder
	dt := "torch.float32"
	if f.Precision == "float64" {
		dt = "torch.float64"
	}
	fmt.Fprintf(&b, "# PyTorch translation of %s (package %s), by internal/difftest.TorchProgram.\n", f.Filename, f.Package)
	b.WriteString(torchPrelude)
	fmt.Fprintf(&b, "\nDT = %s\n", dt)
	for _, fn := range f.Funcs {
		params := make([]string, len(fn.Params))
		for i, p := range fn.Params {
			params[i] = "p_" + p
		}
		body, err := t.expr(fn.Body)
		if err != nil {
			return "", fmt.Errorf("function %s: %v", fn.Name, err)
		}
		fmt.Fprintf(&b, "\ndef f_%s(%s):\n    return %s\n", fn.Name, strings.Join(params, ", "), body)
	}
	b.WriteString("\ndef net(P, X, D):\n")
	for _, d := range f.Order {
		e, err := t.expr(d.Expr)
		if err != nil {
			return "", fmt.Errorf("definition %s: %v", d.Name, err)
		}
		fmt.Fprintf(&b, "    v_%s = %s\n", d.Name, e)
	}
	loss, err := t.expr(f.Loss)
	if err != nil {
		return "", fmt.Errorf("loss: %v", err)
	}
	fmt.Fprintf(&b, "    loss = %s\n", loss)
	fmt.Fprintf(&b, "    return v_%s, loss\n", f.Output.Name)
	return b.String(), nil
}

type translator struct {
	f *spec.File
}

func (t *translator) pos(n ast.Node) string {
	if t.f.Info.Pos == nil {
		return "?"
	}
	p := t.f.Info.Pos(n.Pos())
	return fmt.Sprintf("%d:%d", p.Line, p.Column)
}

// constant evaluates a constant expression of numbers, + - * / and
// parentheses.
func (t *translator) constant(e ast.Expr) (float64, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		v := constant.MakeFromLiteral(e.Value, e.Kind, 0)
		if v.Kind() == constant.Unknown {
			return 0, false
		}
		f, _ := constant.Float64Val(constant.ToFloat(v))
		return f, true
	case *ast.ParenExpr:
		return t.constant(e.X)
	case *ast.UnaryExpr:
		v, ok := t.constant(e.X)
		if e.Op == token.SUB {
			v = -v
		}
		return v, ok
	case *ast.BinaryExpr:
		a, ok1 := t.constant(e.X)
		b, ok2 := t.constant(e.Y)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch e.Op {
		case token.ADD:
			return a + b, true
		case token.SUB:
			return a - b, true
		case token.MUL:
			return a * b, true
		case token.QUO:
			return a / b, true
		}
	}
	return 0, false
}

func num(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func (t *translator) expr(e ast.Expr) (string, error) {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return t.expr(e.X)
	case *ast.BasicLit:
		v, ok := t.constant(e)
		if !ok {
			return "", fmt.Errorf("%s: bad number %s", t.pos(e), e.Value)
		}
		return "C(" + num(v) + ")", nil
	case *ast.Ident:
		switch o := t.f.Info.Uses[e].(type) {
		case *spec.Var:
			if o == t.f.Input {
				return "X", nil
			}
			return "D", nil
		case *spec.Param:
			return "P[" + strconv.Quote(o.Name) + "]", nil
		case *spec.Def:
			return "v_" + o.Name, nil
		case spec.FuncParam:
			return "p_" + e.Name, nil
		}
		return "", fmt.Errorf("%s: unexpected identifier %s (%T)", t.pos(e), e.Name, t.f.Info.Uses[e])
	case *ast.IndexExpr:
		// v[i] in an elementwise body is the whole vector v.
		return t.expr(e.X)
	case *ast.UnaryExpr:
		x, err := t.expr(e.X)
		if err != nil {
			return "", err
		}
		if e.Op == token.SUB {
			return "(-" + x + ")", nil
		}
		return x, nil
	case *ast.BinaryExpr:
		a, err := t.expr(e.X)
		if err != nil {
			return "", err
		}
		b, err := t.expr(e.Y)
		if err != nil {
			return "", err
		}
		if e.Op == token.MUL && len(t.f.Info.Shapes[e.X]) == 2 {
			return "torch.mv(" + a + ", " + b + ")", nil
		}
		return "(" + a + " " + e.Op.String() + " " + b + ")", nil
	case *ast.CallExpr:
		return t.call(e)
	}
	return "", fmt.Errorf("%s: cannot translate %T", t.pos(e), e)
}

func (t *translator) call(e *ast.CallExpr) (string, error) {
	id, ok := e.Fun.(*ast.Ident)
	if !ok {
		return "", fmt.Errorf("%s: call of a non-name", t.pos(e))
	}
	args := make([]string, len(e.Args))
	translateArgs := func() error { // called once, on the paths that need the arguments
		for i, a := range e.Args {
			s, err := t.expr(a)
			if err != nil {
				return err
			}
			args[i] = s
		}
		return nil
	}
	switch o := t.f.Info.Uses[id].(type) {
	case *spec.Func:
		if err := translateArgs(); err != nil {
			return "", err
		}
		return "f_" + o.Name + "(" + strings.Join(args, ", ") + ")", nil
	case spec.Builtin:
		name := o.Name
		if name == "sum" && len(e.Args) == 2 {
			body, err := t.expr(e.Args[1])
			if err != nil {
				return "", err
			}
			return "torch.sum(" + body + ")", nil
		}
		if name == "dense" {
			dp, ok := t.f.Info.Dense[e]
			if !ok {
				return "", fmt.Errorf("%s: dense call without parameters", t.pos(e))
			}
			v, err := t.expr(e.Args[0])
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("(torch.mv(P[%q], %s) + P[%q])", dp.Weight.Name, v, dp.Bias.Name), nil
		}
		if name == "maxpool" || name == "pow" {
			k, ok := t.constant(e.Args[1])
			if !ok {
				return "", fmt.Errorf("%s: %s needs a constant second argument", t.pos(e), name)
			}
			x, err := t.expr(e.Args[0])
			if err != nil {
				return "", err
			}
			if name == "maxpool" {
				return fmt.Sprintf("_maxpool(%s, %d)", x, int(k)), nil
			}
			return fmt.Sprintf("torch.pow(%s, %s)", x, num(k)), nil
		}
		if err := translateArgs(); err != nil {
			return "", err
		}
		switch name {
		case "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu":
			return "torch." + name + "(" + args[0] + ")", nil
		case "softplus":
			return "_softplus(" + args[0] + ")", nil
		case "leakyrelu":
			return "_leaky(" + args[0] + ", " + args[1] + ")", nil
		case "max", "min":
			return "_" + name + "(" + args[0] + ", " + args[1] + ")", nil
		case "softmax":
			return "torch.softmax(" + args[0] + ", 0)", nil
		case "logsoftmax":
			return "torch.log_softmax(" + args[0] + ", 0)", nil
		case "maxof":
			return "_maxof(" + args[0] + ")", nil
		case "sum":
			return "torch.sum(" + args[0] + ")", nil
		case "l2", "crossentropy", "kl", "bce":
			return "_" + name + "(" + args[0] + ", " + args[1] + ")", nil
		}
		return "", fmt.Errorf("%s: no translation for builtin %s", t.pos(e), name)
	}
	return "", fmt.Errorf("%s: unknown function %s", t.pos(e), id.Name)
}
