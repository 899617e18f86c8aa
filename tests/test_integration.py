"""Where the features of one release meet: drafts, the index's figures, the new commands."""

from __future__ import annotations

import copy
import json

import pytest
from factbases import CROSS_CLAIMS, write_cross_factbase
from running import run_factcli

DRAFT = {
    "id": "draft-toll-1000",
    "claimant": "oskaran-officials",
    "statement": "1000 people were killed.",
    "figures": [
        {"value": 1000, "unit": "people", "qualifier": "exact", "text": "26", "measure": "deaths"},
    ],
    "disputed": False,
    "source": {"id": "wire-report", "section": "Report", "quote": "at least 26 people were killed"},
    "draft": True,
}


@pytest.mark.parametrize("index", [True, False], ids=["index", "no-index"])
@pytest.mark.parametrize(
    "command", [["conflicts", "--json"], ["compare", "deaths", "--json"], ["figures", "--json"], ["measures", "--json"]]
)
def test_a_drafted_figure_is_in_no_answer(tmp_path, index, command):
    base = write_cross_factbase(tmp_path / "facts", claims=[*copy.deepcopy(CROSS_CLAIMS), DRAFT])
    env = {} if index else {"FACTCLI_NO_INDEX": "1"}
    result = run_factcli(*command, "--facts", str(base), env=env)
    assert result.returncode == 0, result.stderr
    assert "draft-toll-1000" not in result.stdout and "1000" not in result.stdout
    assert "1 drafted claim" in result.stderr
    json.loads(result.stdout)


@pytest.mark.parametrize("index", [True, False], ids=["index", "no-index"])
def test_measures_lists_the_registry_with_its_use(tmp_path, index):
    base = write_cross_factbase(tmp_path / "facts")
    env = {} if index else {"FACTCLI_NO_INDEX": "1"}
    out = run_factcli("measures", "--json", "--facts", str(base), env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [
        {
            "id": "aircraft-downed",
            "name": "Tarsovian aircraft downed",
            "unit": "aircraft",
            "description": None,
            "figures": 2,
            "claims": 2,
            "sides": ["oskara"],
            "side_names": ["Oskara"],
        },
        {
            "id": "deaths",
            "name": "People killed in the strikes",
            "unit": "people",
            "description": None,
            "figures": 3,
            "claims": 3,
            "sides": ["daily-report-narrator", "oskara", "tarsovia"],
            "side_names": ["The daily", "Oskara", "Tarsovia"],
        },
    ]
    table = run_factcli("measures", "--facts", str(base), env={**env, "COLUMNS": "100"})
    assert "People killed in the strikes" in table.stdout and "deaths" in table.stdout
    narrow = run_factcli("measures", "--facts", str(base), env={**env, "COLUMNS": "30"})
    assert "Figures: 3 in 3 claims" in narrow.stdout and "aircraft-downed" in narrow.stdout


def test_measures_of_a_fact_base_without_a_registry_are_those_figures_name(tmp_path):
    from factbases import write_factbase

    base = write_factbase(tmp_path / "facts")
    out = json.loads(run_factcli("measures", "--json", "--facts", str(base)).stdout)
    assert out and all(m["name"] is None for m in out)
    assert "toll-of-indian-strikes" in {m["id"] for m in out}


def test_measures_escapes_a_hostile_name(tmp_path):
    from factbases import CROSS_MEASURES

    measures = copy.deepcopy(CROSS_MEASURES)
    measures[0]["name"] = "[red]x[/red]"  # a name holds no control (validate refuses it): markup, then
    measures[0]["unit"] = "planes \u202e\x1b[31m"  # a unit may: shown escaped
    base = write_cross_factbase(tmp_path / "facts", measures=measures)
    out = run_factcli("measures", "--facts", str(base), env={"COLUMNS": "120"})
    assert out.returncode == 0, out.stderr
    assert "[red]x[/red]" in out.stdout
    assert "\u202e" not in out.stdout and "\x1b" not in out.stdout and "\\u202e" in out.stdout
