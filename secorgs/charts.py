"""Chart theme, chart builders, the offline HTML renderer and figure export.

In the built book (``SECORGS_RENDERER=book``, set by the Makefile) a chart is emitted as a ``div``
and a call to ``vegaEmbed``, which the book ships in ``_static/vega-bundle.js``: no CDN. Elsewhere
(JupyterLab, Colab) Altair's own renderer is left in place. Figures are also written to
``figures/`` as SVG and PNG with vl-convert, for slides.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd
import pycountry

from . import FIGURES_DIR, ROOT

#: Okabe & Ito (2008) colours, distinguishable with the common forms of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
ORG_COLOURS = {"ASEAN": "#0072B2", "ARF": "#009E73", "SCO": "#D55E00", "SHANGHAI5": "#E69F00"}
WORLD_MAP_FILE = "countries-50m.json"
WORLD_MAP_SOURCE = ROOT / "node_modules" / "world-atlas" / WORLD_MAP_FILE
WIDTH = 620


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


def book_renderer(spec: dict, **_) -> dict:
    """Altair renderer for the built book: the page's vendored vegaEmbed draws the chart."""
    div = chart_id(spec)
    description = spec.get("description") or spec.get("title", {})
    if isinstance(description, dict):
        description = description.get("text", "chart")
    embed = {"actions": {"export": True, "source": False, "compiled": False, "editor": False}}
    script = (
        "(function(){"
        f"var el=document.getElementById('{div}');"
        "var root=document.documentElement.dataset.content_root||'';"
        f"var opt={json.dumps(embed)};"
        "opt.loader={baseURL:root+'_static/'};"
        f"var spec={json.dumps(spec, separators=(',', ':'))};"
        "if(!window.vegaEmbed){el.textContent='Chart library missing: _static/vega-bundle.js was not loaded.';return;}"
        "window.vegaEmbed(el,spec,opt).catch(function(e){el.textContent='Chart failed: '+e;console.error(e);});"
        "})();"
    )
    markup = (f'<div id="{div}" class="vega-chart" role="figure" aria-label="{html.escape(str(description))}"></div>'
              f"<script>{script}</script>")
    return {"text/html": markup, "text/plain": f"<chart: {description}>"}


def setup() -> None:
    """Register the theme (and, when building the book, the offline renderer). Safe to call twice."""
    alt.theme.register("secorgs", enable=True)(theme)
    if os.environ.get("SECORGS_RENDERER") == "book":
        alt.renderers.register("book", book_renderer)
        alt.renderers.enable("book")
    alt.data_transformers.disable_max_rows()


# --- figure export -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def world_topology() -> dict:
    return json.loads(WORLD_MAP_SOURCE.read_text(encoding="utf-8"))


def _inline_map(node):
    """Replace references to the shared world map file by its content (vl-convert reads no URLs)."""
    if isinstance(node, dict):
        if node.get("url") == WORLD_MAP_FILE:
            return {"values": world_topology(), "format": node.get("format", {})}
        return {k: _inline_map(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_map(v) for v in node]
    return node


def save(chart: alt.TopLevelMixin, name: str, directory: Path = FIGURES_DIR) -> list[Path]:
    """Write ``chart`` as ``<name>.svg`` and ``<name>.png`` into ``figures/``; return the paths."""
    import vl_convert as vlc

    directory.mkdir(parents=True, exist_ok=True)
    spec = _inline_map(chart.to_dict())
    svg_path, png_path = directory / f"{name}.svg", directory / f"{name}.png"
    svg_path.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    png_path.write_bytes(vlc.vegalite_to_png(spec, scale=2))
    return [svg_path, png_path]


# --- builders ------------------------------------------------------------------------------------

def iso_numeric(iso3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=iso3)
    return country.numeric if country else None


def timeline(joined: pd.DataFrame, title: str, description: str, colour: str = "#0072B2") -> alt.Chart:
    """One point per country at the date it joined; ``joined`` needs columns country, start."""
    df = joined[["country", "start"]].copy()
    df["year"] = df["start"].dt.year
    order = df.sort_values("start")["country"].tolist()
    points = alt.Chart(df).mark_circle(size=120, color=colour).encode(
        x=alt.X("start:T", title="Date joined"),
        y=alt.Y("country:N", sort=order, title=None),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("start:T", title="Joined", format="%d %B %Y")],
    )
    labels = points.mark_text(align="left", dx=9, fontSize=11, color="#333").encode(text="year:Q")
    return (points + labels).properties(width=WIDTH, height=22 * len(df) + 20,
                                        title=title, description=description)


