"""Write every chapter figure to ``figures/`` from the notebooks' stored outputs.

Charts marked with :func:`secorgs.charts.export_as` carry their figure name in the spec; this
finds those specs in the stored outputs (displayed or glued) and writes SVG and PNG with vl-convert.
A figure whose spec (and vl-convert version) is unchanged since it was last written is not written
again. ``python -m secorgs.build.figures`` (``make book`` runs it).
"""
import hashlib
import json
import re
import sys

import nbformat

from .. import FIGURES_DIR, ROOT
from ..charts import FIGURE_KEY, write_figure

# A chart's spec in its stored HTML: queued for the book's chart loader (``"spec":{...},"opt":``, see
# charts.book_renderer), or in the older inline form (``var spec={...};if(!window.vegaEmbed)``).
SPEC = re.compile(r"(?:\"spec\":|var spec=)(\{.*?\})(?:,\"opt\":|;if\(!window\.vegaEmbed\))", re.S)


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


HASHES = FIGURES_DIR / ".hashes.json"


def spec_hash(spec) -> str:
    import vl_convert

    text = json.dumps(spec, sort_keys=True) + vl_convert.__version__
    return hashlib.sha256(text.encode()).hexdigest()


def main() -> int:
    previous = json.loads(HASHES.read_text()) if HASHES.exists() else {}
    current, written, kept = {}, 0, 0
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for name, spec in specs_in(path).items():
            current[name] = spec_hash(spec)
            on_disk = all((FIGURES_DIR / f"{name}.{ext}").exists() for ext in ("svg", "png"))
            if on_disk and previous.get(name) == current[name]:
                kept += 1
                continue
            write_figure(spec, name)
            written += 1
    HASHES.write_text(json.dumps(current, indent=1, sort_keys=True), encoding="utf-8")
    print(f"figures: {written} written, {kept} unchanged, in {FIGURES_DIR.relative_to(ROOT)}/")
    return 0 if current else 1


if __name__ == "__main__":
    sys.exit(main())
