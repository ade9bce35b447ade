"""Check claims made by outside texts (``data/claims.csv``) against the book's data.

Each claim names, in its ``measure`` column, how the data answer it:

``count ORG STATUS``            number of countries in STATUS on the claim's ``refers_to`` date
``joined ORG ISO3 STATUS``      the first day ISO3 held STATUS
``founded ORG``                 the organisation's founding date
``growth ORG STATUS FROM``      relative change of the count from FROM to ``refers_to``
``region_share ORG STATUS REGION``  share of the countries in STATUS that lie in a UN region (spaces as _)
``holds ORG ISO3 STATUSES``     1 if ISO3 held any of STATUSES (comma-separated) on ``refers_to``, else 0
``listed ORG STATUSES NAMES``   1 if a country called by any of NAMES (comma-separated, spaces as _) held any
                                of STATUSES on ``refers_to``, else 0: for a country that data/countries.csv does
                                not list because it never held a status, such as Taiwan; names are matched,
                                without case, against every holder's name in data/memberships.csv and
                                data/countries.csv
``event ORG TITLE``             the date of the organisation's event whose title starts with TITLE (spaces as _)
``place ORG YEAR``              the places of the organisation's dated events in YEAR
``parties TREATY [CONTINENT]``  number of parties to TREATY on ``refers_to`` (only those in a UN continent, if given)
``none``                        the book's data cannot answer the claim (verdict: not checkable)
``presumes CLAIM``              the claim takes for granted what the claim CLAIM (another row of
                                data/claims.csv) asserts, such as that a fund existed: CLAIM's measure is
                                computed on this claim's date and CLAIM's comparison applied. If the data
                                refute CLAIM, this claim is wrong with it; if they bear CLAIM out, the
                                figure itself is still unchecked (verdict: not checkable)
``seat ORG``                    where the organisation's secretariat sits (a name)
``rule ORG BODY``               how the body whose name starts with BODY decides (a name, such as consensus)
``meets ORG BODY``              how many times a year that body meets
``bodies ORG PHRASE``           number of the organisation's bodies whose name or composition contains PHRASE
``where ORG TITLE``             the place of the organisation's event whose title starts with TITLE
``acronym ORG ABBR``            the title of the organisation's event that spells out ABBR in brackets
``occurred ORG KIND PHRASE``    number of the organisation's events of KIND (``any`` for all) whose title
                                contains PHRASE, dated on or before ``refers_to``
``unbound TREATY ORG STATUS``   number of countries that entered STATUS after TREATY was signed (up to
                                ``refers_to``) without being a party to TREATY on the day they entered
``outside ORG STATUS TREATY``   number of countries in STATUS on ``refers_to`` that were not parties to TREATY
``agreed ORG PARTNER``          the date of the first agreement (data/agreements.csv) between ORG and PARTNER
``memoranda ORG PARTNERS``      how many of PARTNERS (comma-separated) had signed a memorandum with ORG
``exercise_year RANK [PREFIX]`` the year of the first, last or largest (most troops) SCO exercise held by
                                ``refers_to`` (only those whose name starts with PREFIX, if given)
``exercise_parties NAME``       number of countries taking part in the exercise NAME
``exercise_host NAME``          the host countries of the exercise NAME (names)
``troops NAME``                 the troops the exercise NAME involved, as the range the sources give
``took_part ISO3``              share of the SCO exercises held by ``refers_to`` in which ISO3 took part
``term ORG OFFICE``             the usual (median) length of a completed term in OFFICE, in years (a
                                :class:`Years`, compared as :func:`duration_agrees` says)
``share ORG STATUS INDICATOR``  the share of the world's INDICATOR held by countries in STATUS (several
                                statuses separated by commas) in the year of ``refers_to`` (or the
                                latest year with complete data before it)

The verdict compares the asserted value with the computed one as the claim's ``quantity`` says:
counts exactly (or inside the range the sources give), places and names by name, dates to the day, months to the month, years to the year, ratios to within
half a percentage point, shares to within :data:`SHARE_TOLERANCE` of a round figure, or inside a
range written ``low..high`` for words such as "almost half"; durations (the ``term`` measure) to within
:data:`DURATION_TOLERANCE` of the whole number of years asserted, computed from the days between the
dates, never from years rounded first.

:func:`describe` puts a value (asserted or computed) into the words a reader expects for its measure:
"yes"/"no", "nine members", "no event by 31 December 2023", "3.0 years".
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from . import data
from .gluing import format_value, join_names, number_words, status_word

SHARE_TOLERANCE = 0.01  # one percentage point: a round figure a reader would call wrong fails
RATIO_TOLERANCE = 0.005
#: A whole number of years N asserted for a duration is supported from N - 0.25 up to (not including)
#: N + 0.25 years: "ten years" fits nine years and eleven months, not nine and a half. With durations
#: shown to one decimal (:func:`years_text`), the figure a reader sees always falls on the same side
#: of this line as the exact duration, so rounding for display never decides a verdict.
DURATION_TOLERANCE = 0.25
DAYS_PER_YEAR = 365.25


class Years(float):
    """A duration in years (days / 365.25), kept exact; :func:`years_text` shows it to one decimal."""


def years_between(start, end) -> Years:
    return Years((pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_YEAR)


def years_text(years: float) -> str:
    """A duration to one decimal, rounded half up: 9.92 -> '9.9 years' (never truncated to '9 years')."""
    tenths = math.floor(years * 10 + 0.5)
    return f"{tenths // 10}.{tenths % 10} year{'' if tenths == 10 else 's'}"


def duration_agrees(asserted_years: int, actual: float) -> bool:
    """Whether a whole number of years asserted fits a duration (see :data:`DURATION_TOLERANCE`)."""
    return asserted_years - DURATION_TOLERANCE <= actual < asserted_years + DURATION_TOLERANCE


def share_tolerance_words(tolerance: float | None = None) -> str:
    """The share tolerance as prose says it: "one percentage point", "half a percentage point"."""
    points = (SHARE_TOLERANCE if tolerance is None else tolerance) * 100
    if abs(points - 0.5) < 1e-9:
        return "half a percentage point"
    if abs(points - round(points)) < 1e-9:
        n = round(points)
        return f"{number_words(n)} percentage point{'' if n == 1 else 's'}"
    return f"{points:g} percentage points"


@dataclass(frozen=True)
class Premise:
    """What a ``presumes`` measure found: the claim presumed, its computed answer and whether it holds."""
    claim_id: str
    claim: str
    measure: str
    quantity: str
    value: object
    holds: bool


@dataclass(frozen=True)
class Verdict:
    claim_id: str
    verdict: str  # "supported", "wrong" or "not checkable"
    asserted: str
    actual: str
    reason: str = ""
    asserted_words: str = ""  # the asserted value as a reader reads it (see describe)
    actual_words: str = ""    # the data's answer as a reader reads it


#: Each measure's arguments, in order (a name ending in ``?`` may be left out), and the quantities it
#: can answer. :func:`parse_measure` reads a measure by this table; ``make check-data`` uses it too.
MEASURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "count": (("org", "status"), ("count",)),
    "joined": (("org", "iso3", "status"), ("date", "month", "year")),
    "founded": (("org",), ("date", "month", "year")),
    "growth": (("org", "status", "from"), ("ratio",)),
    "region_share": (("org", "statuses", "region"), ("share",)),
    "holds": (("org", "iso3", "statuses"), ("count",)),
    "event": (("org", "title"), ("date", "month", "year")),
    "place": (("org", "year"), ("place",)),
    "parties": (("treaty", "continent?"), ("count",)),
    "none": ((), ("count", "date", "month", "year", "share", "ratio", "place", "name")),
    "share": (("org", "statuses", "indicator"), ("share",)),
    "seat": (("org",), ("name",)),
    "rule": (("org", "body"), ("name",)),
    "meets": (("org", "body"), ("count",)),
    "bodies": (("org", "phrase"), ("count",)),
    "where": (("org", "title"), ("name",)),
    "acronym": (("org", "abbr"), ("name",)),
    "occurred": (("org", "kind", "phrase"), ("count",)),
    "unbound": (("treaty", "org", "status"), ("count",)),
    "outside": (("org", "status", "treaty"), ("count",)),
    "agreed": (("org", "partner"), ("date", "month", "year")),
    "memoranda": (("org", "partners"), ("count",)),
    "exercise_year": (("rank", "prefix?"), ("year",)),
    "exercise_parties": (("name",), ("count",)),
    "exercise_host": (("name",), ("name",)),
    "troops": (("name",), ("count",)),
    "took_part": (("iso3",), ("share",)),
    "term": (("org", "office"), ("count",)),
    "listed": (("org", "statuses", "names"), ("count",)),
    "presumes": (("claim",), ("count", "date", "month", "year", "share", "ratio", "place", "name")),
}

_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_ASSERTED = {
    "count": (re.compile(r"\d+"), "a whole number such as 9"),
    "date": (re.compile(r"\d{4}-\d{2}-\d{2}"), "a date YYYY-MM-DD"),
    "month": (re.compile(r"\d{4}-\d{2}"), "a month YYYY-MM"),
    "year": (re.compile(r"\d{4}"), "a year YYYY"),
    "ratio": (_DECIMAL, "a decimal number such as 0.25 (for 25%)"),
    "place": (re.compile(r"\S.*"), "a place name"),
    "name": (re.compile(r"\S.*"), "a name or a word such as consensus"),
}


def parse_measure(measure: str) -> tuple[str, dict[str, str]]:
    """Split a ``measure`` into its kind and its named arguments; ValueError says what is wrong."""
    kind, *args = measure.split(" ")
    if kind not in MEASURES:
        raise ValueError(f"unknown measure {kind!r}; expected one of: {', '.join(MEASURES)}")
    names = MEASURES[kind][0]
    needed = [n for n in names if not n.endswith("?")]
    if not len(needed) <= len(args) <= len(names) or "" in args:
        usage = " ".join([kind, *(n.upper().rstrip("?") + ("?" if n.endswith("?") else "") for n in names)])
        raise ValueError(f"measure {measure!r} does not read as '{usage}' (arguments separated by one space)")
    return kind, {n.rstrip("?"): a for n, a in zip(names, args)}


def parse_asserted(quantity: str, asserted: str):
    """The asserted value as a number, a (low, high) range, a Timestamp or a string; ValueError if malformed."""
    if quantity == "share":
        parts = asserted.split("..")
        if len(parts) > 2 or not all(_DECIMAL.fullmatch(p) for p in parts):
            hint = f" ({float(asserted.rstrip('%')) / 100:g})" if re.fullmatch(r"\d+(\.\d+)?%", asserted) else ""
            raise ValueError(f"'{asserted}' is not a share: write a fraction between 0 and 1{hint}, "
                             "or a range low..high such as 0.40..0.50")
        values = [float(p) for p in parts]
        if not all(0 <= v <= 1 for v in values) or values != sorted(values):
            raise ValueError(f"'{asserted}' is not a share between 0 and 1 (a range must run low..high)")
        return tuple(values) if len(values) == 2 else values[0]
    if quantity not in _ASSERTED:
        raise ValueError(f"unknown quantity {quantity!r}")
    pattern, form = _ASSERTED[quantity]
    if not pattern.fullmatch(asserted):
        raise ValueError(f"'{asserted}' is not {form}, as quantity '{quantity}' needs")
    if quantity == "count":
        return int(asserted)
    if quantity == "ratio":
        return float(asserted)
    if quantity in ("date", "month"):
        try:
            return pd.Timestamp(asserted)
        except ValueError:
            raise ValueError(f"'{asserted}' is not a real calendar {quantity}") from None
    return int(asserted) if quantity == "year" else asserted


def compute(measure: str, refers_to: pd.Timestamp):
    """The data's answer to ``measure`` on the date ``refers_to`` (a number or a Timestamp)."""
    kind, a = parse_measure(measure)
    if kind == "none":
        raise LookupError("no data in this book measure this")
    if kind in _MORE:
        return _MORE[kind](a, refers_to)
    if kind == "region_share":
        regions = data.with_regions(data.members(a["org"], refers_to, tuple(a["statuses"].split(","))))["region"]
        if regions.empty:
            raise LookupError(f"{a['org']} had no countries in status {a['statuses']} on {refers_to:%Y-%m-%d}")
        return float((regions == a["region"].replace("_", " ")).mean())
    if kind == "holds":
        return int(a["iso3"] in set(data.members(a["org"], refers_to, tuple(a["statuses"].split(",")))["iso3"]))
    if kind == "event":
        org, title = a["org"], a["title"]
        events = data.table("events")
        found = events[(events["org_id"] == org) & events["title"].str.startswith(title.replace("_", " "))]
        if len(found) != 1:
            raise LookupError(f"{len(found)} events of {org} start with {title!r}")
        return found["date"].iloc[0]
    if kind == "place":
        org, year = a["org"], a["year"]
        events = data.table("events")
        places = events[(events["org_id"] == org) & (events["date"].dt.year == int(year)) & (events["place"] != "")]
        if places.empty:
            raise LookupError(f"no dated event of {org} in {year} records a place")
        return ", ".join(sorted(set(places["place"])))
    if kind == "parties":
        found = data.parties(a["treaty"], refers_to)
        if "continent" in a:
            found = found[found["continent"] == a["continent"].replace("_", " ")]
        return len(found)
    if kind == "count":
        return data.member_count(a["org"], refers_to, a["status"])
    if kind == "joined":
        org, iso3, status = a["org"], a["iso3"], a["status"]
        joined = data.first_joined(org, status).set_index("iso3")["start"]
        if iso3 not in joined.index:
            raise LookupError(f"{iso3} never held status {status} in {org}")
        return joined[iso3]
    if kind == "founded":
        return data.organisation(a["org"])["founded"]
    if kind == "growth":
        org, status = a["org"], a["status"]
        before = data.member_count(org, a["from"], status)
        return data.member_count(org, refers_to, status) / before - 1
    # share
    codes = data.members(a["org"], refers_to, tuple(a["statuses"].split(",")))["iso3"]
    year = min(refers_to.year, data.latest_complete_year(codes, a["indicator"]))
    return data.share_of_world(codes, year, a["indicator"])


