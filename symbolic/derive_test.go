package symbolic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// A scalarCase is a function of the variables x, y, z, built twice: as an
// expression through the smart constructors, and as plain Go. The Go form
// checks that simplification kept the meaning; finite differences of the
// expression check its derivative.
type scalarCase struct {
	name   string
	build  func(g *Graph, x, y, z *Expr) *Expr
	f      func(x, y, z float64) float64
	sample func(r *rand.Rand) (x, y, z float64) // nil: uniform in [-3, 3)
}

func posSample(r *rand.Rand) (float64, float64, float64) {
	return uniform(r, 0.1, 4), uniform(r, 0.1, 4), uniform(r, 0.1, 4)
}

func sigm(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// splus is log(1 + exp(x)) without overflow for large x.
func splus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

// primitiveCases exercises every scalar op, alone and under the chain rule.
var primitiveCases = []scalarCase{
	{"const", func(g *Graph, x, y, z *Expr) *Expr { return g.Add(g.Const(2.5), g.Mul(g.Const(0), x)) },
		func(x, y, z float64) float64 { return 2.5 }, nil},
	{"var", func(g *Graph, x, y, z *Expr) *Expr { return x },
		func(x, y, z float64) float64 { return x }, nil},
	{"add", func(g *Graph, x, y, z *Expr) *Expr { return g.Add(x, y, z, g.Const(1)) },
		func(x, y, z float64) float64 { return x + y + z + 1 }, nil},
	{"sub", func(g *Graph, x, y, z *Expr) *Expr { return g.Sub(x, g.Mul(g.Const(3), y)) },
		func(x, y, z float64) float64 { return x - 3*y }, nil},
	{"neg", func(g *Graph, x, y, z *Expr) *Expr { return g.Neg(g.Mul(x, y)) },
		func(x, y, z float64) float64 { return -x * y }, nil},
	{"mul", func(g *Graph, x, y, z *Expr) *Expr { return g.Mul(x, y, z) },
		func(x, y, z float64) float64 { return x * y * z }, nil},
	{"mul-const", func(g *Graph, x, y, z *Expr) *Expr { return g.Mul(g.Const(-1.5), x, g.Add(y, z)) },
		func(x, y, z float64) float64 { return -1.5 * x * (y + z) }, nil},
	{"div", func(g *Graph, x, y, z *Expr) *Expr { return g.Div(x, y) },
		func(x, y, z float64) float64 { return x / y }, posSample},
	{"pow2", func(g *Graph, x, y, z *Expr) *Expr { return g.Pow(x, 2) },
		func(x, y, z float64) float64 { return x * x }, nil},
	{"pow3", func(g *Graph, x, y, z *Expr) *Expr { return g.Pow(g.Add(x, y), 3) },
		func(x, y, z float64) float64 { return math.Pow(x+y, 3) }, nil},
	{"pow-1", func(g *Graph, x, y, z *Expr) *Expr { return g.Pow(x, -1) },
		func(x, y, z float64) float64 { return 1 / x }, posSample},
	{"pow-2", func(g *Graph, x, y, z *Expr) *Expr { return g.Pow(g.Mul(x, y), -2) },
		func(x, y, z float64) float64 { return math.Pow(x*y, -2) }, posSample},
	{"pow0.5", func(g *Graph, x, y, z *Expr) *Expr { return g.Pow(x, 0.5) },
		func(x, y, z float64) float64 { return math.Sqrt(x) }, posSample},
	{"pow1.5", func(g *Graph, x, y, z *Expr) *Expr { return g.Pow(g.Add(x, y), 1.5) },
		func(x, y, z float64) float64 { return math.Pow(x+y, 1.5) }, posSample},
	{"pow-0.7", func(g *Graph, x, y, z *Expr) *Expr { return g.Pow(x, -0.7) },
		func(x, y, z float64) float64 { return math.Pow(x, -0.7) }, posSample},
	{"exp", func(g *Graph, x, y, z *Expr) *Expr { return g.Exp(x) },
		func(x, y, z float64) float64 { return math.Exp(x) }, nil},
	{"exp-chain", func(g *Graph, x, y, z *Expr) *Expr { return g.Exp(g.Mul(x, y)) },
		func(x, y, z float64) float64 { return math.Exp(x * y) }, nil},
	{"log", func(g *Graph, x, y, z *Expr) *Expr { return g.Log(x) },
		func(x, y, z float64) float64 { return math.Log(x) }, posSample},
	{"log-chain", func(g *Graph, x, y, z *Expr) *Expr { return g.Log(g.Add(g.Mul(x, x), y, g.Const(1))) },
		func(x, y, z float64) float64 { return math.Log(x*x + y + 1) }, posSample},
	{"sqrt", func(g *Graph, x, y, z *Expr) *Expr { return g.Sqrt(x) },
		func(x, y, z float64) float64 { return math.Sqrt(x) }, posSample},
	{"sqrt-chain", func(g *Graph, x, y, z *Expr) *Expr { return g.Sqrt(g.Add(g.Mul(x, x), g.Mul(y, y))) },
		func(x, y, z float64) float64 { return math.Hypot(x, y) }, nil},
	{"abs", func(g *Graph, x, y, z *Expr) *Expr { return g.Abs(x) },
		func(x, y, z float64) float64 { return math.Abs(x) }, nil},
	{"abs-chain", func(g *Graph, x, y, z *Expr) *Expr { return g.Abs(g.Sub(g.Mul(x, y), z)) },
		func(x, y, z float64) float64 { return math.Abs(x*y - z) }, nil},
	{"tanh", func(g *Graph, x, y, z *Expr) *Expr { return g.Tanh(x) },
		func(x, y, z float64) float64 { return math.Tanh(x) }, nil},
	{"tanh-chain", func(g *Graph, x, y, z *Expr) *Expr { return g.Tanh(g.Mul(x, y, z)) },
		func(x, y, z float64) float64 { return math.Tanh(x * y * z) }, nil},
	{"sigmoid", func(g *Graph, x, y, z *Expr) *Expr { return g.Sigmoid(x) },
		func(x, y, z float64) float64 { return sigm(x) }, nil},
	{"sigmoid-neg", func(g *Graph, x, y, z *Expr) *Expr { return g.Sigmoid(g.Neg(g.Add(x, y))) },
		func(x, y, z float64) float64 { return sigm(-(x + y)) }, nil},
	{"softplus", func(g *Graph, x, y, z *Expr) *Expr { return g.Softplus(x) },
		func(x, y, z float64) float64 { return splus(x) }, nil},
	{"softplus-chain", func(g *Graph, x, y, z *Expr) *Expr { return g.Softplus(g.Mul(g.Const(4), x, y)) },
		func(x, y, z float64) float64 { return splus(4 * x * y) }, nil},
	{"max", func(g *Graph, x, y, z *Expr) *Expr { return g.Max(x, y) },
		func(x, y, z float64) float64 { return math.Max(x, y) }, nil},
	{"max-chain", func(g *Graph, x, y, z *Expr) *Expr { return g.Max(g.Mul(x, y), g.Tanh(z)) },
		func(x, y, z float64) float64 { return math.Max(x*y, math.Tanh(z)) }, nil},
	{"min", func(g *Graph, x, y, z *Expr) *Expr { return g.Min(x, y) },
		func(x, y, z float64) float64 { return math.Min(x, y) }, nil},
	{"min-chain", func(g *Graph, x, y, z *Expr) *Expr { return g.Min(g.Exp(x), g.Add(y, z)) },
		func(x, y, z float64) float64 { return math.Min(math.Exp(x), y+z) }, nil},
	{"select", func(g *Graph, x, y, z *Expr) *Expr { return g.Select(x, y, z) },
		func(x, y, z float64) float64 {
			if x > 0 {
				return y
			}
			return z
		}, nil},
	{"select-chain", func(g *Graph, x, y, z *Expr) *Expr {
		return g.Select(g.Sub(x, y), g.Mul(y, z), g.Exp(z))
	}, func(x, y, z float64) float64 {
		if x-y > 0 {
			return y * z
		}
		return math.Exp(z)
	}, nil},
	{"relu", func(g *Graph, x, y, z *Expr) *Expr { return g.Relu(x) },
		func(x, y, z float64) float64 { return math.Max(0, x) }, nil},
}

// compositeCases are functions that users write from the primitives; their
// derivatives come from derivation only.
var compositeCases = []scalarCase{
	{"swish", func(g *Graph, x, y, z *Expr) *Expr { return g.Mul(x, g.Sigmoid(x)) },
		func(x, y, z float64) float64 { return x * sigm(x) }, nil},
	{"rational", func(g *Graph, x, y, z *Expr) *Expr {
		num := g.Add(g.Pow(x, 3), g.Mul(g.Const(-2), x, y), g.Const(1))
		den := g.Add(g.Mul(x, x), g.Mul(y, y), g.Const(1))
		return g.Div(num, den)
	}, func(x, y, z float64) float64 { return (x*x*x - 2*x*y + 1) / (x*x + y*y + 1) }, nil},
	{"softsign", func(g *Graph, x, y, z *Expr) *Expr { return g.Div(x, g.Add(g.Const(1), g.Abs(x))) },
		func(x, y, z float64) float64 { return x / (1 + math.Abs(x)) }, nil},
	{"gelu-tanh", func(g *Graph, x, y, z *Expr) *Expr {
		c := math.Sqrt(2 / math.Pi)
		inner := g.Mul(g.Const(c), g.Add(x, g.Mul(g.Const(0.044715), g.Pow(x, 3))))
		return g.Mul(g.Const(0.5), x, g.Add(g.Const(1), g.Tanh(inner)))
	}, func(x, y, z float64) float64 {
		return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
	}, nil},
	{"mish", func(g *Graph, x, y, z *Expr) *Expr { return g.Mul(x, g.Tanh(g.Softplus(x))) },
		func(x, y, z float64) float64 { return x * math.Tanh(splus(x)) }, nil},
	{"elu", func(g *Graph, x, y, z *Expr) *Expr { return g.Select(x, x, g.Sub(g.Exp(x), g.Const(1))) },
		func(x, y, z float64) float64 {
			if x > 0 {
				return x
			}
			return math.Expm1(x)
		}, nil},
	{"leaky-relu", func(g *Graph, x, y, z *Expr) *Expr { return g.Max(g.Mul(g.Const(0.01), x), x) },
		func(x, y, z float64) float64 { return math.Max(0.01*x, x) }, nil},
	{"huber", func(g *Graph, x, y, z *Expr) *Expr {
		a := g.Abs(g.Sub(x, y))
		return g.Select(g.Sub(g.Const(1), a), g.Mul(g.Const(0.5), g.Pow(g.Sub(x, y), 2)), g.Sub(a, g.Const(0.5)))
	}, func(x, y, z float64) float64 {
		a := math.Abs(x - y)
		if 1-a > 0 {
			return 0.5 * a * a
		}
		return a - 0.5
	}, nil},
	{"logcosh", func(g *Graph, x, y, z *Expr) *Expr {
		return g.Log(g.Mul(g.Const(0.5), g.Add(g.Exp(x), g.Exp(g.Neg(x)))))
	}, func(x, y, z float64) float64 { return math.Log(math.Cosh(x)) }, nil},
	{"logsumexp2", func(g *Graph, x, y, z *Expr) *Expr {
		m := g.Max(x, y)
		return g.Add(m, g.Log(g.Add(g.Exp(g.Sub(x, m)), g.Exp(g.Sub(y, m)))))
	}, func(x, y, z float64) float64 {
		m := math.Max(x, y)
		return m + math.Log(math.Exp(x-m)+math.Exp(y-m))
	}, nil},
	{"bce-sigmoid", func(g *Graph, x, y, z *Expr) *Expr {
		// y is a target in (0, 1); x a logit
		d := g.Sigmoid(y)
		s := g.Sigmoid(x)
		return g.Neg(g.Add(g.Mul(d, g.Log(s)), g.Mul(g.Sub(g.Const(1), d), g.Log(g.Sub(g.Const(1), s)))))
	}, func(x, y, z float64) float64 {
		d, s := sigm(y), sigm(x)
		return -(d*math.Log(s) + (1-d)*math.Log(1-s))
	}, nil},
	{"gate", func(g *Graph, x, y, z *Expr) *Expr { return g.Mul(g.Sigmoid(x), g.Tanh(g.Add(y, z))) },
		func(x, y, z float64) float64 { return sigm(x) * math.Tanh(y+z) }, nil},
	{"normalize", func(g *Graph, x, y, z *Expr) *Expr {
		return g.Div(x, g.Sqrt(g.Add(g.Mul(x, x), g.Mul(y, y), g.Mul(z, z), g.Const(1e-3))))
	}, func(x, y, z float64) float64 { return x / math.Sqrt(x*x+y*y+z*z+1e-3) }, nil},
	{"polynomial", func(g *Graph, x, y, z *Expr) *Expr {
		return g.Add(g.Mul(g.Add(x, y), g.Sub(x, y)), g.Mul(g.Const(3), x, x, y), g.Pow(z, 4))
	}, func(x, y, z float64) float64 { return (x+y)*(x-y) + 3*x*x*y + z*z*z*z }, nil},
}

// admissible reports whether the point env is a fair place for finite
// differences: all values of e's nodes finite and at most 1e4 in magnitude
// (so that rounding in the function does not swamp the difference
// quotient), and every kink at least kinkMargin away along all stencils.
func admissible(e *Expr, env map[*Expr]float64, vars []*Expr) bool {
	vals := map[*Expr]float64{}
	for _, n := range postorder(e) {
		v := evalNode(n, vals, env)
		if math.IsNaN(v) || math.Abs(v) > 1e4 {
			return false
		}
		vals[n] = v
	}
	return smoothAt(e, env, vars)
}

func runScalarCases(t *testing.T, cases []scalarCase) {
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRand(uint64(100 + ci))
			g := NewGraph()
			x, y, z := g.Var("x"), g.Var("y"), g.Var("z")
			vars := []*Expr{x, y, z}
			e := c.build(g, x, y, z)
			checked := 0
			for tries := 0; tries < 200 && checked < 20; tries++ {
				var a, b, cc float64
				if c.sample != nil {
					a, b, cc = c.sample(r)
				} else {
					a, b, cc = uniform(r, -3, 3), uniform(r, -3, 3), uniform(r, -3, 3)
				}
				env := map[*Expr]float64{x: a, y: b, z: cc}
				if !admissible(e, env, vars) {
					continue
				}
				checked++
				if got, want := Eval(e, env), c.f(a, b, cc); !equalWithinAbsOrRel(got, want, valueTol, valueTol) {
					t.Errorf("%v at %s = %.17g, want %.17g", e, fmtEnv(env), got, want)
				}
				if err := checkGrad(g, e, vars, env); err != nil {
					t.Error(err)
				}
			}
			if checked < 10 {
				t.Errorf("only %d admissible points", checked)
			}
		})
	}
}

