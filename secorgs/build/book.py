"""Build the book: ``python -m secorgs.build.book`` (``make book`` runs it).

The steps, each skipped when its inputs are unchanged since it last succeeded:

1. ``check``: validate the data (``secorgs.build.check``) when a file in ``data/``, the bibliography or
   the schema changed (every file in ``data/`` counts, whatever its name: the checker reports the ones
   no schema declares);
2. ``vendor``: gather the offline JavaScript (``secorgs.build.vendor``) when the npm lock file changed;
3. ``execute``: re-execute the stale notebooks (``secorgs.build.execute``); a failure ends the build
   with the failed notebooks, cells and errors as its last lines;
4. ``figures``: write the exported charts (``secorgs.build.figures``);
5. ``html``: run Jupyter Book (``-W -n --keep-going``: a warning fails the build) in a staging
   directory, ``_build/stage``, and publish its HTML to ``_build/html`` only when the build succeeded.

Builds that cannot lie:

* ``_build/html`` is only ever replaced, in one atomic rename, by the complete output of a
  successful build; a build that fails or is killed leaves the previous book there.
* A build that fails (or is killed) leaves a mark in the staging directory; the next build throws
  that directory away, Sphinx environment included, and starts from what a clean build sees, so
  the same warning fails every run, not only the first. A successful build keeps the staging
  directory, so the next one is incremental.
* A stamp over every input of the whole build (``_build/.stamps/book``) is written after a
  successful build; the next build with nothing changed stops after comparing it.
"""
from __future__ import annotations

import argparse
import ctypes
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from .. import ROOT

#: Folders that are never inputs of the book.
NOT_INPUTS = {".git", ".venv", "node_modules", "_build", "__pycache__", ".pytest_cache", ".ipynb_checkpoints",
              "tests", "benchmarks", "figures", "scripts", ".ci", ".github"}
SPHINX_ARGS = ["-W", "-n", "--keep-going"]
STEPS = ("check", "vendor", "execute", "figures", "html")


class Paths:
    """Where a project at ``root`` keeps its build state."""

    def __init__(self, root: Path = ROOT):
        self.root = Path(root).resolve()
        self.build = self.root / "_build"
        self.html = self.build / "html"
        self.stamps = self.build / ".stamps"
        self.stage = self.build / "stage"                  # jupyter-book --path-output
        self.stage_html = self.stage / "_build" / "html"   # where Sphinx writes
        self.unfinished = self.stage / ".unfinished"       # present while a build runs or after it failed
        self.vendor = self.build / "vendor"

    def stamp(self, name: str) -> str | None:
        path = self.stamps / name
        return path.read_text(encoding="utf-8") if path.exists() else None

    def set_stamp(self, name: str, value: str) -> None:
        self.stamps.mkdir(parents=True, exist_ok=True)
        tmp = self.stamps / f".{name}.tmp"
        tmp.write_text(value, encoding="utf-8")
        os.replace(tmp, self.stamps / name)


# ---------------------------------------------------------------------------------------------- stamps

def _files(root: Path, folder: Path):
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in NOT_INPUTS and not d.endswith(".egg-info"))
        for name in sorted(filenames):
            yield Path(dirpath, name)


def digest_paths(root: Path, paths, extra: str = "") -> str:
    """Hash of the names (relative to ``root``) and contents of ``paths``, plus ``extra``."""
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def _versions(*dists: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for dist in dists:
        try:
            found.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            found.append(f"{dist}=none")
    return ",".join(found)


def source_inputs(root: Path) -> str:
    """The project's source files (not tests, benchmarks or build output), the Python that runs
    them and the renderer: what the build reads."""
    env = json.dumps({"python": sys.version, "args": SPHINX_ARGS, "renderer": os.environ.get("SECORGS_RENDERER")})
    return digest_paths(root, _files(root, root), env)


def output_state(root: Path) -> str:
    """What the build's outputs on disk are: the published book, the vendored files, the figures."""
    paths = Paths(root)
    published = paths.html / ".secorgs-build"
    return json.dumps({
        "published": published.read_text(encoding="utf-8") if published.exists() else None,
        "vendor": (paths.vendor / ".stamp").read_text() if (paths.vendor / ".stamp").exists() else None,
        "figures": sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                          for p in (root / "figures").glob("*") if p.is_file()),
        "stage_ok": paths.stage_html.is_dir() and not paths.unfinished.exists(),
    }, sort_keys=True)


