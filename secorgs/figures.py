"""Write every chapter figure to ``figures/`` from the notebooks' stored outputs.

Charts marked with :func:`secorgs.charts.export_as` carry their figure name in the spec; this
finds those specs in the stored outputs (displayed or glued) and writes SVG and PNG with vl-convert.
``python -m secorgs.figures`` (``make book`` runs it).
"""
import json
import re
import sys

import nbformat

from . import FIGURES_DIR, ROOT
from .charts import FIGURE_KEY, write_figure

SPEC = re.compile(r"var spec=(\{.*?\});if\(!window\.vegaEmbed\)", re.S)


def specs_in(path):
    """(name, spec) for every exported chart stored in the notebook at ``path``."""
    nb = nbformat.read(path, as_version=4)
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for key, value in output.get("data", {}).items():
                if key.endswith("text/html"):
                    for match in SPEC.finditer(value if isinstance(value, str) else "".join(value)):
                        spec = json.loads(match.group(1))
                        name = spec.get("usermeta", {}).get(FIGURE_KEY)
                        if name:
                            found[name] = spec
    return found


def main() -> int:
    written = 0
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for name, spec in specs_in(path).items():
            write_figure(spec, name)
            written += 1
    print(f"figures: wrote {written} figures (SVG and PNG) to {FIGURES_DIR.relative_to(ROOT)}/")
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