def _spaced(text: str) -> str:
    return text.replace("_", " ")


def _one(found: pd.DataFrame, what: str) -> pd.Series:
    if len(found) != 1:
        raise LookupError(f"{len(found)} rows match {what}")
    return found.iloc[0]


def _body(a) -> pd.Series:
    bodies = data.table("bodies")
    return _one(bodies[(bodies["org_id"] == a["org"]) & bodies["body"].str.startswith(_spaced(a["body"]))],
                f"body {a['body']!r} of {a['org']}")


def _event(a) -> pd.Series:
    events = data.table("events")
    return _one(events[(events["org_id"] == a["org"]) & events["title"].str.startswith(_spaced(a["title"]))],
                f"event {a['title']!r} of {a['org']}")


def _occurrences(a, on) -> pd.DataFrame:
    events = data.table("events")
    found = events[(events["org_id"] == a["org"]) & (events["date"] <= on)
                   & events["title"].str.contains(_spaced(a["phrase"]), case=False, regex=False)]
    if a["kind"] != "any":
        found = found[found["kind"] == a["kind"]]
    return found


def _occurred(a, on):
    return len(_occurrences(a, on))


def _unbound_codes(a, on) -> list[str]:
    """Countries that entered STATUS after the treaty was signed without being parties that day."""
    treaty = data.table("treaty_parties")
    treaty = treaty[treaty["treaty"] == a["treaty"]]
    if treaty.empty:
        raise LookupError(f"no parties to {a['treaty']}")
    joined = data.first_joined(a["org"], a["status"])
    joined = joined[(joined["start"] > treaty["date"].min()) & (joined["start"] <= on)]
    party_since = treaty.groupby("party")["date"].min()
    return [iso3 for iso3, start in zip(joined["iso3"], joined["start"])
            if not (iso3 in party_since.index and party_since[iso3] <= start)]