func TestDerivePrimitives(t *testing.T) { runScalarCases(t, primitiveCases) }
func TestDeriveComposites(t *testing.T) { runScalarCases(t, compositeCases) }

// TestSubgradientPolicy checks the documented choices at the kinks: the
// first candidate wins a tie, so relu'(0) = 0, |x|' at 0 is 0,
// d max(a, b)/da = 1 and d min(a, b)/da = 1 at a = b.
func TestSubgradientPolicy(t *testing.T) {
	g := NewGraph()
	x, y := g.Var("x"), g.Var("y")
	at := map[*Expr]float64{x: 0, y: 0}
	tests := []struct {
		name string
		e    *Expr
		wrt  *Expr
		want float64
	}{
		{"relu'(0)", g.Relu(x), x, 0},
		{"|x|'(0)", g.Abs(x), x, 0},
		{"dmax/da at tie", g.Max(x, y), x, 1},
		{"dmax/db at tie", g.Max(x, y), y, 0},
		{"dmin/da at tie", g.Min(x, y), x, 1},
		{"dmin/db at tie", g.Min(x, y), y, 0},
		{"dselect/da at c=0", g.Select(x, x, y), y, 1},
	}
	for _, tt := range tests {
		if got := Eval(g.Diff(tt.e, tt.wrt), at); got != tt.want {
			t.Errorf("%s = %v, want %v (derivative %v)", tt.name, got, tt.want, g.Diff(tt.e, tt.wrt))
		}
	}
	// Away from the kinks the slopes are the ordinary ones.
	for _, v := range []float64{-2, 2} {
		at := map[*Expr]float64{x: v}
		if got, want := Eval(g.Diff(g.Relu(x), x), at), math.Max(0, math.Copysign(1, v)); got != want {
			t.Errorf("relu'(%v) = %v, want %v", v, got, want)
		}
		if got, want := Eval(g.Diff(g.Abs(x), x), at), math.Copysign(1, v); got != want {
			t.Errorf("|x|'(%v) = %v, want %v", v, got, want)
		}
	}
}

