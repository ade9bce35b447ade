"""The declared schema of every CSV file in ``data/``, and its validation.

Each file is described once, here: its columns, what they mean, their kinds, its unique key.
:func:`validate_dir` checks every file with pandera and returns *all* problems at once, each
naming the file, the row as a spreadsheet shows it (the header is row 1) and the column.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pycountry

#: Codes that are not ISO 3166 countries but stand in the data: the EU takes part in the ARF,
#: and the World Bank publishes world totals under WLD. Both follow World Bank usage.
EXTRA_CODES = {"EUU": "European Union", "WLD": "World"}

#: Files in data/ that are not tables.
UNDECLARED_ALLOWED = {"README.md"}

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # code, id, iso3, iso3_list, text, date, year, enum, count, amount, sources
    description: str
    required: bool = True
    values: tuple[str, ...] = ()
    references: str | None = None  # "table.column" this column must match
    also: tuple[str, ...] = ()  # values allowed besides those of ``references``


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    period: tuple[str, str] | None = None  # (low, high) columns, dates or counts: high may not be below low
    #: (date column, its precision column): a date known to the month or year only must be the
    #: first day of that month or year
    precision: tuple[tuple[str, str], ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


#: How precisely a date is known (``start_precision`` in memberships.csv): an empty cell means "day".
#: A date known only to the month is written as the first day of that month, one known only to the
#: year as 1 January, and counted from that day (see data/README.md); prose shows it as "April 1974"
#: or "1974", never as a day (:func:`secorgs.gluing.format_value` with ``precision``).
PRECISIONS = ("day", "month", "year")

SOURCE = Column("source", "sources",
                "Where the fact comes from: keys of references.bib or URLs, separated by ';'")
MEMBERSHIP_STATUSES = ("member", "observer", "dialogue_partner", "partner", "participant")
#: Kinds of link in agreements.csv; the first three are documents that name areas of cooperation.
AGREEMENT_KINDS = ("memorandum", "joint_declaration", "agreement", "observer_status")
#: The areas of cooperation that cooperation_areas.csv may record, each with its field: the book's
#: coding of the documents' wording (security, economic, or social and humanitarian).
COOPERATION_AREAS = {
    "regional_security": "security", "terrorism": "security", "extremism": "security",
    "separatism": "security", "drug_trafficking": "security", "arms_trafficking": "security",
    "transnational_crime": "security", "money_laundering": "security", "illegal_migration": "security",
    "human_trafficking": "security", "conflict_prevention": "security", "nonproliferation": "security",
    "law_enforcement": "security",
    "economy": "economic", "trade": "economic", "science_technology": "economic",
    "sustainable_development": "economic", "environment": "economic",
    "culture": "social", "education": "social", "health": "social",
    "humanitarian_law": "social", "humanitarian_affairs": "social", "emergency_response": "social",
}

TABLES = (
    Table(
        "countries", "Every country (and the EU) in the memberships or treaty parties, with its UN M49 region.",
        (
            Column("iso3", "iso3", "ISO 3166-1 alpha-3 code (EUU for the European Union)"),
            Column("name", "text", "Short English name"),
            Column("continent", "text", "Continent (UN M49)"),
            Column("region", "text", "Sub-region (UN M49), e.g. South-eastern Asia"),
            SOURCE,
        ),
        key=("iso3",),
    ),
    Table(
        "organisations", "One row per organisation or forum.",
        (
            Column("org_id", "code", "Short identifier used by the other files"),
            Column("name", "text", "Full name in English"),
            Column("founded", "date", "Date of the founding document or first meeting (ISO 8601)"),
            Column("place", "text", "Where it was founded", required=False),
            Column("secretariat", "text", "Seat of its secretariat, if it has one", required=False),
            Column("security_role", "text", "Its security mandate in a phrase, as its founding texts put it",
                   required=False),
            SOURCE,
        ),
        key=("org_id",),
    ),
    Table(
        "memberships", "One row per country, organisation and status spell; a change of status is a new row.",
        (
            Column("org_id", "code", "Organisation", references="organisations.org_id"),
            Column("iso3", "iso3", "ISO 3166-1 alpha-3 code (EUU for the European Union)",
                   references="countries.iso3"),
            Column("country", "text", "Country name as the organisation writes it"),
            Column("status", "enum", "Kind of affiliation", values=MEMBERSHIP_STATUSES),
            Column("start", "date", "First day in this status (ISO 8601); if known only to the month or year, "
                   "the first day of that month or year"),
            Column("start_precision", "enum", "How precisely start is known: day, month or year; empty means day",
                   required=False, values=PRECISIONS),
            Column("end", "date", "First day no longer in this status; empty while current", required=False),
            SOURCE,
            Column("note", "text", "What the row records, and where sources disagree", required=False),
        ),
        key=("org_id", "iso3", "status", "start"),
        period=("start", "end"),
        precision=(("start", "start_precision"),),
    ),
    Table(
        "treaty_parties", "Who is party to a treaty, and since when: one row per party.",
        (
            Column("treaty", "enum", "The treaty: TAC is the Treaty of Amity and Cooperation in Southeast Asia",
                   values=("TAC",)),
            Column("party", "iso3", "ISO 3166-1 alpha-3 code (EUU for the European Union)",
                   references="countries.iso3"),
            Column("date", "date", "Day of signature (original parties) or of signing the instrument of accession"),
            Column("how", "enum", "Original signature or later accession", values=("signature", "accession")),
            Column("note", "text", "Where it was signed, and where sources disagree", required=False),
            SOURCE,
        ),
        key=("treaty", "party"),
    ),
    Table(
        "events", "Milestones: treaties, summits, institutions, enlargements.",
        (
            Column("event_id", "id", "Stable identifier: chapters glue the event's date forms under it"),
            Column("org_id", "code", "Organisation", references="organisations.org_id"),
            Column("date", "date", "Date of the event (ISO 8601)"),
            Column("kind", "enum", "Kind of event", values=(
                "founding", "treaty", "declaration", "summit", "institution", "enlargement",
                "agreement", "exercise", "crisis")),
            Column("title", "text", "What happened"),
            Column("place", "text", "Where", required=False),
            SOURCE,
        ),
        key=("event_id",),
    ),
    Table(
        "bodies", "The organs of ASEAN and the SCO as their charters set them out.",
        (
            Column("org_id", "code", "Organisation", references="organisations.org_id"),
            Column("body", "text", "Name of the body"),
            Column("parent", "text", "The body it reports to; empty for the top body", required=False),
            Column("level", "count", "Rank in the hierarchy (1 = top)"),
            Column("composition", "text", "Who sits in it"),
            Column("meetings_per_year", "count", "Minimum number of regular meetings a year set by the charter",
                   required=False),
            Column("decision_rule", "enum", "How it decides", values=("consensus", "administrative")),
            SOURCE,
        ),
        key=("org_id", "body"),
    ),
    Table(
        "chairs", "Which member chaired the organisation each year.",
        (
            Column("org_id", "code", "Organisation", references="organisations.org_id"),
            Column("year", "year", "Calendar year of the chairmanship"),
            Column("iso3", "iso3", "The chairing member (ISO 3166-1 alpha-3)", references="countries.iso3"),
            SOURCE,
            Column("note", "text", "Departures from the rotation", required=False),
        ),
        key=("org_id", "year"),
    ),
    Table(
        "officeholders", "Heads of secretariats, in order of office.",
        (
            Column("org_id", "code", "Organisation", references="organisations.org_id"),
            Column("office", "text", "The office held"),
            Column("name", "text", "Name of the office holder"),
            Column("iso3", "iso3", "Nationality (ISO 3166-1 alpha-3)", references="countries.iso3"),
            Column("start", "date", "First day in office (ISO 8601)"),
            Column("end", "date", "First day out of office; empty while serving", required=False),
            SOURCE,
        ),
        key=("org_id", "office", "start"),
        period=("start", "end"),
    ),
    Table(
        "claims", "Claims made by outside texts, paraphrased, with the quantity each asserts.",
        (
            Column("claim_id", "code", "Identifier of the claim"),
            Column("source", "sources", "The text making the claim: a key of references.bib"),
            Column("claim", "text", "The claim, paraphrased (not quoted)"),
            Column("quantity", "enum", "What kind of value it asserts, and so how it is compared",
                   values=("count", "date", "month", "year", "share", "ratio", "place", "name")),
            Column("measure", "text", "How the data answer it (see secorgs/claims.py): count, joined, founded, "
                   "growth, share, region_share, holds, event, place, seat, rule, meets, bodies, where, acronym, "
                   "occurred, unbound, outside, agreed, memoranda, exercise_year, exercise_parties, exercise_host, "
                   "troops, took_part, term, listed, presumes (a claim that rests on another claim) or none"),
            Column("asserted", "text", "The value the text asserts: a number, a share (0-1), YYYY-MM-DD, YYYY-MM or YYYY"),
            Column("refers_to", "date", "The date the claim describes, as far as the text shows it"),
            Column("note", "text", "How the claim is read", required=False),
        ),
        key=("claim_id",),
    ),
    Table(
        "agreements", "Partnerships between these organisations and other bodies.",
        (
            Column("org_id", "code", "Organisation", references="organisations.org_id"),
            Column("partner", "code", "The other organisation or body: an org_id of organisations.csv or the "
                   "short code of a body outside the book (UNGA, CIS, CSTO)"),
            Column("kind", "enum", "Kind of link", values=AGREEMENT_KINDS),
            Column("date", "date", "Date signed or granted (ISO 8601)"),
            Column("title", "text", "What was agreed"),
            SOURCE,
        ),
        key=("org_id", "partner", "kind", "date"),
    ),
    Table(
        "cooperation_areas", "The areas of cooperation that a memorandum or joint declaration with a partner names: "
        "one row per area, from the document's text or an official summary of it.",
        (
            Column("org_id", "code", "Organisation", references="organisations.org_id"),
            Column("partner", "code", "The partner: a partner of the organisation in data/agreements.csv",
                   references="agreements.partner"),
            Column("area", "enum", "Area of cooperation the document names, in the book's words",
                   values=tuple(COOPERATION_AREAS)),
            SOURCE,
            Column("note", "text", "The document's own wording, and which document", required=False),
        ),
        key=("org_id", "partner", "area"),
    ),
    Table(
        "exercises", "SCO joint military exercises.",
        (
            Column("year", "year", "Year held"),
            Column("name", "text", "Name of the exercise"),
            Column("host", "iso3_list", "Host countries, ISO3 codes separated by ';' (each also a participant)",
                   references="countries.iso3"),
            Column("participants", "iso3_list", "Participating countries, ISO3 codes separated by ';'",
                   references="countries.iso3"),
            Column("troops_low", "count", "Fewest troops any cited source reports taking part", required=False),
            Column("troops_high", "count", "Most troops any cited source reports taking part", required=False),
            Column("note", "text", "Where sources disagree", required=False),
            SOURCE,
        ),
        key=("name",),
        period=("troops_low", "troops_high"),
    ),
    Table(
        "indicators", "Population, GDP and land area by country and year; WLD is the world total.",
        (
            Column("iso3", "iso3", "ISO 3166-1 alpha-3 code, or WLD (world) or EUU (European Union)",
                   references="countries.iso3", also=("WLD",)),
            Column("year", "year", "Calendar year"),
            Column("population", "count", "Total population, mid-year (persons)", required=False),
            Column("gdp_usd", "amount", "Gross domestic product, current US dollars", required=False),
            Column("land_area_km2", "amount", "Land area in km2 (one recent value, repeated)", required=False),
            SOURCE,
        ),
        key=("iso3", "year"),
    ),
)
TABLES_BY_NAME = {t.name: t for t in TABLES}
#: Columns whose values other cells must match: the declared references, and the tables that the
#: arguments of a claim's measure name (see :func:`claim_problems`).
REFERENCED = {c.references for t in TABLES for c in t.columns if c.references} | {
    "countries.iso3", "countries.region", "countries.continent", "organisations.org_id", "treaty_parties.treaty"}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"data/{self.file}, row {self.row}, column {self.column}: {self.message}"


class DataError(ValueError):
    """Raised when the data in ``data/`` does not match its schema."""

    def __init__(self, problems):
        self.problems = sorted(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in data/:\n{lines}")


@lru_cache(maxsize=None)
def iso3_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(EXTRA_CODES)


def bib_keys(bib_path: Path) -> frozenset[str]:
    return frozenset(re.findall(r"^@\w+\{([^,\s]+),", bib_path.read_text(encoding="utf-8"), re.M))


# --- value rules: each returns None when the value is fine, else what is wrong -------------------

SCIENTIFIC = re.compile(r"[-+]?\d+(\.\d*)?[eE][-+]?\d+")
THOUSANDS = re.compile(r"-?\d{1,3}([,'\u00a0\u202f ]\d{3})+(\.\d+)?")


def date_problem(value: str) -> str | None:
    if ISO_DATE.fullmatch(value):
        try:
            pd.Timestamp(value)
            return None
        except ValueError:
            return f"'{value}' is not a real calendar date"
    m = DAY_FIRST.fullmatch(value)
    if m:
        day, month, year = m.groups()
        return (f"'{value}' looks like a day-first date; write dates as YYYY-MM-DD "
                f"(here {year}-{int(month):02d}-{int(day):02d})")
    return f"'{value}' is not a date in the form YYYY-MM-DD"


def iso3_problem(value: str) -> str | None:
    if value in iso3_codes():
        return None
    if value.upper() in iso3_codes():
        return f"'{value}' must be upper case ('{value.upper()}')"
    return f"'{value}' is not an ISO 3166-1 alpha-3 country code"


def iso3_list_problem(value: str) -> str | None:
    return next(filter(None, map(iso3_problem, value.split(";"))), None)


def sources_problem(value: str, keys: frozenset[str]) -> str | None:
    unknown = [s for s in value.split(";") if not s.startswith(("http://", "https://")) and s not in keys]
    if unknown:
        return f"source {', '.join(repr(s) for s in unknown)} is neither a key of references.bib nor a URL"
    return None


def number_problem(value: str, integer: bool, year: bool = False) -> str | None:
    """Numbers are written in plain decimal digits, as ``int``/``float`` would print them in full."""
    plain = r"\d{4}" if year else r"\d+" if integer else r"\d+(\.\d+)?"
    if re.fullmatch(plain, value):
        return None
    if re.fullmatch(r"-" + plain, value):
        return f"'{value}' is negative; it must be zero or more"
    if SCIENTIFIC.fullmatch(value):
        try:
            full = f"{float(value):.0f}" if integer or float(value).is_integer() else f"{float(value):f}".rstrip("0")
        except (ValueError, OverflowError):
            full = "all its digits"
        return (f"'{value}' is in spreadsheet (scientific) notation; write the number in full ({full}): "
                "format the column as a number without exponent before saving")
    if THOUSANDS.fullmatch(value):
        return f"'{value}' has thousands separators; write digits only ({re.sub(r'[^0-9.-]', '', value)})"
    if year:
        return f"'{value}' is not a year of four digits"
    if integer and re.fullmatch(r"\d+\.\d+", value):
        return f"'{value}' is not a whole number"
    return f"'{value}' is not {'a whole number' if integer else 'a number'} in plain decimal digits"


def future_problem(col: Column, value: str, data_date: date) -> str | None:
    """A date (or year) after the book's data date: a typo, or data newer than the book says it is."""
    if col.kind == "date":
        late = ISO_DATE.fullmatch(value) is not None and value > data_date.isoformat()
    elif col.kind == "year":
        late = value.isdigit() and int(value) > data_date.year
    else:
        return None
    if late:
        return (f"'{value}' is after the book's data date {data_date.isoformat()} ([tool.secorgs] data_date in "
                "pyproject.toml): a typo, or raise the data date there")
    return None


