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