def _unbound(a, on):
    return len(_unbound_codes(a, on))


def _outside_codes(a, on) -> list[str]:
    held = set(data.members(a["org"], on, a["status"])["iso3"])
    if not held:
        raise LookupError(f"{a['org']} had no countries in status {a['status']} on {on:%Y-%m-%d}")
    return sorted(held - set(data.parties(a["treaty"], on)["party"]))


def _outside(a, on):
    return len(_outside_codes(a, on))


def _agreements(a, on=None):
    links = data.table("agreements")
    pair = {a["org"], a["partner"]} if "partner" in a else None
    if pair:
        links = links[links["org_id"].isin(pair) & links["partner"].isin(pair)]
    return links if on is None else links[links["date"] <= on]


def _agreed(a, on):
    links = _agreements(a)
    if links.empty:
        raise LookupError(f"no agreement between {a['org']} and {a['partner']}")
    return links["date"].min()


def _memoranda(a, on):
    links = data.table("agreements")
    links = links[(links["kind"] == "memorandum") & (links["date"] <= on)
                  & (((links["org_id"] == a["org"]) & links["partner"].isin(a["partners"].split(",")))
                     | ((links["partner"] == a["org"]) & links["org_id"].isin(a["partners"].split(","))))]
    return len((set(links["org_id"]) | set(links["partner"])) - {a["org"]})


