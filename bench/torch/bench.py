"""PyTorch on the benchmark workloads of bench/, for comparison.

Runs W1-W4 and W1F64 (see bench/doc.go) with PyTorch on the CPU, the way
a PyTorch user writes them: an nn.Sequential, the loss, loss.backward()
and a plain SGD update under torch.no_grad(); torch.inference_mode() for
W4. It prints, per workload, the median time of one operation over
--rounds rounds, each round the mean of a timed loop of about --seconds.

Usage (from the module root, with the Debian package python3-torch):

    /usr/bin/python3 bench/torch/bench.py [--threads N] [--rounds 10]

These are not Go benchmarks: they run in another process, so compare them
with a bench run taken in the same session, not in the same run.
"""

import argparse
import statistics
import time

import torch
from torch import nn


def mlp(dtype):
    return nn.Sequential(
        nn.Linear(784, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(),
        nn.Linear(64, 10),
    ).to(dtype)


def tiny():
    return nn.Sequential(nn.Linear(2, 8), nn.Sigmoid(), nn.Linear(8, 1))


def samples(n, inputs, classes, dtype, gen):
    xs = torch.rand(n, inputs, generator=gen, dtype=torch.float64).to(dtype)
    if classes == 1:
        ds = torch.randint(0, 2, (n, 1), generator=gen).to(dtype)
    else:
        ds = torch.randint(0, classes, (n,), generator=gen)
    return xs, ds


def sgd_step(model, loss_fn, x, d, lr):
    model.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), d)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p.sub_(lr * p.grad)
    return loss


def workloads():
    gen = torch.Generator().manual_seed(11)
    lr = 1e-6
    out = {}

    def one_sample(dtype):
        model = mlp(dtype)
        xs, ds = samples(64, 784, 10, dtype, gen)
        ce = nn.CrossEntropyLoss()
        state = {"i": 0}

        def step():
            i = state["i"]
            sgd_step(model, ce, xs[i:i + 1], ds[i:i + 1], lr)
            state["i"] = (i + 1) & 63
        return step

    out["W1"] = one_sample(torch.float32)
    out["W1F64"] = one_sample(torch.float64)

    model2 = mlp(torch.float32)
    xb, db = samples(64, 784, 10, torch.float32, gen)
    ce = nn.CrossEntropyLoss()  # the mean over the batch: the mean gradient
    out["W2"] = lambda: sgd_step(model2, ce, xb, db, lr)

    model3 = tiny()
    xt, dt = samples(64, 2, 1, torch.float32, gen)
    bce = nn.BCEWithLogitsLoss()
    state3 = {"i": 0}

    def w3():
        i = state3["i"]
        sgd_step(model3, bce, xt[i:i + 1], dt[i:i + 1], lr)
        state3["i"] = (i + 1) & 63
    out["W3"] = w3

    model4 = mlp(torch.float32)
    x4, _ = samples(64, 784, 10, torch.float32, gen)
    state4 = {"i": 0}

    def w4():
        i = state4["i"]
        with torch.inference_mode():
            torch.softmax(model4(x4[i:i + 1]), dim=1)
        state4["i"] = (i + 1) & 63
    out["W4"] = w4
    return out


def measure(fn, seconds, rounds):
    for _ in range(100):  # warm up
        fn()
    n = 1
    while True:  # find a loop long enough to time
        t = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t > seconds / 4:
            break
        n *= 2
    n = max(1, int(n * seconds / (4 * (time.perf_counter() - t))))
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        times.append((time.perf_counter() - t) / n)
    return statistics.median(times), min(times), max(times)


def fmt(s):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            return f"{s / scale:.4g} {unit}"
    return f"{s / 1e-9:.4g} ns"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=1.0, help="time of one round")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s), "
          f"{args.rounds} rounds of about {args.seconds:g} s")
    print("| workload | PyTorch (median) | min | max |")
    print("|---|---:|---:|---:|")
    for name, fn in workloads().items():
        med, lo, hi = measure(fn, args.seconds, args.rounds)
        print(f"| {name} | {fmt(med)} | {fmt(lo)} | {fmt(hi)} |", flush=True)


if __name__ == "__main__":
    main()
