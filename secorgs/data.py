"""Load the validated data and answer the questions chapters ask of it.

Every chapter reads data through this module. Nothing is returned unless every file in ``data/``
passes its schema (:mod:`secorgs.schema`); otherwise :class:`~secorgs.schema.DataError` lists all
problems. A membership spell holds from ``start`` (inclusive) to ``end`` (exclusive). A spell whose
start is known only to the month (``start_precision`` "month") counts from the first day of that
month, one known only to the year from 1 January: a convention, stated in data/README.md; the typed
table fills an empty ``start_precision`` with "day", and :func:`start_labels` shows each start as
precisely as it is known.
"""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd

from . import DATA_DIR, ROOT
from .schema import AGREEMENT_KINDS, COOPERATION_AREAS, TABLES, TABLES_BY_NAME, DataError, validate_dir

_cache: dict[str, dict[str, pd.DataFrame]] = {}

#: Tables read since the process started: the notebook executor records them as the notebook's data
#: dependencies, so that a change to a file re-executes exactly the notebooks that read it.
ACCESSED: set[str] = set()


def _fingerprint(data_dir: Path, bib: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(data_dir.glob("*.csv")) + [bib]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _typed(name: str, raw: pd.DataFrame) -> pd.DataFrame:
    df = raw.copy()
    for col in TABLES_BY_NAME[name].columns:
        if col.kind == "date":
            df[col.name] = pd.to_datetime(df[col.name].replace("", None), format="%Y-%m-%d")
        elif col.kind in ("count", "year"):
            df[col.name] = pd.to_numeric(df[col.name].replace("", None)).astype("Int64")
        elif col.kind == "amount":
            df[col.name] = pd.to_numeric(df[col.name].replace("", None)).astype("float64")
        elif col.kind == "iso3_list":
            df[col.name] = df[col.name].str.split(";")
    for _, precision in TABLES_BY_NAME[name].precision:
        df[precision] = df[precision].replace("", "day")
    return df


def _load_all(data_dir: Path = DATA_DIR, bib: Path = ROOT / "references.bib") -> dict[str, pd.DataFrame]:
    key = _fingerprint(Path(data_dir), Path(bib))
    if key not in _cache:
        frames, problems = validate_dir(Path(data_dir), Path(bib))
        if problems:
            raise DataError(problems)
        _cache[key] = {t.name: _typed(t.name, frames[t.name]) for t in TABLES}
    return _cache[key]


def load(data_dir: Path = DATA_DIR, bib: Path = ROOT / "references.bib") -> dict[str, pd.DataFrame]:
    """All tables, validated and typed; cached by the content of the files, so an edit is never missed."""
    tables = _load_all(data_dir, bib)
    ACCESSED.update(tables)
    return {name: df.copy() for name, df in tables.items()}


def table(name: str) -> pd.DataFrame:
    """One validated table (every file is validated before any is returned)."""
    df = _load_all()[name]
    ACCESSED.add(name)
    return df.copy()


def as_of() -> pd.Timestamp:
    """The date the data describe: the latest date in memberships, treaty parties or events.

    Chapters state "today" as of this date rather than the clock's, so that a rerun next year
    gives the same numbers until the data themselves change.
    """
    spells, events, parties = table("memberships"), table("events"), table("treaty_parties")
    return max(spells["start"].max(), spells["end"].max(), events["date"].max(), parties["date"].max())


def _as_timestamp(on) -> pd.Timestamp:
    return as_of() if on is None else pd.Timestamp(on)


def spells(org: str, status: str | tuple[str, ...] = "member") -> pd.DataFrame:
    statuses = (status,) if isinstance(status, str) else tuple(status)
    df = table("memberships")
    if org not in set(table("organisations")["org_id"]):
        raise KeyError(f"unknown organisation {org!r}")
    return df[(df["org_id"] == org) & df["status"].isin(statuses)]


def _held_on(spells_df: pd.DataFrame, on) -> pd.Series:
    """Which rows of ``memberships`` are in force on the date ``on`` (default: :func:`as_of`). A start
    known only to the month or year is stored as the first day of it and counts from that day."""
    when = _as_timestamp(on)
    return (spells_df["start"] <= when) & (spells_df["end"].isna() | (when < spells_df["end"]))


def start_labels(df: pd.DataFrame, fmt: str = "date") -> pd.Series:
    """Each row's ``start`` as readers should see it, never more precise than ``start_precision``:
    "8 August 1967", but "April 1974" for a start known only to the month (``fmt`` 'month' or 'year'
    gives those forms, coarsened likewise). For tables, in place of the raw dates."""
    from .gluing import format_value

    precision = df["start_precision"] if "start_precision" in df else pd.Series("day", index=df.index)
    return pd.Series([format_value(v, fmt, p) for v, p in zip(df["start"], precision)], index=df.index,
                     dtype=object)


def members(org: str, on=None, status: str | tuple[str, ...] = "member") -> pd.DataFrame:
    """Rows of ``memberships`` for ``org`` whose status holds on the date ``on`` (default: :func:`as_of`)."""
    df = spells(org, status)
    return df[_held_on(df, on)].sort_values(["start", "iso3"]).reset_index(drop=True)


def member_count(org: str, on=None, status: str | tuple[str, ...] = "member") -> int:
    return int(len(members(org, on, status)))


def counts_by_year(org: str, years, status: str | tuple[str, ...] = "member") -> pd.DataFrame:
    """Number of countries in ``status`` on 31 December of each year."""
    return pd.DataFrame({
        "year": list(years),
        "count": [member_count(org, date(int(y), 12, 31), status) for y in years],
    })


def counts_by_status(org: str, years, statuses) -> pd.DataFrame:
    """Long table (year, status, count): countries in each of ``statuses`` on 31 December of each year."""
    return pd.concat(
        [counts_by_year(org, years, status).assign(status=status) for status in statuses], ignore_index=True
    )[["year", "status", "count"]]


def with_regions(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (with an ``iso3`` column) joined to the UN M49 continent and region in countries.csv."""
    countries = table("countries")[["iso3", "continent", "region"]]
    return df.merge(countries, on="iso3", how="left", validate="many_to_one")


def overlap(groups: dict[str, set]) -> pd.DataFrame:
    """Pairwise overlaps of named sets of ISO3 codes: rows (a, b, shared, codes, names), a == b giving
    each set's size; ``names`` lists the countries by their names in countries.csv."""
    names = table("countries").set_index("iso3")["name"].to_dict()
    rows = []
    for a, members_a in groups.items():
        for b, members_b in groups.items():
            shared = sorted(set(members_a) & set(members_b), key=lambda code: names.get(code, code))
            rows.append({"a": a, "b": b, "shared": len(shared), "codes": ", ".join(shared),
                         "names": ", ".join(names.get(code, code) for code in shared)})
    return pd.DataFrame(rows)


def first_joined(org: str, status: str = "member") -> pd.DataFrame:
    """Each country's first day in ``status``, in order of joining."""
    df = spells(org, status)
    first = df.sort_values("start").groupby("iso3", as_index=False).first()
    return first.sort_values(["start", "country"]).reset_index(drop=True)


#: Rows of events.csv that record a treaty again rather than conclude it: its entry into force (on any
#: source's date) or a ratification.
_NOT_CONCLUDED = r"enters into force|ratification"


def treaty_titles(org: str) -> list[str]:
    """The binding instruments concluded within ``org``, each once, on the day it was signed: events of kind
    ``treaty`` (treaties, conventions and the protocols that amend them), in date order, without the rows
    for entry into force or ratification, each title cut before "signed" or "opens accession" (and what
    the title says after it)."""
    events = table("events")
    rows = events[(events["org_id"] == org) & (events["kind"] == "treaty")
                  & ~events["title"].str.contains(_NOT_CONCLUDED, regex=True)].sort_values("date")
    return rows["title"].str.replace(r" (?:signed|opens accession)\b.*$", "", regex=True).tolist()


def parties(treaty: str, on=None) -> pd.DataFrame:
    """Parties to ``treaty`` on the date ``on`` (default: :func:`as_of`), in the order they joined,
    with each party's name, continent and region from countries.csv."""
    df = table("treaty_parties")
    if treaty not in set(df["treaty"]):
        raise KeyError(f"no parties recorded for treaty {treaty!r}")
    df = df[(df["treaty"] == treaty) & (df["date"] <= _as_timestamp(on))]
    countries = table("countries")[["iso3", "name", "continent", "region"]].rename(columns={"iso3": "party"})
    df = df.merge(countries, on="party", how="left", validate="one_to_one")
    return df.sort_values(["date", "name"]).reset_index(drop=True)


def party_count(treaty: str, on=None) -> int:
    return int(len(parties(treaty, on)))


def party_counts_by_year(treaty: str, years, by: str | None = None) -> pd.DataFrame:
    """Number of parties to ``treaty`` on 31 December of each year: columns year, count, or in long
    form year, ``by``, count when ``by`` names a column of :func:`parties` (e.g. ``"continent"``);
    every group appears in every year, with zeros before its first party."""
    years = [int(y) for y in years]
    every = parties(treaty)  # read and joined once; each year is a filter on the dates

    def held(year: int) -> pd.DataFrame:
        return every[every["date"] <= pd.Timestamp(year, 12, 31)]

    if by is None:
        return pd.DataFrame({"year": years, "count": [len(held(y)) for y in years]})
    groups = sorted(every[by].unique())
    return pd.DataFrame([{"year": y, by: g, "count": int(n)} for y in years
                         for g, n in held(y)[by].value_counts().reindex(groups, fill_value=0).items()])


def organisation(org: str) -> pd.Series:
    df = table("organisations").set_index("org_id")
    return df.loc[org]


def indicator(iso3s, year: int, name: str) -> pd.Series:
    """Values of indicator ``name`` for the countries in ``iso3s`` in ``year``; refuses gaps."""
    df = table("indicators")
    codes = list(dict.fromkeys(iso3s))
    rows = df[(df["year"] == year) & df["iso3"].isin(codes)].set_index("iso3")[name].dropna()
    missing = [c for c in codes if c not in rows.index]
    if missing:
        raise ValueError(f"no {name} for {', '.join(missing)} in {year} in data/indicators.csv")
    return rows.loc[codes]


def share_of_world(iso3s, year: int, name: str) -> float:
    """Share (0 to 1) of the world total of indicator ``name`` held by the countries ``iso3s``."""
    world = indicator(["WLD"], year, name).iloc[0]
    return float(indicator(iso3s, year, name).sum() / world)


def latest_complete_year(iso3s, name: str) -> int:
    """Latest year in which every country in ``iso3s`` and the world have a value for ``name``."""
    df = table("indicators")
    codes = set(iso3s) | {"WLD"}
    have = df[df["iso3"].isin(codes) & df[name].notna()].groupby("year")["iso3"].nunique()
    complete = have[have == len(codes)]
    if complete.empty:
        raise ValueError(f"no year has {name} for all of {sorted(codes)}")
    return int(complete.index.max())


def shares_by_year(org: str, years, name: str, status: str | tuple[str, ...] = "member") -> pd.DataFrame:
    """Share of the world's ``name`` held by the countries in ``status`` on 31 December of each year.

    A year in which any of those countries (or the world) lacks a value gets no share (NaN) rather
    than a share computed over fewer countries.
    """
    rows = []
    for year in years:
        codes = members(org, date(int(year), 12, 31), status)["iso3"].tolist()
        try:
            share = share_of_world(codes, int(year), name) if codes else 0.0
        except ValueError:
            share = float("nan")
        rows.append({"year": int(year), "share": share, "countries": len(codes)})
    return pd.DataFrame(rows)


def per_capita(iso3s, year: int) -> pd.Series:
    """GDP per person (current US$) for each country in ``iso3s`` in ``year``; refuses gaps."""
    return (indicator(iso3s, year, "gdp_usd") / indicator(iso3s, year, "population")).astype("float64")


def latest_share(iso3s, name: str) -> tuple[float, int, list[str]]:
    """The latest share of the world's ``name`` held by ``iso3s`` and the year it refers to.

    Countries for which the indicator has no value in any year (the World Bank publishes no GDP for
    North Korea, for example) are left out and returned as the third item, so that the caller can say
    so; a country that merely lacks the latest year is not left out: an earlier year is used instead.
    """
    df = table("indicators")
    with_values = set(df.loc[df[name].notna(), "iso3"])
    codes = [c for c in dict.fromkeys(iso3s) if c != "EUU"]
    excluded = [c for c in codes if c not in with_values]
    kept = [c for c in codes if c in with_values]
    year = latest_complete_year(kept, name)
    return share_of_world(kept, year, name), year, excluded


def chair_rotation(org: str) -> pd.DataFrame:
    """Actual chairs against a strict rotation in alphabetical order of the members' English names.

    The rotation starts from the first recorded chair and steps, year by year, to the next member in
    alphabetical order among the members of that year (so a new member takes its place in the order).
    An exchange of turns between two members therefore shows as two departures.
    """
    chairs = table("chairs").query("org_id == @org").sort_values("year")
    names = table("countries").set_index("iso3")["name"]
    expected = chairs["iso3"].iloc[0]
    rows = []
    for year, chair in zip(chairs["year"].iloc[1:], chairs["iso3"].iloc[1:]):
        order = sorted(members(org, f"{year}-01-01")["iso3"], key=lambda code: names[code])
        expected = order[(order.index(expected) + 1) % len(order)]
        rows.append({"year": int(year), "chair": chair, "expected": expected, "follows_rotation": chair == expected})
    return pd.DataFrame(rows)


#: The three organisations the book is about, in the order it treats them.
BOOK_ORGS = ("ASEAN", "ARF", "SCO")


def roles(on=None, orgs=BOOK_ORGS) -> pd.DataFrame:
    """Every status a country holds in each of ``orgs`` on the date ``on`` (default: :func:`as_of`):
    one row per country, organisation and status (columns iso3, country, org_id, status, start), in the
    order of ``orgs`` and then of the countries' names. Every status in ``memberships.csv`` counts
    (member, participant, observer, dialogue partner, partner ...), not only membership."""
    df = table("memberships")
    unknown = set(orgs) - set(table("organisations")["org_id"])
    if unknown:
        raise KeyError(f"unknown organisation(s) {sorted(unknown)}")
    held = df["org_id"].isin(orgs) & _held_on(df, on)
    out = df.loc[held, ["iso3", "country", "org_id", "status", "start"]].copy()
    out["org_rank"] = out["org_id"].map({org: i for i, org in enumerate(orgs)})
    out = out.sort_values(["org_rank", "country", "status"]).drop(columns="org_rank")
    return out.drop_duplicates(["iso3", "org_id", "status"]).reset_index(drop=True)


def country_roles(on=None, orgs=BOOK_ORGS) -> pd.DataFrame:
    """One row per country holding any status in ``orgs`` on ``on``: iso3, country, one column per
    organisation with the status code held there (empty string where none; statuses joined by ';' in
    the rare case of two at once), ``roles`` (e.g. "ARF participant; SCO member", in the order of
    ``orgs``, status codes in words) and ``n_orgs`` (in how many of ``orgs`` it holds a role). Sorted
    by ``n_orgs`` (most first), then name."""
    from .gluing import status_word

    long = roles(on, orgs)
    rows = []
    for iso3, group in long.groupby("iso3", sort=False):
        row = {"iso3": iso3, "country": group["country"].iloc[0]}
        words = []
        for org in orgs:
            held = group.loc[group["org_id"] == org, "status"].tolist()
            row[org] = ";".join(held)
            words += [f"{org} {status_word(s)}" for s in held]
        row["roles"] = "; ".join(words)
        row["n_orgs"] = sum(bool(row[org]) for org in orgs)
        rows.append(row)
    out = pd.DataFrame(rows, columns=["iso3", "country", *orgs, "roles", "n_orgs"])
    return out.sort_values(["n_orgs", "country"], ascending=[False, True]).reset_index(drop=True)


def enlargements(org: str, status: str = "member") -> pd.DataFrame:
    """The days on which ``org`` gained countries in ``status`` after its first day (its founders are not
    an enlargement): columns date, iso3 (list), countries (list of names), n; in date order."""
    first = first_joined(org, status)
    later = first[first["start"] > first["start"].min()]
    grouped = later.groupby("start", sort=True).agg(iso3=("iso3", list), countries=("country", list))
    out = grouped.reset_index().rename(columns={"start": "date"})
    out["n"] = out["iso3"].map(len)
    return out[["date", "iso3", "countries", "n"]]


#: Kinds of event in events.csv that mark an organisation's own milestones on the combined timeline.
MILESTONE_KINDS = ("founding", "treaty", "declaration", "institution")
#: The status that makes a country one of an organisation's own (ARF states "participate").
CORE_STATUS = {"ARF": "participant"}


def milestones(orgs=BOOK_ORGS, kinds=MILESTONE_KINDS, forerunners: dict | None = None) -> pd.DataFrame:
    """The milestones of ``orgs`` on one table: the events of ``kinds`` in events.csv, and every
    enlargement computed from memberships.csv (not from events, so that each admission is shown once
    and the ARF's appear too). Columns date, org_id, kind (capitalised words), title, place.

    Left out by rule, not by title: an event whose id ends in ``_alt`` (an alternative date for the same
    act), an entry into force (the signing is shown), and an event its title says is not the
    organisation's own (``(not an SCO body)``). ``forerunners`` maps a forerunner's org_id to the
    organisation whose row its events join (e.g. ``{"SHANGHAI5": "SCO"}``), titles prefixed with its name.
    """
    forerunners = forerunners or {}
    events = table("events").reset_index(drop=True)
    org_names = table("organisations").set_index("org_id")["name"]
    picked = events[events["org_id"].isin(list(orgs) + list(forerunners)) & events["kind"].isin(kinds)]
    picked = picked[~picked["event_id"].str.endswith("_alt")
                    & ~picked["title"].str.contains(r"\b(?:enters? into|in) (?:force|effect)\b", regex=True)
                    & ~picked["title"].str.contains(r"\(not an? [^)]*\b(?:body|document)\)", regex=True)]
    picked = picked.assign(title=[f"{org_names[o]}: {t}" if o in forerunners else t
                                  for o, t in zip(picked["org_id"], picked["title"])],
                           org_id=picked["org_id"].replace(forerunners))
    rows = [picked[["date", "org_id", "kind", "title", "place"]]]
    from .gluing import join_names

    verbs = {("participant", False): "join as participants", ("participant", True): "joins as a participant",
             ("member", False): "admitted as members", ("member", True): "admitted as a member"}
    for org in orgs:
        status = CORE_STATUS.get(org, "member")
        for row in enlargements(org, status).itertuples():
            rows.append(pd.DataFrame([{"date": row.date, "org_id": org, "kind": "enlargement",
                                       "title": f"{join_names(row.countries)} {verbs[status, row.n == 1]}",
                                       "place": ""}]))
    out = pd.concat(rows, ignore_index=True)
    out["kind"] = out["kind"].str.capitalize()
    out["place"] = out["place"].fillna("")
    out["org_rank"] = out["org_id"].map({org: i for i, org in enumerate(orgs)})
    return out.sort_values(["org_rank", "date", "title"]).drop(columns="org_rank").reset_index(drop=True)


#: Readers' words for the areas of cooperation (data/cooperation_areas.csv) and their fields.
AREA_WORDS = {
    "regional_security": "regional security and stability", "terrorism": "terrorism", "extremism": "extremism",
    "separatism": "separatism", "drug_trafficking": "drug trafficking", "arms_trafficking": "arms trafficking",
    "transnational_crime": "organised crime", "money_laundering": "money laundering",
    "illegal_migration": "illegal migration", "human_trafficking": "human trafficking",
    "conflict_prevention": "conflict prevention", "nonproliferation": "non-proliferation",
    "law_enforcement": "law enforcement", "economy": "the economy", "trade": "trade",
    "science_technology": "science and technology", "sustainable_development": "sustainable development",
    "environment": "the environment", "culture": "culture", "education": "education", "health": "health",
    "humanitarian_law": "humanitarian law", "humanitarian_affairs": "humanitarian affairs",
    "emergency_response": "emergencies",
}
FIELD_WORDS = {"security": "security", "economic": "economic", "social": "social and humanitarian"}


def cooperation_areas(org: str) -> pd.DataFrame:
    """The areas that ``org``'s documents with each partner name: one row per partner and area, with
    the area in words (``label``), its field (``field``, :data:`secorgs.schema.COOPERATION_AREAS`) and
    the date of the first memorandum, joint declaration or agreement with that partner (``signed``)."""
    areas = table("cooperation_areas").query("org_id == @org")
    document_kinds = list(AGREEMENT_KINDS[:3])
    documents = table("agreements").query("org_id == @org and kind in @document_kinds")
    signed = documents.groupby("partner")["date"].min().rename("signed")
    return (areas.assign(label=areas["area"].map(AREA_WORDS), field=areas["area"].map(COOPERATION_AREAS))
            .join(signed, on="partner")
            .sort_values(["signed", "area"]).reset_index(drop=True))


def cooperation_matrix(org: str) -> pd.DataFrame:
    """Every partner with recorded areas against every area any of them names, with ``named`` True
    where that partner's document names the area: the cells of a partner-by-area matrix."""
    areas = cooperation_areas(org)
    partners = areas.drop_duplicates("partner")[["partner", "signed"]]
    kinds = areas.drop_duplicates("area")[["area", "label", "field"]]
    grid = partners.merge(kinds, how="cross")
    named = areas[["partner", "area"]].assign(named=True)
    grid = grid.merge(named, on=["partner", "area"], how="left")
    return grid.assign(named=grid["named"].fillna(False).astype(bool))
