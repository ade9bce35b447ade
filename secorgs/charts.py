"""Chart theme, chart builders, the offline HTML renderer and figure export.

In the built book (``SECORGS_RENDERER=book``, set by the Makefile) a chart is emitted as a ``div``
and a call to ``vegaEmbed``, which the book ships in ``_static/vega-bundle.js``: no CDN. Elsewhere
(JupyterLab, Colab) Altair's own renderer is left in place. Figures are also written to
``figures/`` as SVG and PNG with vl-convert, for slides.
"""
from __future__ import annotations

import hashlib
import math
import html
import json
import os
import re
import textwrap
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd
import pycountry

from . import FIGURES_DIR, ROOT
from .data import start_labels
from .gluing import STATUS_WORDS, readable_frame, status_word

#: Okabe & Ito (2008) colours, distinguishable with the common forms of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
ORG_COLOURS = {"ASEAN": "#0072B2", "ARF": "#009E73", "SCO": "#D55E00", "SHANGHAI5": "#E69F00"}
#: What readers see for an organisation whose code is not its name.
ORG_LABELS = {"SHANGHAI5": "Shanghai Five"}
WORLD_MAP_FILE = "countries-50m.json"
WORLD_MAP_SOURCE = ROOT / "node_modules" / "world-atlas" / WORLD_MAP_FILE
WIDTH = 620
FIGURE_KEY = "secorgs_figure"


def theme() -> dict:
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
    return {
        "config": {
            "font": font,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 300},
            "range": {"category": OKABE_ITO},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "grid": True, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "top"},
            "title": {"fontSize": 15, "anchor": "start", "subtitleColor": "#555"},
        }
    }


def chart_id(spec: dict) -> str:
    """A stable element id derived from the spec, so re-running a notebook gives identical output."""
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]
    return f"altair-viz-{digest}"


#: Characters that could end or confuse an inline script, written as JSON escapes: data from the CSV
#: files (a country name, an event title) reaches the page inside a <script> and must stay inert.
SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value) -> str:
    """``value`` as JSON that is safe inside an HTML ``<script>``: no ``</script>``, ``<!--`` or ``&``."""
    text = json.dumps(value, separators=(",", ":"))
    return "".join(SCRIPT_ESCAPES.get(ch, ch) for ch in text)


def book_renderer(spec: dict, **_) -> dict:
    """Altair renderer for the built book: the chart's ``div`` and a script that queues its spec.

    The script only adds ``{id, spec, opt}`` to ``window.secorgsCharts``: the book's deferred
    ``charts-loader.js`` (see :mod:`secorgs.build.sphinx_assets`) draws it with the vendored
    ``vegaEmbed`` when it nears the viewport or the browser is idle, so charts never hold up the text.
    """
    div = chart_id(spec)
    description = spec.get("description") or spec.get("title", {})
    if isinstance(description, dict):
        description = description.get("text", "chart")
    embed = {"actions": {"export": True, "source": False, "compiled": False, "editor": False}}
    item = script_json({"id": div, "spec": spec, "opt": embed})
    script = f"(window.secorgsCharts=window.secorgsCharts||[]).push({item});"
    markup = (f'<div id="{div}" class="vega-chart" role="figure" aria-label="{html.escape(str(description))}"></div>'
              f"<script>{script}</script>")
    return {"text/html": markup, "text/plain": f"<chart: {description}>"}


def readable_data(data, max_rows=None):
    """Altair data transformer: every data frame a chart embeds shows readers words, not codes.

    Bibliography keys become short citations, status codes words ("dialogue partner"), booleans Yes/No
    (:func:`secorgs.gluing.readable_frame`); then Altair's own transformer (without a row limit).
    """
    if isinstance(data, pd.DataFrame):
        data = readable_frame(data)
    from altair.vegalite.data import default_data_transformer

    return default_data_transformer(data, max_rows=max_rows)


def book_embed(spec: dict, **options) -> dict:
    """The book's renderer: the spec made :func:`responsive`, then embedded by :func:`book_renderer`."""
    return book_renderer(responsive(spec), **options)


def setup() -> None:
    """Register the theme, the readable-data transformer (and, when building the book, the offline
    renderer, which sizes charts to the page). Safe to call twice."""
    alt.theme.register("secorgs", enable=True)(theme)
    if os.environ.get("SECORGS_RENDERER") == "book":
        alt.renderers.register("book", book_embed)
        alt.renderers.enable("book")
    alt.data_transformers.register("secorgs", readable_data)
    alt.data_transformers.enable("secorgs")


# --- charts that fit the page, from a phone to a desktop --------------------------------------------

#: Narrowest a plot may get before a chart overflows instead (px); a phone of 360 px leaves about 320.
MIN_PLOT_WIDTH = 120
#: Titles longer than this many characters are broken into lines (15 px type: about 290 px a line).
TITLE_CHARS = 36
_COMPOUND = ("facet", "hconcat", "vconcat", "concat", "repeat")
_WIDTH_SIGNAL = re.compile(r"(^|_)width$")


def _is_single_view(spec: dict) -> bool:
    enc = spec.get("encoding", {})
    return ("mark" in spec or "layer" in spec) and not any(k in spec for k in _COMPOUND) \
        and "row" not in enc and "column" not in enc and "facet" not in enc


