package ref

import (
	"os"
	"strings"
	"testing"
)

// TestGonum64Current checks that gonum64.go is gonum32.go in float64, as
// the go:generate line in arch.go writes it.
func TestGonum64Current(t *testing.T) {
	src, err := os.ReadFile("gonum32.go")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("gonum64.go")
	if err != nil {
		t.Fatal(err)
	}
	want := "// Code generated from gonum32.go by replacing 32 with 64. DO NOT EDIT.\n\n" +
		strings.ReplaceAll(string(src), "32", "64")
	if string(got) != want {
		t.Fatal("gonum64.go is stale: run go generate ./bench/internal/ref")
	}
}
