"""Run every notebook's tests the way `nbdev_test` does, and end with a line 'N passed, N failed'.

It uses nbdev's own `test_nb` (cells flagged with a `tst_flags` flag are skipped unless named in --flags), in
parallel like `nbdev_test`, but reports each notebook and counts them. On a machine with CUDA the `cuda` flag
is switched on automatically, so the GPU cells run wherever a GPU exists.

Every notebook runs in a fresh kernel in a fresh worker process (spawned, one notebook per process: a notebook's
export cells re-define classes, and `@register` puts them into the shared measure registry, so a worker reused by the
next notebook would hand it the previous notebook's classes), and must pass whatever ran before it: `--order reverse` (or `shuffle`, with
`--seed`) changes the order in which notebooks start, which catches a notebook that relies on files another one
wrote. Each notebook gets `--threads` BLAS/torch threads: by default `$OMP_NUM_THREADS` when set, else the machine's
cores shared out among the workers, so parallel notebooks never oversubscribe the cores (`--threads 2` on two cores
with two workers does, on purpose, to test under contention).
"""
import argparse
import os

# Idle OpenMP threads sleep instead of spinning: with more threads than free cores (two notebooks at once, or any
# other load), spinning threads can slow torch down by an order of magnitude. Set before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import multiprocessing
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from fastcore.xtras import working_directory
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.test import test_nb


def _set_threads(n: int):
    "In each worker: torch uses exactly `n` threads (a forked worker keeps the parent's setting otherwise)."
    try:
        import torch

        torch.set_num_threads(n)
    except ImportError:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", default=None, help="a notebook or glob (default: every notebook)")
    parser.add_argument("--flags", default="", help="space-separated flags to run, e.g. 'slow'")
    parser.add_argument("--n_workers", type=int, default=2)
    parser.add_argument("--order", choices=("forward", "reverse", "shuffle"), default="forward",
                        help="the order in which notebooks start (each still runs in a fresh kernel)")
    parser.add_argument("--seed", type=int, default=0, help="seed of --order shuffle")
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS and torch threads per notebook (default: $OMP_NUM_THREADS if set, else the cores "
                             "shared out among the workers, at least 1)")
    args = parser.parse_args()
    if args.threads is None:
        from_env = os.environ.get("OMP_NUM_THREADS")
        args.threads = int(from_env) if from_env else max(1, (os.cpu_count() or 1) // max(1, args.n_workers))
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(args.threads)

    cfg = get_config()
    force = set(args.flags.split())
    try:
        import torch

        if torch.cuda.is_available():
            force.add("cuda")
    except ImportError:
        pass
    skip = set(cfg.tst_flags.split()) - force
    files = sorted(f.absolute() for f in nbglob(args.path, as_path=True))
    if args.order == "reverse":
        files.reverse()
    elif args.order == "shuffle":
        random.Random(args.seed).shuffle(files)
    if not files:
        print("No notebooks found to test")
        print("0 passed, 1 failed")
        return 1
    workers = min(args.n_workers, len(files))
    print(f"Testing {len(files)} notebooks in {args.order} order, {workers} at a time with {args.threads} BLAS/torch "
          f"thread(s) each; skipping cells flagged {sorted(skip) or 'nothing'}", flush=True)
    start = time.time()
    results = []
    one_per_process = {"max_tasks_per_child": 1} if sys.version_info >= (3, 11) else {}  # Python 3.10 reuses workers
    # spawned workers re-import this script as their main module: by an absolute path, since the pool starts them
    # after the change into nbs/
    sys.modules["__main__"].__file__ = os.path.abspath(__file__)
    with working_directory(cfg.nbs_path), ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                                              initializer=_set_threads, initargs=(args.threads,),
                                                              **one_per_process) as pool:
        futures = {pool.submit(test_nb, f, skip_flags=list(skip), force_flags=list(force), basepath=cfg.config_path): f
                   for f in files}
        for future in as_completed(futures):  # report each notebook as it ends, so a long run shows its progress
            ok, secs = future.result()
            results.append(ok)
            print(f"{'PASS' if ok else 'FAIL'}  {futures[future].relative_to(cfg.config_path)}  ({secs:.1f} s, "
                  f"{time.time() - start:.0f} s elapsed)", flush=True)
    passed = sum(results)
    failed = len(results) - passed
    print(f"Notebook tests took {time.time() - start:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