def _wrap_title(title):
    if isinstance(title, str) and len(title) > TITLE_CHARS:
        return textwrap.wrap(title, TITLE_CHARS, break_long_words=False)
    if isinstance(title, dict) and isinstance(title.get("text"), str):
        return {**title, "text": _wrap_title(title["text"])}
    return title


def _svg_width(vega_spec: dict) -> float:
    import vl_convert as vlc

    svg = vlc.vega_to_svg(_inline_map(vega_spec))
    return float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))


def _width_patch(spec: dict) -> list[dict]:
    """A JSON patch for the compiled Vega spec of a compound chart (facets, concatenations): each
    view's width (a ``*_width`` signal, or the shared top-level ``width``) follows the width of the page,
    less the room the chart's own axes and labels take beside it (measured here, by widening that one
    view in a rendering and seeing how wide the whole chart gets)."""
    import vl_convert as vlc

    vega = vlc.vegalite_to_vega(_fixed_size(spec))
    signals = vega.get("signals", [])
    found = [(i, s["name"], s["value"]) for i, s in enumerate(signals)
             if _WIDTH_SIGNAL.search(s.get("name", "")) and isinstance(s.get("value"), (int, float))]
    if isinstance(vega.get("width"), (int, float)):
        found.append((None, "width", vega["width"]))
    patch, extra = [], 2000
    for i, name, value in found:
        wider = json.loads(json.dumps(vega))
        if i is None:
            wider["width"] = value + extra
        else:
            wider["signals"][i]["value"] = value + extra
        room = max(0, round(_svg_width(wider) - value - extra)) + 8  # + a last axis label's overhang
        update = f"max({MIN_PLOT_WIDTH}, floor(containerSize()[0]) - {room})"
        signal = {"name": name, "init": update, "on": [{"events": "window:resize", "update": update}]}
        if i is None:
            patch += [{"op": "remove", "path": "/width"}, {"op": "add", "path": "/signals/0", "value": signal}]
        else:
            patch += [{"op": "test", "path": f"/signals/{i}/name", "value": name},
                      {"op": "replace", "path": f"/signals/{i}", "value": signal}]
    # the shared top-level width signal is added last: adding it first would move the indices replaced above
    return sorted(patch, key=lambda op: op["path"] == "/signals/0" and op["op"] == "add")


def responsive(spec: dict) -> dict:
    """The spec sized to its container, so that no chart is wider than the page at 360 px and every chart
    uses the width there is at 1440 px.

    A single view or layer gets ``width: "container"`` (Vega-Lite fits it, axes and legend included); a
    compound chart keeps its layout and each view's width follows the page (a patch vega-embed applies,
    carried in ``usermeta.embedOptions``). Long titles are broken into lines. The page's stylesheet
    (``static/secorgs-charts.css``) gives the chart's box the width of the text column.
    """
    spec = dict(spec)
    if "title" in spec:
        spec["title"] = _wrap_title(spec["title"])
    if _is_single_view(spec):
        if isinstance(spec.get("width"), (int, float)) or "width" not in spec:
            spec["width"] = "container"
            spec["autosize"] = {"type": "fit-x", "contains": "padding"}
            spec = _legends_wrap(spec)
        return spec
    patch = _width_patch(spec)
    if patch:
        usermeta = dict(spec.get("usermeta") or {})
        usermeta["embedOptions"] = {**usermeta.get("embedOptions", {}), "patch": patch}
        spec["usermeta"] = usermeta
    return spec


_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "size", "opacity", "strokeDash")
#: A legend above a chart puts as many entries side by side as fit, each given this many px.
LEGEND_ENTRY_WIDTH = 150


def _legends_wrap(view: dict) -> dict:
    """Legends of a single view that break into rows when the plot is narrow (a phone) instead of
    running off the chart's right edge."""
    view = dict(view)
    encoding = view.get("encoding")
    if isinstance(encoding, dict):
        encoding = dict(encoding)
        for channel in _LEGEND_CHANNELS:
            definition = encoding.get(channel)
            if not isinstance(definition, dict) or "field" not in definition or definition.get("legend", {}) is None:
                continue
            legend = dict(definition.get("legend") or {})
            legend.setdefault("columns", {"expr": f"max(1, floor(width / {LEGEND_ENTRY_WIDTH}))"})
            encoding[channel] = {**definition, "legend": legend}
        view["encoding"] = encoding
    if "layer" in view:
        view["layer"] = [_legends_wrap(layer) for layer in view["layer"]]
    return view


def _fixed_size(spec):
    """``spec`` with container widths replaced by :data:`WIDTH` (for renderings without a page)."""
    if isinstance(spec, dict):
        out = {k: _fixed_size(v) for k, v in spec.items() if k != "usermeta"}
        if out.get("width") == "container":
            out["width"] = WIDTH
            out.pop("autosize", None)
        if "usermeta" in spec:
            out["usermeta"] = spec["usermeta"]
        return out
    if isinstance(spec, list):
        return [_fixed_size(v) for v in spec]
    return spec


# --- figure export -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def world_topology() -> dict:
    return json.loads(WORLD_MAP_SOURCE.read_text(encoding="utf-8"))


