// Package bench is bpgen's performance benchmark suite. It holds no code of
// its own: the benchmarks are in bench_test.go, and they compare the code
// bpgen generates from the specs in specs/ (generated into internal/mlp32,
// internal/mlp64 and internal/tiny) with two references written for the
// suite in internal/ref, a naive one and one on gonum's BLAS. The tests
// check first that all three compute the same losses and updates.
//
// The workloads, on a 784-128-64-10 network (ReLU, ReLU, softmax with
// cross-entropy) with plain SGD:
//
//	W1     one SGD step on one sample (forward, backward, update), float32
//	W2     one SGD step on a batch of 64 (mean gradient, update), float32
//	W3     one SGD step on one sample of a 2-8-1 sigmoid net with binary cross-entropy
//	W4     inference on one sample (forward only), float32
//	W1F64  W1 in float64
//
// Run them, from the module root, with
//
//	go test -run '^$' -bench . -count 5 ./bench/
//
// or print a table of medians and ratios with
//
//	go run ./bench/cmd/benchtable -count 5 -md
//
// A benchmark figure means something only on a machine that is otherwise
// idle: check the load (uptime) before and after.
//
// torch/bench.py times the same workloads in PyTorch, in another process;
// docs/performance.md has the figures and the commands.
package bench
