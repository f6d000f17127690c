"""Run every notebook's tests the way `nbdev_test` does, and end with a line 'N passed, N failed'.

It uses nbdev's own `test_nb` (cells flagged with a `tst_flags` flag are skipped unless named in --flags), in
parallel like `nbdev_test`, but reports each notebook and counts them. On a machine with CUDA the `cuda` flag
is switched on automatically, so the GPU cells run wherever a GPU exists.

Every notebook runs in a fresh kernel and must pass whatever ran before it: `--order reverse` (or `shuffle`, with
`--seed`) changes the order in which notebooks start, which catches a notebook that relies on files another one
wrote. For single-threaded BLAS and torch, run with `OMP_NUM_THREADS=1` in the environment (or `--threads 1`).
"""
import argparse
import os
import random
import sys
import time

from fastcore.xtras import working_directory
from fastcore.parallel import parallel
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.test import test_nb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", default=None, help="a notebook or glob (default: every notebook)")
    parser.add_argument("--flags", default="", help="space-separated flags to run, e.g. 'slow'")
    parser.add_argument("--n_workers", type=int, default=2)
    parser.add_argument("--order", choices=("forward", "reverse", "shuffle"), default="forward",
                        help="the order in which notebooks start (each still runs in a fresh kernel)")
    parser.add_argument("--seed", type=int, default=0, help="seed of --order shuffle")
    parser.add_argument("--threads", type=int, default=None,
                        help="set OMP_NUM_THREADS / MKL_NUM_THREADS (and so torch's threads) for every notebook")
    args = parser.parse_args()
    if args.threads is not None:
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            os.environ[var] = str(args.threads)

    cfg = get_config()
    force = set(args.flags.split())
    torch_threads = "n/a"
    try:
        import torch

        torch_threads = torch.get_num_threads()
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
    threads = os.environ.get("OMP_NUM_THREADS", "default")
    print(f"Testing {len(files)} notebooks in {args.order} order, OMP_NUM_THREADS={threads}, torch threads "
          f"{torch_threads}; "
          f"skipping cells flagged {sorted(skip) or 'nothing'}", flush=True)
    start = time.time()
    with working_directory(cfg.nbs_path):
        results = parallel(test_nb, files, skip_flags=list(skip), force_flags=list(force),
                           n_workers=min(args.n_workers, len(files)), basepath=cfg.config_path, pause=0.01)
    for f, (ok, secs) in zip(files, results):
        print(f"{'PASS' if ok else 'FAIL'}  {f.relative_to(cfg.config_path)}  ({secs:.1f} s)")
    passed = sum(ok for ok, _ in results)
    failed = len(results) - passed
    print(f"Notebook tests took {time.time() - start:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