def _inline_map(node):
    """Replace references to the shared world map file by its content (vl-convert reads no URLs)."""
    if isinstance(node, dict):
        if node.get("url") == WORLD_MAP_FILE:
            # every other key is kept: a compiled Vega data set also carries its ``name``
            return {**{k: v for k, v in node.items() if k != "url"}, "values": world_topology(),
                    "format": node.get("format", {})}
        return {k: _inline_map(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_map(v) for v in node]
    return node


def export_as(chart: alt.TopLevelMixin, name: str) -> alt.TopLevelMixin:
    """Mark ``chart`` for export to ``figures/<name>.svg`` and ``.png``; return it.

    The name travels inside the chart's spec (``usermeta``), so the figures can be written from the
    notebooks' stored outputs by :mod:`secorgs.build.figures` without re-executing anything.
    """
    chart.usermeta = {FIGURE_KEY: name}
    return chart


def write_figure(spec: dict, name: str, directory: Path = FIGURES_DIR) -> list[Path]:
    """Write a Vega-Lite ``spec`` as ``<name>.svg`` and ``<name>.png``; return the paths."""
    import vl_convert as vlc

    directory.mkdir(parents=True, exist_ok=True)
    spec = _inline_map(_fixed_size(spec))
    svg_path, png_path = directory / f"{name}.svg", directory / f"{name}.png"
    svg_path.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    png_path.write_bytes(vlc.vegalite_to_png(spec, scale=2))
    return [svg_path, png_path]


# --- builders ------------------------------------------------------------------------------------

def iso_numeric(iso3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=iso3)
    return country.numeric if country else None


def timeline(joined: pd.DataFrame, title: str, description: str, colour: str = "#0072B2") -> alt.Chart:
    """One point per country at the date it joined; ``joined`` needs columns country, start (and may have
    start_precision: the tooltip never shows a day the sources do not give)."""
    df = joined[["country", "start"]].copy()
    df["year"] = df["start"].dt.year
    df["joined"] = start_labels(joined)
    order = df.sort_values("start")["country"].tolist()
    points = alt.Chart(df).mark_circle(size=120, color=colour).encode(
        x=alt.X("start:T", title="Date joined"),
        y=alt.Y("country:N", sort=order, title=None),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("joined:N", title="Joined")],
    )
    labels = points.mark_text(align="left", dx=9, fontSize=11, color="#333").encode(text="year:Q")
    return (points + labels).properties(width=WIDTH, height=22 * len(df) + 20,
                                        title=title, description=description)


def step_counts(counts: pd.DataFrame, title: str, description: str, y_title: str = "Members") -> alt.Chart:
    """Step chart of ``count`` by ``year``; several organisations when ``counts`` has an ``org`` column."""
    by_org = "org" in counts
    if by_org:
        counts = counts.assign(organisation=counts["org"].map(lambda org: ORG_LABELS.get(org, org)))
    colour = (alt.Color("organisation:N", title="Organisation",
                        scale=alt.Scale(domain=[ORG_LABELS.get(org, org) for org in ORG_COLOURS],
                                        range=list(ORG_COLOURS.values())))
              if by_org else alt.value(OKABE_ITO[0]))
    return alt.Chart(counts).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=alt.X("year:Q", title="Year (as of 31 December)", axis=alt.Axis(format="d")),
        y=alt.Y("count:Q", title=y_title),
        color=colour,
        tooltip=["year:Q", "count:Q"] + ([alt.Tooltip("organisation:N", title="Organisation")] if by_org else []),
    ).properties(width=WIDTH, height=260, title=title, description=description)


#: The member map's two statuses, in the order their colours are assigned.
MAP_STATUS_COLOURS = {"member": "#0072B2", "not (yet) a member": "#E69F00"}


def member_map(spells: pd.DataFrame, title: str, description: str, first_year: int, last_year: int,
               initial_year: int, scale: float = 420, center=(115, 15)) -> alt.Chart:
    """A map coloured by membership in a year chosen with a slider (works in the static page).

    ``spells`` needs iso3, country, start and end (end NaT while current). Each country is drawn as a
    member in year Y when start.year <= Y and (end is missing or end.year > Y).
    """
    df = spells[["iso3", "country", "start", "end"]].copy()
    df["id"] = df["iso3"].map(iso_numeric)
    df = df.dropna(subset=["id"])
    df["from_year"] = df["start"].dt.year
    df["to_year"] = df["end"].dt.year.fillna(9999).astype(int)
    df = df.groupby(["id", "country"], as_index=False).agg(from_year=("from_year", "min"), to_year=("to_year", "max"))
    year = alt.param(name="year", value=initial_year,
                     bind=alt.binding_range(min=first_year, max=last_year, step=1, name="Year: "))
    countries = alt.topo_feature(WORLD_MAP_FILE, "countries")
    # The shapes are not announced one by one: the chart's description says what the map shows.
    background = alt.Chart(countries).mark_geoshape(fill="#eeeeee", stroke="white", strokeWidth=0.4, aria=False,
                                                         clip=True)
    members = alt.Chart(countries).mark_geoshape(stroke="white", strokeWidth=0.5, aria=False, clip=True).transform_lookup(
        lookup="id", from_=alt.LookupData(df, "id", ["country", "from_year", "to_year"])
    ).transform_filter(
        "isValid(datum.country)"
    ).transform_calculate(
        status=f"datum.from_year <= {year.name} && {year.name} < datum.to_year ? 'member' : 'not (yet) a member'"
    ).encode(
        # The legend lists only what the map shows in the chosen year (no "not (yet) a member" when every
        # country drawn is a member); the sort keeps each status on its colour whichever are present.
        color=alt.Color("status:N", title=None, sort=list(MAP_STATUS_COLOURS),
                        scale=alt.Scale(range=list(MAP_STATUS_COLOURS.values()))),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("from_year:Q", title="Joined")],
    )
    return (background + members).add_params(year).project(
        "mercator", fit=region_box(scale, center)
    ).properties(width=WIDTH, height=420, title=title, description=description)


