"""Sphinx extension: serve the vendored assets, keep every page free of outside scripts, and light.

Each page loads only what it shows (decided in ``html-page-context`` from the page's own HTML):

* the chart library (``vega-bundle.js``) and ``static/charts-loader.js`` only on pages with a chart,
  both ``defer``: they never hold up the first paint. Each chart's inline script only queues its spec
  (``window.secorgsCharts``, see :func:`secorgs.charts.book_renderer`); the loader draws a chart when it
  comes near the viewport, every other one when the browser is idle, and all of them before printing;
* MathJax only on pages with maths (Sphinx would also load it on a page whose toctree includes a page
  with maths, such as the introduction);
* the widget manager (RequireJS and ``@jupyter-widgets/html-manager``, 0.9 MB gzip) only on pages with a
  widget, and there only when a widget comes near the viewport or the page is printed
  (``static/widgets-loader.js``). The manager resolves its fonts and modules from the
  ``data-jupyter-widgets-cdn`` prefix, which points at the vendored copy relative to the page; its
  icon fonts are put beside each page that shows widgets (its stylesheet asks for them relative to
  the page: ``@jupyter-widgets/*.woff2`` and ``@jupyter-widgets/html-manager/dist/*.woff2``);
* ``static/mathjax2-hub-shim.js`` (maps the widget manager's MathJax 2 call onto MathJax 3) only on
  widget pages.

After the build (``build-finished``):

* no source map (``*.map``) is left in the built book, nor a ``sourceMappingURL`` comment naming one;
* the theme's Font Awesome script (1.5 MB, every icon there is) keeps only the icons the book's
  pages and scripts name (:func:`slim_fontawesome`);
* exported chart figures are copied to ``figures/``.

Also: exercises are numbered within their chapter (``Exercise 3.2``: the third chapter's second
exercise) instead of across the book (:func:`number_exercises_by_chapter`); ``static/a11y-fixes.js``
names unnamed controls of the theme, widgets and vega-embed; sphinx-thebe's loader and
configuration, which name a CDN and are unused (no live kernel in the offline book) and which
Jupyter Book adds twice, are dropped.
"""
import hashlib
import re
import shutil
from pathlib import Path

from sphinx.builders.html._assets import _JavaScript
from sphinx.errors import ConfigError

from .. import FIGURES_DIR
from .vendor import VENDOR_DIR

STATIC = Path(__file__).parent / "static"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_MANAGER = "vendor/@jupyter-widgets/html-manager/dist/embed-amd.js"
REQUIRE = "vendor/require.min.js"
MATH = re.compile(r'class="math[ "]')
CHART = re.compile(r'class="vega-chart[ "]')


def page_needs(body: str) -> dict:
    """What a page's HTML body shows that needs a script: maths, widgets, charts."""
    return {"math": bool(MATH.search(body)), "widgets": WIDGET_VIEW in body, "charts": bool(CHART.search(body))}


def adjust_page_scripts(app, pagename, templatename, context, doctree):
    files = context.get("script_files")
    if files is None:
        return
    root = context.get("content_root", "")
    needs = page_needs(context.get("body") or "")
    mathjax = app.config.mathjax_path
    kept = []
    for js in files:
        name = str(js.filename or "").split("?")[0]
        body = js.attributes.get("body", "")
        if name.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body or "thebe" in body.lower():
            continue
        if ((mathjax and name.endswith(mathjax)) or body.startswith("window.MathJax")) and not needs["math"]:
            continue
        if name.endswith(("vega-bundle.js", "charts-loader.js")) and not needs["charts"]:
            continue
        if name.endswith("mathjax2-hub-shim.js") and not needs["widgets"]:
            continue
        if name.endswith(REQUIRE):
            continue  # loaded by widgets-loader.js when a widget is near
        if name.endswith(WIDGET_MANAGER):
            if needs["widgets"]:
                kept.append(_JavaScript("_static/widgets-loader.js", priority=js.priority, defer="defer", **{
                    "data-require": f"{root}_static/{REQUIRE}",
                    "data-manager": f"{root}_static/{WIDGET_MANAGER}",
                    "data-cdn": f"{root}_static/vendor/",
                }))
            continue
        if name.endswith("widgets-loader.js") and not needs["widgets"]:
            continue
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


SOURCE_MAP_COMMENT = re.compile(r"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)[ \t]*")


def drop_source_maps(outdir: Path) -> list[Path]:
    """Delete every ``*.map`` under ``outdir`` and the comments that name them; return what was deleted."""
    maps = sorted(outdir.rglob("*.map"))
    for path in maps:
        path.unlink()
    for path in [*outdir.rglob("*.js"), *outdir.rglob("*.css")]:
        if "mathjax" in path.parts:
            continue  # MathJax 3's es5 build names no source maps; its 1,000 files need not be read
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if "sourceMappingURL=" in text:
            path.write_text(SOURCE_MAP_COMMENT.sub("", text), encoding="utf-8", errors="surrogateescape")
    return maps