def value_problem(col: Column, value: str, context: dict) -> str | None:
    """What is wrong with one cell on its own (its kind; not its references), or None."""
    if value != value.strip():
        return f"'{value}' has spaces at its start or end; remove them"
    if value == "":
        return "is empty but required" if col.required else None
    kind = col.kind
    if kind == "date":
        return date_problem(value) or future_problem(col, value, context["data_date"])
    if kind == "iso3":
        return iso3_problem(value)
    if kind == "iso3_list":
        return iso3_list_problem(value)
    if kind == "enum":
        return None if value in col.values else f"'{value}' is not one of: {', '.join(col.values)}"
    if kind in ("count", "year"):
        return number_problem(value, True, kind == "year") or future_problem(col, value, context["data_date"])
    if kind == "amount":
        return number_problem(value, integer=False)
    if kind == "sources":
        return sources_problem(value, context["bib_keys"])
    if kind == "code" and not re.fullmatch(r"[A-Z0-9_]*", value):
        return f"'{value}' must be upper-case letters, digits or '_'"
    if kind == "id" and not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        return f"'{value}' must start with a lower-case letter and hold only lower-case letters, digits or '_'"
    return None


def reference_problem(col: Column, value: str, context: dict) -> str | None:
    if not col.references or value == "":
        return None
    allowed = context.get(col.references, frozenset()) | frozenset(col.also)
    other_table, other_col = col.references.split(".")
    values = value.split(";") if col.kind == "iso3_list" else [value]
    missing = [v for v in values if v not in allowed]
    if not missing:
        return None
    return f"{', '.join(repr(v) for v in missing)} {'is' if len(missing) == 1 else 'are'} not an {other_col} in data/{other_table}.csv"