def _exercises(on) -> pd.DataFrame:
    held = data.table("exercises")
    held = held[held["year"] <= on.year]
    if held.empty:
        raise LookupError(f"no exercise by {on.year}")
    return held


def _exercise(name: str) -> pd.Series:
    held = data.table("exercises")
    return _one(held[held["name"] == _spaced(name)], f"exercise {_spaced(name)!r}")


def _codes(value) -> list[str]:
    """ISO3 codes of a list column (typed as a list; a raw 'A;B' string is split)."""
    if isinstance(value, str):
        return [c for c in value.split(";") if c]
    return list(value) if isinstance(value, (list, tuple)) else []


def _exercise_year(a, on):
    held = _exercises(on)
    if "prefix" in a:
        held = held[held["name"].str.startswith(_spaced(a["prefix"]))]
    if held.empty:
        raise LookupError(f"no exercise named {_spaced(a.get('prefix', ''))!r} by {on.year}")
    if a["rank"] == "largest":
        return int(held.loc[held["troops_high"].astype(float).idxmax(), "year"])
    if a["rank"] not in ("first", "last"):
        raise LookupError(f"rank {a['rank']!r} is not first, last or largest")
    return int(held["year"].min() if a["rank"] == "first" else held["year"].max())


def _host(a, on):
    names = data.table("countries").set_index("iso3")["name"]
    return ", ".join(names[c] for c in _codes(_exercise(a["name"])["host"]))