def step_counts(counts: pd.DataFrame, title: str, description: str, y_title: str = "Members") -> alt.Chart:
    """Step chart of ``count`` by ``year``; several organisations when ``counts`` has an ``org`` column."""
    colour = (alt.Color("org:N", title="Organisation",
                        scale=alt.Scale(domain=list(ORG_COLOURS), range=list(ORG_COLOURS.values())))
              if "org" in counts else alt.value(OKABE_ITO[0]))
    return alt.Chart(counts).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=alt.X("year:Q", title="Year (as of 31 December)", axis=alt.Axis(format="d")),
        y=alt.Y("count:Q", title=y_title),
        color=colour,
        tooltip=["year:Q", "count:Q"] + (["org:N"] if "org" in counts else []),
    ).properties(width=WIDTH, height=260, title=title, description=description)


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
    background = alt.Chart(countries).mark_geoshape(fill="#eeeeee", stroke="white", strokeWidth=0.4)
    members = alt.Chart(countries).mark_geoshape(stroke="white", strokeWidth=0.5).transform_lookup(
        lookup="id", from_=alt.LookupData(df, "id", ["country", "from_year", "to_year"])
    ).transform_filter(
        "isValid(datum.country)"
    ).transform_calculate(
        status=f"datum.from_year <= {year.name} && {year.name} < datum.to_year ? 'member' : 'not (yet) a member'"
    ).encode(
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=["member", "not (yet) a member"], range=["#0072B2", "#E69F00"])),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("from_year:Q", title="Joined")],
    )
    return (background + members).add_params(year).project(
        "mercator", scale=scale, center=list(center)
    ).properties(width=WIDTH, height=420, title=title, description=description)


STATUS_COLOURS = {"member": "#0072B2", "observer": "#E69F00", "dialogue_partner": "#009E73",
                  "partner": "#CC79A7", "participant": "#56B4E9"}


def status_area(counts: pd.DataFrame, title: str, description: str) -> alt.Chart:
    """Stacked step-area of countries by status per year; ``counts`` has year, status, count."""
    statuses = [s for s in STATUS_COLOURS if s in set(counts["status"])]
    return alt.Chart(counts).mark_area(interpolate="step-after", opacity=0.9).encode(
        x=alt.X("year:Q", title="Year (as of 31 December)", axis=alt.Axis(format="d")),
        y=alt.Y("count:Q", stack="zero", title="Countries"),
        color=alt.Color("status:N", title="Status", sort=statuses,
                        scale=alt.Scale(domain=statuses, range=[STATUS_COLOURS[s] for s in statuses])),
        order=alt.Order("status_rank:Q"),
        tooltip=["year:Q", "status:N", "count:Q"],
    ).transform_calculate(
        status_rank=f"indexof({json.dumps(statuses)}, datum.status)"
    ).properties(width=WIDTH, height=280, title=title, description=description)


def overlap_heatmap(table: pd.DataFrame, title: str, description: str) -> alt.Chart:
    """Matrix of pairwise overlaps from :func:`secorgs.data.overlap`."""
    order = list(dict.fromkeys(table["a"]))
    base = alt.Chart(table).encode(
        x=alt.X("b:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("a:N", sort=order, title=None),
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
