package cli

import "math/rand/v2"

// Shuffle permutes perm in place, pseudo-randomly but deterministically:
// the order depends only on the contents of perm, seed and epoch. It uses
// math/rand/v2's PCG generator seeded with (seed, epoch), so each epoch of
// a run gets its own order and a run repeated with the same seed gets the
// same orders. To make the order depend on (seed, epoch) alone, as a run
// resumed at some epoch needs, start from the identity permutation each
// time, as [Perm] does.
func Shuffle(perm []int, seed uint64, epoch int) {
	r := rand.New(rand.NewPCG(seed, uint64(epoch)))
	r.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
}

// Perm returns the permutation 0..n-1 shuffled by Shuffle with seed and
// epoch: the order in which epoch visits n examples.
func Perm(n int, seed uint64, epoch int) []int {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	Shuffle(perm, seed, epoch)
	return perm
}
