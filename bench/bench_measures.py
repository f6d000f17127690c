"""Benchmark: layer × layer similarity matrices, repsim_nb's batched engines against the usual alternatives.

Prints a markdown table of timings and ratios measured in one run (no timed assertions: machines are noisy).

- Linear CKA, L = 13 layers, n = 10 000 samples, d = 384 and 768:
  (a) the measure called pair by pair in Gram form (n × n Grams, mean-centred: what most peer code does),
  (b) ckatorch's `cka_base` pair by pair (an installed peer),
  (c) the floor: one product ZᵀZ of the already-centred, stacked features.
  Targets: ≥ 10× faster than (a) and (b), within 1.5× of (c).
- RSA (correlation RDM, Spearman), L = 13, n = 2 000, d = 384: pair by pair, and rsatoolbox (RDMs of all layers, then
  one all-against-all comparison).
- Distance correlation, L = 13, n = 2 000, d = 384: the dcor package pair by pair.

Pairwise baselines that would take minutes are timed on a few pairs and scaled to all L² pairs (every pair costs the
same); the table says so. Run: `python bench/bench_measures.py` (add `--quick` for a smaller smoke run).
"""
import argparse
import time

import numpy as np
import torch

from repsim_nb import compare_layers
from repsim_nb.measures import get_measure


def layers(L, n, d, seed=0):
    g = torch.Generator().manual_seed(seed)
    base = torch.randn(n, d, generator=g, dtype=torch.float64)
    out = []
    for _ in range(L):  # each layer a noisy nonlinear function of the previous one, like a network's
        base = torch.tanh(base @ (torch.randn(d, d, generator=g, dtype=torch.float64) / d**0.5)) + 0.1 * torch.randn(n, d, generator=g, dtype=torch.float64)
        out.append(base)
    return out


def timed(fn, repeat=1):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def pairwise_estimate(fn, reps, pairs):
    "Time `fn(X, Y)` on the first `pairs` pairs of (i, j) and scale to all L² pairs."
    L = len(reps)
    todo = [(i, j) for i in range(L) for j in range(L)][:pairs]
    t = time.perf_counter()
    values = [float(fn(reps[i], reps[j])) for i, j in todo]
    per_pair = (time.perf_counter() - t) / len(todo)
    return per_pair * L * L, values, todo


def gram_cka(X, Y):
    "Linear CKA in Gram form, pair by pair, as peer code usually computes it."
    K, M = X @ X.T, Y @ Y.T
    K = K - K.mean(0, keepdim=True) - K.mean(1, keepdim=True) + K.mean()
    M = M - M.mean(0, keepdim=True) - M.mean(1, keepdim=True) + M.mean()
    return (K * M).sum() / (K.norm() * M.norm())


def bench_cka(L, n, d, pairs):
    import ckatorch

    reps = layers(L, n, d)
    ours_s, frame = timed(lambda: compare_layers(reps, measures="cka"))
    ours = torch.tensor(frame.value.values).reshape(L, L)
    Z = torch.cat([X - X.mean(0) for X in reps], 1)
    floor_s, _ = timed(lambda: Z.T @ Z)
    del Z
    gram_s, gram_vals, todo = pairwise_estimate(gram_cka, reps, pairs)
    peer_s, peer_vals, _ = pairwise_estimate(lambda X, Y: ckatorch.core.cka_base(X, Y), reps, pairs)
    for (i, j), a, b in zip(todo, gram_vals, peer_vals):  # every implementation computes the same numbers
        assert abs(a - ours[i, j]) < 1e-8 and abs(b - ours[i, j]) < 1e-8, (i, j, a, b, float(ours[i, j]))
    return [
        (f"linear CKA {L}×{L}, n={n}, d={d}", "repsim_nb compare_layers", ours_s, ""),
        ("", f"(a) pair by pair, Gram form ({pairs} of {L*L} pairs timed, scaled)", gram_s, gram_s / ours_s),
        ("", f"(b) ckatorch cka_base pair by pair ({pairs} of {L*L} pairs timed, scaled)", peer_s, peer_s / ours_s),
        ("", "(c) floor: one product of stacked centred features", floor_s, floor_s / ours_s),
    ]


def bench_rsa(L, n, d, pairs):
    import rsatoolbox

    reps = layers(L, n, d, seed=1)
    ours_s, frame = timed(lambda: compare_layers(reps, measures="rsa"))
    ours = torch.tensor(frame.value.values).reshape(L, L)

    def toolbox():
        data = [rsatoolbox.data.Dataset(X.numpy()) for X in reps]
        rdms = rsatoolbox.rdm.calc_rdm(data, method="correlation")
        return rsatoolbox.rdm.compare(rdms, rdms, method="spearman")

    peer_s, peer = timed(toolbox)
    assert np.allclose(peer, ours.numpy(), atol=1e-8)
    rsa = get_measure("rsa")
    pair_s, _, _ = pairwise_estimate(rsa, reps, pairs)
    return [
        (f"RSA (correlation RDM, Spearman) {L}×{L}, n={n}, d={d}", "repsim_nb compare_layers", ours_s, ""),
        ("", f"pair by pair, RDMs recomputed ({pairs} of {L*L} pairs timed, scaled)", pair_s, pair_s / ours_s),
        ("", "rsatoolbox: calc_rdm of all layers + one compare(all, all)", peer_s, peer_s / ours_s),
    ]


def bench_dcor(L, n, d, pairs):
    import dcor

    reps = layers(L, n, d, seed=2)
    ours_s, frame = timed(lambda: compare_layers(reps, measures="dcor"))
    ours = torch.tensor(frame.value.values).reshape(L, L)
    arrays = [X.numpy() for X in reps]
    peer_s, peer_vals, todo = pairwise_estimate(lambda X, Y: dcor.distance_correlation(X.numpy(), Y.numpy()), reps, pairs)
    for (i, j), v in zip(todo, peer_vals):
        assert abs(v - ours[i, j]) < 1e-8, (i, j, v, float(ours[i, j]))
    return [
        (f"distance correlation {L}×{L}, n={n}, d={d}", "repsim_nb compare_layers", ours_s, ""),
        ("", f"dcor.distance_correlation pair by pair ({pairs} of {L*L} pairs timed, scaled)", peer_s, peer_s / ours_s),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--pairs", type=int, default=3, help="pairs timed for each pairwise baseline")
    args = parser.parse_args()
    L = 13
    n_cka, n_rsa, dims = (1000, 300, (64,)) if args.quick else (10_000, 2_000, (384, 768))
    rows = []
    for d in dims:
        rows += bench_cka(L, n_cka, d, args.pairs)
    rows += bench_rsa(L, n_rsa, dims[0], args.pairs)
    rows += bench_dcor(L, n_rsa, dims[0], args.pairs)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, float64 on CPU\n")
    print("| comparison | implementation | seconds | time ÷ repsim_nb |")
    print("|---|---|---:|---:|")
    for what, impl, secs, ratio in rows:
        print(f"| {what} | {impl} | {secs:.3f} | {'' if ratio == '' else f'{ratio:.2f}×'} |")


if __name__ == "__main__":
    main()
