"""Execute the chapter notebooks whose inputs changed, in parallel, storing their outputs.

Each executed notebook records in its metadata (``secorgs``) the data tables it read and a
fingerprint of everything its outputs depend on: its code cells, those tables' CSV files, the
bibliography, the package's source and the pinned requirements. A notebook is *stale* when that
fingerprint no longer matches; ``python -m secorgs.build.execute`` re-executes exactly the stale ones
(``--all`` re-executes every chapter). The book is then built from the stored outputs, so a rebuild
after a one-row CSV change costs the notebooks that read that file and nothing else, and a number
in the book can never be older than the data.

Run it through make (``make book`` runs it; ``make outputs`` runs it with ``--all``), which sets
``SECORGS_RENDERER=book`` so that stored chart outputs match the book build.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from .. import ROOT

KEY = "secorgs"
MARKER = "SECORGS-ACCESSED "
PROBE = f"import json as _j, secorgs.data as _d\nprint({MARKER!r} + _j.dumps(sorted(_d.ACCESSED)))"


SKIP_DIRS = {".git", ".venv", "node_modules", "_build", "__pycache__", ".pytest_cache", ".ipynb_checkpoints"}


def copy_project(target: Path, root: Path = ROOT) -> Path:
    """Copy the project's source files (not its venv, node_modules, build or figures) to ``target``.

    Used by the cache tests and the benchmark, which rebuild a copy rather than the working tree.
    """
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if set(relative.parts) & SKIP_DIRS or not path.is_file() or path.name.endswith(".egg-info"):
            continue
        if relative.parts[0] == "figures" and path.suffix in (".svg", ".png"):
            continue
        if any(part.endswith(".egg-info") for part in relative.parts):
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative)
    return target


def chapters(root: Path = ROOT) -> list[Path]:
    return sorted((root / "chapters").glob("*.ipynb"))


def _digest_files(digest, paths) -> None:
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())


def fingerprint(nb, tables, root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode())
    _digest_files(digest, [root / "data" / f"{name}.csv" for name in sorted(tables)])
    _digest_files(digest, [root / "references.bib", root / "requirements.txt"])
    package = root / "secorgs"
    _digest_files(digest, sorted(package.glob("*.py")))
    return digest.hexdigest()


def stale(path: Path, root: Path = ROOT) -> str | None:
    """Why ``path`` must be re-executed, or None when its stored outputs are current."""
    nb = nbformat.read(path, as_version=4)
    recorded = nb.metadata.get(KEY)
    if not recorded:
        return "never executed by secorgs.build.execute"
    missing = [t for t in recorded["tables"] if not (root / "data" / f"{t}.csv").exists()]
    if missing:
        return f"reads {', '.join(missing)}, which no longer exist"
    if fingerprint(nb, recorded["tables"], root) != recorded["fingerprint"]:
        return "its code, the data it reads, the package or the requirements changed"
    return None


def execute(path: Path, root: Path = ROOT) -> tuple[str, float, list[str]]:
    """Execute ``path`` in place; return its name, the seconds it took and the tables it read."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    started = time.perf_counter()
    # IPC sockets in a private directory: kernels started side by side cannot race for TCP ports.
    with tempfile.TemporaryDirectory(prefix="secorgs-kernel-") as sockets:
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
        NotebookClient(nb, km=manager, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - started
    probe = nb.cells.pop()
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
    tables = json.loads(text.split(MARKER, 1)[1].strip())
    for cell in nb.cells:  # kernel timing stamps would turn every rerun into a diff to commit
        cell.metadata.pop("execution", None)
    nb.metadata[KEY] = {"tables": tables, "fingerprint": fingerprint(nb, tables, root)}
    nbformat.write(nb, path)
    return path.name, seconds, tables


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter")
    parser.add_argument("--all", action="store_true", help="re-execute even notebooks that are current")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    if os.environ.get("SECORGS_RENDERER") != "book":
        print("set SECORGS_RENDERER=book (make does) so that stored outputs match the book build", file=sys.stderr)
        return 2
    paths = [p.resolve() for p in args.notebooks] or chapters()
    todo = []
    for path in paths:
        reason = "--all" if args.all else stale(path)
        print(f"{path.name}: {'execute (' + reason + ')' if reason else 'current, skipped'}")
        if reason:
            todo.append(path)
    timings = {}
    if todo:
        with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(todo)))) as pool:
            for name, seconds, tables in pool.map(execute, todo):
                timings[name] = seconds
                print(f"{name}: executed in {seconds:.1f} s, reads {', '.join(tables)}")
    report = ROOT / "_build" / "execution-times.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(timings, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
