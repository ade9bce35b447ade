"""Execute chapter notebooks in place, storing their outputs (the reference nbval checks against).

    python scripts/execute_notebooks.py [chapters/NAME.ipynb ...]   (default: every chapter)

Run through `make outputs`, which sets SECORGS_RENDERER=book as the book build does.
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - started


def main(paths):
    if os.environ.get("SECORGS_RENDERER") != "book":
        sys.exit("set SECORGS_RENDERER=book (use `make outputs`) so stored outputs match the book build")
    paths = [Path(p) for p in paths] or sorted(ROOT.glob("chapters/*.ipynb"))
    for path in paths:
        print(f"{path.relative_to(ROOT) if path.is_absolute() else path}: {execute(path.resolve()):.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