def region_box(scale: float, center, width: float = WIDTH, height: float = 420) -> dict:
    """The region a Mercator map of ``scale`` and ``center`` shows at ``width`` x ``height`` px, as a
    GeoJSON feature: the map is fitted to it, so the whole region stays in view at any width."""
    lon0, lat0 = center
    half_lon = math.degrees(width / 2 / scale)
    y0 = math.log(math.tan(math.pi / 4 + math.radians(lat0) / 2))

    def lat(y):
        return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)

    south, north = lat(y0 - height / 2 / scale), lat(y0 + height / 2 / scale)
    return {"type": "Feature", "properties": {},
            "geometry": {"type": "MultiPoint", "coordinates": [[round(lon0 - half_lon, 3), round(south, 3)],
                                                               [round(lon0 + half_lon, 3), round(north, 3)]]}}


STATUS_COLOURS = {"member": "#0072B2", "observer": "#E69F00", "dialogue_partner": "#009E73",
                  "partner": "#CC79A7", "participant": "#56B4E9"}


#: UN M49 continents, in the order the TAC's parties reached them.
CONTINENT_COLOURS = {"Asia": "#0072B2", "Oceania": "#009E73", "Europe": "#E69F00",
                     "Americas": "#CC79A7", "Africa": "#D55E00"}


def status_area(counts: pd.DataFrame, title: str, description: str) -> alt.Chart:
    """Stacked step-area of countries by status per year; ``counts`` has year, status, count."""
    return stacked_steps(counts, "status", "Status", STATUS_COLOURS, title, description)


#: How near (px) an axis end a year label must be to be aligned flush with it rather than centred.
LABEL_FLUSH_PX = 40


def stacked_steps(counts: pd.DataFrame, group: str, legend: str, colours: dict, title: str,
                  description: str) -> alt.Chart:
    """Stacked step-area of counts per year split by ``group``; ``counts`` has year, ``group``, count.
    Groups are stacked in the order of ``colours`` (groups missing from it get Okabe-Ito colours)."""
    # Codes as readers should see them ("dialogue partner"), in the data and in the colour key alike.
    counts = counts.assign(**{group: counts[group].map(lambda g: STATUS_WORDS.get(g, g))})
    colours = {STATUS_WORDS.get(g, g): c for g, c in colours.items()}
    present = set(counts[group])
    extra = sorted(present - set(colours))
    order = [g for g in colours if g in present] + extra
    palette = {**colours, **{g: OKABE_ITO[(i + 1) % len(OKABE_ITO)] for i, g in enumerate(extra)}}
    # Centred steps over a domain padded by half a year, so the first and last years are as wide as the rest.
    first, last = int(counts["year"].min()), int(counts["year"].max())
    return alt.Chart(counts).mark_area(interpolate="step", opacity=0.9).encode(
        # labelFlush as a distance: the first and last year labels, half a year in from the ends, are
        # aligned inside the plot instead of running past its edges (and being cut off there).
        x=alt.X("year:Q", title="Year (as of 31 December)", axis=alt.Axis(format="d", labelFlush=LABEL_FLUSH_PX),
                scale=alt.Scale(domain=[first - 0.5, last + 0.5], nice=False, zero=False)),
        y=alt.Y("count:Q", stack="zero", title="Countries"),
        color=alt.Color(f"{group}:N", title=legend, sort=order,
                        scale=alt.Scale(domain=order, range=[palette[g] for g in order])),
        order=alt.Order("group_rank:Q"),
        tooltip=["year:Q", f"{group}:N", "count:Q"],
    ).transform_calculate(
        group_rank=f"indexof({json.dumps(order)}, datum.{group})"
    ).properties(width=WIDTH, height=280, title=title, description=description)


