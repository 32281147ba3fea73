package symbolic

import "testing"

// TestDistributionFact checks the one use of a declared distribution: the
// sum of all its elements is the constant 1, and nothing else changes.
func TestDistributionFact(t *testing.T) {
	g := NewGraph()
	d := g.DistributionLeaf("d", 4)
	plain := g.Leaf(RoleTarget, "d", 4)
	if d == plain {
		t.Fatal("a distribution target and a plain one with the same name are one node")
	}
	if s := g.Sum(d); !s.Scalar() || s.Kind != KindMap || !s.Body.IsConst(1) {
		t.Errorf("sum(d) of a distribution is %v, want the constant 1", s)
	}
	if s := g.Sum(plain); s.Kind != KindContract {
		t.Errorf("sum(d) of a plain target is %v, want a contraction", s)
	}
	x := g.Leaf(RoleInput, "x", 4)
	if s := g.Contract(nil, []int{4}, []*Tensor{d, x}, [][]int{{0}, {0}}); s.Kind != KindContract {
		t.Errorf("sum(d*x) is %v, want a contraction", s)
	}
	m := g.DistributionLeaf("m", 3, 3)
	if s := g.Contract(nil, []int{3}, []*Tensor{m}, [][]int{{0, 0}}); s.Kind != KindContract {
		t.Errorf("the trace of a distribution is %v, want a contraction", s)
	}
	if s := g.Contract(nil, []int{3, 3}, []*Tensor{m}, [][]int{{0, 1}}); !s.Body.IsConst(1) {
		t.Errorf("the sum of all elements of a matrix distribution is %v, want 1", s)
	}
	if got := d.String(); got != "d[4] = target distribution" {
		t.Errorf("printed %q", got)
	}
}
