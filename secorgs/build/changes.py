"""What changed in this edition: the data rows and the stated numbers, computed from git.

An edition is a commit tagged ``edition-N``; the current edition's number is the ``version`` of
``CITATION.cff``. The previous edition is the highest ``edition-K`` tag with K below it. Against it,
this module lists

* every row of ``data/`` added, removed or changed (rows matched by their table's key in the schema),
  with the columns that changed, old and new value;
* every glued value of every chapter that changed (old value, new value, chapter, and the sentence
  that states it, as the reader now reads it).

``python -m secorgs.build.changes cut`` starts the next edition: it raises the version in
``CITATION.cff`` and sets its date (commit, then tag the commit ``edition-N``).
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from .. import ROOT
from ..schema import TABLES_BY_NAME

TAG = re.compile(r"^edition-(\d+)$")


def _git(root: Path, *args: str) -> str | None:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def current_edition(root: Path = ROOT) -> int:
    from .edition import citation

    return int(citation(root)["edition"])


def previous_edition(root: Path = ROOT) -> str | None:
    """The tag of the latest edition before the current one, or None (first edition, or no git)."""
    tags = (_git(root, "tag", "--list", "edition-*") or "").split()
    earlier = sorted((int(m.group(1)), tag) for tag in tags if (m := TAG.match(tag)))
    earlier = [tag for number, tag in earlier if number < current_edition(root)]
    return earlier[-1] if earlier else None


def _rows(text: str | None) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text))) if text else []


def data_changes(root: Path, tag: str) -> list[dict]:
    """Rows added, removed or changed in every declared data file since ``tag``."""
    changes = []
    for name, table in TABLES_BY_NAME.items():
        path = f"data/{table.file}"
        old = _rows(_git(root, "show", f"{tag}:{path}"))
        new = _rows((root / path).read_text(encoding="utf-8") if (root / path).exists() else None)

        def keyed(rows):
            return {tuple(row.get(k, "") for k in table.key): row for row in rows}

        before, after = keyed(old), keyed(new)
        for key in sorted(set(before) | set(after)):
            label = ", ".join(key)
            if key not in before:
                changes.append({"file": table.file, "row": label, "change": "added", "details": ""})
            elif key not in after:
                changes.append({"file": table.file, "row": label, "change": "removed", "details": ""})
            else:
                diffs = [f"{col}: {before[key].get(col, '')!r} → {after[key].get(col, '')!r}"
                         for col in after[key] if before[key].get(col, "") != after[key].get(col, "")]
                if diffs:
                    changes.append({"file": table.file, "row": label, "change": "changed", "details": "; ".join(diffs)})
    return changes


def glued_texts(nb: dict) -> dict[str, str]:
    """Every glued text value of a notebook (name -> text); glued charts are left out."""
    found = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record and not any(k.endswith("text/html") for k in output["data"]):
                found[record["name"]] = "".join(output["data"][record["mime_prefix"] + "text/plain"])
    return found


GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
OTHER_ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^`]*>)?`")


def sentence(nb: dict, name: str, values: dict[str, str]) -> str:
    """The sentence of the chapter's prose that states glued value ``name``, as the reader reads it."""
    for cell in nb.get("cells", []):
        if cell["cell_type"] != "markdown":
            continue
        text = " ".join(("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]).split())
        for part in re.split(r"(?<=[.!?])\s+(?=[A-Z{])", text):
            if re.search(r"\{glue(?::\w+)?\}`" + re.escape(name) + "`", part):
                part = GLUE_ROLE.sub(lambda m: values.get(m.group(1).split("::")[-1], "…"), part)
                part = re.sub(r"\{cite:?\w*\}`[^`]*`", "", part)
                return " ".join(OTHER_ROLE.sub(lambda m: m.group(1), part).split()).replace(" .", ".")
    return ""


def glue_changes(root: Path, tag: str) -> list[dict]:
    """Glued values whose text differs between ``tag`` and now, chapter by chapter."""
    changes = []
    for path in sorted((root / "chapters").glob("*.ipynb")):
        now = json.loads(path.read_text(encoding="utf-8"))
        then_text = _git(root, "show", f"{tag}:chapters/{path.name}")
        then = glued_texts(json.loads(then_text)) if then_text else {}
        values = glued_texts(now)
        for name, new in values.items():
            old = then.get(name)
            if old is not None and old != new:
                changes.append({"chapter": path.stem, "name": name, "old": old, "new": new,
                                "sentence": sentence(now, name, values)})
    return changes


def cut(root: Path = ROOT, today: date | None = None) -> int:
    """Raise the edition number in CITATION.cff and date it; return the new number."""
    path = root / "CITATION.cff"
    text = path.read_text(encoding="utf-8")
    number = current_edition(root) + 1
    text = re.sub(r'^version: .*$', f'version: "{number}"', text, flags=re.M)
    text = re.sub(r'^date-released: .*$', f'date-released: "{(today or date.today()).isoformat()}"', text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return number


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["cut"]:
        number = cut()
        print(f"edition {number}: CITATION.cff updated; commit it, then `git tag edition-{number}`")
        return 0
    tag = previous_edition()
    if tag is None:
        print("first edition: nothing to compare with")
        return 0
    for row in data_changes(ROOT, tag):
        print(f"{row['file']}: {row['change']} ({row['row']}) {row['details']}")
    for row in glue_changes(ROOT, tag):
        print(f"{row['chapter']}: {row['name']}: {row['old']} -> {row['new']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
