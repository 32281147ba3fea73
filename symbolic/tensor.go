package symbolic

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Kind is the kind of a tensor operation.
type Kind uint8

// The tensor operation kinds. Each kind's adjoint rule is in adjoint.go.
const (
	KindInvalid  Kind = iota
	KindLeaf          // an input, target or parameter
	KindMap           // out[i] = Body, where Ref(t) in Body stands for t[i] (or t, for a scalar t)
	KindContract      // out[o] = sum over the other indices of the product of Args[k][Index[k]]
	KindMax           // out[g] = max over k < Group of Args[0][g*Group+k]; the first maximum wins ties
	KindMaxGrad       // out[g*Group+k] = Args[1][g] where k is the first argmax of group g of Args[0], else 0
	KindStop          // out = Args[0] in value; no gradient flows through it
)

var kindNames = [...]string{"invalid", "leaf", "map", "contract", "max", "maxgrad", "stop"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Role says what a leaf tensor is.
type Role uint8

// Leaf roles.
const (
	RoleNone   Role = iota
	RoleInput       // the network input x
	RoleTarget      // the desired output d
	RoleParam       // a trainable parameter
)

// Tensor is an immutable, hash-consed tensor node with a static shape. A
// nil or empty Shape is a scalar. Tensors are numbered in creation order,
// and every tensor's arguments are older than it, so ID order is a
// topological order.
type Tensor struct {
	ID    int
	Kind  Kind
	Role  Role   // for leaves
	Name  string // leaves and named definitions; "" for temporaries
	Shape []int

	Body  *Expr     // KindMap
	Args  []*Tensor // operands; for KindMap the tensors Body refers to, by ID
	Index [][]int   // KindContract: the index variables of each argument
	Out   []int     // KindContract: the index variables of the result
	Dims  []int     // KindContract: the range of each index variable
	Group int       // KindMax, KindMaxGrad: the group size

	// Distribution marks a leaf whose elements are declared to sum to 1
	// (a target declared a distribution). Contract uses the fact: the
	// sum of all the elements of such a leaf is the constant 1.
	Distribution bool

	positive bool
	nodes    int // KindMap: the number of distinct nodes of Body
}

// Size returns the number of elements of t (1 for a scalar).
func (t *Tensor) Size() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Scalar reports whether t is a scalar.
func (t *Tensor) Scalar() bool { return len(t.Shape) == 0 }

// Positive reports whether every element of t is known to be > 0.
func (t *Tensor) Positive() bool { return t.positive }

func (t *Tensor) refString(label func(*Tensor) string) string {
	name := label(t)
	if t.Scalar() {
		return name
	}
	return name + "[i]"
}

// String prints t's definition on one line, in the style of a jaxpr.
func (t *Tensor) String() string { return t.Format(nil) }

// Format is String with tensors named by label (nil: their own names, or
// t<ID> for temporaries).
func (t *Tensor) Format(label func(*Tensor) string) string {
	if label == nil {
		label = (*Tensor).label
	}
	var b strings.Builder
	b.WriteString(label(t))
	b.WriteString(fmt.Sprint(t.Shape))
	b.WriteString(" = ")
	switch t.Kind {
	case KindLeaf:
		b.WriteString([]string{"?", "input", "target", "param"}[t.Role])
		if t.Distribution {
			b.WriteString(" distribution")
		}
	case KindMap:
		b.WriteString(t.Body.Format(label))
	case KindContract:
		letters := func(ix []int) string {
			var s strings.Builder
			for _, i := range ix {
				s.WriteByte("ijklmnopqrstuvwxyzabcdefgh"[i%26])
			}
			return s.String()
		}
		b.WriteString("sum ")
		for k, a := range t.Args {
			if k > 0 {
				b.WriteString(" * ")
			}
			b.WriteString(label(a) + "[" + letters(t.Index[k]) + "]")
		}
		b.WriteString(" -> [" + letters(t.Out) + "]")
	case KindMax:
		fmt.Fprintf(&b, "groupmax(%s, %d)", label(t.Args[0]), t.Group)
	case KindMaxGrad:
		fmt.Fprintf(&b, "maxgrad(%s, %s, %d)", label(t.Args[0]), label(t.Args[1]), t.Group)
	case KindStop:
		fmt.Fprintf(&b, "stopgradient(%s)", label(t.Args[0]))
	}
	return b.String()
}

func (t *Tensor) label() string {
	if t.Name != "" {
		return t.Name
	}
	return "t" + strconv.Itoa(t.ID)
}

func shapeKey(s []int) string { return fmt.Sprint(s) }

// internTensor returns the unique tensor with t's definition, adding t if
// it is new.
func (g *Graph) internTensor(t *Tensor) *Tensor {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%d|%s|%s|%d|%t|", t.Kind, t.Role, t.Name, shapeKey(t.Shape), t.Group, t.Distribution)
	if t.Body != nil {
		fmt.Fprintf(&b, "b%d|", t.Body.ID)
	}
	for _, a := range t.Args {
		fmt.Fprintf(&b, "%d,", a.ID)
	}
	fmt.Fprintf(&b, "|%v|%v|%v", t.Index, t.Out, t.Dims)
	k := b.String()
	if old, ok := g.tkeys[k]; ok {
		return old
	}
	t.ID = len(g.tensors)
	t.positive = tensorPositive(t)
	if t.Kind == KindMap {
		t.nodes = len(postorder(t.Body))
	}
	g.tkeys[k] = t
	g.tensors = append(g.tensors, t)
	return t
}

func tensorPositive(t *Tensor) bool {
	switch t.Kind {
	case KindMap:
		return t.Body.positive
	case KindContract:
		for _, a := range t.Args {
			if !a.positive {
				return false
			}
		}
		return true
	case KindMax, KindStop:
		return t.Args[0].positive
	}
	return false
}

// Tensors returns every tensor of the graph in creation order.
func (g *Graph) Tensors() []*Tensor { return g.tensors }

// Leaf returns the leaf tensor name with the given role and shape.
func (g *Graph) Leaf(role Role, name string, shape ...int) *Tensor {
	return g.internTensor(&Tensor{Kind: KindLeaf, Role: role, Name: name, Shape: slices.Clone(shape)})
}

// DistributionLeaf returns the target leaf name with the given shape,
// declared a distribution: the sum of all its elements is 1. This is a
// fact the algebra uses (see Contract), not a rule about any layer.
func (g *Graph) DistributionLeaf(name string, shape ...int) *Tensor {
	return g.internTensor(&Tensor{Kind: KindLeaf, Role: RoleTarget, Name: name, Shape: slices.Clone(shape), Distribution: true})
}

// SetName names t, if it has no name yet. Names make printed graphs and
// generated code readable; they do not change meaning.
func (g *Graph) SetName(t *Tensor, name string) {
	if t.Name == "" && t.Kind != KindLeaf {
		t.Name = name
	}
}

// Map returns the elementwise map whose body is body: for every index i,
// out[i] is body with each Ref(t) read as t[i] (or as t itself, for a
// scalar t, which is broadcast). All non-scalar tensors referred to must
// have the same shape, which is the result's shape.
//
// Maps compose: a Ref to another map is replaced by that map's body, so a
// chain of elementwise steps becomes one body, which is then simplified as
// a whole (this is how log(softmax(z)) becomes z - max - log(sum)). A
// scalar map referred to by a vector map stays a broadcast value, so it is
// computed once, not once per element. A map whose body has more than
// maxInline nodes is not composed whole, so that no body grows without
// bound along a chain of maps: building a map then takes time bounded by
// the size of its own expression times maxInline, and a chain of n maps
// takes time linear in n, not quadratic. Such a map stays a reference,
// or, when its top operations are ones a constructor may rewrite (exp,
// sigmoid, a small product...), they are composed and the rest of its
// body moves into maps of its own (see outline), so that log(softmax(z))
// and log(1 - sigmoid(z)) stay stable for a z of any size.
func (g *Graph) Map(body *Expr) *Tensor { return g.MapShape(mapShape(body), body) }

// MapShape is Map with an explicit shape, so that a body of scalars only
// can be broadcast to a vector.
func (g *Graph) MapShape(shape []int, body *Expr) *Tensor {
	outlined := map[*Tensor]bool{}
	for {
		sub := map[*Expr]*Expr{}
		for _, t := range sortedRefs(body) {
			switch {
			case t.Kind != KindMap || outlined[t] || t.Scalar() && len(shape) > 0 && len(sortedRefs(t.Body)) > 0:
			case t.nodes <= maxInline:
				sub[g.Ref(t)] = t.Body
			case outlinable(t.Body):
				sub[g.Ref(t)] = g.outline(t.Body, outlined, outlineDepth)
			}
		}
		if len(sub) == 0 {
			break
		}
		body = g.Substitute(body, sub)
	}
	body = g.Simplify(body)
	return g.mapOf(shape, body)
}

// maxOutline is the most arguments the top operation of a body may have
// for MapShape to outline it (see outline): a softmax is e*s^-1, two. A
// sum of many terms stays a reference, since a sum flattens into the sum
// that reads it, and a chain of them would grow again.
const maxOutline = 4

// rewritable are the operations whose structure a constructor of the
// body that reads them may rewrite into a stabler form: log(exp x) = x,
// exp(log x) = x, log(sigmoid x), log(1 - sigmoid x), the log of a product
// of positive factors (softmax), powers of powers, sqrt(x)^2. MapShape
// outlines only those: outlining tanh(...) would compute its argument
// twice, in the large map and in the outlined one, for nothing.
var rewritable = map[Op]bool{OpExp: true, OpLog: true, OpSigmoid: true, OpPow: true, OpSqrt: true, OpMul: true, OpAdd: true}

// outlineDepth is how many levels of operations outline keeps: three
// show the sigmoid in 1 - sigmoid(z), a sum of a product of a sigmoid.
const outlineDepth = 3

// outlinable reports whether outline keeps e's operation.
func outlinable(e *Expr) bool { return rewritable[e.Op] && len(e.Args) <= maxOutline }

// outline returns the top levels of a large body, down to depth levels of
// outlinable operations; every other argument that is not a leaf moves
// into a map of its own (recorded in outlined, so that MapShape does not
// compose it back). A map too large to compose thus still shows its top
// operations to the body that reads it, so that the stable rewrites
// apply, as log(exp(z)) = z and log(1 - sigmoid(z)) = -softplus(z) do
// through softmax and BCE, at the cost of at most (maxOutline+1)^depth
// nodes.
func (g *Graph) outline(body *Expr, outlined map[*Tensor]bool, depth int) *Expr {
	args := make([]*Expr, len(body.Args))
	for i, a := range body.Args {
		switch {
		case len(a.Args) == 0:
			args[i] = a
		case depth > 1 && outlinable(a):
			args[i] = g.outline(a, outlined, depth-1)
		default:
			m := g.mapOf(mapShape(a), a)
			outlined[m] = true
			args[i] = g.Ref(m)
		}
	}
	return g.Call(body.Op, body.Val, args...)
}

// maxInline is the largest body, in distinct nodes, that MapShape
// substitutes for a reference to its map. The packages in generated/ and
// bench/ come out byte for byte as with unbounded composition from 64 on
// (at 48 the funcs example changes); a chain of a hundred residual
// layers, whose bodies would each contain all the previous ones, is cut
// into pieces of about maxInline nodes. With it, lowering and deriving
// 100 residual layers of width 4 took 0.9 s instead of 24 s (one run
// each on a shared two-core machine).
const maxInline = 64

// mapOf interns the map with this body, without composing.
func (g *Graph) mapOf(shape []int, body *Expr) *Tensor {
	if m := mapShape(body); m != nil && shapeKey(m) != shapeKey(shape) {
		panic(fmt.Sprintf("symbolic: map of shape %v over %v", shape, m))
	}
	if body.Op == OpRef && shapeKey(body.Tensor.Shape) == shapeKey(shape) {
		return body.Tensor
	}
	return g.internTensor(&Tensor{Kind: KindMap, Shape: slices.Clone(shape), Body: body, Args: sortedRefs(body)})
}

func mapShape(body *Expr) []int {
	var shape []int
	for _, t := range sortedRefs(body) {
		if t.Scalar() {
			continue
		}
		if shape == nil {
			shape = t.Shape
		} else if shapeKey(shape) != shapeKey(t.Shape) {
			panic(fmt.Sprintf("symbolic: map over shapes %v and %v", shape, t.Shape))
		}
	}
	return shape
}

// Apply builds the map f(t0[i], t1[i], ...). Its shape is that of the
// operands (see Broadcast), even when the body folds to a constant, as in
// 0*t0 or t0 - t0.
func (g *Graph) Apply(f func(args ...*Expr) *Expr, ts ...*Tensor) *Tensor {
	refs := make([]*Expr, len(ts))
	for i, t := range ts {
		refs[i] = g.Ref(t)
	}
	return g.MapShape(Broadcast(ts...), f(refs...))
}

// Broadcast returns the shape of an elementwise operation on ts: the shape
// of the non-scalar operands, which must all agree, or nil (a scalar) when
// every operand is a scalar. Callers that build a map body from operands
// pass this shape to MapShape rather than calling Map, because the body
// may fold to a constant that no longer refers to any operand (0*v, v - v),
// and Map would then infer a scalar.
func Broadcast(ts ...*Tensor) []int {
	var shape []int
	for _, t := range ts {
		if t.Scalar() {
			continue
		}
		if shape == nil {
			shape = t.Shape
		} else if shapeKey(shape) != shapeKey(t.Shape) {
			panic(fmt.Sprintf("symbolic: elementwise operation on shapes %v and %v", shape, t.Shape))
		}
	}
	return slices.Clone(shape)
}

// Contract returns out[o] = sum over the index variables not in out of
// the product over k of args[k][index[k]]. dims gives the range of every
// index variable. A matrix-vector product W*v is
// Contract([]int{0}, []int{m, n}, [W, v], [[0 1] [1]]).
func (g *Graph) Contract(out, dims []int, args []*Tensor, index [][]int) *Tensor {
	checkContract(dims, args, index)
	if c, ok := g.zeroContract(out, dims, args); ok {
		return c
	}
	// No summed index and every operand indexed by all of out or by nothing:
	// this is an elementwise product, a map.
	summed := false
	for ix := range dims {
		if !slices.Contains(out, ix) {
			for _, idx := range index {
				summed = summed || slices.Contains(idx, ix)
			}
		}
	}
	elementwise := !summed && len(out) <= 1
	for _, idx := range index {
		elementwise = elementwise && (len(idx) == 0 || slices.Equal(idx, out))
	}
	if elementwise {
		fs := make([]*Expr, len(args))
		shape := make([]int, len(out))
		for k, a := range args {
			fs[k] = g.Ref(a)
		}
		for i, ix := range out {
			shape[i] = dims[ix]
		}
		return g.MapShape(shape, g.Mul(fs...))
	}
	// A declared fact: the sum of all the elements of a distribution is 1.
	if len(args) == 1 && len(out) == 0 && args[0].Distribution && distinct(index[0]) {
		return g.ConstTensor(1)
	}
	// A sum of one map: pull out the factors that do not depend on the
	// summed index, sum(c * f[i]) = c * sum(f[i]).
	if len(args) == 1 && len(out) == 0 && args[0].Kind == KindMap && args[0].Body.Op == OpMul {
		var outside, inside []*Expr
		for _, f := range args[0].Body.Args {
			if refsOnlyScalars(f) {
				outside = append(outside, f)
			} else {
				inside = append(inside, f)
			}
		}
		// With no factor left inside (a broadcast of scalars), there is
		// nothing to sum over: keep the contraction as it is.
		if len(outside) > 0 && len(inside) > 0 {
			s := g.Contract(out, dims, []*Tensor{g.Map(g.Mul(inside...))}, index)
			return g.Map(g.Mul(append(outside, g.Ref(s))...))
		}
	}
	// Renumber index variables by first appearance, so that equal
	// contractions intern to one node.
	renum := map[int]int{}
	var newDims []int
	num := func(ix int) int {
		if r, ok := renum[ix]; ok {
			return r
		}
		renum[ix] = len(newDims)
		newDims = append(newDims, dims[ix])
		return renum[ix]
	}
	newOut := make([]int, len(out))
	for i, ix := range out {
		newOut[i] = num(ix)
	}
	newIndex := make([][]int, len(index))
	for k, idx := range index {
		newIndex[k] = make([]int, len(idx))
		for i, ix := range idx {
			newIndex[k][i] = num(ix)
		}
	}
	shape := make([]int, len(out))
	for i, ix := range newOut {
		shape[i] = newDims[ix]
	}
	return g.internTensor(&Tensor{Kind: KindContract, Shape: shape, Args: slices.Clone(args),
		Index: newIndex, Out: newOut, Dims: newDims})
}

// distinct reports whether no index variable appears twice in idx (so that
// a contraction over all of them visits every element once).
func distinct(idx []int) bool {
	for i, ix := range idx {
		if slices.Contains(idx[:i], ix) {
			return false
		}
	}
	return true
}

// checkContract panics unless every operand of a contraction has one
// index variable per dimension, of the dimension's range.
func checkContract(dims []int, args []*Tensor, index [][]int) {
	if len(args) != len(index) {
		panic("symbolic: Contract: args and index differ in length")
	}
	for k, a := range args {
		if len(a.Shape) != len(index[k]) {
			panic(fmt.Sprintf("symbolic: Contract: %v indexed by %v", a.Shape, index[k]))
		}
		for j, ix := range index[k] {
			if a.Shape[j] != dims[ix] {
				panic(fmt.Sprintf("symbolic: Contract: dimension %d of %v is not %d", j, a.Shape, dims[ix]))
			}
		}
	}
}

// zeroContract folds a contraction with a zero operand: every product,
// and so every sum of products, is zero. (A contraction of nonzero
// constants stays one: sum(j, 1 + 0*z[j]) is computed as written, so that
// folding it does not change the rounding of existing networks.)
func (g *Graph) zeroContract(out, dims []int, args []*Tensor) (*Tensor, bool) {
	if !slices.ContainsFunc(args, (*Tensor).IsZero) {
		return nil, false
	}
	shape := make([]int, len(out))
	for i, ix := range out {
		shape[i] = dims[ix]
	}
	return g.zeros(shape), true
}

func refsOnlyScalars(e *Expr) bool {
	for _, t := range sortedRefs(e) {
		if !t.Scalar() {
			return false
		}
	}
	return true
}

// Sum returns the scalar sum of the elements of the vector v.
func (g *Graph) Sum(v *Tensor) *Tensor {
	if v.Scalar() {
		return v
	}
	if len(v.Shape) != 1 {
		panic("symbolic: Sum of a matrix")
	}
	return g.Contract(nil, []int{v.Shape[0]}, []*Tensor{v}, [][]int{{0}})
}

// MatVec returns the matrix-vector product W*v, out[j] = sum_i W[j][i] v[i].
func (g *Graph) MatVec(w, v *Tensor) *Tensor {
	if len(w.Shape) != 2 || len(v.Shape) != 1 || w.Shape[1] != v.Shape[0] {
		panic(fmt.Sprintf("symbolic: MatVec of %v and %v", w.Shape, v.Shape))
	}
	return g.Contract([]int{0}, []int{w.Shape[0], w.Shape[1]}, []*Tensor{w, v}, [][]int{{0, 1}, {1}})
}

// GroupMax returns the maximum over consecutive groups of k elements of
// the vector v: a vector of len(v)/k elements, or a scalar when scalar is
// true (which requires k == len(v)).
func (g *Graph) GroupMax(v *Tensor, k int, scalar bool) *Tensor {
	n := v.Size()
	if len(v.Shape) != 1 || k <= 0 || n%k != 0 || (scalar && k != n) {
		panic(fmt.Sprintf("symbolic: GroupMax of %v by %d", v.Shape, k))
	}
	var shape []int
	if !scalar {
		shape = []int{n / k}
	}
	if v.IsConst() { // the maximum of equal elements is their value
		return g.mapOf(shape, v.Body)
	}
	if c, u, ok := g.constShift(v); ok {
		// max(c + u) = c + max(u), exactly: so the shift of softmax(c + z)
		// cancels c symbolically instead of losing z to c in rounding.
		return g.MapShape(shape, g.Add(c, g.Ref(g.GroupMax(u, k, scalar))))
	}
	return g.internTensor(&Tensor{Kind: KindMax, Shape: shape, Args: []*Tensor{v}, Group: k})
}

// constShift reports whether t is c + u, elementwise, for a constant c
// and a non-constant u of t's shape, and returns them.
func (g *Graph) constShift(t *Tensor) (c *Expr, u *Tensor, ok bool) {
	if t.Kind != KindMap || t.Body.Op != OpAdd {
		return nil, nil, false
	}
	var rest []*Expr
	for _, a := range t.Body.Args {
		switch {
		case a.Op == OpConst && c == nil:
			c = a
		default:
			rest = append(rest, a)
		}
	}
	if c == nil {
		return nil, nil, false
	}
	u = g.MapShape(t.Shape, g.Add(rest...))
	return c, u, !u.IsConst()
}

// StopGradient returns a tensor equal to t through which no gradient
// flows. It is sound only where the result does not depend on t's value
// in the first order, such as the shift that keeps softmax from
// overflowing.
func (g *Graph) StopGradient(t *Tensor) *Tensor {
	if t.IsConst() { // a constant has no gradient to stop
		return t
	}
	if c, u, ok := g.constShift(t); ok { // keep a constant shift visible, as GroupMax does
		return g.MapShape(t.Shape, g.Add(c, g.Ref(g.StopGradient(u))))
	}
	return g.internTensor(&Tensor{Kind: KindStop, Shape: t.Shape, Args: []*Tensor{t}})
}

// maxGrad is the adjoint of GroupMax: the gradient dout of the maxima
// routed to the first argmax of each group of v.
func (g *Graph) maxGrad(v, dout *Tensor, k int) *Tensor {
	return g.internTensor(&Tensor{Kind: KindMaxGrad, Shape: v.Shape, Args: []*Tensor{v, dout}, Group: k})
}

// ConstTensor returns a scalar tensor with the constant value v.
func (g *Graph) ConstTensor(v float64) *Tensor { return g.mapOf(nil, g.Const(v)) }

// IsZero reports whether t is the constant 0.
func (t *Tensor) IsZero() bool { return t.Kind == KindMap && t.Body.IsConst(0) }

// IsConst reports whether every element of t is one constant, Body.Val.
func (t *Tensor) IsConst() bool { return t.Kind == KindMap && t.Body.Op == OpConst }
