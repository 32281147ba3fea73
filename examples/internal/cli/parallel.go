package cli

import "sync"

// Parallel splits the range [0, n) into parts contiguous pieces of sizes
// differing by at most one, in order, and calls fn(part, lo, hi) for each
// non-empty piece [lo, hi), each in its own goroutine. It returns when all
// calls have returned.
//
// The pieces depend only on n and parts, never on the number of CPUs: a
// computation that combines the results of the parts in order of part is
// therefore repeatable to the bit on any machine. The examples use it to
// evaluate a test set, each part with its own Workspace; training shares a
// mini-batch among cores with the generated package's SetWorkers.
func Parallel(n, parts int, fn func(part, lo, hi int)) {
	if n <= 0 {
		return
	}
	parts = max(1, min(parts, n))
	if parts == 1 {
		fn(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Go(func() { fn(p, lo, hi) })
	}
	wg.Wait()
}
