"""The declared schema of every CSV file in ``data/``, and its validation.

Each file is described once, here: its columns, what they mean, their kinds, its unique key.
:func:`validate_dir` checks every file with pandera and returns *all* problems at once, each
naming the file, the row as a spreadsheet shows it (the header is row 1) and the column.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pycountry

#: Codes that are not ISO 3166 countries but stand in the data: the EU takes part in the ARF,
#: and the World Bank publishes world totals under WLD. Both follow World Bank usage.
EXTRA_CODES = {"EUU": "European Union", "WLD": "World"}

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


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    period: tuple[str, str] | None = None  # (low, high) columns, dates or counts: high may not be below low

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


SOURCE = Column("source", "sources",
                "Where the fact comes from: keys of references.bib or URLs, separated by ';'")
MEMBERSHIP_STATUSES = ("member", "observer", "dialogue_partner", "partner", "participant")

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
            Column("start", "date", "First day in this status (ISO 8601)"),
            Column("end", "date", "First day no longer in this status; empty while current", required=False),
            SOURCE,
            Column("note", "text", "What the row records, and where sources disagree", required=False),
        ),
        key=("org_id", "iso3", "status", "start"),
        period=("start", "end"),
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
            Column("iso3", "iso3", "Nationality (ISO 3166-1 alpha-3)"),
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
                   values=("count", "date", "month", "year", "share", "ratio", "place")),
            Column("measure", "text", "How the data answer it (see secorgs/claims.py): count, joined, founded, "
                   "growth, share, region_share, holds, event, place or none"),
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
            Column("partner", "text", "The other organisation or body"),
            Column("kind", "enum", "Kind of link", values=("memorandum", "observer_status", "agreement")),
            Column("date", "date", "Date signed or granted (ISO 8601)"),
            Column("title", "text", "What was agreed"),
            SOURCE,
        ),
        key=("org_id", "partner", "kind", "date"),
    ),
    Table(
        "exercises", "SCO joint military exercises.",
        (
            Column("year", "year", "Year held"),
            Column("name", "text", "Name of the exercise"),
            Column("host", "iso3_list", "Host countries, ISO3 codes separated by ';'"),
            Column("participants", "iso3_list", "Participating countries, ISO3 codes separated by ';'"),
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
            Column("iso3", "iso3", "ISO 3166-1 alpha-3 code, or WLD (world) or EUU (European Union)"),
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


def sources_problem(value: str, keys: frozenset[str]) -> str | None:
    unknown = [s for s in value.split(";") if not s.startswith(("http://", "https://")) and s not in keys]
    if unknown:
        return f"source {', '.join(repr(s) for s in unknown)} is neither a key of references.bib nor a URL"
    return None


def number_problem(value: str, integer: bool) -> str | None:
    try:
        number = int(value) if integer else float(value)
    except ValueError:
        return f"'{value}' is not {'a whole number' if integer else 'a number'}"
    if number < 0:
        return f"'{value}' is negative; it must be zero or more"
    return None


def element_check(rule, error: str) -> pa.Check:
    """A pandera check that applies ``rule`` to each non-empty cell; ``error`` names the rule."""
    return pa.Check(lambda s: s.map(lambda v: v == "" or rule(v) is None), error=error)


def column_checks(col: Column, context: dict) -> list[pa.Check]:
    checks = [pa.Check(lambda s: s == s.str.strip(), error="whitespace")]
    if col.required:
        checks.append(pa.Check(lambda s: s != "", error="required"))
    kind = col.kind
    if kind == "date":
        checks.append(element_check(date_problem, "date"))
    elif kind == "iso3":
        checks.append(element_check(iso3_problem, "iso3"))
    elif kind == "iso3_list":
        checks.append(element_check(lambda v: next(filter(None, map(iso3_problem, v.split(";"))), None), "iso3_list"))
    elif kind == "enum":
        checks.append(pa.Check(lambda s: s.isin(col.values) | (s == ""), error="enum"))
    elif kind in ("count", "year"):
        checks.append(element_check(lambda v: number_problem(v, integer=True), "integer"))
    elif kind == "amount":
        checks.append(element_check(lambda v: number_problem(v, integer=False), "number"))
    elif kind == "sources":
        checks.append(element_check(lambda v: sources_problem(v, context["bib_keys"]), "sources"))
    elif kind == "code":
        checks.append(pa.Check(lambda s: s.str.fullmatch(r"[A-Z0-9_]*"), error="code"))
    elif kind == "id":
        checks.append(pa.Check(lambda s: s.str.fullmatch(r"[a-z][a-z0-9_]*"), error="id"))
    if col.references:
        allowed = context.get(col.references, frozenset())
        checks.append(pa.Check(lambda s: s.isin(allowed) | (s == ""), error="reference"))
    return checks


def explain(table: Table, column: str, check: str, value: str, context: dict) -> str:
    """Turn a failed check into a sentence a student can act on."""
    col = table.column(column)
    if check == "whitespace":
        return f"'{value}' has spaces at its start or end; remove them"
    if check == "required":
        return "is empty but required"
    if check == "date":
        return date_problem(value)
    if check == "iso3":
        return iso3_problem(value)
    if check == "iso3_list":
        return next(p for p in map(iso3_problem, value.split(";")) if p)
    if check == "enum":
        return f"'{value}' is not one of: {', '.join(col.values)}"
    if check in ("integer", "number"):
        return number_problem(value, integer=check == "integer")
    if check == "sources":
        return sources_problem(value, context["bib_keys"])
    if check == "code":
        return f"'{value}' must be upper-case letters, digits or '_'"
    if check == "id":
        return f"'{value}' must start with a lower-case letter and hold only lower-case letters, digits or '_'"
    if check == "reference":
        other_table, other_col = col.references.split(".")
        return f"'{value}' is not an {other_col} in data/{other_table}.csv"
    if check == "duplicate":
        return f"repeats the key ({', '.join(table.key)}) of an earlier row"
    if check == "period":
        low, high = table.period
        if table.column(low).kind == "date":
            return f"'{value}' is before {low}; a spell cannot end before it starts"
        return f"'{value}' is less than {low}; {high} cannot be below {low}"
    return check


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


def read_text(table: Table, path: Path) -> tuple[str | None, list[Problem]]:
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
    except UnicodeDecodeError as err:
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        row = raw.count(b"\n", 0, err.start) + 1
        header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
        index = raw.count(b",", line_start, err.start)
        column = header[index] if index < len(header) else f"#{index + 1}"
        byte = raw[err.start]
        problems.append(Problem(table.file, row, column,
                                f"byte 0x{byte:02x} is not UTF-8 (was the file saved as Latin-1 or Windows-1252?); "
                                "save it as UTF-8"))
        return None, problems


def validate_table(table: Table, path: Path, context: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate one file; return its raw string frame (or None if unreadable) and its problems."""
    if not path.exists():
        return None, [Problem(table.file, 1, "(file)", "the file is missing")]
    text, problems = read_text(table, path)
    if text is None:
        return None, problems
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as err:
        m = re.search(r"line (\d+)", str(err))
        return None, problems + [Problem(table.file, int(m.group(1)) if m else 1, "(row)", f"cannot be parsed: {err}")]
    declared = [c.name for c in table.columns]
    for name in declared:
        if name not in df.columns:
            problems.append(Problem(table.file, 1, name, "required column is missing from the header"))
    for name in df.columns:
        if name not in declared:
            problems.append(Problem(table.file, 1, str(name), f"unexpected column; expected: {', '.join(declared)}"))
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


def validate_dir(data_dir: Path, bib_path: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate every declared file; return the raw frames that could be read and all problems."""
    context = {"bib_keys": bib_keys(bib_path)}
    frames, problems = {}, []
    for table in TABLES:  # organisations first: the others refer to it
        df, found = validate_table(table, Path(data_dir, table.file), context)
        problems += found
        if df is not None:
            frames[table.name] = df
            for col in table.columns:
                if col.name in df.columns:
                    context[f"{table.name}.{col.name}"] = frozenset(df[col.name])
    return frames, problems
