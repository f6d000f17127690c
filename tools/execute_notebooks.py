"""Re-run notebooks in place with a Jupyter kernel, so the outputs committed (and shown in the docs) are fresh.

Cells flagged with one of settings.ini's `tst_flags` (`notest`, `slow`, `cuda`) are not run, the same rule as
the tests, unless named with --flags (`cuda` cells run by themselves on a machine with a GPU); a cell that is not
run keeps the outputs it had, so results recorded on a bigger machine survive a re-run elsewhere.
"""
import argparse
import re
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor
from nbdev.config import get_config

DIRECTIVE = re.compile(r"^\s*#\|\s*(.*)$")


def flags_of(cell) -> set[str]:
    found = set()
    for line in cell.source.splitlines():
        m = DIRECTIVE.match(line)
        if m:
            found.update(m.group(1).split())
    return found


class SkippingExecutor(ExecutePreprocessor):
    "Execute every code cell except those carrying a flag in `skip`."
    skip: set[str] = set()

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and flags_of(cell) & self.skip:
            return cell, resources  # not run: keep the outputs recorded when it last ran (e.g. on a GPU machine)
        return super().preprocess_cell(cell, resources, index)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: all of nbs/ but _-prefixed)")
    parser.add_argument("--flags", default="", help="flagged cells to run anyway, e.g. 'slow'")
    args = parser.parse_args()
    cfg = get_config()
    force = set(args.flags.split())
    import torch

    if torch.cuda.is_available():
        force.add("cuda")
    files = [Path(p) for p in args.notebooks] or sorted(
        p for p in Path(cfg.nbs_path).glob("*.ipynb") if not p.name.startswith("_"))
    for path in files:
        print(f"executing {path}", flush=True)
        nb = nbformat.read(path, as_version=4)
        ep = SkippingExecutor(timeout=1800, kernel_name="python3")
        ep.skip = set(cfg.tst_flags.split()) - force
        ep.preprocess(nb, {"metadata": {"path": str(path.parent)}})
        nbformat.write(nb, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
