"""The take-home editions: the student edition hides every solution and nothing else, the course
pack holds what a class needs (and no solutions in the student edition), the citation is current."""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from secorgs import ROOT
from secorgs.build import coursepack, edition, student
from secorgs.build.changes import glued_texts

BOOK = ROOT / "_build" / "html"
STUDENT = student.OUTPUT / "_build" / "html"


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture(scope="module")
def student_edition():
    result = subprocess.run([sys.executable, "-m", "secorgs.build.student"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return STUDENT


def chapter_pages():
    pages = sorted((BOOK / "chapters").glob("*.html"))
    assert pages, "build the book first (make book)"
    return pages


@pytest.mark.browser
def test_student_edition_has_every_exercise_and_no_solution(student_edition):
    solutions_seen = 0
    for page in chapter_pages():
        book = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        pupil = BeautifulSoup((student_edition / "chapters" / page.name).read_text(encoding="utf-8"), "html.parser")
        pupil_text = text_of(pupil.find("article") or pupil)
        for exercise in book.select("div.exercise"):
            assert text_of(exercise) in pupil_text, f"{page.name}: an exercise is missing from the student edition"
        for solution in book.select("div.solution"):
            solutions_seen += 1
            body = solution.select_one(".admonition-body, .solution-content, details > :not(summary)") or solution
            for paragraph in body.find_all(["p", "pre"]):
                words = text_of(paragraph)
                if len(words) > 40:
                    assert words not in pupil_text, f"{page.name}: solution text in the student edition: {words[:80]}"
        assert not pupil.select("div.solution"), f"{page.name}: a solution block in the student edition"
        for heading in book.select("article h2"):
            assert text_of(heading) in pupil_text, f"{page.name}: section {text_of(heading)!r} is missing"
    assert solutions_seen >= len(chapter_pages()), "the book has fewer solutions than chapters: test is vacuous"


def test_course_pack_holds_chapters_data_package_and_howto(tmp_path):
    target = coursepack.write(tmp_path / "pack.zip")
    names = set(zipfile.ZipFile(target).namelist())
    top = coursepack.TOP
    for needed in ["HOWTO.md", "requirements.txt", "requirements-lab.txt", "pyproject.toml", "references.bib",
                   "secorgs/data.py", "secorgs/schema.py", "data/memberships.csv", "chapters/asean.ipynb"]:
        assert f"{top}/{needed}" in names, needed
    assert not any("__pycache__" in n or "/.venv/" in n or "node_modules" in n for n in names)
    assert coursepack.write(tmp_path / "again.zip").read_bytes() == target.read_bytes(), "archive not reproducible"


def test_course_pack_of_the_student_edition_has_no_solutions(tmp_path):
    with_solutions = zipfile.ZipFile(coursepack.write(tmp_path / "teacher.zip"))
    without = zipfile.ZipFile(coursepack.write(tmp_path / "student.zip", solutions=False))
    name = f"{coursepack.TOP}/chapters/asean.ipynb"
    assert "{solution}" in with_solutions.read(name).decode()
    student_nb = json.loads(without.read(name))
    markdown = "".join("".join(c["source"]) for c in student_nb["cells"] if c["cell_type"] == "markdown")
    assert "{solution}" not in markdown and "{exercise}" in markdown


def test_citation_file_and_how_to_cite_agree():
    info = edition.citation()
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert info["edition"] == str(cff["version"]) and info["title"] == cff["title"]
    entry = edition.bibtex(info)
    assert entry.startswith("@book{") and f"edition = {{{info['edition']}}}" in entry
    assert str(info["released"].year) in edition.plain_reference(info)


def test_a_chapter_run_from_the_unpacked_course_pack_gives_the_books_numbers(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    with zipfile.ZipFile(coursepack.write(tmp_path / "pack.zip")) as archive:
        archive.extractall(tmp_path)
    unpacked = tmp_path / coursepack.TOP
    # The kernel imports the unpacked package, as `pip install -e .` in the pack would arrange, and no
    # book renderer is set: a student's plain Jupyter session.
    monkeypatch.setenv("PYTHONPATH", str(unpacked))
    monkeypatch.delenv("SECORGS_RENDERER", raising=False)
    chapter = unpacked / "chapters" / "asean.ipynb"
    nb = nbformat.read(chapter, as_version=4)
    probe = nbformat.v4.new_code_cell("import secorgs; print(secorgs.ROOT)")
    nb.cells.append(probe)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(chapter.parent)}}).execute()
    assert nb.cells[-1].outputs[0]["text"].strip() == str(unpacked), "the kernel used another copy of the package"
    book = glued_texts(json.loads((ROOT / "chapters" / "asean.ipynb").read_text(encoding="utf-8")))
    rerun = glued_texts(json.loads(nbformat.writes(nb)))
    assert len(book) >= 10 and rerun == book


def test_reproducibility_page_lists_every_chapter_with_its_files_and_checksums():
    import hashlib

    from secorgs.build import report

    rows = report.chapter_rows()
    assert [r["chapter"] for r in rows] == sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))
    for row in rows:
        assert row["data"], f"{row['chapter']}: no data files recorded"
        for name, digest in row["data"]:
            assert hashlib.sha256((ROOT / "data" / name).read_bytes()).hexdigest().startswith(digest)
        assert row["executed"] != "not recorded" and row["seconds"].endswith(" s"), row
    pinned = report.pinned_versions()
    assert len(pinned) >= 20 and all(installed == wanted for _, wanted, installed in pinned)
