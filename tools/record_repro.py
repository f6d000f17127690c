"""Record a reproduction's small-preset run as the outputs of its notebook in nbs/repro (what the docs pages show).

Usage: record_repro.py NAME [NAME ...] [--preset small]

Runs `run_reproduction(NAME, preset)` into a temporary folder, then writes the executed notebook back over
`nbs/repro/<notebook>` without papermill's injected-parameters cell and papermill's metadata, so the source is
unchanged (its parameters cell still says `preset = None`, which means `small` outside the tests) and the outputs
are those of that run. Finish with `nbdev_clean`.
"""
import argparse
import json
import sys
import tempfile
from pathlib import Path

from repsim_nb.repro import REPRODUCTIONS, get_reproduction, run_reproduction

ROOT = Path(__file__).resolve().parent.parent


def record(name: str, preset: str) -> Path:
    repro = get_reproduction(name)
    source = ROOT / "nbs" / "repro" / repro.notebook
    folder = run_reproduction(name, preset, out=tempfile.mkdtemp(prefix="record-"), notebooks=source.parent)
    executed = json.loads((folder / "notebook.ipynb").read_text())
    original = json.loads(source.read_text())
    cells = [c for c in executed["cells"] if "injected-parameters" not in c["metadata"].get("tags", [])]
    if [c["source"] for c in cells] != [c["source"] for c in original["cells"]]:
        raise SystemExit(f"{source} changed while it ran; not recorded")
    for cell, before in zip(cells, original["cells"]):
        cell["metadata"] = {k: v for k, v in before["metadata"].items()}
        cell["id"] = before.get("id", cell.get("id"))
    executed["cells"] = cells
    executed["metadata"] = original["metadata"]
    source.write_text(json.dumps(executed, indent=1, ensure_ascii=False) + "\n")
    seconds = json.loads((folder / "run.json").read_text())["seconds"]
    print(f"{name}: recorded the {preset} run ({seconds:.0f} s) into {source.relative_to(ROOT)}; results in {folder}")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="+", help=f"reproductions: {list(REPRODUCTIONS)} or 'all'")
    parser.add_argument("--preset", default="small")
    args = parser.parse_args()
    names = list(REPRODUCTIONS) if args.names == ["all"] else args.names
    for n in names:
        record(n, args.preset)
    sys.exit(0)
