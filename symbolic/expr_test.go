package symbolic

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestShorten checks that a cut string stays valid UTF-8 and within n bytes.
func TestShorten(t *testing.T) {
	s := strings.Repeat("α", 30) // 60 bytes
	for n := 4; n <= 62; n++ {
		got := Shorten(s, n)
		if !utf8.ValidString(got) || len(got) > n {
			t.Errorf("Shorten(%d α, %d) = %q (%d bytes)", 30, n, got, len(got))
		}
	}
	if got := Shorten("short", 40); got != "short" {
		t.Errorf("Shorten(short, 40) = %q", got)
	}
}

// TestExpandLargeSquare checks that a square too large to multiply out
// stays the canonical node that Pow builds, not a raw product of the sum
// with itself (which no constructor would ever build, so equal
// expressions would stop being one node).
func TestExpandLargeSquare(t *testing.T) {
	g := NewGraph()
	var vs []*Expr
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		vs = append(vs, g.Var(n))
	}
	sq := g.Pow(g.Add(vs...), 2) // 36 terms expanded: above the limit
	if got := g.Expand(sq); got != sq {
		t.Errorf("Expand((a+...+f)^2) = %v, want it unchanged", got)
	}
	small := g.Pow(g.Add(vs[0], vs[1]), 2)
	want := g.Add(g.Pow(vs[0], 2), g.Mul(g.Const(2), vs[0], vs[1]), g.Pow(vs[1], 2))
	if got := g.Expand(small); got != want {
		t.Errorf("Expand((a+b)^2) = %v, want %v", got, want)
	}
}
