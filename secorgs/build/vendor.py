"""Gather the JavaScript and map data the built book serves itself (``python -m secorgs.build.vendor``).

Everything a page loads comes from here, not a CDN:

* ``vega-bundle.js``: Vega, Vega-Lite and vega-embed, bundled by vl-convert (pinned in requirements.txt);
* ``vendor/require.min.js`` and ``vendor/@jupyter-widgets/html-manager/``: RequireJS and the Jupyter widgets HTML manager (npm, locked);
* ``mathjax/``: MathJax 3 (npm, locked);
* ``countries-50m.json``: the Natural Earth world map from npm ``world-atlas``.
"""
import hashlib
import shutil
import sys

from .. import ROOT

VENDOR_DIR = ROOT / "_build" / "vendor"
NODE = ROOT / "node_modules"
COPIES = {
    NODE / "requirejs" / "require.js": "vendor/require.min.js",
    NODE / "@jupyter-widgets" / "html-manager" / "dist": "vendor/@jupyter-widgets/html-manager/dist",
    NODE / "mathjax" / "es5": "vendor/mathjax",
    NODE / "world-atlas" / "countries-50m.json": "countries-50m.json",
}


def stamp() -> str:
    """What the vendored files are made from: the npm lock file and the vl-convert version."""
    import vl_convert as vlc

    lock = (ROOT / "package-lock.json").read_bytes()
    return hashlib.sha256(lock + vlc.__version__.encode()).hexdigest()


def main() -> int:
    import vl_convert as vlc

    stamp_file = VENDOR_DIR / ".stamp"
    if stamp_file.exists() and stamp_file.read_text() == stamp():
        print(f"vendor: {VENDOR_DIR.relative_to(ROOT)} is current")
        return 0
    missing = [str(src) for src in COPIES if not src.exists()]
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
            shutil.copytree(src, target)
        else:
            shutil.copy2(src, target)
    stamp_file.write_text(stamp())
    print(f"vendor: wrote {VENDOR_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
