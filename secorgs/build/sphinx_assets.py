"""Sphinx extension: serve the vendored assets, keep every page free of outside scripts, and light.

Each page loads only what it shows (decided in ``html-page-context`` from the page's own HTML), and
nothing it loads holds up the first paint:

* charts: only pages with a chart load ``static/charts-loader.js`` (deferred). Each chart's inline
  script only queues its spec (``window.secorgsCharts``, see :func:`secorgs.charts.book_renderer`);
  the loader fetches the chart library (``vega-bundle.js``, 0.3 MB gzip) when the first chart is
  drawn, and draws a chart when it comes near the viewport, every other one when the browser is idle
  once the reader has begun to scroll, and all of them before printing;
* MathJax only on pages with maths (Sphinx would also load it on a page whose toctree includes a page
  with maths, such as the introduction), and there only when a formula comes near the viewport or the
  page is printed (``static/mathjax-loader.js``);
* the widget manager (RequireJS and ``@jupyter-widgets/html-manager``, 0.9 MB gzip) only on pages with a
  widget, and there only when a widget comes near the viewport or the page is printed
  (``static/widgets-loader.js``). The manager resolves its fonts and modules from the
  ``data-jupyter-widgets-cdn`` prefix, which points at the vendored copy relative to the page; its
  icon fonts are put beside each page that shows widgets (its stylesheet asks for them relative to
  the page: ``@jupyter-widgets/*.woff2`` and ``@jupyter-widgets/html-manager/dist/*.woff2``);
  ``static/mathjax2-hub-shim.js`` (maps the manager's MathJax 2 call onto MathJax 3) only there too;
* every other script file is deferred, but ``documentation_options.js`` (inline scripts set it; it is
  written into the page after the build).

After the build (``build-finished``):

* no source map (``*.map``) is left in the built book, nor a ``sourceMappingURL`` comment naming one;
* the theme's Font Awesome script is dropped from every page (:func:`rewrite_pages`): its stylesheet
  already draws the icons with the web font; so are its search scripts and index but on the search
  page; ``documentation_options.js`` is inlined, and the page's stylesheets are joined into one file
  (:func:`bundle_stylesheets`), so that the first paint waits for one request, not a dozen;
* the theme's Font Awesome fonts are cut to the icons the book shows (:func:`subset_icon_fonts`);
* exported chart figures are copied to ``figures/``.

Also: exercises are numbered within their chapter (``Exercise 3.2``: the third chapter's second
exercise) instead of across the book (:func:`number_exercises_by_chapter`); ``static/a11y-fixes.js``
names unnamed controls of the theme, widgets and vega-embed; sphinx-thebe's loader and
configuration, which name a CDN and are unused (no live kernel in the offline book) and which
Jupyter Book adds twice, are dropped.
"""
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from sphinx.builders.html._assets import _JavaScript
from sphinx.errors import ConfigError

from .. import FIGURES_DIR
from ..charts import script_json
from .vendor import VENDOR_DIR

STATIC = Path(__file__).parent / "static"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_MANAGER = "vendor/@jupyter-widgets/html-manager/dist/embed-amd.js"
REQUIRE = "vendor/require.min.js"
MATH = re.compile(r'class="math[ "]')
CHART = re.compile(r'class="vega-chart[ "]')
SYNC = ("documentation_options.js",)
#: A browser expression that asks the chart loader to draw every chart (charts far from the viewport
#: wait until the reader scrolls) and is true once all are drawn, their data loaded (a page without the
#: loader: once every chart has its marks). For printing, tests and benchmarks.
ALL_CHARTS_DRAWN = ("(window.secorgsDrawAllCharts ? (window.secorgsDrawAllCharts(), window.secorgsChartsDrawn()) : true)"
                    " && document.querySelectorAll('.vega-chart svg.marks, .vega-chart canvas.marks').length"
                    " >= document.querySelectorAll('.vega-chart').length")


