"""Time ``make check-data`` on the shipped data and on a data set 100 times larger; write benchmarks/check-data.md.

``python benchmarks/check_data.py [--scale 100] [--repeat 3]`` (with the project's .venv). The large data
set is built in a temporary directory by replicating every table with distinct keys, so that it is
valid and every check runs in full (a valid data set is the slow case: nothing is skipped):

* each organisation is copied as ``ORG_1`` ... ``ORG_99``, and every row that belongs to an organisation
  (memberships, events, bodies, chairs, officeholders, agreements, claims) is copied with it;
* exercises and events get numbered names and ids; treaty parties are copied under treaties ``TAC_1``...
  (the treaty enum is widened for the run only, through ``validate_dir(tables=...)``);
* countries cannot be copied with distinct keys beyond the ~250 ISO 3166 codes: countries.csv holds
  every code; indicators.csv cycles through those codes and years back from the latest, to
  ``scale`` times its rows.

The result is a measurement on this (shared, 2-core) machine, not a timed test.
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from secorgs import DATA_DIR  # noqa: E402
from secorgs.schema import TABLES, iso3_codes, validate_dir  # noqa: E402

BIB = ROOT / "references.bib"


def read(name: str) -> tuple[list[str], list[dict]]:
    with open(DATA_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def write(target: Path, name: str, header: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (target / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def org_copy(org: str, k: int) -> str:
    return org if k == 0 else f"{org}_{k}"


def measure_copy(measure: str, k: int, orgs: set[str]) -> str:
    kind, *args = measure.split(" ")
    return " ".join([kind] + [org_copy(a, k) if a in orgs else a for a in args])


def build(target: Path, scale: int) -> dict[str, int]:
    """Write the replicated data set into ``target``; return its row counts."""
    orgs = {r["org_id"] for r in read("organisations")[1]}
    by_org = {"organisations", "memberships", "events", "bodies", "chairs", "officeholders", "agreements", "claims"}
    counts = {}
    for table in TABLES:
        header, rows = read(table.name)
        out = []
        if table.name in by_org:
            for k in range(scale):
                for r in rows:
                    r = dict(r, org_id=org_copy(r["org_id"], k)) if "org_id" in r else dict(r)
                    if table.name == "events":
                        r["event_id"] = r["event_id"] if k == 0 else f"{r['event_id']}_{k}"
                    if table.name == "claims":
                        r["claim_id"] = org_copy(r["claim_id"], k)
                        r["measure"] = measure_copy(r["measure"], k, orgs)
                    out.append(r)
        elif table.name == "exercises":
            out = [dict(r, name=r["name"] if k == 0 else f"{r['name']} copy {k}") for k in range(scale) for r in rows]
        elif table.name == "treaty_parties":
            out = [dict(r, treaty=org_copy(r["treaty"], k)) for k in range(scale) for r in rows]
        elif table.name == "countries":
            known = {r["iso3"] for r in rows}
            filler = rows[0]
            out = rows + [dict(filler, iso3=code, name=f"Country {code}") for code in sorted(iso3_codes() - known - {"WLD"})]
        elif table.name == "indicators":
            codes = sorted(iso3_codes())
            latest = max(int(r["year"]) for r in rows)
            n = len(rows) * scale
            out = [dict(rows[i % len(rows)], iso3=codes[i % len(codes)], year=str(latest - i // len(codes)))
                   for i in range(n)]
        write(target, table.name, header, out)
        counts[table.name] = len(out)
    return counts


def widened_tables(scale: int):
    """The declared tables, with the treaty enum widened to the copied treaties."""
    tables = []
    for t in TABLES:
        if t.name == "treaty_parties":
            treaty = t.column("treaty")
            values = tuple(org_copy(v, k) for k in range(scale) for v in treaty.values)
            columns = tuple(dataclasses.replace(c, values=values) if c.name == "treaty" else c for c in t.columns)
            t = dataclasses.replace(t, columns=columns)
        tables.append(t)
    return tuple(tables)


def timed(data_dir: Path, tables, repeat: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds of ``repeat`` validations, and the number of problems."""
    wall, cpu, problems = [], [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        problems = validate_dir(data_dir, BIB, tables=tables)[1]
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), len(problems)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "check-data.md")
    args = parser.parse_args(argv)

    validate_dir(DATA_DIR, BIB)  # warm-up: imports, pycountry's code list
    small, small_cpu, small_problems = timed(DATA_DIR, TABLES, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        counts = build(Path(tmp), args.scale)
        large, large_cpu, large_problems = timed(Path(tmp), widened_tables(args.scale), args.repeat)
    shipped = sum(len(read(t.name)[1]) for t in TABLES)
    rows = "\n".join(f"| {name}.csv | {n} |" for name, n in counts.items())
    report = f"""# `make check-data` benchmark

Measured by `benchmarks/check_data.py` on {dt.date.today():%Y-%m-%d}, {platform.machine()}, Python
{platform.python_version()}, on a 2-core machine shared with other jobs (median of {args.repeat} runs of
`secorgs.schema.validate_dir`, imports excluded).

| data | rows | wall-clock seconds | CPU seconds | problems found |
|---|---|---|---|---|
| shipped `data/` | {shipped} | {small:.2f} | {small_cpu:.2f} | {small_problems} |
| replicated {args.scale}x | {sum(counts.values())} | {large:.2f} | {large_cpu:.2f} | {large_problems} |

Load average while it ran (1, 5, 15 min): {", ".join(f"{x:.1f}" for x in os.getloadavg())}: the CPU
seconds are the better measure of the checker's own cost when other jobs share the cores.

Rows of the replicated data set (see the script's docstring for how keys are kept distinct):

| file | rows |
|---|---|
{rows}
"""
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0 if large_problems == 0 and small_problems == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
