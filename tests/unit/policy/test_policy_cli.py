"""socaudit policy list|show|validate: the JSON contract, languages, filters, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .policy_clirun import run_cli

TINY = Path(__file__).parents[2] / "data" / "policies" / "tiny"


def test_list_json_has_exactly_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_cli(capsys, "policy", "list", "--level", "3", "--format", "json")
    doc = json.loads(out)

    assert code == 0
    assert set(doc) == {"pack", "controls"}
    assert set(doc["pack"]) == {"id", "version", "title", "legal_basis"}
    assert doc["pack"]["id"] == "tcvn11930"
    assert doc["pack"]["version"] == "2017+tt12-2022"
    assert any("TCVN 11930:2017" in b["vi"] for b in doc["pack"]["legal_basis"])
    assert any("12/2022/TT-BTTTT" in b["vi"] for b in doc["pack"]["legal_basis"])
    assert any("85/2016" in b["vi"] for b in doc["pack"]["legal_basis"])
    keys = {"id", "group", "clause", "title", "kind", "severity", "checks", "applies"}
    assert all(set(c) == keys for c in doc["controls"])
    access = next(c for c in doc["controls"] if c["id"] == "KT.1.1")
    assert access == {
        "id": "KT.1.1",
        "group": "technical.network",
        "clause": "7.2.1.2",
        "title": {
            "vi": "Kiểm soát truy cập từ bên ngoài mạng",
            "en": "Access control from outside the network",
        },
        "kind": "hybrid",
        "severity": "high",
        "checks": ["ports.only_declared_services", "ports.admin_not_public", "declared.document"],
        "applies": True,
    }


def test_list_without_level_gives_the_clause_of_every_level(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run_cli(capsys, "policy", "list", "--format", "json")
    controls = {c["id"]: c for c in json.loads(out)["controls"]}

    assert code == 0
    assert controls["QL.5.8"]["clause"] == {
        "2": "6.1.5.4", "3": "7.1.5.8", "4": "8.1.5.8", "5": "9.1.5.8"
    }  # fmt: skip
    assert controls["KT.1.6"]["clause"] == {
        "1": "5.2.1.5", "2": "6.2.1.6", "3": "7.2.1.7", "4": "8.2.1.7", "5": "9.2.1.7"
    }  # fmt: skip


def test_a_lower_level_lists_fewer_controls(capsys: pytest.CaptureFixture[str]) -> None:
    counts = {}
    for level in (1, 3):
        _code, out, _err = run_cli(
            capsys, "policy", "list", "--level", str(level), "--format", "json"
        )
        counts[level] = {c["id"] for c in json.loads(out)["controls"]}

    assert counts[1] < counts[3]
    assert "KT.3.4" in counts[3] - counts[1]  # communications confidentiality: level 3+


def test_group_filter_takes_a_group_or_its_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run_cli(
        capsys, "policy", "list", "--group", "four_layer", "--format", "json"
    )
    layers = [c["id"] for c in json.loads(out)["controls"]]
    _code, out, _err = run_cli(capsys, "policy", "list", "--group", "technical", "--format", "json")
    technical = {c["group"] for c in json.loads(out)["controls"]}

    assert layers == ["BL.1", "BL.2", "BL.3", "BL.4"]
    assert technical == {
        "technical.network", "technical.server", "technical.application", "technical.data",
        "technical.standards",
    }  # fmt: skip


def test_text_list_prints_titles_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _code, vi, _err = run_cli(capsys, "policy", "list", "--level", "2")
    _code, en, _err = run_cli(capsys, "--lang", "en", "policy", "list", "--level", "2")

    assert "QL.5.8     6.1.5.4" in vi
    assert "Quản lý sự cố an toàn thông tin" in vi
    assert "Incident management" in en
    assert "Quản lý sự cố an toàn thông tin" not in en


def test_show_gives_clauses_checks_parameter_sources_and_remediation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run_cli(capsys, "--lang", "en", "policy", "show", "BL.3", "--level", "5")

    assert code == 0
    assert "BL.3 — Layer 3 — Independent periodic inspection" in out
    assert "four_layer.independent_inspection (declared)" in out
    assert "max_age_months = 6  [source: Decree 85/2016/ND-CP Art. 20.2.c" in out
    assert "interval_months = 6" in out
    assert "Remediation: Have an organisation independent of the layer-2 provider" in out


def test_show_prints_each_level_when_no_level_is_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run_cli(capsys, "policy", "show", "BL.3")

    assert code == 0
    assert "max_age_months = 24" in out  # levels 1-2: organisation-wide, every 2 years
    assert "max_age_months = 12" in out
    assert "L2: no clause  (row —)" in out


def test_unknown_control_or_level_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "policy", "show", "KT.3.44")
    assert code == 2
    assert "has no control 'KT.3.44' (did you mean 'KT.3.4'?)" in err

    code, _out, err = run_cli(capsys, "policy", "list", "--level", "6")
    assert code == 2
    assert "pack tcvn11930 has no level 6 (levels: 1, 2, 3, 4, 5)" in err

    code, _out, err = run_cli(capsys, "policy", "list", "--group", "netwrk")
    assert code == 2
    assert "has no group 'netwrk'" in err


def test_unknown_pack_id_is_invalid_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "policy", "list", "--pack", "tcvn99999")

    assert code == 3
    assert err.strip() == "tcvn99999: error: no such policy pack (bundled packs: tcvn11930)"


def test_a_second_pack_is_data_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_cli(
        capsys, "policy", "list", "--pack", str(TINY), "--level", "2", "--format", "json"
    )
    doc = json.loads(out)

    assert code == 0
    assert doc["pack"]["id"] == "tiny-demo"
    assert [(c["id"], c["clause"]) for c in doc["controls"]] == [
        ("TD.1", "B.1"), ("TD.2", "B.2"), ("TD.3", "B.3")
    ]  # fmt: skip

    code, out, _err = run_cli(capsys, "policy", "list", "--pack", str(TINY), "--level", "1")
    assert code == 0
    assert "TD.3" not in out

    code, out, _err = run_cli(capsys, "policy", "show", "TD.2", "--pack", str(TINY))
    assert 'min_version = "TLSv1.3"  [source: Quy định nội bộ thử nghiệm, mục 2]' in out


def test_validate_reports_a_valid_pack(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_cli(capsys, "policy", "validate", str(TINY / "pack.yaml"))

    assert code == 0
    assert out.strip() == (
        f"{TINY}: valid — pack tiny-demo 2026.1, 3 controls in 1 groups, levels 1, 2"
    )
