"""The build driver (secorgs.build.book): builds that cannot lie.

Sphinx runs on a two-page book in a temporary folder, through the same driver step as `make book`
(``html``: Jupyter Book with -W -n --keep-going in a staging directory, published on success), so
that each test costs a few small Sphinx runs rather than the whole book.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from secorgs import ROOT
from secorgs.build import book, execute

CONFIG = """\
title: "Two pages"
only_build_toc_files: true
exclude_patterns: ["_build/*"]
execute:
  execute_notebooks: "off"
sphinx:
  local_extensions:
    slow: ./
"""
TOC = """\
format: jb-book
root: a_page
chapters:
  - file: b_page
"""
# Writing b_page waits for the test to kill the build when the file `hold` exists; a_page is
# written before it, so a build killed there has already overwritten part of its output.
SLOW = """\
import pathlib, time

def hold(app, pagename, *args):
    root = pathlib.Path(app.srcdir)
    if pagename == "b_page" and (root / "hold").exists():
        (root / "holding").touch()
        time.sleep(120)

def setup(app):
    app.connect("html-page-context", hold)
    return {"parallel_read_safe": True}
"""


def mini_book(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "mini"
    root.mkdir()
    (root / "_config.yml").write_text(CONFIG)
    (root / "_toc.yml").write_text(TOC)
    (root / "slow.py").write_text(SLOW)
    (root / "b_page.md").write_text("(b-label)=\n# Page B\n\nSee {ref}`a-label`.\n")
    write_a(root, text)
    return root


def write_a(root: Path, text: str) -> None:
    (root / "a_page.md").write_text(f"(a-label)=\n# Page A\n\n{text}\n")


def published(root: Path) -> str:
    return (root / "_build" / "html" / "a_page.html").read_text(encoding="utf-8")


def test_a_warning_fails_every_build_not_only_the_first(tmp_path, capfd):
    root = mini_book(tmp_path, "First version. See {ref}`b-label`.")
    assert book.build(root, ["html"]) == 0
    assert "First version" in published(root)

    write_a(root, "Second version. See {ref}`no-such-label`.")
    assert book.build(root, ["html"]) != 0
    assert book.build(root, ["html"]) != 0, "the second build after a failure must fail too"
    assert "First version" in published(root), "a failed build must leave the previous book in place"

    write_a(root, "Third version. See {ref}`b-label`.")
    assert book.build(root, ["html"]) == 0
    assert "Third version" in published(root)
    capfd.readouterr()


def test_a_killed_build_leaves_the_previous_book_intact(tmp_path):
    root = mini_book(tmp_path, "First version.")
    assert book.build(root, ["html"]) == 0
    before = {p.relative_to(root / "_build" / "html"): p.read_bytes()
              for p in (root / "_build" / "html").rglob("*") if p.is_file()}

    write_a(root, "Second version.")
    (root / "b_page.md").write_text("(b-label)=\n# Page B, second version\n")  # both pages to write
    (root / "hold").touch()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    driver = subprocess.Popen([sys.executable, "-c", "import sys; from secorgs.build import book; "
                               "sys.exit(book.build(sys.argv[1], ['html']))", str(root)],
                              env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while not (root / "holding").exists():
        assert driver.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline, "the build never reached its second page"
        time.sleep(0.2)
    # Sphinx has written a_page.html (second version) into its output and is writing b_page.
    assert "Second version" in (book.Paths(root).stage_html / "a_page.html").read_text(encoding="utf-8")
    os.killpg(driver.pid, signal.SIGKILL)
    driver.wait()

    after = {p.relative_to(root / "_build" / "html"): p.read_bytes()
             for p in (root / "_build" / "html").rglob("*") if p.is_file()}
    assert after == before, "a killed build must not touch the published book"

    (root / "hold").unlink()
    assert book.build(root, ["html"]) == 0
    assert "Second version" in published(root)


def test_publishing_replaces_the_book_in_one_piece(tmp_path):
    """Unchanged files are shared with the previous book, never with the staging directory."""
    root = mini_book(tmp_path, "First version.")
    assert book.build(root, ["html"]) == 0
    write_a(root, "Second version.")
    assert book.build(root, ["html"]) == 0
    paths = book.Paths(root)
    for page in paths.html.rglob("*.html"):
        staged = paths.stage_html / page.relative_to(paths.html)
        assert staged.read_bytes() == page.read_bytes()
        assert not os.path.samefile(staged, page), f"{page.name} is linked to the staging copy Sphinx rewrites"
    assert not (paths.build / ".html-new").exists() and not (paths.build / ".html-old").exists()


def test_the_book_stamp_covers_every_input_of_the_build(tmp_path):
    copy = execute.copy_project(tmp_path / "book")
    first = book.book_inputs(copy)
    assert book.book_inputs(copy) == first
    (copy / "tests" / "test_new.py").write_text("# not an input of the book\n")
    assert book.book_inputs(copy) == first
    for name in ("_config.yml", "_toc.yml", "references.bib", "intro.md", "chapters/arf.ipynb",
                 "data/exercises.csv", "secorgs/build/static/a11y-fixes.js", "secorgs/charts.py"):
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert book.book_inputs(copy) != first, f"{name} is not covered by the stamp"
        path.write_bytes(original)
    assert book.book_inputs(copy) == first


def test_a_data_file_name_with_a_space_reaches_the_checker(tmp_path):
    """A browser re-download (`memberships (1).csv`) must not break make's rules."""
    copy = execute.copy_project(tmp_path / "book")
    assert book.build(copy, ["check"]) == 0  # the data as committed: valid, and stamped
    (copy / "data" / "memberships (1).csv").write_bytes((copy / "data" / "memberships.csv").read_bytes())
    result = subprocess.run(["make", "-n", "-C", str(copy), f"VENV={Path(sys.executable).parent.parent}", "book"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "No rule" not in result.stderr, result.stderr
    assert "secorgs.build.book" in result.stdout
    # and the driver's check step, whose stamp covers every file in data/, runs the checker again
    before = book.Paths(copy).stamp("check")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    run = subprocess.run([sys.executable, "-m", "secorgs.build.book", "check"], cwd=copy, env=env,
                         capture_output=True, text=True)
    assert "check-data" in run.stdout + run.stderr and "data unchanged" not in run.stdout
    assert book.Paths(copy).stamp("check") != before or run.returncode != 0