def _each_ok(values: pd.Series, ok) -> pd.Series:
    """For ';'-separated cells: True where ``ok`` holds for every element."""
    parts = values.str.split(";").explode()
    return ok(parts).groupby(level=0).all().reindex(values.index, fill_value=True)


PLAIN = {"count": r"\d+", "year": r"\d{4}", "amount": r"\d+(\.\d+)?"}


def column_checks(col: Column, context: dict) -> list[pa.Check]:
    """One vectorised pandera check per rule, so that a failure names its rule (see :func:`explain`,
    which words the message for the few failing cells only)."""
    kind = col.kind
    checks = [pa.Check(lambda s: s == s.str.strip(), error="whitespace")]
    if col.required:
        checks.append(pa.Check(lambda s: s != "", error="required"))

    def valid(s: pd.Series) -> pd.Series:
        if kind == "date":
            ok = s.str.fullmatch(ISO_DATE.pattern) & pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna()
        elif kind == "iso3":
            ok = s.isin(iso3_codes())
        elif kind == "iso3_list":
            ok = _each_ok(s, lambda v: v.isin(iso3_codes()))
        elif kind in PLAIN:
            ok = s.str.fullmatch(PLAIN[kind])
        elif kind == "sources":
            keys = context["bib_keys"]
            ok = _each_ok(s, lambda v: v.isin(keys) | v.str.startswith(("http://", "https://")))
        elif kind == "enum":
            ok = s.isin(col.values)
        elif kind == "code":
            ok = s.str.fullmatch(r"[A-Z0-9_]*")
        elif kind == "id":
            ok = s.str.fullmatch(r"[a-z][a-z0-9_]*")
        else:
            return s == s
        return ok.astype(bool) | (s == "")

    if kind != "text":
        checks.append(pa.Check(valid, error="value"))
    if kind in ("date", "year"):
        limit = context["data_date"]

        def not_later(s: pd.Series) -> pd.Series:
            if kind == "date":
                return ~(s.str.fullmatch(ISO_DATE.pattern).astype(bool) & (s > limit.isoformat()))
            return ~(pd.to_numeric(s.where(s.str.fullmatch(r"\d{4}").astype(bool)), errors="coerce") > limit.year)

        checks.append(pa.Check(not_later, error="future"))
    if col.references:
        allowed = context.get(col.references, frozenset()) | frozenset(col.also)
        if kind == "iso3_list":
            checks.append(pa.Check(lambda s: _each_ok(s, lambda v: v.isin(allowed)) | (s == ""), error="reference"))
        else:
            checks.append(pa.Check(lambda s: s.isin(allowed) | (s == ""), error="reference"))
    return checks