ICON_KEY = re.compile(r'(?:"([a-z0-9-]+)"|([A-Za-z_$][\w$]*|\d+)):\[')
ICON_PACK = re.compile(r'=\{(?=(?:"[a-z0-9-]+"|[A-Za-z_$][\w$]*|\d+):\[\d+,\d+,\[)')


def _icon_entries(text: str, start: int) -> tuple[list[tuple[str, list[str], str]], int]:
    """Parse an icon pack object literal whose ``{`` is at ``start``: [(name, aliases, source)], end."""
    entries, i = [], start + 1
    while text[i] != "}":
        key = ICON_KEY.match(text, i)
        if not key:
            raise ValueError(f"unexpected icon entry at {i}: {text[i:i + 60]!r}")
        depth, j, in_string = 0, key.end() - 1, False
        while True:  # to the bracket that closes the icon's array (strings hold no quotes or brackets)
            ch = text[j]
            if ch == '"':
                in_string = not in_string
            elif not in_string and ch == "[":
                depth += 1
            elif not in_string and ch == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        source = text[i:j + 1]
        aliases = re.findall(r'"([a-z0-9-]+)"', source[key.end() - i:].split("],", 1)[0])
        entries.append((key.group(1) or key.group(2), aliases, source))
        i = j + 1
        if text[i] == ",":
            i += 1
    return entries, i


def subset_fontawesome(script: str, wanted: set[str]) -> str:
    """``script`` (Font Awesome's SVG+JS bundle) with only the icons named or aliased in ``wanted``."""
    out, pos = [], 0
    for match in ICON_PACK.finditer(script):
        start = match.end() - 1
        if start < pos:
            continue
        entries, end = _icon_entries(script, start)
        kept = [source for name, aliases, source in entries if name in wanted or wanted & set(aliases)]
        out.append(script[pos:start] + "{" + ",".join(kept) + "}")
        pos = end + 1
    out.append(script[pos:])
    return "".join(out)


def slim_fontawesome(outdir: Path) -> tuple[int, int] | None:
    """Cut the theme's ``fontawesome.js`` to the icons that the pages and the theme's scripts name."""
    script = outdir / "_static" / "scripts" / "fontawesome.js"
    if not script.exists():
        return None
    names: set[str] = set()
    sources = [*outdir.rglob("*.html"), *(outdir / "_static").glob("*.js"), *(outdir / "_static" / "scripts").glob("*.js")]
    for path in sources:
        if path != script:
            names |= set(re.findall(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)", path.read_text(encoding="utf-8", errors="replace")))
    before = script.read_text(encoding="utf-8")
    after = subset_fontawesome(before, names)
    script.write_text(after, encoding="utf-8")
    return len(before), len(after)


def lighten(app, exception):
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.builder.outdir)
    drop_source_maps(outdir)
    slim_fontawesome(outdir)


def toc_order(env) -> list[str]:
    """The book's documents in table-of-contents order, the root (the introduction) left out."""
    order: list[str] = []

    def walk(docname):
        for child in env.toctree_includes.get(docname, []):
            if child not in order:
                order.append(child)
                walk(child)

    walk(env.config.root_doc)
    return order


def number_exercises_by_chapter(app, env):
    """Exercise n of the book's k-th chapter (in toc order) is numbered k.n, not by its place in the book."""
    changed = []
    for chapter, docname in enumerate(toc_order(env), start=1):
        numbers = env.toc_fignumbers.get(docname, {}).get("exercise")
        if not numbers:
            continue
        in_order = sorted(numbers, key=lambda node_id: numbers[node_id])
        renumbered = {node_id: (chapter, n) for n, node_id in enumerate(in_order, start=1)}
        if renumbered != numbers:
            env.toc_fignumbers[docname]["exercise"] = renumbered
            changed.append(docname)
    return changed


def assets_digest() -> str:
    """Hash of this extension and its static files: a change re-writes every page, not just edited ones."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(STATIC.glob("*")):
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
    app.add_js_file("vega-bundle.js", priority=200, loading_method="defer")
    app.config.html_static_path.append(str(STATIC))
    app.add_js_file("charts-loader.js", priority=201, loading_method="defer")
    app.add_js_file("mathjax2-hub-shim.js", priority=210)
    app.add_js_file("a11y-fixes.js", priority=220)
    app.connect("html-page-context", adjust_page_scripts, priority=900)
    app.connect("env-get-updated", number_exercises_by_chapter, priority=900)
    app.connect("build-finished", copy_widget_fonts)
    app.connect("build-finished", copy_figures)
    app.connect("build-finished", lighten)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
