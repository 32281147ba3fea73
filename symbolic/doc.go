// Package symbolic is the expression algebra of bpgen: it holds a network
// as a graph of immutable nodes, derives its backward pass by the chain
// rule, and rewrites the result so that the backward pass reads stored
// forward values. It sits between spec/, which lowers a checked spec into
// a [Graph], and codegen/, which lowers the derived graph to loops.
//
// # Two levels
//
// Scalar expressions ([Expr]) are constants, variables, references to
// tensor elements and the ops add, mul, pow (constant exponent), exp, log,
// sqrt, abs, tanh, sigmoid, softplus, max, min and select. Sums and
// products are n-ary; subtraction is a sum with a coefficient -1 and
// division a product with a power -1.
//
// Tensor operations ([Tensor]) are written in index notation, each with a
// static shape:
//
//	leaf      an input, target or parameter
//	map       out[i] = f(a[i], b[i], s, ...)   f a scalar Expr; scalars broadcast
//	contract  out[o] = sum over the other indices of prod_k args[k][I_k]
//	max       out[g] = max_k v[g*K + k]        (group max; pooling, softmax shift)
//	maxgrad   the adjoint of max
//	stop      the value of its argument, with no gradient
//
// An affine layer is a contraction followed by a map; softmax, the
// divergences and every user-defined function are maps, contractions and
// maxima built by [Graph.Affine], [Graph.Softmax], [Graph.LogSoftmax],
// [Graph.CrossEntropy], [Graph.KL], [Graph.L2] and [Graph.BCE], none of
// which states a derivative. Maps compose: a map of a map is one map, so a
// chain of elementwise steps is one body, simplified as a whole, up to 64
// nodes (maxInline), beyond which only the top operations of a body that
// a rewrite may need are composed, so that building a chain of n maps
// takes time linear in n.
//
// # Invariants
//
// Nodes are hash-consed: two structurally equal expressions (or tensors)
// built in one Graph are the same pointer, so equal subexpressions are one
// node. Nodes never change after creation (only [Graph.SetName] may give
// a temporary a display name), their IDs are dense and in
// creation order, and every node's arguments are older than it, so ID
// order is a topological order. Sums and products keep their operands in
// a canonical order (constants first, then by ID), so a+b and b+a are one
// node. Printing depends only on structure and creation order, so it is
// deterministic.
//
// # Simplification
//
// The constructors ([Graph.Add], [Graph.Mul], [Graph.Log], ...) simplify
// as they build: constants fold; x+0 = x, x*1 = x, x*0 = 0; like terms and
// equal bases collect (x + 2x = 3x, x*x = x^2, x - x = 0, x/x = 1);
// log(exp x) = x; exp(log x) = x only where x is known to be positive;
// sigmoid(-x) = 1 - sigmoid(x); and logs are rewritten into stable forms,
// log(sigmoid x) = -softplus(-x) and log(1 - sigmoid x) = -softplus(x), so
// no log of 0 arises from a saturated unit. [Graph.Simplify] multiplies a
// map body out when that is cheaper, which turns the BCE derivative
// -d(1-y) + (1-d)y into y - d.
//
// # Reverse mode and the influence diagram
//
// [Graph.Grad] (scalars) and [Graph.Derive] (tensors) visit each node
// once, newest first. A node's adjoint is the sum, over all its outgoing
// edges, of the user's adjoint times the edge's partial derivative: when a
// variable influences the result along several paths (skip connections,
// shared weights, gates), its derivative is the sum over all paths of the
// product of the edge derivatives, computed without enumerating the paths.
// The only derivative formulas are the partials of the primitive scalar
// ops (derive.go) and one adjoint rule per tensor kind (adjoint.go): a map
// differentiates its body with Grad, a contraction contracts the output
// adjoint with the other operands, a max routes the adjoint to its argmax.
//
// # Reuse
//
// [Graph.Reuse] rewrites the derived graph so that a backward body that
// contains the body of a stored forward map reads that map instead of
// recomputing it: the derivative of y = sigmoid(z) becomes y*(1-y), that
// of tanh becomes 1 - y^2, that of exp the stored exp. It returns new
// roots and leaves the old tensors in the graph; values are unchanged.
//
// # Subgradients
//
// At a point where a function is not differentiable, the first candidate
// wins a tie: d max(a, b)/da = 1 when a >= b and d min(a, b)/da = 1 when
// a <= b; relu(x) = max(0, x), so relu'(0) = 0; |x|' at 0 is 0; the
// adjoint of a group max goes to the first argmax of each group; select
// passes no gradient to its condition.
//
// # Example
//
// One sigmoid unit with the binary KL divergence, y = sigmoid(W x + b),
// loss = BCE(y, d), derived with respect to W and b and then reused. Each
// line defines one tensor, with its shape; temporaries are named t<ID>,
// adjoints d<name>:
//
//	W[1 3] = param
//	x[3] = input
//	b[1] = param
//	d[1] = target
//	t4[1] = sum W[ij] * x[j] -> [i]
//	y[1] = sigmoid(t4[i] + b[i])
//	t7[1] = d[i]*softplus(-t4[i] - b[i]) + (1 - d[i])*softplus(t4[i] + b[i])
//	loss[] = sum t7[i] -> []
//	db[1] = y[i] - d[i]
//	dW[1 3] = sum db[i] * x[j] -> [ij]
//
// The loss is computed from softplus, never from the log of a saturated
// sigmoid; the adjoint of the pre-activation, db, is y - d; and dW is the
// outer product of db and x. [Evaluate] interprets any such graph in
// float64 and is the reference that generated code is tested against.
package symbolic
