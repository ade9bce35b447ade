"""Execute the chapter notebooks whose inputs changed, in parallel, storing their outputs.

Each executed notebook records in its metadata (``secorgs``) the data tables it read, a
fingerprint of everything its outputs depend on (its code cells, those tables' CSV files, the
bibliography, the package's source, the pinned requirements and the chart renderer) and a hash of
the outputs this executor wrote. A notebook is *stale* when that fingerprint no longer matches, or
when its stored outputs are not the ones this executor wrote (say, re-run and saved from JupyterLab
without the book's renderer, so that its charts would load Vega from a CDN); ``python -m secorgs.build.execute`` re-executes exactly the stale ones
(``--all`` re-executes every chapter). The book is then built from the stored outputs, so a rebuild
after a one-row CSV change costs the notebooks that read that file and nothing else, and a number
in the book can never be older than the data.

Kernels run with ``SECORGS_RENDERER=book``, in ``<project>/chapters``, with the project's own folder
first on ``PYTHONPATH``: a copy of the project executes against the copy's package and data, not
against whatever folder ``secorgs`` was installed from (checked inside the kernel). Fingerprints hold
no absolute path, so a fresh clone in another folder finds the committed outputs current.

A notebook that fails to execute is not written; the run goes on with the others and ends by naming
each failed notebook, its failing cell (index and first line) and the error, and exits non-zero.

Run it through make (``make book`` runs it; ``make outputs`` runs it with ``--all``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from .. import ROOT

KEY = "secorgs"
#: The renderer the book's stored chart outputs are made with (``secorgs.charts.setup``).
RENDERER = "book"
MARKER = "SECORGS-ACCESSED "
PROBE = (f"import json as _j, secorgs as _s, secorgs.data as _d\n"
         f"print({MARKER!r} + _j.dumps({{'tables': sorted(_d.ACCESSED), 'root': str(_s.ROOT)}}))")


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


def fingerprint(nb, tables, root: Path = ROOT, renderer: str = RENDERER) -> str:
    """Hash of everything that shapes ``nb``'s outputs; file names only, never absolute paths."""
    digest = hashlib.sha256()
    digest.update(f"renderer={renderer}\n".encode())
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode())
    _digest_files(digest, [root / "data" / f"{name}.csv" for name in sorted(tables)])
    _digest_files(digest, [root / "references.bib", root / "requirements.txt"])
    package = root / "secorgs"
    _digest_files(digest, sorted(package.glob("*.py")))
    return digest.hexdigest()