def range_dots(df: pd.DataFrame, x: str, low: str, high: str, size: str, title: str, description: str,
               y_title: str, colour: str = "#0072B2", tooltip: list | None = None) -> alt.Chart:
    """One vertical bar per row from ``low`` to ``high`` (where sources disagree) with a dot at each end,
    dots sized by ``size``."""
    first, last = int(df[x].min()), int(df[x].max())
    base = alt.Chart(df).encode(x=alt.X(f"{x}:Q", title=None, axis=alt.Axis(format="d"),
                                        scale=alt.Scale(domain=[first - 1, last + 1], nice=False, zero=False)),
                                tooltip=tooltip or [x, low, high])
    bars = base.mark_rule(strokeWidth=3, color=colour, opacity=0.6).encode(
        y=alt.Y(f"{low}:Q", title=y_title, scale=alt.Scale(zero=True)), y2=f"{high}:Q")
    ends = [base.mark_circle(color=colour, opacity=0.9).encode(
        y=f"{end}:Q", size=alt.Size(f"{size}:Q", legend=None, scale=alt.Scale(range=[40, 260])))
        for end in (low, high)]
    return alt.layer(bars, *ends).properties(width=WIDTH, height=260, title=title, description=description)


def overlap_heatmap(table: pd.DataFrame, title: str, description: str) -> alt.Chart:
    """Matrix of pairwise overlaps from :func:`secorgs.data.overlap`."""
    order = list(dict.fromkeys(table["a"]))
    base = alt.Chart(table).encode(
        x=alt.X("b:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, orient="top", grid=False, domain=False,
                                                              ticks=False, labelLimit=90)),
        y=alt.Y("a:N", sort=order, title=None, axis=alt.Axis(grid=False, domain=False, ticks=False)),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("shared:Q", title="Countries in both", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("a:N", title="Group"), alt.Tooltip("b:N", title="and"),
                 alt.Tooltip("shared:Q", title="In both"), alt.Tooltip("names:N", title="Who")],
    )
    labels = base.mark_text(fontSize=14).encode(
        text="shared:Q",
        color=alt.condition("datum.shared > 12", alt.value("white"), alt.value("black")),
    )
    return (cells + labels).properties(width=80 * len(order), height=60 * len(order),
                                       title=title, description=description)


def region_bars(df: pd.DataFrame, title: str, description: str, colour_field: str = "region") -> alt.Chart:
    """Horizontal bars counting rows of ``df`` by ``region``, coloured by ``colour_field``."""
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("region:N", sort="-x", title=None),
        x=alt.X("count():Q", title="Countries"),
        color=alt.Color(f"{colour_field}:N", title=colour_field.replace("_", " ").capitalize()),
        tooltip=["region:N", alt.Tooltip("count():Q", title="Countries")],
    ).properties(width=WIDTH - 180, height=24 * df["region"].nunique() + 20, title=title, description=description)


def tree_layout(bodies: pd.DataFrame) -> pd.DataFrame:
    """x/y positions for an organisation chart: each level a row, children centred under parents."""
    children = {name: list(group["body"]) for name, group in bodies.groupby("parent")}
    positions, next_leaf = {}, [0]

    def place(name, depth):
        kids = children.get(name, [])
        if not kids:
            positions[name] = (next_leaf[0], depth)
            next_leaf[0] += 1
        else:
            xs = [place(kid, depth + 1) for kid in kids]
            positions[name] = (sum(xs) / len(xs), depth)
        return positions[name][0]

    for root in bodies.loc[bodies["parent"] == "", "body"]:
        place(root, 0)
    out = bodies.copy()
    out["x"] = out["body"].map(lambda b: positions[b][0])
    out["y"] = out["body"].map(lambda b: positions[b][1])
    return out


def outline_layout(bodies: pd.DataFrame, indent: int = 22, line: int = 15, gap: int = 14,
                   wrap: int = 30) -> pd.DataFrame:
    """Pixel positions for an organisation chart drawn as an outline: one row per body in tree order,
    each level indented by ``indent`` px, names broken after ``wrap`` characters (so it fits a phone)."""
    children = {name: list(group["body"]) for name, group in bodies.groupby("parent", sort=False)}
    order = []

    def visit(name, depth):
        order.append((name, depth))
        for kid in children.get(name, []):
            visit(kid, depth + 1)

    for root in bodies.loc[bodies["parent"] == "", "body"]:
        visit(root, 0)
    out = bodies.set_index("body").loc[[name for name, _ in order]].reset_index()
    out["depth"] = [depth for _, depth in order]
    out["label"] = out["body"].str.replace(r" \(.*\)$", "", regex=True).map(
        lambda text: "\n".join(textwrap.wrap(text, wrap, break_long_words=False)))
    heights = out["label"].str.count("\n").add(1) * line + gap
    out["py"] = (heights.cumsum() - heights + heights / 2).round(1)  # the middle of each row
    out["px"] = 8 + indent * out["depth"]
    return out


