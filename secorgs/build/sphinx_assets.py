"""Sphinx extension: serve the vendored assets, and keep every page free of outside scripts.

* loads the chart library (``vega-bundle.js``) in ``<head>``, before any inline chart script runs;
* points the widget manager at its vendored copy, relative to each page (it resolves its fonts
  and modules from the ``data-jupyter-widgets-cdn`` prefix);
* puts the widget manager's icon fonts beside each page that shows widgets: its stylesheet asks
  for them relative to the page (``@jupyter-widgets/*.woff2`` and ``@jupyter-widgets/html-manager/dist/*.woff2``), not the script;
* maps the MathJax 2 call the widget manager makes onto MathJax 3 (``static/mathjax2-hub-shim.js``);
* names unnamed controls of the theme, widgets and vega-embed (``static/a11y-fixes.js``);
* copies the exported chart figures to ``figures/`` in the built book;
* drops sphinx-thebe's loader and configuration, which name a CDN and are unused (no live kernel
  in the offline book) and which Jupyter Book adds twice, a console error on every page.
"""
import hashlib
import shutil
from pathlib import Path

from sphinx.builders.html._assets import _JavaScript
from sphinx.errors import ConfigError

from .. import FIGURES_DIR
from .vendor import VENDOR_DIR


def adjust_page_scripts(app, pagename, templatename, context, doctree):
    files = context.get("script_files")
    if files is None:
        return
    root = context.get("content_root", "")
    kept = []
    for js in files:
        name = str(js.filename or "")
        body = js.attributes.get("body", "")
        if name.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body or "thebe" in body.lower():
            continue
        if name.endswith("embed-amd.js"):
            attributes = {**js.attributes, "data-jupyter-widgets-cdn": f"{root}_static/vendor/"}
            js = _JavaScript(js.filename, priority=js.priority, **attributes)
        kept.append(js)
    files[:] = kept


def copy_widget_fonts(app, exception):
    if exception or app.builder.format != "html":
        return
    fonts = sorted((VENDOR_DIR / "vendor" / "@jupyter-widgets" / "html-manager" / "dist").glob("*.woff2"))
    outdir = Path(app.builder.outdir)
    page_dirs = {page.parent for page in outdir.rglob("*.html") if "embed-amd.js" in page.read_text(encoding="utf-8")}
    for page_dir in page_dirs:
        # Two stylesheets in the bundle, two relative prefixes.
        for target in (page_dir / "@jupyter-widgets", page_dir / "@jupyter-widgets" / "html-manager" / "dist"):
            target.mkdir(parents=True, exist_ok=True)
            for font in fonts:
                shutil.copy2(font, target / font.name)


def copy_figures(app, exception):
    """Serve the exported figures (SVG and PNG, for slides) under figures/ in the built book."""
    if exception or app.builder.format != "html":
        return
    target = Path(app.builder.outdir) / "figures"
    target.mkdir(exist_ok=True)
    for figure in sorted(FIGURES_DIR.glob("*.*")):
        if figure.suffix in (".svg", ".png"):
            shutil.copy2(figure, target / figure.name)


def assets_digest() -> str:
    """Hash of this extension and its static files: a change re-writes every page, not just edited ones."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted((Path(__file__).parent / "static").glob("*")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def record_digest(app, config):
    config.secorgs_assets_digest = assets_digest()


def setup(app):
    if not (VENDOR_DIR / "vega-bundle.js").exists():
        raise ConfigError(f"{VENDOR_DIR} is missing: run `python -m secorgs.build.vendor` (make book does)")
    app.config.html_static_path.append(str(VENDOR_DIR))
    app.add_config_value("secorgs_assets_digest", "", "html")
    app.connect("config-inited", record_digest)
    app.add_js_file("vega-bundle.js", priority=200)
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))
    app.add_js_file("mathjax2-hub-shim.js", priority=210)
    app.add_js_file("a11y-fixes.js", priority=220)
    app.connect("html-page-context", adjust_page_scripts, priority=900)
    app.connect("build-finished", copy_widget_fonts)
    app.connect("build-finished", copy_figures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
