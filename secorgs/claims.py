"""Check claims made by outside texts (``data/claims.csv``) against the book's data.

Each claim names, in its ``measure`` column, how the data answer it:

``count ORG STATUS``            number of countries in STATUS on the claim's ``refers_to`` date
``joined ORG ISO3 STATUS``      the first day ISO3 held STATUS
``founded ORG``                 the organisation's founding date
``growth ORG STATUS FROM``      relative change of the count from FROM to ``refers_to``
``region_share ORG STATUS REGION``  share of the countries in STATUS that lie in a UN region (spaces as _)
``holds ORG ISO3 STATUSES``     1 if ISO3 held any of STATUSES (comma-separated) on ``refers_to``, else 0
``event ORG TITLE``             the date of the organisation's event whose title starts with TITLE (spaces as _)
``place ORG YEAR``              the places of the organisation's dated events in YEAR
``parties TREATY [CONTINENT]``  number of parties to TREATY on ``refers_to`` (only those in a UN continent, if given)
``none``                        the book's data cannot answer the claim (verdict: not checkable)
``share ORG STATUS INDICATOR``  the share of the world's INDICATOR held by countries in STATUS (several
                                statuses separated by commas) in the year of ``refers_to`` (or the
                                latest year with complete data before it)

The verdict compares the asserted value with the computed one as the claim's ``quantity`` says:
counts exactly, places by name, dates to the day, months to the month, years to the year, ratios to within
half a percentage point, shares to within :data:`SHARE_TOLERANCE` of a round figure, or inside a
range written ``low..high`` for words such as "almost half".
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import data

SHARE_TOLERANCE = 0.03
RATIO_TOLERANCE = 0.005


@dataclass(frozen=True)
class Verdict:
    claim_id: str
    verdict: str  # "supported", "wrong" or "not checkable"
    asserted: str
    actual: str
    reason: str = ""


def compute(measure: str, refers_to: pd.Timestamp):
    """The data's answer to ``measure`` on the date ``refers_to`` (a number or a Timestamp)."""
    kind, *args = measure.split()
    if kind == "none":
        raise LookupError("no data in this book measure this")
    if kind == "region_share":
        org, status, region = args
        regions = data.with_regions(data.members(org, refers_to, tuple(status.split(","))))["region"]
        if regions.empty:
            raise LookupError(f"{org} had no countries in status {status} on {refers_to:%Y-%m-%d}")
        return float((regions == region.replace("_", " ")).mean())
    if kind == "holds":
        org, iso3, statuses = args
        return int(iso3 in set(data.members(org, refers_to, tuple(statuses.split(",")))["iso3"]))
    if kind == "event":
        org, title = args
        events = data.table("events")
        found = events[(events["org_id"] == org) & events["title"].str.startswith(title.replace("_", " "))]
        if len(found) != 1:
            raise LookupError(f"{len(found)} events of {org} start with {title!r}")
        return found["date"].iloc[0]
    if kind == "place":
        org, year = args
        events = data.table("events")
        places = events[(events["org_id"] == org) & (events["date"].dt.year == int(year)) & (events["place"] != "")]
        if places.empty:
            raise LookupError(f"no dated event of {org} in {year} records a place")
        return ", ".join(sorted(set(places["place"])))
    if kind == "parties":
        treaty, *continent = args
        found = data.parties(treaty, refers_to)
        if continent:
            found = found[found["continent"] == continent[0].replace("_", " ")]
        return len(found)
    if kind == "count":
        org, status = args
        return data.member_count(org, refers_to, status)
    if kind == "joined":
        org, iso3, status = args
        joined = data.first_joined(org, status).set_index("iso3")["start"]
        if iso3 not in joined.index:
            raise LookupError(f"{iso3} never held status {status} in {org}")
        return joined[iso3]
    if kind == "founded":
        (org,) = args
        return data.organisation(org)["founded"]
    if kind == "growth":
        org, status, start = args
        before = data.member_count(org, start, status)
        return data.member_count(org, refers_to, status) / before - 1
    if kind == "share":
        org, statuses, name = args
        codes = data.members(org, refers_to, tuple(statuses.split(",")))["iso3"]
        year = min(refers_to.year, data.latest_complete_year(codes, name))
        return data.share_of_world(codes, year, name)
    raise ValueError(f"unknown measure {measure!r}")


def _as_text(value, quantity: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Timestamp):
        return {"date": f"{value:%Y-%m-%d}", "month": f"{value:%Y-%m}"}.get(quantity, str(value.year))
    if quantity in ("share", "ratio"):
        return f"{100 * value:.1f}%"
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def agrees(quantity: str, asserted: str, actual) -> bool:
    if quantity == "count":
        return int(asserted) == int(actual)
    if quantity == "date":
        return pd.Timestamp(asserted) == actual
    if quantity == "month":
        return asserted == f"{actual:%Y-%m}"
    if quantity == "year":
        year = actual.year if isinstance(actual, pd.Timestamp) else int(actual)
        return int(asserted) == year
    if quantity == "ratio":
        return abs(float(asserted) - actual) <= RATIO_TOLERANCE
    if quantity == "place":
        return asserted in actual.split(", ")
    if quantity == "share":
        if ".." in asserted:  # a range, for words such as "almost half"
            low, high = map(float, asserted.split(".."))
            return low <= actual <= high
        return abs(float(asserted) - actual) <= SHARE_TOLERANCE
    raise ValueError(f"unknown quantity {quantity!r}")


def check(claim: pd.Series) -> Verdict:
    quantity = claim["quantity"]
    asserted = claim["asserted"]
    if quantity in ("share", "ratio"):
        asserted = " to ".join(_as_text(float(v), quantity) for v in asserted.split(".."))
    try:
        actual = compute(claim["measure"], claim["refers_to"])
    except (LookupError, ValueError) as err:
        return Verdict(claim["claim_id"], "not checkable", asserted, "", str(err))
    verdict = "supported" if agrees(quantity, claim["asserted"], actual) else "wrong"
    return Verdict(claim["claim_id"], verdict, asserted, _as_text(actual, quantity))


def verdicts(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per claim: the claim, what it asserts, what the data say, and the verdict."""
    claims = data.table("claims") if claims is None else claims
    checked = pd.DataFrame([check(row).__dict__ for _, row in claims.iterrows()],
                           columns=["claim_id", "verdict", "asserted", "actual", "reason"])
    return claims[["claim_id", "source", "claim", "quantity"]].merge(checked, on="claim_id")