def org_chart(bodies: pd.DataFrame, title: str, description: str) -> alt.Chart:
    """Organisation chart of one organisation's bodies (columns body, parent, composition, ...), as an
    indented outline with elbow connectors: it reads the same on a phone and a desktop."""
    nodes = outline_layout(bodies)
    nodes["meets"] = nodes["meetings_per_year"].map(lambda m: "as needed" if pd.isna(m) else f"{int(m)}× a year")
    edges = nodes[nodes["parent"] != ""].merge(
        nodes[["body", "px", "py"]].rename(columns={"body": "parent", "px": "parent_x", "py": "parent_y"}),
        on="parent")
    x, y = alt.X("px:Q", scale=None, axis=None), alt.Y("py:Q", scale=None, axis=None)
    down = alt.Chart(edges).mark_rule(color="#888").encode(
        x=alt.X("parent_x:Q", scale=None, axis=None), y=alt.Y("parent_y:Q", scale=None, axis=None), y2="py:Q")
    across = alt.Chart(edges).mark_rule(color="#888").encode(
        x=alt.X("parent_x:Q", scale=None, axis=None), x2="px:Q", y=y)
    boxes = alt.Chart(nodes).mark_circle(size=150, opacity=1).encode(
        x=x, y=y,
        color=alt.Color("decision_rule:N", title="Decides by",
                        scale=alt.Scale(domain=["consensus", "administrative"], range=["#0072B2", "#E69F00"])),
        tooltip=[alt.Tooltip("body:N", title="Body"), alt.Tooltip("composition:N", title="Members"),
                 alt.Tooltip("meets:N", title="Meets"), alt.Tooltip("decision_rule:N", title="Decides by")],
    )
    labels = alt.Chart(nodes).mark_text(align="left", dx=11, fontSize=12, lineBreak="\n", baseline="middle",
                                        lineHeight=15).encode(x=x, y=y, text="label:N")
    height = float((nodes["py"] + (nodes["label"].str.count("\n") + 1) * 7.5 + 7).max())
    return alt.layer(down, across, boxes, labels).properties(
        width=WIDTH, height=round(height), title=title, description=description)


def model_explorer(model_grid: pd.DataFrame, title: str, description: str, initial_sigma: float = 1.0,
                   marks: pd.DataFrame | None = None) -> alt.Chart:
    """P(win set non-empty) against the number of members, with a heterogeneity slider and a rule menu.

    ``model_grid`` comes from :func:`secorgs.consensus.grid`. ``marks`` (columns org, n, label) adds
    points for real organisations at their member counts. Works in the static page: the slider and
    the menu filter the precomputed grid in the browser. Probabilities travel to four decimals (the
    tooltip shows tenths of a per cent): the grid is inline in the page, and sixteen digits per point
    doubled its compressed size.
    """
    model_grid = model_grid.assign(p=model_grid["p"].round(4), sigma=model_grid["sigma"].round(6))
    sigmas = sorted(model_grid["sigma"].unique())
    sigma = alt.param(name="sigma", value=initial_sigma,
                      bind=alt.binding_range(min=sigmas[0], max=sigmas[-1], step=round(sigmas[1] - sigmas[0], 2),
                                             name="Heterogeneity σ: "))
    rules = list(dict.fromkeys(model_grid["rule"]))
    rule = alt.param(name="rule", value=rules[0], bind=alt.binding_select(options=rules, name="Decision rule: "))
    base = alt.Chart(model_grid).transform_filter(
        f"abs(datum.sigma - {sigma.name}) < 1e-6 && datum.rule == {rule.name}")
    line = base.mark_line(point=True, color=OKABE_ITO[0]).encode(
        x=alt.X("n:Q", title="Number of members"),
        y=alt.Y("p:Q", title="P(some proposal beats the status quo)", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        tooltip=["n:Q", alt.Tooltip("p:Q", format=".1%"), "rule:N", "sigma:Q"],
    )
    layers = [line]
    if marks is not None:
        points = alt.Chart(model_grid).transform_filter(
            f"abs(datum.sigma - {sigma.name}) < 1e-6 && datum.rule == {rule.name}"
        ).transform_lookup(lookup="n", from_=alt.LookupData(marks, "n", ["label"])).transform_filter(
            "isValid(datum.label)")
        layers.append(points.mark_point(size=160, shape="diamond", filled=True, color=OKABE_ITO[3]).encode(
            x="n:Q", y="p:Q", tooltip=["label:N", "n:Q", alt.Tooltip("p:Q", format=".1%")]))
        # Neighbouring marks (the SCO at 10, ASEAN at 11) would print their labels over each other:
        # labels alternate, left of the first mark, right of the next.
        sides = marks.sort_values("n").assign(side=[("left", "right")[i % 2] for i in range(len(marks))])
        labelled = alt.Chart(model_grid).transform_filter(
            f"abs(datum.sigma - {sigma.name}) < 1e-6 && datum.rule == {rule.name}"
        ).transform_lookup(lookup="n", from_=alt.LookupData(sides, "n", ["label", "side"])).transform_filter(
            "isValid(datum.label)")
        for side, align, dx in (("left", "right", -10), ("right", "left", 10)):
            layers.append(labelled.transform_filter(f"datum.side == '{side}'").mark_text(
                align=align, dx=dx, dy=-12, fontSize=12, fontWeight="bold").encode(x="n:Q", y="p:Q", text="label:N"))
    return alt.layer(*layers).add_params(sigma, rule).properties(
        width=WIDTH, height=300, title=title, description=description)


INDICATOR_TITLES = {"population": "Population", "gdp_usd": "GDP (current US$)", "land_area_km2": "Land area"}


def share_lines(shares: pd.DataFrame, title: str, description: str) -> alt.Chart:
    """Share of the world by year, one line per organisation, one panel per indicator.

    ``shares`` has columns year, org, indicator (a key of INDICATOR_TITLES) and share (0-1).
    """
    df = shares.assign(measure=shares["indicator"].map(INDICATOR_TITLES))
    orgs = [o for o in ORG_COLOURS if o in set(df["org"])]
    return alt.Chart(df).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("share:Q", title="Share of the world", axis=alt.Axis(format="%")),
        color=alt.Color("org:N", title="Members of", scale=alt.Scale(domain=orgs, range=[ORG_COLOURS[o] for o in orgs])),
        tooltip=["org:N", "measure:N", "year:Q", alt.Tooltip("share:Q", format=".1%")],
    ).properties(width=WIDTH - 120, height=130).facet(
        facet=alt.Facet("measure:N", title=None, sort=list(INDICATOR_TITLES.values()),
                        header=alt.Header(labelAnchor="start", labelFontSize=13, labelFontWeight="bold")),
        columns=1,
    ).properties(title=title, description=description)


