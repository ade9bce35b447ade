"""The "What changed in this edition" page is computed from a real data change between two editions."""
import subprocess

import pandas as pd

from secorgs.build import changes, execute
from secorgs.gluing import format_value


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_a_moved_membership_date_is_listed_with_every_number_it_moved(tmp_path, monkeypatch):
    copy = execute.copy_project(tmp_path / "book")
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "edition 1")
    git(copy, "tag", "edition-1")
    assert changes.previous_edition(copy) is None, "edition 1 has no previous edition"
    number = changes.cut(copy)
    assert number == 2 and changes.previous_edition(copy) == "edition-1"

    # Timor-Leste admitted a year earlier: the observer spell ends and the member spell begins then.
    spells = copy / "data" / "memberships.csv"
    rows = pd.read_csv(spells, dtype=str, keep_default_na=False)
    member = (rows["org_id"] == "ASEAN") & (rows["iso3"] == "TLS") & (rows["status"] == "member")
    observer = (rows["org_id"] == "ASEAN") & (rows["iso3"] == "TLS") & (rows["status"] == "observer")
    old_day = pd.Timestamp(rows.loc[member, "start"].item())
    new_day = old_day - pd.DateOffset(years=1)
    rows.loc[member, "start"] = rows.loc[observer, "end"] = new_day.date().isoformat()
    rows.to_csv(spells, index=False, lineterminator="\n")

    monkeypatch.setenv("PYTHONPATH", str(copy))  # the kernel must read the copy's data
    execute.execute(copy / "chapters" / "asean.ipynb", copy)

    data_rows = changes.data_changes(copy, "edition-1")
    assert {(r["file"], r["change"], r["row"]) for r in data_rows} == {
        ("memberships.csv", "removed", f"ASEAN, TLS, member, {old_day.date()}"),
        ("memberships.csv", "added", f"ASEAN, TLS, member, {new_day.date()}"),
        ("memberships.csv", "changed", f"ASEAN, TLS, observer, {rows.loc[observer, 'start'].item()}"),
    }
    moved = [r for r in changes.glue_changes(copy, "edition-1") if r["chapter"] == "asean"]
    admitted = [r for r in moved if r["old"] == format_value(old_day, "date")]
    assert admitted, "the admission date stated in the ASEAN chapter is not listed"
    for row in admitted:
        assert row["new"] == format_value(new_day, "date")
        assert row["new"] in row["sentence"] and "{glue" not in row["sentence"]
    assert all(r["old"] != r["new"] for r in moved)
