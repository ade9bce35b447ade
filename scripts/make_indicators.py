"""Rebuild data/indicators.csv from the World Bank extracts and the CIA World Factbook.

Sources (see data/README.md for versions, licences and checksums):
  * population, total: World Bank WDI SP.POP.TOTL as packaged by github.com/datasets/population
    (data/population.csv);
  * GDP, current US$: World Bank WDI NY.GDP.MKTP.CD as packaged by github.com/datasets/gdp
    (data/gdp.csv);
  * land area (km2): CIA World Factbook as shipped in the PyPI package pyworldatlas 0.10.0
    (table country_physical); one value per country, repeated for every year.

The World Bank files are read from local checkouts of those two repositories (pass their paths),
so the extract can be rebuilt without the network once they are cloned:

    python scripts/make_indicators.py PATH/TO/datasets-population PATH/TO/datasets-gdp

Only the countries in data/memberships.csv plus the world total (WLD) are kept, years 1990 on.
"""
import csv
import hashlib
import sqlite3
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_YEAR = 1990


def wanted_codes():
    with open(ROOT / "data" / "memberships.csv", encoding="utf-8") as f:
        return {row["iso3"] for row in csv.DictReader(f)} | {"WLD"}


def read_wb(path, codes):
    values = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            year = int(row["Year"])
            if row["Country Code"] in codes and year >= FIRST_YEAR and row["Value"]:
                values[(row["Country Code"], year)] = float(row["Value"])
    return values


def land_areas():
    db_path = resources.files("pyworldatlas") / "data" / "atlas.sqlite3"
    with sqlite3.connect(str(db_path)) as db:
        rows = db.execute(
            "SELECT c.alpha3, p.land_area_km2 FROM country c JOIN country_physical p ON p.country_id = c.id "
            "WHERE c.alpha3 IS NOT NULL AND p.land_area_km2 IS NOT NULL AND c.alpha3 != 'ATA'"
        ).fetchall()
    areas = {code: area for code, area in rows}
    areas["WLD"] = sum(areas.values())  # world land area outside Antarctica, as the sum of countries
    return areas


def main(population_repo, gdp_repo):
    codes = wanted_codes()
    pop_file = Path(population_repo, "data", "population.csv")
    gdp_file = Path(gdp_repo, "data", "gdp.csv")
    population = read_wb(pop_file, codes)
    gdp = read_wb(gdp_file, codes)
    area = land_areas()
    out = ROOT / "data" / "indicators.csv"
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["iso3", "year", "population", "gdp_usd", "land_area_km2", "source"])
        for code, year in sorted(set(population) | set(gdp)):
            pop = population.get((code, year))
            writer.writerow([
                code, year,
                "" if pop is None else int(pop),
                "" if (code, year) not in gdp else f"{gdp[(code, year)]:.0f}",
                "" if code not in area else f"{area[code]:.0f}",
                "wb_population;wb_gdp;cia_factbook_land",
            ])
    for path in (pop_file, gdp_file):
        print(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    print("wrote", out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
