"""Write README.md from nbs/index.ipynb without Quarto (which `nbdev_readme` needs).

Markdown cells are copied; code cells become ```python blocks without their `#|` directives; cells flagged
`#| hide` are left out; text outputs follow their cell in a plain block. Images are left to the docs site.
"""
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def cell_text(cell) -> str:
    lines = cell.source.splitlines()
    if any(l.strip() in ("#| hide", "#|hide") for l in lines):
        return ""
    if cell.cell_type == "markdown":
        return cell.source.strip()
    code = "\n".join(l for l in lines if not l.lstrip().startswith("#|")).strip()
    parts = [f"```python\n{code}\n```"] if code else []
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "image/png" in data or "image/svg+xml" in data:
            continue  # figures are shown on the docs site; their text form is only a repr
        text = out.get("text") if out.output_type == "stream" else data.get("text/plain")
        if text and out.get("name") != "stderr":
            parts.append(f"```\n{text.rstrip()}\n```")
    return "\n\n".join(parts)


def main():
    nb = nbformat.read(ROOT / "nbs" / "index.ipynb", as_version=4)
    body = "\n\n".join(t for t in map(cell_text, nb.cells) if t)
    header = "<!-- Generated from nbs/index.ipynb by tools/readme.py (make readme): edit the notebook, not this file. -->"
    (ROOT / "README.md").write_text(f"{header}\n\n{body}\n")


if __name__ == "__main__":
    main()