def _troops(a, on):
    row = _exercise(a["name"])
    if pd.isna(row["troops_low"]):
        raise LookupError(f"no troop numbers for {row['name']}")
    return int(row["troops_low"]), int(row["troops_high"])


def _took_part(a, on):
    held = _exercises(on)
    return float(held["participants"].map(lambda p: a["iso3"] in _codes(p)).mean())


def _term(a, on):
    held = data.table("officeholders")
    held = held[(held["org_id"] == a["org"]) & (held["office"] == _spaced(a["office"])) & held["end"].notna()]
    if held.empty:
        raise LookupError(f"no completed term of {a['office']} in {a['org']}")
    # exact terms (days / 365.25), not terms rounded to whole years first: a term of nine years and
    # eleven months stays 9.92 years, and the comparison, not the rounding, decides the verdict
    return Years(pd.Series([years_between(s, e) for s, e in zip(held["start"], held["end"])]).median())


def _seat(a, on):
    seat = data.organisation(a["org"])["secretariat"]
    if not isinstance(seat, str) or not seat:
        raise LookupError(f"{a['org']} has no secretariat in data/organisations.csv")
    return seat


def _acronym(a, on):
    events = data.table("events")
    found = events[(events["org_id"] == a["org"]) & events["title"].str.contains(f"({a['abbr']})", regex=False)]
    return _one(found, f"an event of {a['org']} spelling out {a['abbr']}")["title"]


def _bodies(a, on):
    bodies = data.table("bodies")
    bodies = bodies[bodies["org_id"] == a["org"]]
    if bodies.empty:
        raise LookupError(f"no bodies of {a['org']} in data/bodies.csv")
    text = (bodies["body"] + " " + bodies["composition"].fillna("")).str.lower()
    return int(text.str.contains(_spaced(a["phrase"]).lower(), regex=False).sum())


def _meets(a, on):
    times = _body(a)["meetings_per_year"]
    if pd.isna(times):
        raise LookupError(f"no meeting frequency for {a['body']}")
    return int(times)


_MORE = {
    "seat": _seat,
    "rule": lambda a, on: _body(a)["decision_rule"],
    "meets": _meets,
    "bodies": _bodies,
    "where": lambda a, on: _event(a)["place"] or _fail(f"event {a['title']!r} records no place"),
    "acronym": _acronym,
    "occurred": _occurred,
    "unbound": _unbound,
    "outside": _outside,
    "agreed": _agreed,
    "memoranda": _memoranda,
    "exercise_year": _exercise_year,
    "exercise_parties": lambda a, on: len(_codes(_exercise(a["name"])["participants"])),
    "exercise_host": _host,
    "troops": _troops,
    "took_part": _took_part,
    "term": _term,
}


