"""The student edition: the same book without the exercises' solutions (``make student``).

Builds into ``_build/student/`` with sphinx-exercise's ``hide_solutions``; everything else (chapters,
stored outputs, figures, the course pack, which then leaves out the solutions too) is as in the book.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from .. import ROOT

OUTPUT = ROOT / "_build" / "student"


def config(root: Path = ROOT) -> dict:
    settings = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    settings.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
    settings["title"] = f"{settings['title']} (student edition)"
    return settings


def main(argv=None) -> int:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / "_config.yml"
    path.write_text(yaml.safe_dump(config(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--config", str(path),
               "--path-output", str(OUTPUT), "-W", "-n", "--keep-going"]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode == 0:
        print(f"student edition: {OUTPUT / '_build' / 'html' / 'index.html'}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