// ---- random expressions ----

// A chooser makes the choices of the expression generator: from a seeded
// random source in TestDeriveRandom, from fuzz bytes in FuzzDerive.
type chooser interface {
	intn(n int) int
}

type randChooser struct{ r *rand.Rand }

func (c randChooser) intn(n int) int { return c.r.IntN(n) }

type byteChooser struct{ b []byte }

func (c *byteChooser) intn(n int) int {
	if len(c.b) == 0 {
		return 0
	}
	v := int(c.b[0]) % n
	c.b = c.b[1:]
	return v
}

// exprGen builds random expressions that are defined everywhere on R^3:
// log, sqrt and non-integer or negative powers only see positive
// subexpressions, made positive by exp, softplus, sigmoid or a*a + 1. Each
// expression comes with its meaning as a Go function, to check the smart
// constructors against.
type exprGen struct {
	g    *Graph
	c    chooser
	vars []*Expr
	// near is the smallest distance to a kink seen while evaluating the Go
	// meaning of an expression: the Go meaning has kinks where the built
	// expression may have none (select(exp(u), a, b) folds to a, but the Go
	// exp(u) underflows to 0 for u < -745 and picks b).
	near float64
}

// kink records the distance d to a kink of the Go meaning.
func (gen *exprGen) kink(d float64) { gen.near = math.Min(gen.near, math.Abs(d)) }