def _fail(message: str):
    raise LookupError(message)


def _premise(a, on) -> Premise:
    """The claim presumed (another row of data/claims.csv), computed on the presuming claim's date."""
    rows = data.table("claims")
    found = rows[rows["claim_id"] == a["claim"]]
    if found.empty:
        raise LookupError(f"no claim {a['claim']!r} in data/claims.csv to presume")
    premise = found.iloc[0]
    kind = premise["measure"].split(" ")[0]
    if kind in ("none", "presumes"):
        raise LookupError(f"the claim presumed ({a['claim']}) has measure {kind!r}: the data cannot decide it")
    value = compute(premise["measure"], on)
    return Premise(premise["claim_id"], premise["claim"], premise["measure"], premise["quantity"], value,
                   agrees(premise["quantity"], premise["asserted"], value))


_MORE["presumes"] = _premise


def _listed(a, on):
    held = data.members(a["org"], on, tuple(a["statuses"].split(",")))
    if held.empty:
        raise LookupError(f"{a['org']} had no countries in status {a['statuses']} on {on:%Y-%m-%d}")
    names = data.table("countries").set_index("iso3")["name"]
    known = set(held["country"].str.lower()) | {names.get(c, "").lower() for c in held["iso3"]}
    return int(any(_spaced(n).lower() in known for n in a["names"].split(",")))


_MORE["listed"] = _listed


