"""What the docs site needs that can be checked offline, on the processed notebooks in `_proc/` (run
`nbdev_proc_nbs` first; `make docs-check` does both):

1. every notebook in `nbs/` (but `_`-prefixed scratch ones) is listed in the sidebar, and every sidebar entry exists;
2. no broken intra-site link: every relative link in a markdown cell or markdown output points at a page of the
   site (a notebook by its file name or by the `.html` name Quarto gives it, nbdev's numeric prefix dropped) or at
   a file that exists;
3. nothing written in a notebook is lost on its page: nbdev turns the first markdown cell with a `# title` into the
   page's title and description (only the first `>` line) and drops that cell, so the cell must hold the title and
   a one-line `> description` and nothing else; the prose goes in the next cell.

Prints one line per problem and ends with 'docs: N problems'; exit status 1 when there are any.
"""
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NBS, PROC = ROOT / "nbs", ROOT / "_proc"
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|href=\"([^\"]+)\"")


def sidebar_entries(contents) -> list[str]:
    found = []
    for item in contents:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            if "href" in item:
                found.append(item["href"])
            found += sidebar_entries(item.get("contents", []))
    return found


def page_names(path: Path) -> set[str]:
    "The names a page can be linked by, relative to nbs/: the notebook and its .html (with and without nbdev's prefix)."
    rel = path.relative_to(PROC)
    stem = rel.stem
    names = {str(rel), str(rel.with_suffix(".html"))}
    short = re.sub(r"^\d+[a-z]?_", "", stem)
    names.add(str(rel.with_name(short + ".html")))
    if stem == "index":
        names.add(str(rel.parent / "index.html"))
    return names


def title_cell_problems(nb: Path) -> list[str]:
    "What nbdev's frontmatter processor would drop from the notebook's title cell."
    for cell in json.loads(nb.read_text())["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or not re.search(r"^#\s+\S", text, flags=re.MULTILINE):
            continue
        lines = [line for line in text.splitlines() if line.strip()]
        quotes = [line for line in lines if line.startswith(">")]
        rest = [line for line in lines if not line.startswith(("# ", ">"))]
        found = []
        if len(quotes) > 1:
            found.append(f"the description spans {len(quotes)} '>' lines; the page keeps only the first")
        if rest:
            found.append(f"{len(rest)} lines after the title and description, which the page drops "
                         f"(first: {rest[0][:60]!r}); move them to a cell of their own")
        return found
    return []


def main() -> int:
    problems = []
    if not PROC.exists():
        print("docs: _proc/ does not exist: run nbdev_proc_nbs (make docs-check) first")
        return 1
    notebooks = sorted(p for p in NBS.rglob("*.ipynb") if not any(part.startswith(("_", ".")) for part in
                       p.relative_to(NBS).parts))
    listed = sidebar_entries(yaml.safe_load((NBS / "sidebar.yml").read_text())["website"]["sidebar"]["contents"])
    for nb in notebooks:
        if str(nb.relative_to(NBS)) not in listed:
            problems.append(f"{nb.relative_to(ROOT)}: not listed in nbs/sidebar.yml")
    for entry in listed:
        if not (NBS / entry).exists():
            problems.append(f"nbs/sidebar.yml: lists {entry}, which does not exist")
    for nb in notebooks:
        problems += [f"{nb.relative_to(ROOT)}: title cell: {p}" for p in title_cell_problems(nb)]
    pages = sorted(PROC.rglob("*.ipynb"))
    known = set().union(*(page_names(p) for p in pages)) if pages else set()
    missing = [str(nb.relative_to(NBS)) for nb in notebooks if not (PROC / nb.relative_to(NBS)).exists()]
    problems += [f"_proc/{m}: missing (nbdev_proc_nbs did not process it)" for m in missing]
    for page in pages:
        cells = json.loads(page.read_text())["cells"]
        texts = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
        for c in cells:
            for o in c.get("outputs", []):
                texts.append("".join(o.get("data", {}).get("text/markdown", "")))
        for text in texts:
            for m in LINK.finditer(text):
                target = (m.group(1) or m.group(2)).split("#")[0]
                if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
                    continue  # an anchor on the same page, an absolute URL or a site-absolute path
                rel = (page.parent.relative_to(PROC) / target)
                norm = Path(*[p for p in rel.parts if p != "."])
                parts = []
                for p in norm.parts:
                    parts = parts[:-1] if p == ".." else parts + [p]
                resolved = "/".join(parts)
                if resolved in known or (PROC / resolved).exists() or (NBS / resolved).exists():
                    continue
                problems.append(f"{page.relative_to(ROOT)}: broken link {target!r}")
    for p in problems:
        print(p)
    print(f"docs: {len(problems)} problems ({len(pages)} pages, {len(listed)} sidebar entries)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
