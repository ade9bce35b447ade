"""Execution cache: stored outputs are never older than the data, and only what changed re-runs."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from secorgs import ROOT
from secorgs.build import execute

NOTEBOOKS = execute.chapters()


def project_copy(tmp_path) -> Path:
    return execute.copy_project(tmp_path / "book")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_current(path):
    assert execute.stale(path) is None, "run `make book` (or `make outputs`) and commit the notebooks"


def test_editing_one_csv_makes_exactly_its_readers_stale(tmp_path):
    copy = project_copy(tmp_path)
    exercises = copy / "data" / "exercises.csv"
    exercises.write_text(exercises.read_text(encoding="utf-8").replace("Peace Mission 2021", "Peace Mission 2021 "),
                         encoding="utf-8")
    stale = {p.name for p in execute.chapters(copy) if execute.stale(p, copy)}
    # Only the security chapter reads the exercises; the data appendix describes every file.
    assert stale == {"security.ipynb", "data_appendix.ipynb"}


def test_editing_the_package_makes_every_chapter_stale(tmp_path):
    copy = project_copy(tmp_path)
    with open(copy / "secorgs" / "data.py", "a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert all(execute.stale(p, copy) for p in execute.chapters(copy))


def test_editing_prose_does_not_make_a_notebook_stale(tmp_path):
    copy = project_copy(tmp_path)
    path = copy / "chapters" / "asean.ipynb"
    path.write_text(path.read_text(encoding="utf-8").replace("ASEAN grew out of", "ASEAN grew from"), encoding="utf-8")
    assert execute.stale(path, copy) is None


def test_rerunning_an_unchanged_notebook_rewrites_the_same_bytes(tmp_path, monkeypatch):
    """A student who reruns the book without changing anything sees no notebook to commit."""
    monkeypatch.setenv("SECORGS_RENDERER", "book")
    copy = project_copy(tmp_path)
    path = copy / "chapters" / "security.ipynb"
    execute.execute(path, copy)
    first = path.read_bytes()
    execute.execute(path, copy)
    assert path.read_bytes() == first
    assert b'"iopub.execute_input"' not in first


def test_a_changed_membership_date_changes_the_built_page(tmp_path):
    """The stale-number test: change a date in data/, rebuild, and the glued text follows."""
    copy = project_copy(tmp_path)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    for name in ("memberships.csv", "events.csv"):
        path = copy / "data" / name
        path.write_text(path.read_text(encoding="utf-8").replace("2025-10-26", "2025-11-30"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy), "SECORGS_RENDERER": "book"}
    run = lambda *cmd: subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True)  # noqa: E731
    for step in ([sys.executable, "-m", "secorgs.build.vendor"], [sys.executable, "-m", "secorgs.build.execute"],
                 [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]):
        result = run(*step)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = (copy / "_build" / "html" / "chapters" / "asean.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "admitted on 30 November 2025" in text
    assert "admitted on 26 October 2025" not in text
