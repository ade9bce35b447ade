"""Static checks of the chapter notebooks: computed prose, stored outputs, thin notebooks."""
import json
import re
from pathlib import Path

import pytest

from prose_numbers import hand_typed_numbers, scan_notebook

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_chapters():
    assert len(CHAPTERS) >= 2


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_hand_typed_numbers_in_prose(path):
    assert scan_notebook(path) == []


def stored_output_problems(nb) -> list[str]:
    """Why nbval could pass this notebook vacuously (or on a broken run); empty when it cannot."""
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in cells]
    problems = []
    if not cells:
        problems.append("no code cells")
    if None in counts:
        problems.append("a code cell has no stored execution: run `make outputs`")
    elif counts != list(range(1, len(cells) + 1)):
        problems.append("cells were not run once, top to bottom: run `make outputs`")
    if sum(len(c["outputs"]) for c in cells) < len(cells) // 2:
        problems.append("most code cells have no stored output")
    if any(o["output_type"] == "error" for c in cells for o in c["outputs"]):
        problems.append("a stored output is an error")
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_code_cell_was_run_in_order_with_outputs_stored(path):
    assert stored_output_problems(load(path)) == []


def test_a_notebook_saved_without_outputs_is_refused():
    nb = load(CHAPTERS[0])
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    assert "a code cell has no stored execution: run `make outputs`" in stored_output_problems(nb)
    assert "most code cells have no stored output" in stored_output_problems(nb)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapters_read_data_only_through_the_package(path):
    code = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "code")
    assert not re.search(r"read_csv|open\(|data/[\w-]+\.csv|https?://", code)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_glued_values_are_computed_not_literals(path):
    code = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "code")
    literal = re.findall(r"glue\(\s*\"[\w-]+\"\s*,\s*(-?\d[\d_.]*|\"[^\"]*\d[^\"]*\")\s*[,)]", code)
    assert literal == []


@pytest.mark.parametrize("text, found", [
    ("ASEAN was founded in 1967.", ["1967"]),
    ("It has 10 members and a 42% share.", ["10", "42"]),
    ("Founded on {glue}`asean_founded` {cite:p}`asean_declaration_1967`.", []),
    ("ASEAN+3 and the G20 meet; see `data/x2.csv` and [page](chapter2.md).", []),
    ("```python\nx = 1967\n```\nno digits here", []),
    ("````{solution} ex-1\n:class: dropdown\n\n```python\nyear = 2001\n```\nIt was 2001.\n````", ["2001"]),
    ("Inline maths $x_1 + 2$ is allowed.", []),
    ("Inline maths $n = 10$ hides a number.", ["10"]),
    ("ASEAN had eleven members; two of them joined late.", ["eleven members", "two of"]),
    ("Eleven joined.", ["Eleven joined"]),
    ("A two-track approach; ASEAN Plus Three; the Shanghai Five; the three evils.", []),
    ("China's \"Three Evils\" and the\nthree evils again.", []),
    ("The Five-Point\nConsensus; Track-two networks.", []),
    ("The count is `1967` in a code span, but `data/x2.csv` is a name.", ["1967"]),
    ("Glued by substitution: {{ 1967 }}.", ["1967"]),
    ("```\nIt has 10 members.\n```", ["10"]),
    ("```python\nx = 10\n```", []),
    (":::{note}\nThe six founders.\n:::", ["six founders"]),
    ("```{glue:figure} chart\n:name: fig-x\nThe 27 participants.\n```", ["27"]),
    ("| a | b |\n|---|---|\n| 12 | x |", ["12"]),
    ("<!-- 1967 in a comment -->", []),
])
def test_prose_scanner(text, found):
    assert hand_typed_numbers(text) == found
