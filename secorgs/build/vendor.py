"""Gather the JavaScript and map data the built book serves itself (``python -m secorgs.build.vendor``).

Everything a page loads comes from here, not a CDN:

* ``vega-bundle.js``: Vega, Vega-Lite and vega-embed, bundled by vl-convert (pinned in requirements.txt);
* ``vendor/require.min.js`` and ``vendor/@jupyter-widgets/html-manager/``: RequireJS and the Jupyter widgets HTML manager (npm, locked);
* ``mathjax/``: MathJax 3 (npm, locked);
* ``countries-50m.json``: the Natural Earth world map from npm ``world-atlas``, cut to the countries
  the book's maps can show (:data:`MAP_REGION`, see :func:`cut_world_map`); same name, so the chart
  specs and figure export (which reads the whole file from ``node_modules``) need no change.

No source maps (``*.map``) are copied: a reader's browser never needs them.
"""
import hashlib
import json
import shutil
import sys
from pathlib import Path

from .. import ROOT

VENDOR_DIR = ROOT / "_build" / "vendor"
NODE = ROOT / "node_modules"
COPIES = {
    NODE / "requirejs" / "require.js": "vendor/require.min.js",
    NODE / "@jupyter-widgets" / "html-manager" / "dist": "vendor/@jupyter-widgets/html-manager/dist",
    NODE / "mathjax" / "es5": "vendor/mathjax",
}
WORLD_MAP = NODE / "world-atlas" / "countries-50m.json"
#: Longitude and latitude box (west, south, east, north) that every map in the book stays inside, with a
#: margin: the SCO map (Mercator, scale 230, centred on 75°E 42°N, 620 × 420 px) spans about 2°W-152°E
#: and 6°S-70°N, the ASEAN map (scale 650, centred on 118°E 8°N) about 91°E-145°E and 10°S-25°N. Each
#: polygon (a country's island, say) whose bounding box meets it is kept; a country with none left is
#: dropped (the Americas, southern Africa, Antarctica, the Pacific east of 180°), with the arcs only
#: they used. A new map further afield needs a wider box here.
MAP_REGION = (-10.0, -15.0, 180.0, 85.0)


def _arc_points(arc: list, transform: dict) -> list[tuple[float, float]]:
    """Absolute longitude/latitude of a quantised, delta-encoded TopoJSON arc."""
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        points.append((x * sx + tx, y * sy + ty))
    return points


def _arc_indices(arcs) -> list[int]:
    """Every arc index a geometry's nested ``arcs`` list names (``~i`` is arc ``i`` reversed)."""
    if isinstance(arcs, int):
        return [arcs if arcs >= 0 else ~arcs]
    return [i for part in arcs for i in _arc_indices(part)]


def _renumber(arcs, new_index: dict[int, int]):
    if isinstance(arcs, int):
        return new_index[arcs] if arcs >= 0 else ~new_index[~arcs]
    return [_renumber(part, new_index) for part in arcs]


def cut_world_map(topology: dict, region: tuple[float, float, float, float] = MAP_REGION) -> dict:
    """Keep the polygons of ``countries`` whose bounding box meets ``region``, and only the arcs they use."""
    west, south, east, north = region
    boxes = []
    for arc in topology["arcs"]:
        xs, ys = zip(*_arc_points(arc, topology["transform"]))
        boxes.append((min(xs), min(ys), max(xs), max(ys)))

    def meets(polygon) -> bool:
        used = _arc_indices(polygon)
        return bool(used) and (max(boxes[i][2] for i in used) >= west and min(boxes[i][0] for i in used) <= east
                               and max(boxes[i][3] for i in used) >= south and min(boxes[i][1] for i in used) <= north)

    kept = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = [geometry.get("arcs", [])] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        inside = [polygon for polygon in polygons if meets(polygon)]
        if inside:
            kept.append({**geometry, "type": "MultiPolygon", "arcs": inside} if geometry["type"] == "MultiPolygon"
                        else geometry)
    used_arcs = sorted({i for g in kept for i in _arc_indices(g["arcs"])})
    new_index = {old: new for new, old in enumerate(used_arcs)}
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": {"countries": {"type": "GeometryCollection",
                                  "geometries": [{**g, "arcs": _renumber(g["arcs"], new_index)} for g in kept]}},
        "arcs": [topology["arcs"][i] for i in used_arcs],
    }


def stamp() -> str:
    """What the vendored files are made from: the npm lock file and the vl-convert version."""
    import vl_convert as vlc

    lock = (ROOT / "package-lock.json").read_bytes()
    return hashlib.sha256(lock + vlc.__version__.encode() + Path(__file__).read_bytes()).hexdigest()


def main() -> int:
    import vl_convert as vlc

    stamp_file = VENDOR_DIR / ".stamp"
    if stamp_file.exists() and stamp_file.read_text() == stamp():
        print(f"vendor: {VENDOR_DIR.relative_to(ROOT)} is current")
        return 0
    missing = [str(src) for src in [*COPIES, WORLD_MAP] if not src.exists()]
    if missing:
        print("vendor: missing " + ", ".join(missing) + "; run `npm ci` (make does this)", file=sys.stderr)
        return 1
    if VENDOR_DIR.exists():
        shutil.rmtree(VENDOR_DIR)
    VENDOR_DIR.mkdir(parents=True)
    # Wrapped in a function so its top-level names do not clash with other scripts of the page.
    bundle = "(function(){\n" + vlc.javascript_bundle() + "\n})();\n"
    (VENDOR_DIR / "vega-bundle.js").write_text(bundle, encoding="utf-8")
    for src, dest in COPIES.items():
        target = VENDOR_DIR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, ignore=shutil.ignore_patterns("*.map"))
        else:
            shutil.copy2(src, target)
    world = cut_world_map(json.loads(WORLD_MAP.read_text(encoding="utf-8")))
    (VENDOR_DIR / WORLD_MAP.name).write_text(json.dumps(world, separators=(",", ":")), encoding="utf-8")
    stamp_file.write_text(stamp())
    print(f"vendor: wrote {VENDOR_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