def book_inputs(root: Path, sources: str | None = None) -> str:
    """Every input of the whole build and the state of its outputs, in one hash."""
    sources = sources or source_inputs(root)
    return hashlib.sha256((sources + output_state(root)).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------- steps

def _python(root: Path, *args: str) -> int:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, *args], cwd=root, env=env).returncode


def step_check(paths: Paths) -> int:
    root = paths.root
    inputs = [*_files(root, root / "data"), root / "references.bib", root / "pyproject.toml",
              root / "secorgs" / "__init__.py", root / "secorgs" / "schema.py", root / "secorgs" / "claims.py",
              root / "secorgs" / "build" / "check.py"]
    stamp = digest_paths(root, inputs)
    if paths.stamp("check") == stamp:
        print("check: data unchanged since it was last found valid")
        return 0
    code = _python(root, "-m", "secorgs.build.check")
    if code == 0:
        paths.set_stamp("check", stamp)
    return code


def step_vendor(paths: Paths) -> int:
    root = paths.root
    stamp = digest_paths(root, [root / "package-lock.json", root / "secorgs" / "build" / "vendor.py"],
                         _versions("vl-convert-python"))
    if paths.stamp("vendor") == stamp and (paths.vendor / ".stamp").exists():
        print("vendor: current")
        return 0
    code = _python(root, "-m", "secorgs.build.vendor")
    if code == 0:
        paths.set_stamp("vendor", stamp)
    return code


def step_execute(paths: Paths, every: bool = False) -> int:
    from . import execute

    return execute.run(execute.chapters(paths.root), paths.root, every=every)


def step_figures(paths: Paths) -> int:
    from . import figures

    return figures.main(paths.root)


def sphinx_command(paths: Paths) -> list[str]:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return [str(jupyter_book), "build", str(paths.root), "--path-output", str(paths.stage), *SPHINX_ARGS]


def step_html(paths: Paths) -> int:
    """Sphinx in the staging directory; publish to ``_build/html`` only after it succeeded."""
    if paths.unfinished.exists():
        print("html: the last build failed or was interrupted: starting from a clean Sphinx environment")
        shutil.rmtree(paths.stage)
    paths.stage.mkdir(parents=True, exist_ok=True)
    paths.unfinished.write_text(f"started {time.strftime('%Y-%m-%dT%H:%M:%S')} by process {os.getpid()}\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(paths.root),
                                                        *filter(None, [os.environ.get("PYTHONPATH")])])}
    code = subprocess.run(sphinx_command(paths), cwd=paths.root, env=env).returncode
    if code != 0:
        # Throw the environment away now: the next build must see what a clean build sees.
        shutil.rmtree(paths.stage, ignore_errors=True)
        kept = (f"{paths.html.relative_to(paths.root)} still holds the last successful build"
                if paths.html.exists() else "nothing was published")
        print(f"\nhtml: Jupyter Book failed (exit {code}; a warning counts as a failure); {kept}; the next "
              "build starts from a clean Sphinx environment", file=sys.stderr)
        return code or 1
    # Every page and the whole book printed to PDF, beside the pages, before anything is published.
    code = _python(paths.root, "-m", "secorgs.build.pdf", str(paths.stage_html), str(paths.root))
    if code != 0:
        print("\nhtml: printing the PDFs failed; nothing was published", file=sys.stderr)
        return code
    publish(paths)
    paths.unfinished.unlink()
    return 0


# ---------------------------------------------------------------------------------------------- publish

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def recover(paths: Paths) -> None:
    """Finish or undo a publish that was interrupted between its two renames (non-Linux fallback)."""
    old = paths.build / ".html-old"
    if not paths.html.exists() and old.exists():
        old.rename(paths.html)
    for leftover in (paths.build / ".html-new", old):
        if leftover.exists():
            shutil.rmtree(leftover)