// inRange returns v, and marks the point as unfit when v has left the
// normal range of float64: the Go meaning has then lost its precision
// (log(exp(-708.6)) is -708.49 in float64) where the simplified
// expression (here -708.6 itself) has not.
func (gen *exprGen) inRange(v float64) float64 {
	if a := math.Abs(v); a != 0 && (a < 1e-300 || a > 1e300) {
		gen.near = 0
	}
	return v
}

type genExpr struct {
	e   *Expr
	f   func(v []float64) float64
	src string // the expression as generated, before simplification
}

func (gen *exprGen) gen(depth int) genExpr {
	g := gen.g
	if depth == 0 || gen.c.intn(5) == 0 {
		if gen.c.intn(4) == 0 {
			// constants from a small set, so that folding and like terms meet
			k := []float64{-2, -1, -0.5, 0, 0.5, 1, 2, 3}[gen.c.intn(8)]
			return genExpr{g.Const(k), func([]float64) float64 { return k }, fmt.Sprint(k)}
		}
		i := gen.c.intn(len(gen.vars))
		return genExpr{gen.vars[i], func(v []float64) float64 { return v[i] }, gen.vars[i].Name}
	}
	switch gen.c.intn(20) {
	case 0, 1:
		a, b := gen.gen(depth-1), gen.gen(depth-1)
		return genExpr{g.Add(a.e, b.e), func(v []float64) float64 { return a.f(v) + b.f(v) }, "(" + a.src + " + " + b.src + ")"}
	case 2:
		a, b := gen.gen(depth-1), gen.gen(depth-1)
		return genExpr{g.Sub(a.e, b.e), func(v []float64) float64 { return a.f(v) - b.f(v) }, "(" + a.src + " - " + b.src + ")"}
	case 3, 4:
		a, b := gen.gen(depth-1), gen.gen(depth-1)
		return genExpr{g.Mul(a.e, b.e), func(v []float64) float64 { return a.f(v) * b.f(v) }, "(" + a.src + " * " + b.src + ")"}
	case 5:
		a, b := gen.gen(depth-1), gen.pos(depth-1)
		return genExpr{g.Div(a.e, b.e), func(v []float64) float64 { return a.f(v) / b.f(v) }, "(" + a.src + " / " + b.src + ")"}
	case 6:
		a := gen.gen(depth - 1)
		p := []float64{2, 3, 4}[gen.c.intn(3)]
		return genExpr{g.Pow(a.e, p), func(v []float64) float64 { return gen.inRange(math.Pow(a.f(v), p)) }, fmt.Sprintf("(%s)^%v", a.src, p)}
	case 7:
		a := gen.pos(depth - 1)
		p := []float64{-2, -1, -0.5, 0.5, 1.5, 2.5}[gen.c.intn(6)]
		return genExpr{g.Pow(a.e, p), func(v []float64) float64 { return gen.inRange(math.Pow(a.f(v), p)) }, fmt.Sprintf("(%s)^%v", a.src, p)}
	case 8:
		a := gen.gen(depth - 1)
		return genExpr{g.Exp(a.e), func(v []float64) float64 { return gen.inRange(math.Exp(a.f(v))) }, "exp(" + a.src + ")"}
	case 9:
		a := gen.pos(depth - 1)
		return genExpr{g.Log(a.e), func(v []float64) float64 { return math.Log(a.f(v)) }, "log(" + a.src + ")"}
	case 10:
		a := gen.pos(depth - 1)
		return genExpr{g.Sqrt(a.e), func(v []float64) float64 { return math.Sqrt(a.f(v)) }, "sqrt(" + a.src + ")"}
	case 11:
		a := gen.gen(depth - 1)
		return genExpr{g.Abs(a.e), func(v []float64) float64 {
			x := a.f(v)
			gen.kink(x)
			return math.Abs(x)
		}, "abs(" + a.src + ")"}
	case 12:
		a := gen.gen(depth - 1)
		return genExpr{g.Tanh(a.e), func(v []float64) float64 { return math.Tanh(a.f(v)) }, "tanh(" + a.src + ")"}
	case 13:
		a := gen.gen(depth - 1)
		return genExpr{g.Sigmoid(a.e), func(v []float64) float64 { return sigm(a.f(v)) }, "sigmoid(" + a.src + ")"}
	case 14:
		a := gen.gen(depth - 1)
		return genExpr{g.Softplus(a.e), func(v []float64) float64 { return splus(a.f(v)) }, "softplus(" + a.src + ")"}
	case 15:
		a, b := gen.gen(depth-1), gen.gen(depth-1)
		return genExpr{g.Max(a.e, b.e), func(v []float64) float64 {
			x, y := a.f(v), b.f(v)
			gen.kink(x - y)
			return math.Max(x, y)
		}, "max(" + a.src + ", " + b.src + ")"}
	case 16:
		a, b := gen.gen(depth-1), gen.gen(depth-1)
		return genExpr{g.Min(a.e, b.e), func(v []float64) float64 {
			x, y := a.f(v), b.f(v)
			gen.kink(x - y)
			return math.Min(x, y)
		}, "min(" + a.src + ", " + b.src + ")"}
	case 17:
		c, a, b := gen.gen(depth-1), gen.gen(depth-1), gen.gen(depth-1)
		return genExpr{g.Select(c.e, a.e, b.e), func(v []float64) float64 {
			cv := c.f(v)
			gen.kink(cv)
			if cv > 0 {
				return a.f(v)
			}
			return b.f(v)
		}, "select(" + c.src + ", " + a.src + ", " + b.src + ")"}
	case 18:
		a := gen.gen(depth - 1)
		return genExpr{g.Relu(a.e), func(v []float64) float64 {
			x := a.f(v)
			gen.kink(x)
			return math.Max(0, x)
		}, "relu(" + a.src + ")"}
	default:
		a := gen.gen(depth - 1)
		return genExpr{g.Neg(a.e), func(v []float64) float64 { return -a.f(v) }, "-(" + a.src + ")"}
	}
}

