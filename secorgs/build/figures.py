"""Write every chapter figure to ``figures/`` from the notebooks' stored outputs.

Charts marked with :func:`secorgs.charts.export_as` carry their figure name in the spec; this
finds those specs in the stored outputs (displayed or glued) and writes SVG and PNG with vl-convert.
A figure whose spec (and vl-convert version) is unchanged since it was last written is not written
again, and when no notebook changed since the last run nothing is even read (the chart library is
imported only when a figure has to be written). ``python -m secorgs.build.figures`` (``make book``
runs it through ``secorgs.build.book``).
"""
import hashlib
import json
import re
import sys
from pathlib import Path

from .. import ROOT

FIGURE_KEY = "secorgs_figure"  # the same key as secorgs.charts.FIGURE_KEY (checked in main)

# A chart's spec in its stored HTML: queued for the book's chart loader (``"spec":{...},"opt":``, see
# charts.book_renderer), or in the older inline form (``var spec={...};if(!window.vegaEmbed)``).
SPEC = re.compile(r"(?:\"spec\":|var spec=)(\{.*?\})(?:,\"opt\":|;if\(!window\.vegaEmbed\))", re.S)


def specs_in(path):
    """(name, spec) for every exported chart stored in the notebook at ``path``."""
    import nbformat

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


def vl_convert_version() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


def spec_hash(spec) -> str:
    text = json.dumps(spec, sort_keys=True) + vl_convert_version()
    return hashlib.sha256(text.encode()).hexdigest()


def main(root: Path = ROOT) -> int:
    root = Path(root)
    figures_dir = root / "figures"
    hashes = figures_dir / ".hashes.json"
    notebooks = sorted((root / "chapters").glob("*.ipynb"))
    inputs = hashlib.sha256(vl_convert_version().encode())
    for path in notebooks:
        inputs.update(path.name.encode() + b"\0" + path.read_bytes())
    previous = json.loads(hashes.read_text()) if hashes.exists() else {}
    recorded = previous.pop(".notebooks", None)
    on_disk = lambda name: all((figures_dir / f"{name}.{ext}").exists() for ext in ("svg", "png"))  # noqa: E731
    if previous and recorded == inputs.hexdigest() and all(on_disk(name) for name in previous):
        print(f"figures: notebooks unchanged, all {len(previous)} figures current")
        return 0
    current, written, kept = {}, 0, 0
    for path in notebooks:
        for name, spec in specs_in(path).items():
            current[name] = spec_hash(spec)
            if on_disk(name) and previous.get(name) == current[name]:
                kept += 1
                continue
            from ..charts import FIGURE_KEY as key, write_figure

            assert key == FIGURE_KEY, "secorgs.build.figures.FIGURE_KEY must match secorgs.charts.FIGURE_KEY"
            write_figure(spec, name, figures_dir)
            written += 1
    figures_dir.mkdir(exist_ok=True)
    hashes.write_text(json.dumps({**current, ".notebooks": inputs.hexdigest()}, indent=1, sort_keys=True),
                      encoding="utf-8")
    print(f"figures: {written} written, {kept} unchanged, in {figures_dir.relative_to(root)}/")
    return 0 if current else 1


if __name__ == "__main__":
    sys.exit(main())
