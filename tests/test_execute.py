"""Execution cache: stored outputs are never older than the data, and only what changed re-runs."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
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
    # The security and SCO chapters read the exercises; the data appendix describes every file; the audit
    # checks claims about the exercises.
    assert stale == {"security.ipynb", "sco_history.ipynb", "data_appendix.ipynb", "audit.ipynb"}


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
    result = subprocess.run([sys.executable, "-m", "secorgs.build.book"], cwd=copy, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = (copy / "_build" / "html" / "chapters" / "asean.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "admitted on 30 November 2025" in text
    assert "admitted on 26 October 2025" not in text


def stored_text(path: Path) -> str:
    """Every stored output of the notebook at ``path``, as one string."""
    nb = nbformat.read(path, as_version=4)
    return json.dumps([cell.get("outputs", []) for cell in nb.cells], ensure_ascii=False)


def test_a_fresh_copy_in_another_folder_finds_the_committed_outputs_current(tmp_path):
    """Fingerprints hold no absolute path: a clone elsewhere does not re-execute anything."""
    copy = project_copy(tmp_path)
    assert {p.name: execute.stale(p, copy) for p in execute.chapters(copy)} == \
        {p.name: execute.stale(p) for p in NOTEBOOKS}


def test_the_renderer_is_part_of_the_fingerprint():
    nb = nbformat.read(ROOT / "chapters" / "security.ipynb", as_version=4)
    tables = nb.metadata[execute.KEY]["tables"]
    assert execute.fingerprint(nb, tables, ROOT, "book") != execute.fingerprint(nb, tables, ROOT, "default")


def test_a_notebook_saved_without_the_renderer_is_re_executed(tmp_path):
    """Re-run and saved from JupyterLab without SECORGS_RENDERER=book: its charts load Vega from a CDN.

    JupyterLab keeps the notebook's metadata, code cells unchanged: only the outputs give it away.
    """
    copy = project_copy(tmp_path)
    path = copy / "chapters" / "security.ipynb"
    recorded = nbformat.read(path, as_version=4).metadata[execute.KEY]
    execute.execute(path, copy, renderer="default")  # what a kernel without the book's renderer stores
    nb = nbformat.read(path, as_version=4)
    nb.metadata[execute.KEY] = recorded
    nbformat.write(nb, path)
    assert "cdn.jsdelivr.net" in stored_text(path)
    assert execute.stale(path, copy), "outputs not written by the executor must count as stale"

    assert execute.run([path], copy) == 0
    assert "cdn.jsdelivr.net" not in stored_text(path)
    assert execute.stale(path, copy) is None


def test_a_copied_project_executes_against_its_own_data(tmp_path):
    """The kernel imports the copy's package and reads the copy's CSV files, not the original's."""
    copy = project_copy(tmp_path)
    for name in ("memberships.csv", "events.csv"):
        path = copy / "data" / name
        path.write_text(path.read_text(encoding="utf-8").replace("2025-10-26", "2025-11-30"), encoding="utf-8")
    path = copy / "chapters" / "asean.ipynb"
    assert "26 October 2025" in stored_text(path)
    execute.execute(path, copy)
    assert "30 November 2025" in stored_text(path)
    assert "26 October 2025" not in stored_text(path)
    assert "30 November 2025" not in stored_text(ROOT / "chapters" / "asean.ipynb")


def test_a_failing_notebook_is_named_in_the_last_lines(tmp_path):
    copy = project_copy(tmp_path)
    path = copy / "chapters" / "security.ipynb"
    nb = nbformat.read(path, as_version=4)
    index = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code") + 1
    nb.cells.insert(index, nbformat.v4.new_code_cell('# a broken cell\nexercises = data.table("no_such_table")'))
    nbformat.write(nb, path)
    before = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(copy)}
    result = subprocess.run([sys.executable, "-m", "secorgs.build.execute", "chapters/security.ipynb",
                             "chapters/arf.ipynb"], cwd=copy, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    last = "\n".join(result.stdout.strip().splitlines()[-2:])
    assert "security.ipynb" in last and f"cell {index}" in last, result.stdout[-2000:]
    assert "exercises = data.table(\"no_such_table\")" in last or "# a broken cell" in last
    assert "Error" in last and "no_such_table" in last
    assert "arf.ipynb" not in last  # the notebook that worked is not named as failed
    assert path.read_bytes() == before, "a failed notebook keeps its stored outputs"
