"""`policy list --level N --format json` covers the TT 12/2022 annex of level N.

The expected tables below are copied by hand from the annex tables (Phụ lục I–V of Thông tư
12/2022/TT-BTTTT, as tabulated in the project's regime notes §2.2–2.3), not derived from the
pack: the clause list of each level, the TT 12 row numbers that shift between levels, the
minimum zones and the design-solution numerals per level.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from .policy_clirun import run_cli

MANAGEMENT = {
    1: """5.1.1.1 5.1.1.2 5.1.1.3 5.1.2.1 5.1.2.2 5.1.3.1 5.1.3.2 5.1.3.3 5.1.4.1 5.1.4.2
          5.1.5.1 5.1.5.2 5.1.5.3""",
    2: """6.1.1.1 6.1.1.2 6.1.1.3 6.1.2.1 6.1.2.2 6.1.3.1 6.1.3.2 6.1.3.3 6.1.4.1 6.1.4.2
          6.1.4.3 6.1.5.1 6.1.5.2 6.1.5.3 6.1.5.4 6.1.5.5""",
    3: """7.1.1.1 7.1.1.2 7.1.1.3 7.1.2.1 7.1.2.2 7.1.3.1 7.1.3.2 7.1.3.3 7.1.4.1 7.1.4.2
          7.1.4.3 7.1.5.1 7.1.5.2 7.1.5.3 7.1.5.4 7.1.5.5 7.1.5.6 7.1.5.7 7.1.5.8 7.1.5.9""",
    4: """8.1.1.1 8.1.1.2 8.1.1.3 8.1.2.1 8.1.2.2 8.1.3.1 8.1.3.2 8.1.3.3 8.1.4.1 8.1.4.2
          8.1.4.3 8.1.5.1 8.1.5.2 8.1.5.3 8.1.5.4 8.1.5.5 8.1.5.6 8.1.5.7 8.1.5.8 8.1.5.9""",
    5: """9.1.1.1 9.1.1.2 9.1.1.3 9.1.2.1 9.1.2.2 9.1.3.1 9.1.3.2 9.1.3.3 9.1.4.1 9.1.4.2
          9.1.4.3 9.1.5.1 9.1.5.2 9.1.5.3 9.1.5.4 9.1.5.5 9.1.5.6 9.1.5.7 9.1.5.8 9.1.5.9""",
}
TECHNICAL = {
    1: """5.2.1.2 5.2.1.3 5.2.1.4 5.2.1.5 5.2.2.1 5.2.2.2 5.2.2.3 5.2.2.4 5.2.2.5
          5.2.3.1 5.2.3.2 5.2.3.3 5.2.4.1""",
    2: """6.2.1.2 6.2.1.3 6.2.1.4 6.2.1.5 6.2.1.6 6.2.2.1 6.2.2.2 6.2.2.3 6.2.2.4 6.2.2.5
          6.2.2.6 6.2.3.1 6.2.3.2 6.2.3.3 6.2.3.4 6.2.4.1 6.2.4.2""",
    3: """7.2.1.2 7.2.1.3 7.2.1.4 7.2.1.5 7.2.1.6 7.2.1.7 7.2.2.1 7.2.2.2 7.2.2.3 7.2.2.4
          7.2.2.5 7.2.2.6 7.2.3.1 7.2.3.2 7.2.3.3 7.2.3.4 7.2.3.5 7.2.3.6 7.2.4.1 7.2.4.2
          7.2.4.3""",
    4: """8.2.1.2 8.2.1.3 8.2.1.4 8.2.1.5 8.2.1.6 8.2.1.7 8.2.2.1 8.2.2.2 8.2.2.3 8.2.2.4
          8.2.2.5 8.2.2.6 8.2.3.1 8.2.3.2 8.2.3.3 8.2.3.4 8.2.3.5 8.2.3.6 8.2.4.1 8.2.4.2
          8.2.4.3""",
    5: """9.2.1.2 9.2.1.3 9.2.1.4 9.2.1.5 9.2.1.6 9.2.1.7 9.2.2.1 9.2.2.2 9.2.2.3 9.2.2.4
          9.2.2.5 9.2.2.6 9.2.3.1 9.2.3.2 9.2.3.3 9.2.3.4 9.2.3.5 9.2.3.6 9.2.4.1 9.2.4.2
          9.2.4.3""",
}
COUNTS = {1: 26, 2: 33, 3: 41, 4: 41, 5: 41}
ZONES = {
    1: "i ii iii",
    2: "i ii iii iv v",
    3: "i ii iii iv v vi vii",
    4: "i ii iii iv v vi vii viii",
    5: "i ii iii iv v vi vii viii",
}
SOLUTIONS = {
    1: "i ii iii",
    2: "i ii iii iv v vi",
    3: "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi",
    4: "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii",
    5: "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix",
}
# (control id, {level: TT 12 row}) for the rows whose number shifts between levels.
SHIFTED_ROWS = [
    ("QL.4.2", {2: "I/1.4.2", 3: "I/1.4.2"}),
    ("QL.4.3", {1: "I/1.4.2", 2: "I/1.4.3", 5: "I/1.4.3"}),
    ("QL.5.8", {2: "I/1.5.4", 3: "I/1.5.8", 4: "I/1.5.8"}),
    ("QL.5.9", {2: "I/1.5.5", 3: "I/1.5.9"}),
    ("KT.1.2", {2: "II.2/1.1.2", 5: "II.2/1.1.2"}),
    ("KT.1.3", {1: "II.2/1.1.2", 2: "II.2/1.1.3", 3: "II.2/1.1.3"}),
    ("KT.1.4", {1: "II.2/1.1.3", 2: "II.2/1.1.4", 4: "II.2/1.1.4"}),
    ("KT.1.6", {1: "II.2/1.1.4", 2: "II.2/1.1.5", 3: "II.2/1.1.6"}),
    ("KT.3.6", {2: "II.2/1.3.4", 3: "II.2/1.3.6"}),
    ("KT.4.2", {2: "II.2/1.4.1", 3: "II.2/1.4.2"}),
    ("KT.4.3", {1: "II.2/1.4.1", 2: "II.2/1.4.2", 3: "II.2/1.4.3"}),
    ("TK.b.iii", {2: "II.1/b.vi", 3: "II.1/b.iii"}),
    ("TK.b.vii", {2: "II.1/b.iv", 3: "II.1/b.vii"}),
    ("TK.b.viii", {2: "II.1/b.v", 3: "II.1/b.viii"}),
    ("TK.b.xiii", {1: "II.1/b.iii", 2: "II.1/b.iii", 3: "II.1/b.xiii"}),
]


def listed(capsys: pytest.CaptureFixture[str], level: int) -> list[dict[str, Any]]:
    code, out, err = run_cli(capsys, "policy", "list", "--level", str(level), "--format", "json")
    assert (code, err) == (0, "")
    controls: list[dict[str, Any]] = json.loads(out)["controls"]
    return controls


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_every_annex_clause_of_the_level_is_listed(
    level: int, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = set(MANAGEMENT[level].split()) | set(TECHNICAL[level].split())
    clauses = [c["clause"] for c in listed(capsys, level) if c["clause"] is not None]

    assert len(expected) == COUNTS[level]
    assert set(clauses) == expected
    assert len(clauses) == len(set(clauses)), "one control per clause"


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_plans_design_and_four_layers_are_listed_at_every_level(
    level: int, capsys: pytest.CaptureFixture[str]
) -> None:
    controls = listed(capsys, level)
    ids = {c["id"] for c in controls}
    design = [c for c in controls if c["id"].startswith("TK.")]

    assert {"QL.6", "QL.7", "BL.1", "BL.2", "BL.3", "BL.4"} <= ids
    assert len(design) == len(ZONES[level].split()) + len(SOLUTIONS[level].split())
    assert all(c["clause"] is None for c in design)


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_design_items_carry_the_annex_numerals_of_the_level(level: int) -> None:
    from socaudit.policy.loader import load_pack

    rows = [c.tt12_row or "" for c in load_pack("tcvn11930").controls_for_level(level)]
    zones = [r.removeprefix("II.1/a.") for r in rows if r.startswith("II.1/a.")]
    solutions = [r.removeprefix("II.1/b.") for r in rows if r.startswith("II.1/b.")]

    assert sorted(zones) == sorted(ZONES[level].split())
    assert sorted(solutions) == sorted(SOLUTIONS[level].split())


@pytest.mark.parametrize(("control_id", "rows"), SHIFTED_ROWS, ids=[r[0] for r in SHIFTED_ROWS])
def test_tt12_rows_shift_between_levels_as_in_the_annexes(
    control_id: str, rows: dict[int, str]
) -> None:
    from socaudit.policy.loader import load_pack

    pack = load_pack("tcvn11930")
    for level, row in rows.items():
        resolved = {c.id: c for c in pack.controls_for_level(level)}[control_id]
        assert resolved.tt12_row == row, f"level {level}"


def test_the_plans_have_no_tcvn_clause_and_the_policy_has_one_per_level(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run_cli(capsys, "policy", "list", "--format", "json", "--group", "management")
    controls = {c["id"]: c for c in json.loads(out)["controls"]}

    assert code == 0
    assert controls["QL.6"]["clause"] is None
    assert controls["QL.7"]["clause"] is None
    assert controls["QL.1.1"]["clause"] == {
        "1": "5.1.1.1", "2": "6.1.1.1", "3": "7.1.1.1", "4": "8.1.1.1", "5": "9.1.1.1"
    }  # fmt: skip
