"""Scratch: one optional claim field, end to end (reverted after)."""

import json
import sqlite3

from conftest import run_factcli

CLAIM = "asif-five-planes-two-drones-downed"


def test_a_note_travels_everywhere(facts_copy, tmp_path):
    path = facts_copy / "claims" / "asif-welcomes-us-help" / f"{CLAIM}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "note: Checked against the ministry's statement.\n", encoding="utf-8")
    for env in ({"FACTCLI_NO_INDEX": "1"}, {}, {}):  # the plain loader, a cold index, a warm one
        shown = json.loads(run_factcli("show", CLAIM, "--json", "--facts", str(facts_copy), env=env).stdout)
        assert shown["note"] == "Checked against the ministry's statement."
    assert "Checked against" in run_factcli("show", CLAIM, "--facts", str(facts_copy)).stdout
    csv_text = run_factcli("export", "-f", "csv", "--facts", str(facts_copy)).stdout
    assert csv_text.splitlines()[0].endswith(",file,note") and "Checked against" in csv_text
    db = tmp_path / "x.db"
    run_factcli("export", "-f", "sqlite", "-o", str(db), "--facts", str(facts_copy))
    assert sqlite3.connect(db).execute("SELECT note FROM claims WHERE id = ?", (CLAIM,)).fetchone()[0].startswith("Checked")
    bad = path.read_text(encoding="utf-8").replace("note: Checked", "note: 12 # Checked")
    path.write_text(bad, encoding="utf-8")
    done = run_factcli("validate", "--facts", str(facts_copy))
    assert done.returncode == 1 and "note: expected text, got a number" in done.stderr