def explain(table: Table, column: str, check: str, value: str, context: dict) -> str:
    """Turn a failed check into a sentence a student can act on."""
    if check == "duplicate":
        return f"repeats the key ({', '.join(table.key)}) of an earlier row"
    if check == "period":
        low, high = table.period
        if table.column(low).kind == "date":
            return f"'{value}' is before {low}; a spell cannot end before it starts"
        return f"'{value}' is less than {low}; {high} cannot be below {low}"
    col = table.column(column)
    if check == "reference":
        return reference_problem(col, value, context)
    if check == "future":
        return future_problem(col, value, context["data_date"])
    return value_problem(col, value, context) or check


def frame_checks(table: Table) -> list[pa.Check]:
    checks = [pa.Check(lambda df: ~df.duplicated(list(table.key), keep="first"), error="duplicate")]
    if table.period:
        start, end = table.period

        as_dates = table.column(start).kind == "date"

        def ends_after_start(df):
            both = (df[start] != "") & (df[end] != "")
            if as_dates:
                s = pd.to_datetime(df[start].where(both), format="%Y-%m-%d", errors="coerce")
                e = pd.to_datetime(df[end].where(both), format="%Y-%m-%d", errors="coerce")
            else:
                s = pd.to_numeric(df[start].where(both), errors="coerce")
                e = pd.to_numeric(df[end].where(both), errors="coerce")
            return ~(e < s)

        checks.append(pa.Check(ends_after_start, error="period"))
    return checks


# Which column a frame-level failure is reported against.
def frame_check_column(table: Table, check: str) -> str:
    return table.period[1] if check == "period" else table.key[-1]


# --- reading: bytes -> text -> rows, every syntax error reported, never an exception ------------

MAX_PER_KIND = 20  # at most this many problems of one kind per file are listed; then a count of the rest


def _column_at(header: list[str], line: bytes | str, position: int) -> str:
    index = line[:position].count(b"," if isinstance(line, bytes) else ",")
    return header[index] if index < len(header) else f"#{index + 1}"