def page_needs(body: str) -> dict:
    """What a page's HTML body shows that needs a script: maths, widgets, charts."""
    return {"math": bool(MATH.search(body)), "widgets": WIDGET_VIEW in body, "charts": bool(CHART.search(body))}


def widget_state_body(body: str) -> str:
    """The saved widget state, re-serialised so that no text in it can end its script element.

    myst-nb escapes only a lower-case ``</script>``; the HTML parser also ends a script at
    ``</SCRIPT>`` or ``</script `` and treats ``<!--<script>`` specially, so a country name or a printed
    line from the data could otherwise break out of the JSON and run as markup.
    """
    return script_json(json.loads(body))


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
        if body.startswith("window.MathJax") and not needs["math"]:
            continue
        if js.attributes.get("type") == WIDGET_STATE:
            js.attributes["body"] = widget_state_body(body)
        if mathjax and name.endswith(mathjax):
            if needs["math"]:
                kept.append(_JavaScript("_static/mathjax-loader.js", priority=js.priority, defer="defer",
                                        **{"data-mathjax": f"{root}{js.filename}"}))
            continue
        if name.endswith("charts-loader.js"):
            if needs["charts"]:
                kept.append(_JavaScript(js.filename, priority=js.priority, defer="defer",
                                        **{"data-bundle": f"{root}_static/vega-bundle.js"}))
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
        if (js.filename and pagename != "search" and not name.endswith(SYNC)
                and not {"async", "defer"} & set(js.attributes)):
            # Nothing the page runs while it is parsed needs these; deferred, they no longer hold up the
            # first paint (documentation_options.js stays: inline scripts set its fields; so does all of
            # the search page, whose inline script calls doctools.js at once).
            js = _JavaScript(js.filename, priority=js.priority, defer="defer", **js.attributes)
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


# Only a comment that is a line of its own: bundles also hold the text in strings and regular expressions.
SOURCE_MAP_COMMENT = re.compile(r"^(?://# sourceMappingURL=\S*|/\*# sourceMappingURL=[^\s*]* ?\*/)[ \t]*$", re.M)


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


# Tags the theme's templates write on every page (not through ``script_files``), rewritten after the build:
# Font Awesome's SVG+JS bundle (1.5 MB: every icon there is, and a DOM observer that re-scans the page on
# every change) is dropped, since the theme's stylesheet already draws the same ``fa-*`` icons with
# Font Awesome's web font; so are the search tools and index (0.2 MB) the theme loads on every page for
# its search-as-you-type, which this book leaves off (its search box opens search.html, which loads them
# itself); ``documentation_options.js`` (400 bytes that inline scripts need while the page is parsed) is
# written into the page instead of costing a blocking request.
FONTAWESOME_TAG = re.compile(r'<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\s*')
SEARCH_TAG = re.compile(r'<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>\s*')
OPTIONS_TAG = re.compile(r'<script src="[^"]*_static/documentation_options\.js(?:\?[^"]*)?"></script>')
STYLESHEET_TAG = re.compile(r'<link\b[^>]*>')
CSS_URL = re.compile(r'url\(\s*(["\']?)([^"\')]+)\1\s*\)')
CSS_IMPORT = re.compile(r'@import\s+(?:url\()?\s*["\']([^"\']+)["\']\s*\)?\s*;')
BUNDLE_PREFIX = "css-bundle-"
CSS_CHARSET = re.compile(r'@charset\s+"[^"]*";\s*', re.I)


def _attributes(tag: str) -> dict:
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def _css_text(path: Path, target_dir: Path, seen: set) -> str:
    """``path``'s rules with its ``@import``s inlined and its relative ``url()``s rewritten for ``target_dir``."""
    if path in seen:
        return ""
    seen.add(path)
    text = CSS_CHARSET.sub("", path.read_text(encoding="utf-8"))

    def rebase(match):
        quote, url = match.groups()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.I):
            return match.group(0)
        file = re.split(r"[?#]", url, maxsplit=1)[0]
        moved = Path(os.path.relpath((path.parent / file).resolve(), target_dir.resolve()))
        return f"url({quote}{moved.as_posix()}{url[len(file):]}{quote})"

    imported = []  # inlined after the rebase: their own urls are already rebased

    def hold(match):
        imported.append(_css_text((path.parent / match.group(1)).resolve(), target_dir, seen))
        return f"\0{len(imported) - 1}\0"

    text = CSS_URL.sub(rebase, CSS_IMPORT.sub(hold, text))
    return re.sub(r"\0(\d+)\0", lambda m: imported[int(m.group(1))], text)


