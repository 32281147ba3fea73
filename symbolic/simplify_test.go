package symbolic

import (
	"testing"
)

// TestSimplify checks the rewrites of the smart constructors, each by the
// printed form of its result.
func TestSimplify(t *testing.T) {
	g := NewGraph()
	x, y, z := g.Var("x"), g.Var("y"), g.Var("z")
	one, two := g.Const(1), g.Const(2)
	ex := g.Exp(y) // a positive expression
	tests := []struct {
		name string
		got  *Expr
		want string
	}{
		{"fold add", g.Add(two, g.Const(3)), "5"},
		{"fold mul", g.Mul(two, g.Const(3), g.Const(0.5)), "3"},
		{"fold pow", g.Pow(two, 3), "8"},
		{"fold exp", g.Exp(g.Const(0)), "1"},
		{"fold log", g.Log(one), "0"},
		{"fold sqrt", g.Sqrt(g.Const(9)), "3"},
		{"fold tanh", g.Tanh(g.Const(0)), "0"},
		{"fold sigmoid", g.Sigmoid(g.Const(0)), "0.5"},
		{"fold max", g.Max(two, g.Const(-1)), "2"},
		{"fold min", g.Min(two, g.Const(-1)), "-1"},
		{"fold abs", g.Abs(g.Const(-4)), "4"},
		{"fold select", g.Select(g.Const(-1), x, y), "y"},
		{"fold nested", g.Add(g.Mul(two, g.Const(3)), g.Exp(g.Const(0))), "7"},
		{"x*1", g.Mul(x, one), "x"},
		{"x+0", g.Add(x, g.Const(0)), "x"},
		{"x*0", g.Mul(x, g.Const(0)), "0"},
		{"x*0 nested", g.Mul(g.Tanh(x), g.Const(0), g.Exp(y)), "0"},
		{"x-x", g.Sub(x, x), "0"},
		{"(x+y)-(y+x)", g.Sub(g.Add(x, y), g.Add(y, x)), "0"},
		{"-(-x)", g.Neg(g.Neg(x)), "x"},
		{"-(x-y)", g.Neg(g.Sub(x, y)), "y - x"},
		{"x^1", g.Pow(x, 1), "x"},
		{"x^0", g.Pow(x, 0), "1"},
		{"exp(log x), x of unknown sign", g.Exp(g.Log(x)), "exp(log(x))"},
		{"exp(log x), x positive", g.Exp(g.Log(ex)), "exp(y)"},
		{"x+2x", g.Add(x, g.Mul(two, x)), "3*x"},
		{"2xy+xy", g.Add(g.Mul(two, x, y), g.Mul(y, x)), "3*x*y"},
		{"x*x", g.Mul(x, x), "x^2"},
		{"x*x^2", g.Mul(x, g.Pow(x, 2)), "x^3"},
		{"x/x", g.Div(x, x), "1"},
		{"x^2/x", g.Div(g.Pow(x, 2), x), "x"},
		{"(x^2)^3", g.Pow(g.Pow(x, 2), 3), "x^6"},
		{"(x^2)^0.5 unknown sign", g.Pow(g.Pow(x, 2), 0.5), "(x^2)^0.5"},
		{"(e^2)^0.5 positive", g.Pow(g.Pow(ex, 2), 0.5), "exp(y)"},
		{"sqrt(x)^2", g.Pow(g.Sqrt(x), 2), "x"},
		{"(2x)^2", g.Pow(g.Mul(two, x), 2), "4*x^2"},
		{"log(exp x)", g.Log(g.Exp(x)), "x"},
		{"log(sigmoid x)", g.Log(g.Sigmoid(x)), "-softplus(-x)"},
		{"log(1-sigmoid x)", g.Log(g.Sub(one, g.Sigmoid(x))), "-softplus(x)"},
		{"log(sigmoid(-x))", g.Log(g.Sigmoid(g.Neg(x))), "-softplus(x)"},
		{"sigmoid(-x)", g.Sigmoid(g.Neg(x)), "1 - sigmoid(x)"},
		{"sigmoid(-x-y)", g.Sigmoid(g.Sub(g.Neg(x), y)), "1 - sigmoid(x + y)"},
		{"sigmoid(x-y) stays", g.Sigmoid(g.Sub(x, y)), "sigmoid(x - y)"},
		{"log of positive product", g.Log(g.Mul(ex, g.Sigmoid(z))), "y - softplus(-z)"},
		{"log of positive power", g.Log(g.Pow(ex, 3)), "3*y"},
		{"log of unknown product", g.Log(g.Mul(x, y)), "log(x*y)"},
		{"abs of positive", g.Abs(g.Softplus(x)), "softplus(x)"},
		{"max(x, x)", g.Max(x, x), "x"},
		{"min(x, x)", g.Min(x, x), "x"},
		{"select positive", g.Select(ex, x, y), "x"},
		{"select same", g.Select(x, y, y), "y"},
		{"distribute constant", g.Mul(two, g.Add(x, y)), "2*x + 2*y"},
		{"relu", g.Relu(x), "max(0, x)"},
		{"division", g.Div(x, g.Mul(y, z)), "x/y/z"},
		{"sum of products", g.Sub(g.Mul(x, y), g.Mul(x, y, z)), "x*y - x*y*z"},
		{"sum of scaled products", g.Sub(x, g.Mul(two, y, z)), "x - 2*y*z"},
	}
	for _, tt := range tests {
		if got := tt.got.String(); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestSimplifyExpand checks that Simplify multiplies out only when that is
// cheaper: the BCE derivative -d(1-y) + (1-d)y collapses to y - d, and the
// factored y(1-y) stays factored.
func TestSimplifyExpand(t *testing.T) {
	g := NewGraph()
	d, y := g.Var("d"), g.Var("y")
	one := g.Const(1)
	bce := g.Add(g.Neg(g.Mul(d, g.Sub(one, y))), g.Mul(g.Sub(one, d), y))
	if got, want := g.Simplify(bce).String(), "y - d"; got != want {
		t.Errorf("Simplify(%v) = %s, want %s", bce, got, want)
	}
	fac := g.Mul(y, g.Sub(one, y))
	if got := g.Simplify(fac); got != fac {
		t.Errorf("Simplify(%v) = %v, want it unchanged", fac, got)
	}
}

// TestHashConsing checks that structurally equal expressions are one node.
func TestHashConsing(t *testing.T) {
	g := NewGraph()
	a, b, c := g.Var("a"), g.Var("b"), g.Var("c")
	if g.Var("a") != a {
		t.Error("Var(a) twice gives two nodes")
	}
	if g.Const(2) != g.Const(2) {
		t.Error("Const(2) twice gives two nodes")
	}
	if g.Const(0) != g.Const(-0.0*1) {
		t.Error("-0 and +0 are two nodes")
	}
	if g.Add(a, b) != g.Add(b, a) {
		t.Error("a+b and b+a are two nodes")
	}
	if g.Mul(a, b, c) != g.Mul(c, g.Mul(b, a)) {
		t.Error("a*b*c and c*(b*a) are two nodes")
	}
	if g.Max(a, b) == g.Max(b, a) {
		t.Error("max(a, b) and max(b, a) are one node, but they differ at a tie")
	}
	build := func() *Expr {
		s := g.Add(g.Mul(a, b), g.Const(1))
		return g.Mul(g.Tanh(s), g.Exp(s))
	}
	e1 := build()
	n := g.NumExprs()
	e2 := build()
	if e1 != e2 {
		t.Error("the same expression built twice gives two nodes")
	}
	if g.NumExprs() != n {
		t.Errorf("building an existing expression added %d nodes", g.NumExprs()-n)
	}
	// Equal subexpressions are one node: tanh(s) and exp(s) share s.
	var s *Expr
	for _, f := range e1.Args {
		if s == nil {
			s = f.Args[0]
		} else if f.Args[0] != s {
			t.Errorf("the shared argument is two nodes: %v and %v", s, f.Args[0])
		}
	}
	for i, e := range Nodes(e1) {
		if e.ID >= g.NumExprs() {
			t.Errorf("node %d has ID %d beyond NumExprs %d", i, e.ID, g.NumExprs())
		}
	}
}

// TestStringDeterministic builds the same expressions in several fresh
// graphs and checks that they print the same every time.
func TestStringDeterministic(t *testing.T) {
	build := func() string {
		g := NewGraph()
		x, y, z := g.Var("x"), g.Var("y"), g.Var("z")
		e := g.Add(g.Mul(g.Sigmoid(x), y), g.Log(g.Softplus(z)), g.Div(x, g.Add(y, g.Const(3))))
		var out string
		for _, d := range g.Grad(e, x, y, z) {
			out += d.String() + "\n"
		}
		return e.String() + "\n" + out
	}
	first := build()
	for i := 0; i < 20; i++ {
		if got := build(); got != first {
			t.Fatalf("run %d prints\n%s\nfirst run printed\n%s", i, got, first)
		}
	}
}

// TestCallMatchesConstructors checks that Call builds the same node as the
// named constructor, for every op, so Substitute and Reuse rebuild
// faithfully.
func TestCallMatchesConstructors(t *testing.T) {
	g := NewGraph()
	x, y, z := g.Var("x"), g.Var("y"), g.Var("z")
	tests := []struct {
		op   Op
		val  float64
		args []*Expr
		want *Expr
	}{
		{OpAdd, 0, []*Expr{x, y}, g.Add(x, y)},
		{OpMul, 0, []*Expr{x, y, z}, g.Mul(x, y, z)},
		{OpPow, 3, []*Expr{x}, g.Pow(x, 3)},
		{OpExp, 0, []*Expr{x}, g.Exp(x)},
		{OpLog, 0, []*Expr{x}, g.Log(x)},
		{OpSqrt, 0, []*Expr{x}, g.Sqrt(x)},
		{OpAbs, 0, []*Expr{x}, g.Abs(x)},
		{OpTanh, 0, []*Expr{x}, g.Tanh(x)},
		{OpSigmoid, 0, []*Expr{x}, g.Sigmoid(x)},
		{OpSoftplus, 0, []*Expr{x}, g.Softplus(x)},
		{OpMax, 0, []*Expr{x, y}, g.Max(x, y)},
		{OpMin, 0, []*Expr{x, y}, g.Min(x, y)},
		{OpSelect, 0, []*Expr{x, y, z}, g.Select(x, y, z)},
	}
	for _, tt := range tests {
		if got := g.Call(tt.op, tt.val, tt.args...); got != tt.want {
			t.Errorf("Call(%v) = %v, want %v", tt.op, got, tt.want)
		}
		if tt.want.Op != tt.op {
			t.Errorf("constructor of %v built %v", tt.op, tt.want.Op)
		}
	}
}
