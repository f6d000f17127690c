"""Benchmark: the exact affine intrinsic distance d_Aff(g→h) against the naive per-column LP and Huber training.

Case: token representations of all-MiniLM-L6-v2 (layer 3 → layer 6 and back) on the demo corpus, n = 2 000 tokens,
d = 384 → 384. Compared in one run:
- ours, exact: `fit_affine_map(method="exact")` (certified first-order bounds prune the columns, the exchange algorithm
  solves the survivors with an optimality certificate);
- ours, first-order: `fit_affine_map(method="first-order", rtol=0.01)` (certified gap ≤ 1 %);
- naive: scipy HiGHS on every column; timed on a few columns (the largest one included, to check the value) and
  scaled to all columns, since every column is the same size of problem;
- the thesis' approach: an affine map trained with the Huber loss and Adam for a fixed budget at five learning rates;
  its maximum error is an upper bound on d_Aff, and how far above depends on the learning rate.
Run: `python bench/bench_homotopy.py` (add `--quick` for a small synthetic case that runs in seconds).
"""
import argparse
import time

import numpy as np
import torch
import transformers

from repsim_nb.affine import affine_basis, chebyshev_column, fit_affine_map

transformers.utils.logging.disable_progress_bar()


def minilm_tokens(n: int):
    "Layer 3 and layer 6 token representations of the bundled MiniLM on the demo corpus, n tokens."
    from repsim_nb.data import demo_corpus
    from repsim_nb.extract_hf import default_model, extract_hf

    reps = extract_hf(default_model(), demo_corpus().text.tolist()[:400], layers=[3, 6], pooling="none", tokens_as_samples=True,
                      progress=False)
    keys = list(reps)
    return reps[keys[0]][:n].double().numpy(), reps[keys[1]][:n].double().numpy(), keys


def synthetic(n: int, d: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    g = rng.normal(size=(n, d)) / np.sqrt(np.arange(1, d + 1))
    h = np.tanh(3 * g @ rng.normal(size=(d, d)) / np.sqrt(d)) + 0.05 * rng.normal(size=(n, d))
    return g, h, ["g", "h"]


def huber_fit(g, h, lr, epochs, batch=256, seed=0):
    "The thesis' estimate: an affine map trained with the Huber loss and Adam; returns its maximum error."
    torch.manual_seed(seed)
    G, H = torch.as_tensor(g, dtype=torch.float32), torch.as_tensor(h, dtype=torch.float32)
    layer = torch.nn.Linear(G.shape[1], H.shape[1])
    opt = torch.optim.Adam(layer.parameters(), lr=lr)
    for _ in range(epochs):
        for idx in torch.randperm(len(G)).split(batch):
            opt.zero_grad()
            torch.nn.functional.huber_loss(layer(G[idx]), H[idx]).backward()
            opt.step()
    with torch.no_grad():
        return float((layer(G) - H).abs().max())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--lp-columns", type=int, default=3, help="columns timed with the naive LP")
    parser.add_argument("--epochs", type=int, default=30, help="Huber training epochs per learning rate")
    args = parser.parse_args()
    if args.quick:
        g, h, names = synthetic(300, 32)
        args.lp_columns, args.epochs = 2, 5
    else:
        g, h, names = minilm_tokens(2000)
    n, d_g = g.shape
    print(f"n = {n}, d = {d_g} → {h.shape[1]} ({names[0]} → {names[1]}), CPU, {torch.get_num_threads()} threads\n")
    rows = []
    for direction, (x, y) in {"→": (g, h), "←": (h, g)}.items():
        t = time.perf_counter(); exact = fit_affine_map(x, y); t_exact = time.perf_counter() - t
        t = time.perf_counter(); fast = fit_affine_map(x, y, method="first-order"); t_fast = time.perf_counter() - t
        # the naive LP: the column with the largest error under the exact map (the maximum) and a few others
        worst = int(np.argmax(np.abs(y - x @ exact.weight.numpy() - exact.bias.numpy()).max(0)))
        cols = [worst] + [k for k in range(y.shape[1]) if k != worst][: args.lp_columns - 1]
        G1 = np.c_[x, np.ones(n)]
        t = time.perf_counter(); lp_values = [chebyshev_column(G1, y[:, k])[0] for k in cols]
        t_lp = (time.perf_counter() - t) / len(cols) * y.shape[1]
        # the check: the same LP in well-conditioned coordinates (an orthonormal basis of [x, 1]); the raw LP above can
        # be off by HiGHS's tolerances when [x, 1] is ill-conditioned, and is shown as it comes
        check = chebyshev_column(affine_basis(torch.as_tensor(x))[0].numpy(), y[:, worst])[0]
        assert abs(check - exact.distance) <= 1e-6 * max(1.0, exact.distance), (check, exact.distance)
        assert fast.lower <= exact.distance * (1 + 1e-9) <= fast.distance * (1 + 1e-9) + 1e-12
        rows.append((direction, "ours, exact", t_exact, exact.distance, f"{exact.exact_columns} column(s) solved exactly"))
        rows.append((direction, "ours, first-order (rtol 1 %)", t_fast, fast.distance,
                     f"certified gap {100 * (fast.distance - fast.lower) / fast.distance:.2f} %"))
        rows.append((direction, "naive HiGHS per column", t_lp, lp_values[0],
                     f"{len(cols)} columns timed, scaled to {y.shape[1]}; value of the maximum column "
                     f"(the same LP in orthonormal coordinates: {check:.6f})"))
        for lr in (1e-4, 1e-3, 1e-2, 1e-1, 1.0):
            t = time.perf_counter(); err = huber_fit(x, y, lr, args.epochs); t_h = time.perf_counter() - t
            rows.append((direction, f"Huber + Adam, lr {lr:g}", t_h, err, f"{args.epochs} epochs; "
                         f"{err / exact.distance:.2f} × the exact value"))
    print("| direction | method | seconds | d_Aff (or the map's max error) | note |")
    print("|---|---|---:|---:|---|")
    for direction, name, secs, value, note in rows:
        print(f"| {direction} | {name} | {secs:.2f} | {value:.6f} | {note} |")
    for direction in "→←":
        ours = next(r for r in rows if r[0] == direction and r[1] == "ours, exact")
        naive = next(r for r in rows if r[0] == direction and r[1].startswith("naive"))
        print(f"\n{direction}: exact solver {naive[2] / ours[2]:.0f}× faster than the naive per-column LP", end="")
    print()


if __name__ == "__main__":
    main()
