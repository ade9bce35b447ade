"""The course pack: everything a class needs to rerun the chapters, in one archive.

``python -m secorgs.build.coursepack [ZIP]`` writes the chapter notebooks (with their stored
outputs), ``data/``, the ``secorgs`` package, the pinned requirements, the bibliography, the licences
and a one-page how-to into a zip file. The book's build puts it in the published site as
``downloads/secorgs-coursepack.zip`` and links it from the front page. Unpacked on any machine with
Python 3.11, ``pip install -r requirements-lab.txt`` and ``pip install -e .`` are all it takes; the
chapters then run top to bottom and give the book's numbers.

The archive is byte-for-byte reproducible: members are sorted and carry a fixed timestamp.
"""
from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

from .. import ROOT

NAME = "secorgs-coursepack.zip"
TOP = "secorgs-coursepack"
FILES = ("pyproject.toml", "requirements.txt", "requirements-lab.txt", "references.bib", "LICENSE",
         "LICENSE-CODE", "CITATION.cff")
FOLDERS = (("chapters", "*.ipynb"), ("data", "*"), ("secorgs", "**/*.py"), ("secorgs", "build/static/*"))
STAMP = (2026, 1, 1, 0, 0, 0)

HOWTO = """\
# Security Organisations of East Asia: course pack

This archive holds the chapters of the book as Jupyter notebooks, the data they read (`data/`, one
sourced fact per row), the small Python package they share (`secorgs/`) and the pinned package
versions the book was built with.

## Run the chapters (once per machine, about two minutes)

    python3 -m venv .venv
    .venv/bin/pip install -r requirements-lab.txt     # on Windows: .venv\\Scripts\\pip
    .venv/bin/pip install --no-deps -e .
    .venv/bin/jupyter lab chapters/

Open a chapter and choose *Run > Run All Cells*: it recomputes every number in the chapter from the
files in `data/` and redraws every chart. The sliders of the `ipywidgets` controls respond, since a
kernel is running.

## Change the data

Each CSV file in `data/` has one row per fact and a `source` column. Change a row (a membership date,
say), rerun the chapter and watch the numbers that depend on it change. If a file is malformed, the
first cell stops with a message naming the file, row and column.

## Licences

Text and figures: CC BY 4.0 (`LICENSE`); code: MIT (`LICENSE-CODE`). Cite the book as
`CITATION.cff` says.
"""


def members(root: Path = ROOT) -> list[tuple[Path, str]]:
    """(file, name in the archive) for every file of the course pack, sorted by name."""
    found = {root / name: name for name in FILES if (root / name).exists()}
    for folder, pattern in FOLDERS:
        for path in (root / folder).glob(pattern):
            relative = path.relative_to(root)
            if path.is_file() and "__pycache__" not in relative.parts:
                found[path] = relative.as_posix()
    return sorted(found.items(), key=lambda item: item[1])


SOLUTION = re.compile(r"^(?P<fence>`{3,}|:{3,})\{solution\}.*?^(?P=fence)[ \t]*$\n?", re.M | re.S)


def without_solutions(notebook: bytes) -> bytes:
    """The notebook with every ``{solution}`` block removed from its markdown cells (student edition)."""
    nb = json.loads(notebook)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = SOLUTION.sub("", source).splitlines(keepends=True)
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write(target: Path, root: Path = ROOT, solutions: bool = True) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries = [(None, "HOWTO.md")] + members(root)
        for path, name in sorted(entries, key=lambda item: item[1]):
            info = zipfile.ZipInfo(f"{TOP}/{name}", date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = HOWTO.encode() if path is None else path.read_bytes()
            if not solutions and name.endswith(".ipynb"):
                content = without_solutions(content)
            archive.writestr(info, content)
    partial.replace(target)
    return target


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else ROOT / "_build" / "downloads" / "downloads" / NAME
    write(target)
    print(f"coursepack: wrote {target} ({target.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