def what_if(candidates: pd.DataFrame, base: dict, title: str, description: str) -> alt.VConcatChart:
    """Click candidate states to add them: the shares and the consensus model's number update.

    ``candidates`` has iso3, country, pop_share and gdp_share (0-1); ``base`` gives the current
    members' pop_share, gdp_share, n, and pi (the model's probability that a member lies to the right
    of the status quo). The text is computed in the browser, so it works in the static page.
    """
    pick = alt.selection_point(name="pick", fields=["iso3"], toggle="true", on="click", clear="dblclick")
    bars = alt.Chart(candidates).mark_bar().encode(
        y=alt.Y("country:N", sort="-x", title=None),
        x=alt.X("pop_share:Q", title="Share of world population", axis=alt.Axis(format="%")),
        color=alt.condition(pick, alt.value(ORG_COLOURS["SCO"]), alt.value("#bbbbbb")),
        tooltip=["country:N", alt.Tooltip("pop_share:Q", format=".2%", title="Population share"),
                 alt.Tooltip("gdp_share:Q", format=".2%", title="GDP share")],
    ).add_params(pick).properties(width=WIDTH - 200, height=18 * len(candidates) + 10,
                                  title=["Click candidates to admit them", "(double-click to reset)"])
    chosen = "length(data('pick_store')) && vlSelectionTest('pick_store', datum) ? 1 : 0"
    summary = alt.Chart(candidates).transform_calculate(
        chosen=chosen, pop_add=f"datum.pop_share * ({chosen})", gdp_add=f"datum.gdp_share * ({chosen})",
    ).transform_aggregate(
        added="sum(chosen)", pop_added="sum(pop_add)", gdp_added="sum(gdp_add)",
    ).transform_calculate(
        n=f"{base['n']} + datum.added",
        line1=f"'Members: ' + ({base['n']} + datum.added) + ' (' + datum.added + ' added)'",
        line2=f"'World population: ' + format({base['pop_share']} + datum.pop_added, '.1%')",
        line3=f"'World GDP: ' + format({base['gdp_share']} + datum.gdp_added, '.1%')",
        line4="'Model, under unanimity:'",
        line5=(f"'P(some proposal passes) = ' + "
               f"format(pow({base['pi']}, datum.n) + pow(1 - {base['pi']}, datum.n), '.1%')"),
    ).transform_fold(["line1", "line2", "line3", "line4", "line5"], as_=["line", "text"]).mark_text(
        align="left", baseline="middle", fontSize=12, limit=0
    ).encode(
        x=alt.value(0), y=alt.Y("line:N", axis=None), text="text:N",
    ).properties(width=WIDTH - 200, height=120)
    return alt.vconcat(bars, summary).properties(title=title, description=description)


def event_timeline(events: pd.DataFrame, title: str, description: str, group: str = "org_id") -> alt.Chart:
    """Dated events as points on one time axis, one row per ``group``; ``events`` has date, title, ``group``."""
    groups = list(dict.fromkeys(events[group]))
    colours = [ORG_COLOURS.get(g, OKABE_ITO[i % len(OKABE_ITO)]) for i, g in enumerate(groups)]
    return alt.Chart(events).mark_point(size=140, filled=True, opacity=0.85).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y(f"{group}:N", title=None, sort=groups),
        color=alt.Color(f"{group}:N", legend=None, scale=alt.Scale(domain=groups, range=colours)),
        shape=alt.Shape("kind:N", title="Kind") if "kind" in events else alt.value("circle"),
        tooltip=[alt.Tooltip("date:T", format="%d %B %Y"), alt.Tooltip("title:N", title="What")]
                + ([alt.Tooltip("place:N")] if "place" in events else []),
    ).properties(width=WIDTH, height=50 * len(groups) + 40, title=title, description=description)


# --- the overview map of every role in the three organisations -------------------------------------

#: Longitude/latitude box (west, south, east, north) the overview map keeps in view at any width: from
#: Egypt and Belarus to Japan and Papua New Guinea, from Australia to the SCO's northern members.
ROLES_MAP_BOX = (22.0, -42.0, 158.0, 56.0)
#: What the served map (``secorgs.build.vendor.MAP_REGION``) does not draw inside that box: the Americas
#: (of the United States only the Aleutians are kept) and the states wholly south of 15°S but Australia.
#: tests/test_charts.py checks the rule against the cut map for every country in countries.csv.
OFF_MAP_CONTINENTS = ("Americas",)
OFF_MAP_ISO3 = ("NZL", "ZAF")