def bundle_stylesheets(outdir: Path, page: Path, text: str) -> str:
    """One stylesheet instead of the dozen the theme and extensions link (each a render-blocking request).

    Every ``<link rel="stylesheet">`` in the page's head that names a file under ``_static`` and applies to
    the screen (no ``media``, or ``all``/``screen``) is joined, in order, into ``_static/css-bundle-<hash>.css``
    (``@import``s inlined, relative ``url()``s rewritten); the first such link names the bundle and the others
    go. A print-only sheet keeps its own link, now after the bundle, so it still overrides the theme in print.
    """
    head_end = text.find("</head>")
    if head_end < 0:
        return text
    head = text[:head_end]
    static = outdir / "_static"
    bundled, sources, prefix = [], [], None
    for match in STYLESHEET_TAG.finditer(head):
        attrs = _attributes(match.group(0))
        href = attrs.get("href", "")
        if "stylesheet" not in attrs.get("rel", "").split() or attrs.get("media", "all") not in ("all", "screen"):
            continue
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/)", href, re.I) or "_static/" not in href:
            continue
        source = (page.parent / href.split("?")[0]).resolve()
        if static.resolve() not in source.parents or not source.is_file():
            continue
        prefix = prefix if prefix is not None else href[: href.index("_static/")]
        bundled.append(match)
        sources.append(source)
    if len(bundled) < 2:
        return text
    seen: set = set()
    css = '@charset "UTF-8";\n' + "\n".join(_css_text(source, static, seen) for source in sources)
    name = f"{BUNDLE_PREFIX}{hashlib.sha256(css.encode('utf-8')).hexdigest()[:16]}.css"
    bundle = static / name
    if not bundle.exists():
        bundle.write_text(css, encoding="utf-8")
    link = f'<link rel="stylesheet" type="text/css" href="{prefix}_static/{name}" />'
    pieces, last = [], 0
    for i, match in enumerate(bundled):
        pieces.append(head[last:match.start()])
        pieces.append(link if i == 0 else "")
        last = match.end() + (i > 0 and head.startswith("\n", match.end()))
    pieces.append(head[last:])
    return "".join(pieces) + text[head_end:]


def rewrite_pages(outdir: Path) -> None:
    options_file = outdir / "_static" / "documentation_options.js"
    options = options_file.read_text(encoding="utf-8").strip() if options_file.exists() else None
    if options is not None and "</script" in options.lower():
        options = None
    used: set = set()
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        new = FONTAWESOME_TAG.sub("", text)
        if page.relative_to(outdir).as_posix() != "search.html":
            new = SEARCH_TAG.sub("", new)
        if options is not None:
            new = OPTIONS_TAG.sub(lambda _: f"<script>{options}</script>", new)
        new = bundle_stylesheets(outdir, page, new)
        if new != text:
            page.write_text(new, encoding="utf-8")
        used.update(re.findall(rf"{BUNDLE_PREFIX}[0-9a-f]+\.css", new))
    for bundle in (outdir / "_static").glob(f"{BUNDLE_PREFIX}*.css"):
        if bundle.name not in used:
            bundle.unlink()  # left by an earlier build whose stylesheets have since changed


