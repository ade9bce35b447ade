"""Shared code of the book *Security Organisations of East Asia*.

Chapters import from here, never read ``data/`` themselves:

* :mod:`secorgs.schema` declares each CSV file and validates it (``python -m secorgs.build.check``);
* :mod:`secorgs.data` loads validated tables and answers membership and share questions;
* :mod:`secorgs.charts` holds the chart theme, the chart builders and figure export;
* :mod:`secorgs.gluing` glues computed values into the prose.
"""
import tomllib
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
FIGURES_DIR = ROOT / "figures"


def _data_date(pyproject: Path = ROOT / "pyproject.toml") -> date:
    try:
        value = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["secorgs"]["data_date"]
        return value if isinstance(value, date) else date.fromisoformat(value)
    except (OSError, KeyError, ValueError, TypeError, tomllib.TOMLDecodeError) as err:
        raise RuntimeError(f"{pyproject} must set [tool.secorgs] data_date = \"YYYY-MM-DD\" ({err!r})") from None


#: The day the book's data describe, set once in pyproject.toml (``[tool.secorgs] data_date``):
#: ``make check-data`` refuses any date after it.
DATA_DATE: date = _data_date()


def book_citation(root: Path = ROOT) -> dict:
    """The fields of ``CITATION.cff`` (the one place for the book's title and edition) the book shows,
    with the release date as a ``date``."""
    import yaml

    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    released = cff["date-released"]
    released = released if isinstance(released, date) else date.fromisoformat(str(released))
    authors = [a.get("name") or f"{a['given-names']} {a['family-names']}" for a in cff["authors"]]
    return {"title": cff["title"], "edition": str(cff["version"]), "released": released, "authors": authors,
            "license": cff.get("license", "")}