// pos returns a random expression that is positive everywhere.
func (gen *exprGen) pos(depth int) genExpr {
	g := gen.g
	a := gen.gen(max(depth-1, 0))
	switch gen.c.intn(4) {
	case 0:
		return genExpr{g.Exp(a.e), func(v []float64) float64 { return gen.inRange(math.Exp(a.f(v))) }, "exp(" + a.src + ")"}
	case 1:
		return genExpr{g.Softplus(a.e), func(v []float64) float64 { return splus(a.f(v)) }, "softplus(" + a.src + ")"}
	case 2:
		return genExpr{g.Sigmoid(a.e), func(v []float64) float64 { return sigm(a.f(v)) }, "sigmoid(" + a.src + ")"}
	default:
		return genExpr{g.Add(g.Mul(a.e, a.e), g.Const(1)), func(v []float64) float64 {
			x := a.f(v)
			return x*x + 1
		}, "(" + a.src + "*" + a.src + " + 1)"}
	}
}

// checkRandomExpr checks x at up to points admissible points drawn from r:
// the value against its Go meaning and the gradient against finite
// differences. It returns the number of points checked.
func checkRandomExpr(t *testing.T, gen *exprGen, x genExpr, r *rand.Rand, points int) int {
	g, vars := gen.g, gen.vars
	t.Helper()
	checked := 0
	for tries := 0; tries < 4*points && checked < points; tries++ {
		env := map[*Expr]float64{}
		vs := make([]float64, len(vars))
		for i, v := range vars {
			vs[i] = uniform(r, -2, 2)
			env[v] = vs[i]
		}
		if !admissible(x.e, env, vars) {
			continue
		}
		gen.near = math.Inf(1)
		want := x.f(vs)
		if math.IsNaN(want) || math.IsInf(want, 0) || gen.near < kinkMargin {
			continue
		}
		checked++
		if got := Eval(x.e, env); !equalWithinAbsOrRel(got, want, valueTol, valueTol) {
			t.Errorf("%v (generated as %s) at %s = %.17g, want %.17g", x.e, x.src, fmtEnv(env), got, want)
		}
		// The rewrites of Simplify keep the value too.
		for name, y := range map[string]*Expr{"Simplify": g.Simplify(x.e), "Expand": g.Expand(x.e), "Factor": g.Factor(x.e)} {
			if got := Eval(y, env); !equalWithinAbsOrRel(got, want, simplifyTol, simplifyTol) {
				t.Errorf("%s(%v) = %v (generated as %s) at %s = %.17g, want %.17g", name, x.e, y, x.src, fmtEnv(env), got, want)
			}
		}
		if err := checkGrad(g, x.e, vars, env); err != nil {
			t.Errorf("%v (generated as %s)", err, x.src)
		}
	}
	return checked
}

