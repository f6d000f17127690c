"""Benchmark: model × model similarity matrices for the cross-dataset consistency study.

Case: M models × n samples × d features on one dataset (default 16 × 10 000 × 512, float32 features as a feature
store holds them). Each model is a random projection of a shared latent plus its own noise, so the similarities vary.
Compared in one run, per measure (linear CKA, RBF CKA with σ = 0.4 on L2-normalised features, debiased CKA, RSA):
- ours: `similarity_matrix` — each model's kernel (or RDM) prepared once, stored as float32, all pairs from one
  streamed product (linear CKA: one product of the stacked features);
- pairwise: the measure called on each of the M(M−1)/2 pairs (the usual loop, which recomputes both kernels every
  time); timed on a few pairs and scaled, since every pair costs the same;
- ours with the kernels on disk (a memory budget of 1 byte forces the memory-mapped bank) for one measure.
Before timing, the engine's values on the timed pairs are checked against the pairwise ones (to 1e-5).
Peak resident memory is printed for the whole process (ru_maxrss).
Run: `python bench/bench_consistency.py` (add `--quick` for a small case that runs in seconds).
"""
import argparse
import resource
import time

import numpy as np
import torch

from repsim_nb.consistency import SimilaritySpec, similarity_matrix


def zoo(M: int, n: int, d: int, seed: int = 0) -> dict:
    g = torch.Generator().manual_seed(seed)
    latent = torch.randn(n, 64, generator=g)
    return {f"model{k:02d}": (latent @ torch.randn(64, d, generator=g) + (0.5 + k / M) * torch.randn(n, d, generator=g))
            for k in range(M)}


def pairwise(spec: SimilaritySpec, A: torch.Tensor, B: torch.Tensor) -> float:
    if spec.l2:
        A, B = A / A.norm(dim=1, keepdim=True), B / B.norm(dim=1, keepdim=True)
    return spec.measure(A, B)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--models", type=int, default=16)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--d", type=int, default=512)
    parser.add_argument("--pairs", type=int, default=2, help="pairs timed with the pairwise loop")
    args = parser.parse_args()
    M, n, d = (6, 600, 64) if args.quick else (args.models, args.n, args.d)
    reps = zoo(M, n, d)
    names = list(reps)
    n_pairs = M * (M - 1) // 2
    print(f"M = {M} models, n = {n} samples, d = {d} features, CPU, {torch.get_num_threads()} threads\n")
    print("| measure | ours (s) | pairwise, all pairs (s) | speed-up | max deviation on timed pairs |")
    print("|---|---:|---:|---:|---:|")
    measures = ["cka", {"name": "cka_rbf", "sigma_abs": 0.4, "l2": True}, "cka_debiased", "rsa"]
    disk = None
    for m in measures:
        spec = SimilaritySpec(m)
        t = time.perf_counter()
        S = similarity_matrix(reps, spec)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        timed = [(names[0], names[1 + k]) for k in range(args.pairs)]
        values = [pairwise(spec, reps[a].double(), reps[b].double()) for a, b in timed]
        per_pair = (time.perf_counter() - t) / len(timed)
        dev = max(abs(S.loc[a, b] - v) for (a, b), v in zip(timed, values))
        assert dev < 1e-5, (spec.label, dev)
        print(f"| {spec.label} | {ours:.1f} | {per_pair * n_pairs:.0f} (×{n_pairs} from {len(timed)}) | "
              f"{per_pair * n_pairs / ours:.0f}× | {dev:.1e} |")
        if spec.measure.name == "cka_rbf":
            t = time.perf_counter()
            S_disk = similarity_matrix(reps, spec, memory_budget=1)
            disk = (spec.label, time.perf_counter() - t, ours, float(np.abs(S_disk.values - S.values).max()))
    if disk:
        print(f"\n{disk[0]} with the kernels in a memory-mapped file: {disk[1]:.1f} s (in memory {disk[2]:.1f} s), "
              f"same values to {disk[3]:.0e}")
    bank = M * (n * (n + 1) // 2) * 4
    print(f"\nfloat32 kernel bank for these {M} models: {bank / 2**30:.2f} GiB; for 64 models: "
          f"{64 * (n * (n + 1) // 2) * 4 / 2**30:.1f} GiB (streamed from disk beyond half the free memory); "
          f"peak resident memory of this run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


if __name__ == "__main__":
    main()