ICON_FONTS = Path("vendor") / "fontawesome" / "webfonts"
ICON_CLASS_RULE = re.compile(r"([^{}]+)\{[^{}]*?content:\s*\"\\([0-9a-f]{4,5})\"[^{}]*\}", re.I)
ICON_CLASS_SELECTOR = re.compile(r"\s*\.(fa-[a-z0-9-]+)::?before\s*")
ICON_ESCAPE = re.compile(r"\\([ef][0-9a-f]{3})(?![0-9a-f])", re.I)
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def icons_in_use(outdir: Path) -> set[int]:
    """The Font Awesome code points the built book can show.

    The theme's stylesheet maps every ``fa-*`` class to a code point (``.fa-bars:before{content:"\f0c9"}``);
    a class counts when a page or a script names it. Every other code point the stylesheets use (the
    theme's own icons for admonitions, links and sidebars, written as characters or escapes) counts too.
    """
    static = outdir / "_static"
    sheets = [p for p in [*static.glob("*.css"), *(static / "styles").glob("*.css")]
              if not p.name.startswith(BUNDLE_PREFIX)]
    named = set()
    for page in outdir.rglob("*.html"):
        if "_static" not in page.relative_to(outdir).parts:
            named.update(re.findall(r"\bfa-[a-z0-9-]+", page.read_text(encoding="utf-8")))
    for script in [*static.glob("*.js"), *(static / "scripts").glob("*.js")]:
        if script.name != "fontawesome.js":  # dropped from every page; it names every icon there is
            named.update(re.findall(r"\bfa-[a-z0-9-]+", script.read_text(encoding="utf-8", errors="replace")))
    used = set()
    for sheet in sheets:
        css = sheet.read_text(encoding="utf-8")
        by_class = set()
        for selectors, point in ICON_CLASS_RULE.findall(css):
            classes = [ICON_CLASS_SELECTOR.fullmatch(s) for s in selectors.split(",")]
            if all(classes):
                by_class.add(point.lower())
                if named & {c.group(1) for c in classes}:
                    used.add(int(point, 16))
        used.update(ord(c) for c in PRIVATE_USE.findall(css))
        used.update(int(p, 16) for p in ICON_ESCAPE.findall(css) if p.lower() not in by_class)
    return used


def subset_icon_fonts(outdir: Path, source_dir: Path, used: set[int]) -> dict[str, tuple[int, int]]:
    """Write each Font Awesome font cut to the icons in ``used``; return name: (bytes before, bytes after).

    The theme ships every icon there is (the solid font alone is 156 kB); a page's first paint waited for it.
    The fonts are cut from the theme's own copies (``source_dir``), so a rebuild never cuts a cut font.
    """
    from fontTools import subset

    target = outdir / "_static" / ICON_FONTS
    sizes = {}
    for font_file in sorted(source_dir.glob("fa-*")):
        if font_file.suffix not in (".woff2", ".ttf"):
            continue
        options = subset.Options()
        options.flavor = "woff2" if font_file.suffix == ".woff2" else None
        options.layout_features = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(font_file), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=used)
        subsetter.subset(font)
        target.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(target / font_file.name), options)
        sizes[font_file.name] = (font_file.stat().st_size, (target / font_file.name).stat().st_size)
    return sizes


def theme_icon_fonts() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / ICON_FONTS


def lighten(app, exception):
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.builder.outdir)
    drop_source_maps(outdir)
    rewrite_pages(outdir)
    subset_icon_fonts(outdir, theme_icon_fonts(), icons_in_use(outdir))


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
    app.config.html_static_path.append(str(STATIC))
    app.add_js_file("charts-loader.js", priority=201, loading_method="defer")
    app.add_js_file("mathjax2-hub-shim.js", priority=210)
    app.add_js_file("a11y-fixes.js", priority=220)
    app.connect("html-page-context", adjust_page_scripts, priority=900)
    app.connect("env-get-updated", number_exercises_by_chapter, priority=900)
    app.connect("build-finished", copy_widget_fonts)
    app.connect("build-finished", copy_figures)
    app.connect("build-finished", lighten, priority=900)  # after the theme rewrites pygments.css
    return {"parallel_read_safe": True, "parallel_write_safe": True}
