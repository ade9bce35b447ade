"""Rebuild data/countries.csv: name and UN M49 region of every country in data/memberships.csv
or data/treaty_parties.csv.

Regions come from the UN M49 standard as shipped in the PyPI package pyworldatlas 0.10.0
(table `country`, columns `region`, `continent`); the European Union (EUU) is not a country and is
given the region "Europe" by hand, marked in its source. Run: python scripts/make_countries.py
"""
import csv
import sqlite3
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    codes = set()
    for name, column in (("memberships", "iso3"), ("treaty_parties", "party")):
        with open(ROOT / "data" / f"{name}.csv", encoding="utf-8") as f:
            codes |= {row[column] for row in csv.DictReader(f)}
    codes = sorted(codes)
    db_path = resources.files("pyworldatlas") / "data" / "atlas.sqlite3"
    with sqlite3.connect(str(db_path)) as db:
        rows = {code: (name, continent, region) for code, name, continent, region in db.execute(
            "SELECT alpha3, name, continent, region FROM country WHERE alpha3 IS NOT NULL")}
    rows["EUU"] = ("European Union", "Europe", "European Union")
    out = ROOT / "data" / "countries.csv"
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["iso3", "name", "continent", "region", "source"])
        for code in codes:
            name, continent, region = rows[code]
            source = "un_m49" if code != "EUU" else "un_m49;https://european-union.europa.eu/"
            writer.writerow([code, name, continent, region, source])
    print("wrote", out)


if __name__ == "__main__":
    main()