def publish(paths: Paths) -> None:
    """Make ``_build/html`` the staging HTML, in one rename.

    The new tree is assembled next to the old one: a file the last published build already holds
    (same size and modification time) is hard-linked from it, any other file is copied from the
    staging directory. Published files are never written in place, so the links are safe, and
    staging files are never linked, so Sphinx's next incremental build cannot touch the book.
    """
    recover(paths)
    new, old = paths.build / ".html-new", paths.build / ".html-old"
    copied = linked = 0
    for dirpath, dirnames, filenames in os.walk(paths.stage_html):
        relative = Path(dirpath).relative_to(paths.stage_html)
        (new / relative).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            source, target, previous = Path(dirpath, name), new / relative / name, paths.html / relative / name
            stat = source.stat()
            try:
                before = previous.stat()
                if (before.st_size, before.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                    os.link(previous, target)
                    linked += 1
                    continue
            except OSError:
                pass
            shutil.copy2(source, target)
            copied += 1
    (new / ".secorgs-build").write_text(uuid.uuid4().hex, encoding="utf-8")
    if paths.html.is_dir() and _exchange(new, paths.html):
        shutil.rmtree(new)  # now the previous book
    else:
        if paths.html.exists():
            paths.html.rename(old)
        new.rename(paths.html)
        shutil.rmtree(old, ignore_errors=True)
    print(f"html: published to {paths.html.relative_to(paths.root)} ({copied} files written, {linked} unchanged)")


# ---------------------------------------------------------------------------------------------- main

#: What earlier versions of the build left in _build/ (Sphinx wrote straight into _build/html then).
LEGACY = (".doctrees", "jupyter_execute", ".data-valid")


def build(root: Path = ROOT, steps=STEPS, every: bool = False) -> int:
    """Run ``steps`` for the project at ``root``, one build at a time; 0 when all succeeded."""
    import fcntl

    paths = Paths(root)
    paths.build.mkdir(exist_ok=True)
    with open(paths.build / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("book: another build of this project is running; waiting for it", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        return _build(paths, steps, every)


def _build(paths: Paths, steps, every: bool) -> int:
    recover(paths)
    for name in LEGACY:
        legacy = paths.build / name
        if legacy.is_dir():
            shutil.rmtree(legacy)
        elif legacy.exists():
            legacy.unlink()
    full = tuple(steps) == STEPS and not every
    if full and paths.stamp("book") == book_inputs(paths.root) and paths.html.joinpath("index.html").exists():
        print("book: nothing changed since the last successful build; _build/html is current")
        return 0
    after_execute = None
    actions = {"check": step_check, "vendor": step_vendor, "execute": lambda p: step_execute(p, every),
               "figures": step_figures, "html": step_html}
    for step in steps:
        started = time.perf_counter()
        code = actions[step](paths)
        if code != 0:
            print(f"book: step {step!r} failed (exit {code})", file=sys.stderr)
            return code
        print(f"book: {step} done in {time.perf_counter() - started:.1f} s", flush=True)
        if step == "execute":
            after_execute = source_inputs(paths.root)
    if full:
        # The sources as the later steps saw them; a file edited while they ran leaves no stamp.
        sources = source_inputs(paths.root)
        if sources == after_execute:
            paths.set_stamp("book", book_inputs(paths.root, sources))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("steps", nargs="*", metavar="step",
                        help=f"run only these steps (default: all, in order: {', '.join(STEPS)})")
    parser.add_argument("--all", action="store_true", help="re-execute every notebook")
    args = parser.parse_args(argv)
    unknown = [s for s in args.steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown step(s) {', '.join(unknown)}; the steps are {', '.join(STEPS)}")
    sys.stdout.reconfigure(line_buffering=True)
    return build(ROOT, [s for s in STEPS if s in args.steps] or STEPS, every=args.all)


if __name__ == "__main__":
    sys.exit(main())