def read_text(table: Table, path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text; a BOM or bytes that are not UTF-8 are problems (each line with one is listed)."""
    raw = path.read_bytes()
    if not raw.strip():
        names = ",".join(c.name for c in table.columns)
        return None, [Problem(table.file, 1, "(header)", f"the file is empty; it needs at least the header row: {names}")]
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        first = raw[3:].split(b",", 1)[0].decode("utf-8", "replace")
        problems.append(Problem(table.file, 1, first,
                                "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"))
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), problems
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    header = lines[0].decode("utf-8", "replace").strip().split(",")
    bad = []
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as err:
            bad.append((number, line, err.start))
    for number, line, start in bad[:MAX_PER_KIND]:
        problems.append(Problem(table.file, number, _column_at(header, line, start),
                                f"byte 0x{line[start]:02x} is not UTF-8 (was the file saved as Latin-1 or "
                                "Windows-1252?); save it as UTF-8"))
    if len(bad) > MAX_PER_KIND:
        problems.append(Problem(table.file, bad[MAX_PER_KIND][0], "(row)",
                                f"and {len(bad) - MAX_PER_KIND} more rows with bytes that are not UTF-8"))
    return raw.decode("utf-8", "replace"), problems


def csv_records(text: str) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """Every record with its spreadsheet row, and every syntax error with its row.

    Python's csv reader in strict mode stops at a stray or unclosed quote; reading resumes on the
    next line (for an unclosed quote, on the line after the one that opened it), so that every
    error in the file is found in one run.
    """
    lines = [line + "\n" for line in text.split("\n")]
    if lines and lines[-1] == "\n":
        lines.pop()
    records, errors = [], []
    pos, row = 0, 0
    while pos < len(lines):
        reader = csv.reader(lines[pos:], strict=True)
        restart = None
        while True:
            before = reader.line_num
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                row += 1
                spans = reader.line_num > before + 1
                errors.append((row, f"{err}" + ("; a double quote opened here is never closed on its line"
                                                 if spans or "end of data" in str(err) else "")))
                if spans:  # it swallowed later lines: read them again
                    restart = pos + before + 1
                    break
                continue
            row += 1
            if reader.line_num > before + 1:
                # No row of the book's data holds a line break: a quoted field that runs on to a later
                # quote is a quote left open, whatever the reader made of it.
                errors.append((row, "a double quote opened here is never closed on its line"))
                restart = pos + before + 1
                break
            if fields:
                records.append((row, fields))
        if restart is None:
            break
        pos = restart
    return records, errors


def guess_split_column(table: Table, header: list[str], fields: list[str], context: dict) -> str | None:
    """For a row with too many fields: the column whose unquoted comma best explains the extra ones."""
    extra = len(fields) - len(header)
    for i, name in enumerate(header):
        joined = fields[:i] + [",".join(fields[i:i + extra + 1])] + fields[i + extra + 1:]
        cols = [table.column(h) if h in {c.name for c in table.columns} else None for h in header]
        if all(c is None or value_problem(c, v, context) is None for c, v in zip(cols, joined)):
            return name
    return None


def parse_table(table: Table, text: str, context: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The table as strings, indexed by spreadsheet row - 2 (so that ``index + 2`` is the row)."""
    records, errors = csv_records(text)
    problems = [Problem(table.file, row, "(row)", f"cannot be read as CSV: {message}")
                for row, message in errors[:MAX_PER_KIND]]
    if len(errors) > MAX_PER_KIND:
        problems.append(Problem(table.file, errors[MAX_PER_KIND][0], "(row)",
                                f"and {len(errors) - MAX_PER_KIND} more rows that cannot be read as CSV"))
    if not records or records[0][0] != 1:
        return None, problems + [Problem(table.file, 1, "(header)", "the first row must be the header: "
                                         + ",".join(c.name for c in table.columns))]
    header = records[0][1]
    declared = [c.name for c in table.columns]
    keep = []
    for position, name in enumerate(header):
        if name in header[:position]:
            problems.append(Problem(table.file, 1, name, f"column {name!r} appears twice in the header"))
        else:
            keep.append(position)
    bad_count = []
    rows, index = [], []
    every = len(keep) == len(header)
    for row, fields in records[1:]:
        if len(fields) == len(header):
            rows.append(fields if every else [fields[i] for i in keep])
            index.append(row - 2)
        else:
            bad_count.append((row, fields))
    for row, fields in bad_count[:MAX_PER_KIND]:
        if len(fields) > len(header):
            column = guess_split_column(table, header, fields, context)
            where = (f"probably an unquoted comma in column {column}: put that value in double quotes"
                     if column else "a value with a comma must be in double quotes")
            problems.append(Problem(table.file, row, column or "(row)",
                                    f"has {len(fields)} fields but the header has {len(header)}; {where}"))
        else:
            problems.append(Problem(table.file, row, header[len(fields)],
                                    f"has {len(fields)} fields but the header has {len(header)}: "
                                    f"{', '.join(header[len(fields):])} missing (a comma too few?)"))
    if len(bad_count) > MAX_PER_KIND:
        problems.append(Problem(table.file, bad_count[MAX_PER_KIND][0], "(row)",
                                f"and {len(bad_count) - MAX_PER_KIND} more rows with the wrong number of fields"))
    if len(records) == 1 and not errors:
        problems.append(Problem(table.file, 2, "(row)", "the table has a header but no rows"))
    df = pd.DataFrame(rows, columns=[header[i] for i in keep], index=index, dtype=str)
    for name in declared:
        if name not in df.columns:
            problems.append(Problem(table.file, 1, name, "required column is missing from the header"))
    for name in df.columns:
        if name not in declared:
            problems.append(Problem(table.file, 1, str(name), f"unexpected column; expected: {', '.join(declared)}"))
    return df, problems


def validate_table(table: Table, path: Path, context: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate one file; return its raw string frame (or None if unreadable) and its problems."""
    if not path.is_file():
        return None, [Problem(table.file, 1, "(file)", "the file is missing")]
    text, problems = read_text(table, path)
    if text is None:
        return None, problems
    df, found = parse_table(table, text, context)
    problems += found
    if df is None:
        return None, problems
    present = [c for c in table.columns if c.name in df.columns]
    schema = pa.DataFrameSchema(
        {c.name: pa.Column(str, checks=column_checks(c, context), nullable=False) for c in present},
        checks=frame_checks(table) if all(k in df.columns for k in table.key) else [],
        strict=False,
    )
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems += failure_problems(table, df, err.failure_cases, context)
    return df, problems


def failure_problems(table: Table, df: pd.DataFrame, cases: pd.DataFrame, context: dict) -> list[Problem]:
    found = set()
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        index = int(case.index)
        if case.schema_context == "DataFrameSchema":
            column = frame_check_column(table, case.check)
        else:
            column = case.column
        value = df.at[index, column]
        found.add(Problem(table.file, index + 2, column, explain(table, column, case.check, value, context)))
    return sorted(found)


def validate_dir(data_dir: Path, bib_path: Path, data_date: date | None = None,
                 tables: tuple[Table, ...] = TABLES) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate every declared file, and the files against each other; return the raw frames that
    could be read (indexed from 0) and all problems. ``data_date`` defaults to :data:`secorgs.DATA_DATE`."""
    from . import DATA_DATE

    data_dir = Path(data_dir)
    context = {"bib_keys": bib_keys(bib_path), "data_date": data_date or DATA_DATE}
    frames, problems = {}, []
    declared = {t.file for t in tables}
    if not data_dir.is_dir():
        return {}, [Problem("", 1, "(file)", f"{data_dir} is not a directory")]
    for path in sorted(data_dir.iterdir()):
        if path.name not in declared and path.name not in UNDECLARED_ALLOWED:
            problems.append(Problem(path.name, 1, "(file)",
                                    "is not a declared data file (secorgs/schema.py): nothing reads it; delete it, "
                                    "or merge it into its table (a copy such as 'memberships (1).csv' is never read)"))
    for table in tables:  # organisations first: the others refer to it
        df, found = validate_table(table, data_dir / table.file, context)
        problems += found
        if df is not None:
            frames[table.name] = df
            for col in table.columns:
                name = f"{table.name}.{col.name}"
                if col.name in df.columns and name in REFERENCED:
                    context[name] = frozenset(df[col.name].unique())
    problems += cross_problems({t.name: t for t in tables}, frames, context)
    return {name: df.reset_index(drop=True) for name, df in frames.items()}, problems


# --- rows checked against each other and against other tables -----------------------------------
# Each check works on whole columns (merges and comparisons, no loop over rows) on the string frames,
# whose index + 2 is the spreadsheet row. Cells that are themselves invalid are skipped here: they
# are already reported.

def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")


def _rows(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(_row=df.index + 2)


def overlap_problems(table: Table, df: pd.DataFrame, group: list[str], what: str) -> list[Problem]:
    """Spells in one group (e.g. one country in one organisation) that overlap in time.

    Spells run from ``start`` (inclusive) to ``end`` (exclusive; empty while current). The later of
    two overlapping spells is reported, at its ``start``, naming the earlier one.
    """
    start, end = table.period
    d = _rows(df[group + [start, end] + (["status"] if "status" in df else [])])
    d = d.assign(_s=_dates(d[start]), _e=_dates(d[end]))
    d = d[d["_s"].notna() & ((d[end] == "") | d["_e"].notna())]  # invalid dates are reported already
    pairs = d.merge(d, on=group, suffixes=("_a", "_b"))
    earlier = (pairs["_s_a"] < pairs["_s_b"]) | ((pairs["_s_a"] == pairs["_s_b"]) & (pairs["_row_a"] < pairs["_row_b"]))
    pairs = pairs[earlier & (pairs["_e_a"].isna() | (pairs["_s_b"] < pairs["_e_a"]))]
    problems = []
    for p in pairs.to_dict("records"):
        until = f"until {p[end + '_a']}" if p[end + "_a"] else "with no end"
        who = ", ".join(f"{p[g]}" for g in group)
        if "status" in df and p["status_a"] != p["status_b"]:
            message = (f"{who}: still {p['status_a']} here (row {p['_row_a']}, from {p[start + '_a']} {until}) "
                       f"when this {p['status_b']} spell begins; one status at a time: end row {p['_row_a']} "
                       f"on {p[start + '_b']}")
        else:
            message = (f"{who}: overlaps the spell in row {p['_row_a']} (from {p[start + '_a']} {until}); "
                       f"two spells of one {what} may not overlap: end row {p['_row_a']} by {p[start + '_b']}, "
                       "or delete one of the two rows")
        problems.append(Problem(table.file, p["_row_b"], start, message))
    return problems


def founding_problems(tables: dict[str, Table], frames: dict, org_col: str, table_name: str,
                      column: str) -> list[Problem]:
    """Rows dated before the founding of the organisation they belong to (organisations.csv)."""
    orgs = _rows(frames["organisations"])[["org_id", "founded", "_row"]]
    orgs = orgs.assign(_f=_dates(orgs["founded"])).rename(
        columns={"org_id": "_org", "founded": "_founded", "_row": "_org_row"})
    df = _rows(frames[table_name])
    if org_col not in df or column not in df or "founded" not in frames["organisations"]:
        return []
    d = df[[org_col, column, "_row"]].merge(orgs, left_on=org_col, right_on="_org")
    if tables[table_name].column(column).kind == "year":
        year = pd.to_numeric(d[column].where(d[column].str.fullmatch(r"\d{4}")), errors="coerce")
        early = year < d["_f"].dt.year
    else:
        early = _dates(d[column]) < d["_f"]
    return [Problem(tables[table_name].file, r["_row"], column,
                    f"'{r[column]}' is before {r['_org']} was founded ({r['_founded']}, data/organisations.csv "
                    f"row {r['_org_row']})")
            for r in d[early].to_dict("records")]


def accession_problems(table: Table, df: pd.DataFrame) -> list[Problem]:
    """An accession dated before the treaty's original signature."""
    d = _rows(df).assign(_d=lambda x: _dates(x["date"]))
    signed = d[d["how"] == "signature"].groupby("treaty")["_d"].min().rename("_signed")
    d = d.join(signed, on="treaty")
    early = d[(d["how"] == "accession") & (d["_d"] < d["_signed"])]
    return [Problem(table.file, r["_row"], "date",
                    f"'{r['date']}' is before {r['treaty']} was signed ({r['_signed']:%Y-%m-%d}); "
                    "an accession comes after the signature")
            for r in early.to_dict("records")]


def bodies_problems(table: Table, df: pd.DataFrame) -> list[Problem]:
    """A body's parent must be a body of the same organisation, of a higher rank (a lower level)."""
    d = _rows(df)
    parents = d[["org_id", "body", "level", "_row"]].rename(
        columns={"body": "parent", "level": "_parent_level", "_row": "_parent_row"})
    m = d.merge(parents, on=["org_id", "parent"], how="left")
    problems = [Problem(table.file, r["_row"], "parent",
                        f"'{r['parent']}' is not a body of {r['org_id']} in data/bodies.csv")
                for r in m[(m["parent"] != "") & m["_parent_row"].isna()].to_dict("records")]
    level = pd.to_numeric(m["level"].where(m["level"].str.fullmatch(r"\d+")), errors="coerce")
    parent_level = pd.to_numeric(m["_parent_level"].where(m["_parent_level"].fillna("").str.fullmatch(r"\d+")),
                                 errors="coerce")
    problems += [Problem(table.file, r["_row"], "level",
                         f"level {r['level']} is not below its parent's ({r['parent']}, level {r['_parent_level']}, "
                         f"row {int(r['_parent_row'])}); 1 is the top")
                 for r in m[level <= parent_level].to_dict("records")]
    problems += [Problem(table.file, r["_row"], "level",
                         f"level {r['level']}, but a body with no parent is a top body: level 1")
                 for r in m[(m["parent"] == "") & (level != 1) & level.notna()].to_dict("records")]
    return problems


def host_problems(table: Table, df: pd.DataFrame) -> list[Problem]:
    """Every host of an exercise also takes part in it."""
    hosts = df["host"].str.split(";").explode()
    hosts = pd.DataFrame({"_i": hosts.index, "iso3": hosts.to_numpy()})
    taking_part = df["participants"].str.split(";").explode()
    taking_part = pd.DataFrame({"_i": taking_part.index, "iso3": taking_part.to_numpy(), "_in": True})
    m = hosts[hosts["iso3"] != ""].merge(taking_part, on=["_i", "iso3"], how="left")
    outside = m[m["_in"].isna()]
    return [Problem(table.file, i + 2, "host", f"host {c} is not among the participants ({df.at[i, 'participants']})")
            for i, c in zip(outside["_i"], outside["iso3"])]


def region_problems(table: Table, df: pd.DataFrame) -> list[Problem]:
    """A UN M49 sub-region lies in one continent: a row that puts it in another contradicts the rest."""
    d = _rows(df[(df["region"] != "") & (df["continent"] != "")])
    usual = d.groupby("region")["continent"].agg(lambda c: c.value_counts().index[0]).rename("_usual")
    d = d.join(usual, on="region")
    first = d.groupby(["region", "continent"])["_row"].min().rename("_first")
    d = d.join(first, on=["region", "_usual"])
    odd = d[d["continent"] != d["_usual"]]
    return [Problem(table.file, r["_row"], "continent",
                    f"'{r['continent']}', but region {r['region']} lies in {r['_usual']} in row {r['_first']} "
                    "and the other rows with it")
            for r in odd.to_dict("records")]


def area_problems(table: Table, frames: dict) -> list[Problem]:
    """An area of cooperation belongs to a document: the organisation and partner must have signed a
    memorandum, joint declaration or agreement in data/agreements.csv (an observer status names no areas)."""
    areas = _rows(frames[table.name])
    links = frames["agreements"]
    documents = links[links["kind"].isin(AGREEMENT_KINDS[:3])][["org_id", "partner"]].drop_duplicates()
    m = areas.merge(documents.assign(_signed=True), on=["org_id", "partner"], how="left")
    return [Problem(table.file, r["_row"], "partner",
                    f"{r['org_id']} and {r['partner']} signed no memorandum, joint declaration or agreement "
                    "in data/agreements.csv")
            for r in m[m["_signed"].isna() & (m["partner"] != "")].to_dict("records")]


def chair_problems(table: Table, frames: dict) -> list[Problem]:
    """The chair of an organisation in a year is one of its members in that year."""
    chairs = _rows(frames[table.name])
    spells = frames["memberships"]
    spells = spells[spells["status"] == "member"].assign(_s=lambda x: _dates(x["start"]),
                                                         _e=lambda x: _dates(x["end"]))
    chairs = chairs[chairs["year"].str.fullmatch(r"\d{4}")]
    m = chairs.merge(spells[["org_id", "iso3", "_s", "_e"]], on=["org_id", "iso3"], how="left")
    year = m["year"].astype(int)
    held = (m["_s"].dt.year <= year) & (m["_e"].isna() | (m["_e"].dt.year > year)
                                          | ((m["_e"].dt.year == year) & (m["_e"].dt.day_of_year > 1)))
    ok = set(m.loc[held, "_row"])
    return [Problem(table.file, r["_row"], "iso3",
                    f"{r['iso3']} is not a member of {r['org_id']} in {r['year']} (data/memberships.csv)")
            for r in chairs[~chairs["_row"].isin(ok)].to_dict("records")]


def claim_problems(table: Table, df: pd.DataFrame, context: dict) -> list[Problem]:
    """Each claim's ``measure`` parsed as secorgs.claims reads it, its arguments checked against the
    tables, its ``quantity`` one the measure can answer, and ``asserted`` written as that quantity needs."""
    from .claims import MEASURES, parse_asserted, parse_measure  # claims imports data, which imports this module

    events = context.get("_event_titles", {})
    lookups = {
        "org": ("organisations.org_id", "an org_id in data/organisations.csv"),
        "iso3": ("countries.iso3", "an iso3 in data/countries.csv"),
        "region": ("countries.region", "a region in data/countries.csv (spaces written as _)"),
        "continent": ("countries.continent", "a continent in data/countries.csv (spaces written as _)"),
        "treaty": ("treaty_parties.treaty", "a treaty in data/treaty_parties.csv"),
    }
    indicators = {c.name for c in TABLES_BY_NAME["indicators"].columns if c.kind in ("count", "amount")}
    problems = []
    claim_ids = set(df["claim_id"])
    for index, claim in zip(df.index, df.to_dict("records")):
        row = index + 2
        try:
            kind, args = parse_measure(claim["measure"])
        except ValueError as err:
            problems.append(Problem(table.file, row, "measure", str(err)))
            args, kind = {}, None
        wrong = []
        for name, value in args.items():
            if name in lookups:
                key, what = lookups[name]
                if (value.replace("_", " ") if name in ("region", "continent") else value) not in context.get(key, frozenset()):
                    wrong.append(f"{name.upper()} '{value}' is not {what}")
            elif name in ("status", "statuses"):
                bad = [v for v in value.split(",") if v not in MEMBERSHIP_STATUSES]
                if bad or (name == "status" and "," in value):
                    wrong.append(f"{name.upper()} '{value}' is not {'a status' if name == 'status' else 'statuses'} "
                                 f"of data/memberships.csv ({', '.join(MEMBERSHIP_STATUSES)}"
                                 f"{'' if name == 'status' else ', separated by commas'})")
            elif name == "indicator" and value not in indicators:
                wrong.append(f"INDICATOR '{value}' is not a column of data/indicators.csv "
                             f"({', '.join(sorted(indicators))}); use the measure 'none' if the data cannot answer")
            elif name == "from":
                problem = date_problem(value)
                if problem is None and claim["refers_to"] and value >= claim["refers_to"]:
                    problem = f"'{value}' is not before refers_to ({claim['refers_to']})"
                if problem:
                    wrong.append(f"FROM {problem}")
            elif name == "claim" and (value not in claim_ids or value == claim["claim_id"]):
                wrong.append(f"CLAIM '{value}' is not {'another' if value == claim['claim_id'] else 'a'} claim_id "
                             "of data/claims.csv")
            elif name == "year" and not re.fullmatch(r"\d{4}", value):
                wrong.append(f"YEAR '{value}' is not a year of four digits")
            elif name == "title" and "org" in args:
                prefix = value.replace("_", " ")
                n = sum(t.startswith(prefix) for t in events.get(args["org"], ()))
                if n != 1:
                    wrong.append(f"TITLE '{value}' starts the title of {n} events of {args['org']} in "
                                 "data/events.csv; it must name exactly one")
        if wrong:
            problems.append(Problem(table.file, row, "measure", f"in '{claim['measure']}': " + "; ".join(wrong)))
        quantity = claim["quantity"]
        if kind and quantity in MEASURES["none"][1] and quantity not in MEASURES[kind][1]:
            problems.append(Problem(table.file, row, "quantity",
                                    f"'{quantity}' cannot be compared with what measure '{kind}' gives "
                                    f"({' or '.join(MEASURES[kind][1])})"))
        if quantity in MEASURES["none"][1] and claim["asserted"] != "":
            try:
                parse_asserted(quantity, claim["asserted"])
            except ValueError as err:
                problems.append(Problem(table.file, row, "asserted", str(err)))
    return problems


def precision_problems(table: Table, df: pd.DataFrame) -> list[Problem]:
    """A date known only to the month must be the first of its month, one known only to the year
    1 January: the day is not known, so none other may be written (data/README.md)."""
    problems = []
    for column, precision_column in table.precision:
        if column not in df or precision_column not in df:
            continue
        d = _rows(df[[column, precision_column]])
        d = d[d[column].str.fullmatch(ISO_DATE.pattern).astype(bool)]  # invalid dates are reported already
        month = (d[precision_column] == "month") & ~d[column].str.endswith("-01")
        year = (d[precision_column] == "year") & ~d[column].str.endswith("-01-01")
        for r in d[month].to_dict("records"):
            problems.append(Problem(table.file, r["_row"], column,
                                    f"'{r[column]}' is known only to the month ({precision_column} is month), so it "
                                    f"must be the first of its month: write {r[column][:8]}01, or give the day's "
                                    f"source and leave {precision_column} empty"))
        for r in d[year].to_dict("records"):
            problems.append(Problem(table.file, r["_row"], column,
                                    f"'{r[column]}' is known only to the year ({precision_column} is year), so it "
                                    f"must be 1 January: write {r[column][:5]}01-01, or give the day's source and "
                                    f"set {precision_column} accordingly"))
    return problems


def cross_problems(tables: dict[str, Table], frames: dict[str, pd.DataFrame], context: dict) -> list[Problem]:
    """Problems between rows and between tables: overlapping spells, dates before a founding,
    references inside a table, claims that do not parse."""
    complete = {name for name, df in frames.items() if name in tables
                and all(c.name in df.columns for c in tables[name].columns)}
    if "events" in complete:
        context["_event_titles"] = frames["events"].groupby("org_id")["title"].agg(tuple).to_dict()
    checks = [  # (table reported, tables it needs, check)
        ("memberships", (), lambda t: overlap_problems(t, frames[t.name], ["org_id", "iso3"], "country in one organisation")),
        ("officeholders", (), lambda t: overlap_problems(t, frames[t.name], ["org_id", "office"], "office in one organisation")),
        ("treaty_parties", (), lambda t: accession_problems(t, frames[t.name])),
        ("bodies", (), lambda t: bodies_problems(t, frames[t.name])),
        ("countries", (), lambda t: region_problems(t, frames[t.name])),
        ("exercises", (), lambda t: host_problems(t, frames[t.name])),
        ("chairs", ("memberships",), lambda t: chair_problems(t, frames)),
        ("claims", ("events", "organisations", "countries", "treaty_parties"), lambda t: claim_problems(t, frames[t.name], context)),
        ("cooperation_areas", ("agreements",), lambda t: area_problems(t, frames)),
    ]
    checks += [(name, (), lambda t: precision_problems(t, frames[t.name]))
               for name, t in tables.items() if t.precision]
    for name, column in (("memberships", "start"), ("events", "date"), ("agreements", "date"),
                         ("officeholders", "start"), ("chairs", "year")):
        checks.append((name, ("organisations",), lambda t, c=column: founding_problems(tables, frames, "org_id", t.name, c)))
    # a partner that is one of the book's organisations must exist by the agreement's date
    checks.append(("agreements", ("organisations",), lambda t: [
        Problem(p.file, p.row, p.column, p.message.replace("is before", "is before the partner", 1))
        for p in founding_problems(tables, frames, "partner", "agreements", "date")]))
    problems = []
    for name, needs, check in checks:
        if name in complete and all(n in complete for n in needs):
            try:
                problems += check(tables[name])
            except Exception as err:  # a safety net: the checker reports, it never crashes
                problems.append(Problem(tables[name].file, 1, "(table)",
                                        f"could not be checked against other rows ({type(err).__name__}: {err}); "
                                        "fix the problems listed for it first"))
    return problems