def outputs_hash(nb) -> str:
    """Hash of every code cell's outputs and execution count, as stored in the notebook."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            stored = {"count": cell.get("execution_count"), "outputs": cell.get("outputs", [])}
            digest.update(json.dumps(stored, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def stale(path: Path, root: Path = ROOT) -> str | None:
    """Why ``path`` must be re-executed, or None when its stored outputs are current."""
    nb = nbformat.read(path, as_version=4)
    recorded = nb.metadata.get(KEY)
    if not recorded or "outputs" not in recorded:
        return "never executed by this version of secorgs.build.execute"
    missing = [t for t in recorded["tables"] if not (root / "data" / f"{t}.csv").exists()]
    if missing:
        return f"reads {', '.join(missing)}, which no longer exist"
    if recorded.get("renderer") != RENDERER:
        return f"its charts were rendered with {recorded.get('renderer')!r}, not {RENDERER!r}"
    if fingerprint(nb, recorded["tables"], root) != recorded["fingerprint"]:
        return "its code, the data it reads, the package or the requirements changed"
    if outputs_hash(nb) != recorded["outputs"]:
        return "its stored outputs were not written by secorgs.build.execute (saved from elsewhere?)"
    return None


class Failure(Exception):
    """A notebook that did not execute: which cell, its first line and the error."""

    def __init__(self, notebook: str, cell: int | None, first_line: str, error: str):
        super().__init__(notebook, cell, first_line, error)
        self.notebook, self.cell, self.first_line, self.error = notebook, cell, first_line, error

    def __str__(self) -> str:
        where = f"cell {self.cell} ({self.first_line!r})" if self.cell is not None else "before any cell ran"
        return f"{self.notebook}: {where}: {self.error}"


def _failure(path: Path, nb, running: int | None, error: BaseException) -> Failure:
    """Describe the failure of the cell at index ``running`` (the last one started)."""
    if running is None or running >= len(nb.cells):
        return Failure(path.name, None, "", f"{type(error).__name__}: {_short(str(error))}")
    cell = nb.cells[running]
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return Failure(path.name, running, first, f"{output.get('ename')}: {_short(output.get('evalue', ''))}")
    # no error output: the kernel died or the cell timed out
    return Failure(path.name, running, first, f"{type(error).__name__}: {_short(str(error))}")


def _short(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit] + "..."


def kernel_env(root: Path, renderer: str = RENDERER) -> dict:
    """The kernel's environment: the project at ``root`` first on the path, the book's renderer."""
    paths = [str(root)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "SECORGS_RENDERER": renderer,
            "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def execute(path: Path, root: Path = ROOT, renderer: str = RENDERER) -> tuple[str, float, list[str]]:
    """Execute ``path`` in place; return its name, the seconds it took and the tables it read.

    Raises :class:`Failure` (and leaves the file untouched) when a cell fails.
    """
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path, root = Path(path).resolve(), Path(root).resolve()
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    started = time.perf_counter()
    # IPC sockets in a private directory: kernels started side by side cannot race for TCP ports.
    with tempfile.TemporaryDirectory(prefix="secorgs-kernel-") as sockets:
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
        running = {}
        client = NotebookClient(nb, km=manager, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}},
                                on_cell_execute=lambda cell, cell_index: running.update(index=cell_index))
        try:
            # The kernel's own log (stderr) is not the notebook's: cell errors and warnings reach the
            # notebook through the kernel's messages. Left on the terminal it buried the last lines.
            client.execute(env=kernel_env(root, renderer), cwd=str(path.parent), stderr=subprocess.DEVNULL)
        except Exception as error:  # noqa: BLE001 - every failure is reported with its cell
            raise _failure(path, nb, running.get("index"), error) from None
        finally:
            # nbclient shuts down only kernels it created itself; this one is ours to stop.
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)
    seconds = time.perf_counter() - started
    probe = nb.cells.pop()
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
    found = json.loads(text.split(MARKER, 1)[1].strip())
    if Path(found["root"]).resolve() != root:
        raise Failure(path.name, None, "", f"the kernel imported secorgs from {found['root']}, not from {root}")
    tables = found["tables"]
    for cell in nb.cells:  # kernel timing stamps would turn every rerun into a diff to commit
        cell.metadata.pop("execution", None)
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # hash exactly what a reader will see
    outputs = outputs_hash(nb)
    # When and how long, for the reproducibility page; a rerun that changes no output keeps the
    # earlier record, so that it rewrites the same bytes and leaves nothing to commit.
    before = nbformat.read(path, as_version=4).metadata.get(KEY) or {}
    if before.get("outputs") == outputs and "executed" in before:
        run = {"executed": before["executed"], "seconds": before["seconds"]}
    else:
        run = {"executed": time.strftime("%Y-%m-%d"), "seconds": round(seconds, 1)}
    nb.metadata[KEY] = {"tables": tables, "renderer": renderer,
                        "fingerprint": fingerprint(nb, tables, root, renderer), "outputs": outputs, **run}
    nbformat.write(nb, path)
    return path.name, seconds, tables


def _run(path: Path, root: Path):
    """Worker: execute one notebook; a failure comes back as a value, so that the others go on."""
    try:
        return execute(path, root)
    except Failure as failure:
        return failure


def run(paths, root: Path = ROOT, every: bool = False, jobs: int | None = None, out=sys.stdout) -> int:
    """Execute the stale notebooks among ``paths`` (all of them with ``every``); 0 when all succeeded."""
    root = Path(root).resolve()
    todo = []
    for path in paths:
        reason = "--all" if every else stale(path, root)
        print(f"{path.name}: {'execute (' + reason + ')' if reason else 'current, skipped'}", file=out, flush=True)
        if reason:
            todo.append(path)
    timings, failures = {}, []
    if todo:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        # "spawn": a worker forked from a process that already ran a kernel (a test, say) would
        # inherit its ZeroMQ state and hang.
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for result in pool.map(_run, todo, [root] * len(todo)):
                if isinstance(result, Failure):
                    failures.append(result)
                    print(f"{result.notebook}: FAILED", file=out, flush=True)
                    continue
                name, seconds, tables = result
                timings[name] = seconds
                print(f"{name}: executed in {seconds:.1f} s, reads {', '.join(tables)}", file=out, flush=True)
    report = root / "_build" / "execution-times.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(timings, indent=1), encoding="utf-8")
    if failures:
        print(f"\nexecute: {len(failures)} notebook(s) failed; their stored outputs are unchanged:", file=out)
        for failure in failures:
            print(f"  {failure}", file=out)
        out.flush()
        return 1
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapter")
    parser.add_argument("--all", action="store_true", help="re-execute even notebooks that are current")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or chapters()
    return run(paths, ROOT, every=args.all, jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())