// TestDeriveRandom checks a few hundred random expressions.
func TestDeriveRandom(t *testing.T) {
	r := newRand(1)
	total, exprs := 0, 0
	for i := 0; i < 400; i++ {
		g := NewGraph()
		vars := []*Expr{g.Var("x"), g.Var("y"), g.Var("z")}
		gen := &exprGen{g: g, c: randChooser{r}, vars: vars}
		x := gen.gen(1 + i%5)
		n := checkRandomExpr(t, gen, x, r, 4)
		total += n
		if n > 0 {
			exprs++
		}
		if t.Failed() {
			t.Fatalf("expression %d failed", i)
		}
	}
	t.Logf("%d expressions checked at %d points", exprs, total)
	if exprs < 300 {
		t.Errorf("only %d of 400 expressions had an admissible point", exprs)
	}
}

// FuzzDerive decodes bytes into a small expression of x, y, z and checks its
// value and derivatives at a few points. The seed corpus is in
// testdata/fuzz/FuzzDerive and runs with every go test.
func FuzzDerive(f *testing.F) {
	f.Add([]byte{3, 9, 12, 0, 1, 2})
	f.Add([]byte{15, 8, 1, 13, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64 {
			return // keep expressions small
		}
		g := NewGraph()
		vars := []*Expr{g.Var("x"), g.Var("y"), g.Var("z")}
		gen := &exprGen{g: g, c: &byteChooser{data}, vars: vars}
		x := gen.gen(4)
		checkRandomExpr(t, gen, x, newRand(uint64(len(data))), 3)
	})
}