def _as_text(value, quantity: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        low, high = value
        return str(low) if low == high else f"{low} to {high}"
    if isinstance(value, pd.Timestamp):
        return {"date": f"{value:%Y-%m-%d}", "month": f"{value:%Y-%m}"}.get(quantity, str(value.year))
    if isinstance(value, Premise):
        return _as_text(value.value, value.quantity)
    if isinstance(value, Years):
        return f"{value:.2f}"
    if quantity in ("share", "ratio"):
        return f"{100 * value:.1f}%"
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def agrees(quantity: str, asserted: str, actual) -> bool:
    value = parse_asserted(quantity, asserted)
    if quantity == "count":
        if isinstance(actual, tuple):  # the range the sources give
            return actual[0] <= value <= actual[1]
        if isinstance(actual, Years):
            return duration_agrees(value, actual)
        return value == int(actual)
    if quantity == "date":
        return value == actual
    if quantity == "month":
        return asserted == f"{actual:%Y-%m}"
    if quantity == "year":
        return value == (actual.year if isinstance(actual, pd.Timestamp) else int(actual))
    if quantity == "ratio":
        return abs(value - actual) <= RATIO_TOLERANCE
    if quantity == "place":
        return value in actual.split(", ")
    if quantity == "name":
        return value.lower() in actual.lower()
    if isinstance(value, tuple):  # a share given as a range, for words such as "almost half"
        low, high = value
        return low <= actual <= high
    return abs(value - actual) <= SHARE_TOLERANCE


def check(claim: pd.Series) -> Verdict:
    quantity, measure, on = claim["quantity"], claim["measure"], claim["refers_to"]
    asserted = claim["asserted"]
    if quantity in ("share", "ratio"):
        asserted = " to ".join(_as_text(float(v), quantity) for v in asserted.split(".."))
    try:
        said = describe(measure, parse_asserted(quantity, claim["asserted"]), quantity, on, computed=False)
    except ValueError:  # no value asserted, or one check-data reports as malformed: show it as written
        said = claim["asserted"]
    try:
        actual = compute(measure, on)
    except (LookupError, ValueError) as err:
        return Verdict(claim["claim_id"], "not checkable", asserted, "", str(err), said)
    shown = describe(measure, actual, quantity, on)
    if isinstance(actual, Premise):
        if actual.holds:
            return Verdict(claim["claim_id"], "not checkable", asserted, _as_text(actual, quantity),
                           f"the premise ({actual.claim_id}) holds, but no record in the book gives the figure itself",
                           said, shown)
        return Verdict(claim["claim_id"], "wrong", asserted, _as_text(actual, quantity),
                       f"rests on {actual.claim_id}, which the data refute", said, shown)
    verdict = "supported" if agrees(quantity, claim["asserted"], actual) else "wrong"
    return Verdict(claim["claim_id"], verdict, asserted, _as_text(actual, quantity), "", said, shown)


def verdicts(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per claim: the claim, what it asserts, what the data say, and the verdict.

    ``asserted`` and ``actual`` are compact machine-readable texts (9, 2001-06-15, 48.3%); ``asserted_words``
    and ``actual_words`` say the same as a reader reads it (nine members, 15 June 2001, yes, 3.0 years)."""
    claims = data.table("claims") if claims is None else claims
    checked = pd.DataFrame([check(row).__dict__ for _, row in claims.iterrows()],
                           columns=["claim_id", "verdict", "asserted", "actual", "reason",
                                    "asserted_words", "actual_words"])
    return claims[["claim_id", "source", "claim", "quantity"]].merge(checked, on="claim_id")


# --- values in words ---------------------------------------------------------------------------------

def _plural(n: int, noun: str, plural: str | None = None) -> str:
    """'one member', 'nine members', 'no members' (a count with its noun, in the house style)."""
    return f"{'no' if n == 0 else number_words(n)} {noun if n == 1 else (plural or noun + 's')}"


def _names(codes) -> str:
    names = data.table("countries").set_index("iso3")["name"]
    return join_names(sorted(names.get(c, c) for c in codes))


def _when(on) -> str:
    return format_value(pd.Timestamp(on), "date") if on is not None and not pd.isna(on) else "the date described"


def describe(measure: str, value, quantity: str, refers_to=None, computed: bool = True) -> str:
    """``value`` (what :func:`compute` returned, or with ``computed=False`` an asserted value parsed by
    :func:`parse_asserted`) in the words a reader expects for the claim's measure and quantity.

    Counts carry their noun ("nine members", "54 parties", "two bodies"), whether a country held a status
    reads "yes" or "no", events that did or did not happen read "no event by <date>" or "one event, in 2011",
    meetings "once a year", durations "3.0 years", dates "15 June 2001", shares "48.3%"; a claim that
    rests on another (``presumes``) shows what the data say about that one."""
    if value is None or (isinstance(value, str) and value == ""):
        return ""
    kind, a = parse_measure(measure)
    if isinstance(value, Premise):
        premise = describe(value.measure, value.value, value.quantity, refers_to)
        return f"{'premise holds' if value.holds else 'premise fails'}: “{value.claim}”: {premise}"
    if isinstance(value, pd.Timestamp) or quantity in ("date", "month", "year"):
        if isinstance(value, pd.Timestamp):
            return format_value(value, {"date": "date", "month": "month"}.get(quantity, "year"))
        return str(value)
    if isinstance(value, tuple) and quantity in ("share", "ratio"):
        return " to ".join(format_value(v, "pct") for v in value)
    if quantity in ("share", "ratio"):
        return format_value(float(value), "pct")
    if quantity in ("place", "name"):
        return str(value)
    # counts, by measure
    if kind == "troops":
        low, high = value if isinstance(value, tuple) else (value, value)
        return f"{low:,} troops" if low == high else f"{low:,} to {high:,} troops"
    if kind == "term":
        return years_text(value) if isinstance(value, Years) else _plural(int(value), "year")
    n = int(value)
    if kind in ("holds", "listed"):
        return "yes" if n else "no"
    if kind == "count":
        return _plural(n, status_word(a["status"]))
    if kind == "parties":
        where = f" in {_spaced(a['continent'])}" if "continent" in a else ""
        return _plural(n, "party", "parties") + where
    if kind == "meets":
        return format_value(n, "times") + " a year"
    if kind == "bodies":
        return _plural(n, "body", "bodies")
    if kind == "exercise_parties":
        return _plural(n, "country", "countries")
    if kind == "memoranda":
        return f"{number_words(n)} of {_plural(len(a['partners'].split(',')), 'partner')}"
    if kind == "occurred":
        if not computed or refers_to is None:
            return "no event" if n == 0 else _plural(n, "event")
        if n == 0:
            return f"no event by {_when(refers_to)}"
        years = sorted({str(d.year) for d in _occurrences(a, refers_to)["date"]})
        return f"{_plural(n, 'event')}, in {join_names(years)}"
    if kind in ("outside", "unbound"):
        if not computed or refers_to is None:
            return "none" if n == 0 else number_words(n)
        codes = (_outside_codes if kind == "outside" else _unbound_codes)(a, refers_to)
        return "none" if n == 0 else f"{number_words(n)}: {_names(codes)}"
    return number_words(n)

