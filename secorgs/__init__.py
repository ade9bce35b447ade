"""Shared code of the book *Security Organisations of East Asia*.

Chapters import from here, never read ``data/`` themselves:

* :mod:`secorgs.schema` declares each CSV file and validates it (``python -m secorgs.build.check``);
* :mod:`secorgs.data` loads validated tables and answers membership and share questions;
* :mod:`secorgs.charts` holds the chart theme, the chart builders and figure export;
* :mod:`secorgs.gluing` glues computed values into the prose.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
FIGURES_DIR = ROOT / "figures"
