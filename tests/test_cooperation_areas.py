"""Areas of cooperation: the schema refuses rows that no document supports, and the queries return
what data/cooperation_areas.csv and data/agreements.csv hold."""
import csv

from secorgs import DATA_DIR, data
from secorgs.schema import COOPERATION_AREAS
from test_schema_faults import assert_problem, data_copy, edit_line, line_of, problems_for  # noqa: F401


def test_an_area_outside_the_vocabulary(data_copy):
    path = data_copy / "cooperation_areas.csv"
    row = line_of(path, "SCO,CSTO,terrorism,")
    edit_line(path, row, "SCO,CSTO,terrorism,", "SCO,CSTO,counter-terrorism,")
    assert_problem(problems_for(data_copy), "cooperation_areas.csv", row, "area", "counter-terrorism", "not one of")


def test_a_partner_with_no_agreement(data_copy):
    # The Economic Cooperation Organization: the book found no SCO memorandum with it to record.
    path = data_copy / "cooperation_areas.csv"
    row = line_of(path, "SCO,CICA,terrorism,")
    edit_line(path, row, "SCO,CICA,", "SCO,ECO,")
    assert_problem(problems_for(data_copy), "cooperation_areas.csv", row, "partner", "ECO", "agreements.csv")


def test_an_observer_status_names_no_areas(data_copy):
    # UNGA granted the SCO observer status (a resolution, not a document of cooperation areas).
    path = data_copy / "cooperation_areas.csv"
    row = line_of(path, "SCO,UN,terrorism,")
    edit_line(path, row, "SCO,UN,", "SCO,UNGA,")
    assert_problem(problems_for(data_copy), "cooperation_areas.csv", row, "partner",
                   "SCO and UNGA signed no memorandum")


def test_areas_of_an_organisation_that_signed_nothing_with_the_partner(data_copy):
    path = data_copy / "cooperation_areas.csv"
    row = line_of(path, "SCO,ASEAN,economy,")
    edit_line(path, row, "SCO,ASEAN,economy,", "ASEAN,CSTO,economy,")
    assert_problem(problems_for(data_copy), "cooperation_areas.csv", row, "partner",
                   "ASEAN and CSTO signed no memorandum")


def test_a_new_kind_of_link_is_refused(data_copy):
    path = data_copy / "agreements.csv"
    row = line_of(path, "SCO,UN,joint_declaration,")
    edit_line(path, row, "joint_declaration", "joint_statement")
    assert_problem(problems_for(data_copy), "agreements.csv", row, "kind", "joint_statement")


def _rows(name):
    with open(DATA_DIR / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_cooperation_areas_query_matches_the_file():
    areas = data.cooperation_areas("SCO")
    rows = [r for r in _rows("cooperation_areas") if r["org_id"] == "SCO"]
    assert sorted(zip(areas["partner"], areas["area"])) == sorted((r["partner"], r["area"]) for r in rows)
    assert set(areas["field"]) <= set(COOPERATION_AREAS.values())
    assert areas["label"].notna().all() and areas["signed"].notna().all()
    # The signing date is the partner's first document, read from agreements.csv itself.
    documents = [r for r in _rows("agreements") if r["org_id"] == "SCO" and r["kind"] != "observer_status"]
    for partner, signed in areas.groupby("partner")["signed"].first().items():
        assert signed.strftime("%Y-%m-%d") == min(r["date"] for r in documents if r["partner"] == partner)
    # Ordered by the date of signing, as a timeline reads.
    assert areas["signed"].is_monotonic_increasing


def test_cooperation_matrix_is_the_full_grid():
    areas = data.cooperation_areas("SCO")
    grid = data.cooperation_matrix("SCO")
    assert len(grid) == areas["partner"].nunique() * areas["area"].nunique()
    assert int(grid["named"].sum()) == len(areas)
    assert not grid.duplicated(["partner", "area"]).any()
    # A cell is named exactly when the file has that row.
    named = set(zip(grid.loc[grid["named"], "partner"], grid.loc[grid["named"], "area"]))
    assert named == set(zip(areas["partner"], areas["area"]))
