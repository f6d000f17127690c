"""Fail when `nbdev_export`, `nbdev_clean` or the README generator would change the tree.

The notebooks are the source: `repsim_nb/` is exported from them, the notebooks are kept clean of volatile
metadata, and README.md is made from nbs/index.ipynb. This script runs the three generators and compares
every file they touch before and after. When something changed, the tree now holds the regenerated files:
review them and commit them.
"""
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WATCHED = ["repsim_nb", "nbs", "README.md"]
SKIP = {"__pycache__", ".ipynb_checkpoints"}


def snapshot() -> dict[str, str]:
    files = {}
    for name in WATCHED:
        path = ROOT / name
        paths = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for p in paths:
            if not SKIP & set(p.relative_to(ROOT).parts):
                files[str(p.relative_to(ROOT))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return files


def main() -> int:
    before = snapshot()
    for cmd in ([str(BIN / "nbdev_export")], [str(BIN / "nbdev_clean")], [sys.executable, "tools/readme.py"]):
        subprocess.run(cmd, cwd=ROOT, check=True)
    after = snapshot()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        print("nbdev_export / nbdev_clean / tools/readme.py changed these files:", *changed, sep="\n  ")
        print("The notebooks and the generated files disagreed. Review the regenerated files and commit them.")
        return 1
    print("In sync: nbdev_export, nbdev_clean and tools/readme.py change nothing.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
