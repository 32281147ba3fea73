package cli

import (
	"sync"
	"testing"
)

func TestParallel(t *testing.T) {
	for _, tc := range []struct{ n, parts int }{{0, 4}, {1, 4}, {3, 4}, {10, 1}, {10, 3}, {32, 4}, {7, 0}} {
		var mu sync.Mutex
		seen := make([]int, tc.n)
		pieces := map[int][2]int{}
		Parallel(tc.n, tc.parts, func(part, lo, hi int) {
			mu.Lock()
			defer mu.Unlock()
			if lo >= hi {
				t.Errorf("n=%d parts=%d: empty piece %d [%d,%d)", tc.n, tc.parts, part, lo, hi)
			}
			pieces[part] = [2]int{lo, hi}
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i, c := range seen {
			if c != 1 {
				t.Errorf("n=%d parts=%d: index %d visited %d times", tc.n, tc.parts, i, c)
			}
		}
		// Pieces are in order: piece p ends where piece p+1 starts.
		for p := 0; p+1 < len(pieces); p++ {
			if pieces[p][1] != pieces[p+1][0] {
				t.Errorf("n=%d parts=%d: pieces %v out of order", tc.n, tc.parts, pieces)
			}
		}
		for p, r := range pieces {
			if size := r[1] - r[0]; size < tc.n/max(1, len(pieces)) || size > tc.n/max(1, len(pieces))+1 {
				t.Errorf("n=%d parts=%d: piece %d has %d elements", tc.n, tc.parts, p, size)
			}
		}
	}
}