def on_served_map(iso3: str, continent: str | None) -> bool:
    """Whether the book's served world map draws country ``iso3`` (of ``continent``) in an Asian frame."""
    return iso_numeric(iso3) is not None and continent not in OFF_MAP_CONTINENTS and iso3 not in OFF_MAP_ISO3


#: Panel titles (13 px bold) are broken into lines of at most this many characters, so they fit a phone.
PANEL_TITLE_CHARS = round(TITLE_CHARS * 15 / 13)


def roles_map(roles: pd.DataFrame, title: str, description: str, panel_titles: dict,
              height: int = 340, box=ROLES_MAP_BOX) -> alt.VConcatChart:
    """Small multiples: one map per organisation (stacked, so each is as wide as the page), countries
    coloured by the status they hold there, in words; hovering a country lists every role it holds in
    all the organisations drawn. Countries the map cannot draw (the Americas, the EU) are named under
    the panel instead.

    ``roles`` is :func:`secorgs.data.roles` (iso3, country, org_id, status), with a ``continent`` column
    (:func:`secorgs.data.with_regions`); ``panel_titles`` maps each org_id to its panel's title, in
    the order the panels are drawn (a string, or a (title, subtitle) pair); titles are broken into lines
    that fit a phone.
    """
    df = roles.copy()
    df["word"] = df["status"].map(status_word)
    orgs = list(panel_titles)
    rank = {org: i for i, org in enumerate(orgs)}
    every = (df.assign(rank=df["org_id"].map(rank)).sort_values(["rank", "word"])
             .assign(role=lambda d: d["org_id"] + " " + d["word"])
             .groupby("iso3")["role"].agg("; ".join))
    df["roles"] = df["iso3"].map(every)
    df["id"] = df["iso3"].map(iso_numeric)
    df["drawn"] = [on_served_map(c, k) for c, k in zip(df["iso3"], df["continent"])]
    known = [s for s in STATUS_COLOURS if s in set(df["status"])]
    extra = sorted(set(df["status"]) - set(STATUS_COLOURS))
    spare = [c for c in OKABE_ITO if c not in STATUS_COLOURS.values()] + ["#999999", "#882255", "#44AA99"]
    palette = {**STATUS_COLOURS, **{s: spare[i % len(spare)] for i, s in enumerate(extra)}}
    order = known + extra
    colour = alt.Color("status:N", title=None, sort=[status_word(s) for s in order],
                       scale=alt.Scale(domain=[status_word(s) for s in order], range=[palette[s] for s in order]),
                       legend=alt.Legend(columns=2, symbolType="square"))
    west, south, east, north = box
    fit = {"type": "Feature", "properties": {},
           "geometry": {"type": "MultiPoint", "coordinates": [[west, south], [east, north]]}}
    countries = alt.topo_feature(WORLD_MAP_FILE, "countries")
    panels = []
    for org in orgs:
        here = df[df["org_id"] == org]
        grouped = (here.groupby(["iso3", "id", "country", "roles", "drawn"], as_index=False, dropna=False)["word"]
                   .agg(" and ".join).rename(columns={"word": "status"}))
        drawn = grouped[grouped["drawn"]][["id", "country", "status", "roles"]]
        background = alt.Chart(countries).mark_geoshape(fill="#eeeeee", stroke="white", strokeWidth=0.4,
                                                        aria=False, clip=True)
        shapes = alt.Chart(countries).mark_geoshape(stroke="white", strokeWidth=0.5, aria=False,
                                                    clip=True).transform_lookup(
            lookup="id", from_=alt.LookupData(drawn, "id", ["country", "status", "roles"])
        ).transform_filter("isValid(datum.country)").encode(
            color=colour,
            tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("status:N", title=f"In the {org}"),
                     alt.Tooltip("roles:N", title="All its roles")],
        )
        layers = [background, shapes]
        away = grouped[~grouped["drawn"]].sort_values("country")
        if len(away):
            note = "Beyond the map: " + "; ".join(f"{c} ({s})" for c, s in zip(away["country"], away["status"]))
            lines = textwrap.wrap(note, 48, break_long_words=False)
            layers.append(alt.Chart(pd.DataFrame({"note": ["\n".join(lines)]})).mark_text(
                align="left", baseline="bottom", fontSize=11, color="#333", lineBreak="\n", lineHeight=14,
            ).encode(x=alt.value(2), y=alt.value(height - 2), text="note:N"))
        heading, subtitle = (panel_titles[org], None) if isinstance(panel_titles[org], str) else panel_titles[org]
        below = ({"subtitle": textwrap.wrap(subtitle, PANEL_TITLE_CHARS, break_long_words=False),
                  "subtitleFontSize": 12} if subtitle else {})
        panel_title = alt.TitleParams(textwrap.wrap(heading, PANEL_TITLE_CHARS, break_long_words=False),
                                      anchor="start", fontSize=13, fontWeight="bold", **below)
        panels.append(alt.layer(*layers).project("mercator", fit=fit).properties(
            width=WIDTH, height=height, title=panel_title))
    return alt.vconcat(*panels, spacing=18).resolve_scale(color="shared").properties(
        title=title, description=description)
