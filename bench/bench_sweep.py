"""Benchmark: the cost of the sweep orchestration over the bare computations.

Case (the issue's): the bundled all-MiniLM-L6-v2, 3 poolings (mean, cls, max) × 2 datasets (`demo`, 1024 sentences, and
its topic `demo:health`, 128; or a seeded subset of `--n` of each), measures linear CKA and RSA over all layers.
Timed in one run, each from a fresh folder:
- bare: the model loaded once, then for each (dataset, pooling) `extract_hf` + `compare_layers` in one loop,
  writing nothing — what a hand-written script does;
- debug: `run_grid(executor="debug")` — the same in this process, through the feature store, with folders,
  metadata, CSV/Parquet, matrices, heatmaps and summaries written atomically;
- local: `run_grid(executor="local", max_parallel=2)` — two spawned worker processes (each imports torch and
  loads the model);
- rerun: the same grid again, everything done (the cost of finding that out).
The values of the debug run are checked against the bare ones (1e-5).
Run: `python bench/bench_sweep.py` (add `--quick` for a small case that runs in seconds).
"""
import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from repsim_nb.experiments.executors import run_grid
from repsim_nb.extract_hf import extract_hf
from repsim_nb.layers import compare_layers
from repsim_nb.experiments import grid, load_dataset_texts, load_results, resolve_model
from repsim_nb.experiments.sources import loaded_model


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--n", type=int, default=None, help="sentences per dataset (default 1024 and 128, all)")
    args = parser.parse_args()
    n = 64 if args.quick else args.n
    datasets, poolings, measures = ["demo", "demo:health"], ["mean", "cls", "max"], ["cka", "rsa"]
    exps = grid(models=["minilm"], datasets=datasets, poolings=poolings, measures=measures,
                **({"num_samples": n} if n else {}))
    torch.set_num_threads(max(1, torch.get_num_threads()))

    t0 = time.perf_counter()
    model, tokenizer = loaded_model(resolve_model("minilm"), None)
    bare = {}
    for e in exps:
        p = e.params
        texts = load_dataset_texts(p["dataset"], num_samples=p["num_samples"])
        reps = extract_hf(model, texts.text.tolist(), pooling=p["pooling"], tokenizer=tokenizer, progress=False)
        if p["pooling"] == "cls":
            reps.pop("embeddings")  # constant under cls pooling; the sweep leaves it out too
        bare[e.name] = compare_layers(reps, measures=measures)
    t_bare = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        summary = run_grid(exps, Path(tmp) / "debug", executor="debug", progress=False)
        t_debug = time.perf_counter() - t0
        assert (summary.status == "done").all(), summary.error.tolist()
        results = load_results(Path(tmp) / "debug")
        for name, frame in bare.items():
            ours = results[results.experiment == name]
            assert np.allclose(ours["value"].to_numpy(), frame["value"].to_numpy(), atol=1e-5), name
        t0 = time.perf_counter()
        summary = run_grid(exps, Path(tmp) / "local", executor="local", max_parallel=2, progress=False)
        t_local = time.perf_counter() - t0
        assert (summary.status == "done").all(), summary.error.tolist()
        t0 = time.perf_counter()
        run_grid(exps, Path(tmp) / "debug", executor="debug", progress=False)
        t_rerun = time.perf_counter() - t0

    sizes = ", ".join(f"{d}: {len(load_dataset_texts(d, num_samples=n))}" for d in datasets)
    print(f"Grid: minilm × {len(datasets)} datasets ({sizes} sentences) × {len(poolings)} poolings × "
          f"{len(measures)} measures = {len(exps)} experiments, {torch.get_num_threads()} torch threads\n")
    print("| run | seconds | × bare |")
    print("|---|---:|---:|")
    for label, t in (("bare loop (model loaded once, nothing written)", t_bare),
                     ("run_grid, debug executor (store, folders, figures, summaries)", t_debug),
                     ("run_grid, local executor, 2 spawned workers", t_local),
                     ("rerun, everything done", t_rerun)):
        print(f"| {label} | {t:.1f} | {t / t_bare:.2f} |")


if __name__ == "__main__":
    main()
