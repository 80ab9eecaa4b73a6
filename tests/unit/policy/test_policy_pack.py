"""Pack resolution: per-level parameters, named parameters with sources, overrides, conditions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socaudit.checks import REGISTRY
from socaudit.inventory.loader import load_inventory
from socaudit.inventory.overrides import PolicyOverride
from socaudit.policy.loader import load_pack
from socaudit.policy.pack import OverrideError, Pack
from socaudit.policy.resolved import ResolvedControl

ROOT = Path(__file__).parents[3]
TINY = ROOT / "tests" / "data" / "policies" / "tiny"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("tcvn11930")


def by_id(
    pack: Pack, level: int, overrides: tuple[PolicyOverride, ...] = ()
) -> dict[str, ResolvedControl]:
    return {c.id: c for c in pack.controls_for_level(level, overrides)}


def test_a_higher_level_overrides_a_lower_one_key_by_key(tmp_path: Path) -> None:
    folder = tmp_path / "layered"
    shutil.copytree(TINY, folder)
    text = (folder / "baseline.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "      - check: ports.only_declared_services\n",
        "      - check: ports.only_declared_services\n"
        "      - check: ports.no_cleartext_admin\n"
        "        params_by_level: {2: {services: [telnet]}}\n",
    ).replace(
        "      - check: tls.min_version\n",
        "      - check: tls.no_weak_suites\n"
        "        params_by_level: {1: {forbidden: [export, rc4]}, 2: {forbidden: [rc4]}}\n"
        "      - check: tls.min_version\n",
    )
    (folder / "baseline.yaml").write_text(text, encoding="utf-8")
    layered = load_pack(folder)

    level1 = {c.id: c for c in layered.controls_for_level(1)}
    level2 = {c.id: c for c in layered.controls_for_level(2)}

    assert level1["TD.2"].checks[0].params == {"forbidden": ["export", "rc4"]}
    assert level2["TD.2"].checks[0].params == {"forbidden": ["rc4"]}
    assert level2["TD.2"].checks[1].params == {"min_version": "TLSv1.3"}
    assert "TD.3" not in level1
    assert level2["TD.3"].checks[1].params == {"services": ["telnet"]}


def test_named_parameters_take_the_nearest_lower_level(pack: Pack) -> None:
    months = [pack.parameter("assessment_interval_months", level).value for level in range(1, 6)]

    assert months == [24, 24, 12, 12, 6]  # NĐ 85/2016 Art. 20.2.c
    source = pack.parameter("assessment_interval_months", 3).source
    assert "Điều 20 khoản 2 điểm c" in source.vi
    assert "Art. 20.2.c" in source.en


def test_every_number_a_reader_sees_names_its_source_and_never_tcvn(pack: Pack) -> None:
    for name, parameter in pack.parameters.items():
        assert parameter.source.vi and parameter.source.en, name
        assert not parameter.source.en.startswith("TCVN 11930"), name
    resolved = by_id(pack, 3)["KT.3.4"]
    key_size = next(c for c in resolved.checks if c.name == "tls.certificate_key_size")
    assert key_size.params == {"min_rsa_bits": 2048, "min_ec_bits": 256}
    assert "Mozilla" in key_size.sources["min_rsa_bits"].en
    minimum = next(c for c in resolved.checks if c.name == "tls.min_version")
    assert "39/2017" in minimum.sources["min_version"].vi


def test_an_override_replaces_the_value_and_its_source_at_its_levels(pack: Pack) -> None:
    override = PolicyOverride(
        parameter="min_log_retention_days", value=90, levels=(3, 4), reason="Quy chế của tỉnh"
    )

    at3 = by_id(pack, 3, (override,))["BL.2"].checks[0]
    at5 = by_id(pack, 5, (override,))["BL.2"].checks[0]

    assert at3.params == {"min_log_retention_days": 90}
    assert "Quy chế của tỉnh" in at3.sources["min_log_retention_days"].vi
    assert at5.params == {"min_log_retention_days": 30}
    assert "31/2017" in at5.sources["min_log_retention_days"].vi


def test_a_wrong_override_is_refused(pack: Pack) -> None:
    with pytest.raises(OverrideError) as unknown:
        pack.controls_for_level(
            3, (PolicyOverride(parameter="tls_min_versio", value="TLSv1.3", reason="r"),)
        )
    with pytest.raises(OverrideError) as bad:
        pack.controls_for_level(
            3, (PolicyOverride(parameter="tls_min_version", value="TLSv2", reason="r"),)
        )

    assert "did you mean 'tls_min_version'?" in str(unknown.value)
    assert "value 'TLSv2' refused by tls.min_version" in str(bad.value)
    assert unknown.value.exit_code == 3


def test_conditions_change_with_the_level(pack: Pack) -> None:
    waf = {level: by_id(pack, level)["TK.b.vii"] for level in (2, 3, 4)}
    nac5 = by_id(pack, 5)["TK.b.ix"]
    dlp3 = by_id(pack, 3)["TK.b.xiv"]

    assert waf[2].conditions == ("public_service",)
    assert waf[3].conditions == ("public_service",)
    assert waf[4].conditions == ("public_service", "shared_infrastructure")
    assert waf[4].condition == "public_service"
    assert nac5.conditions == () and nac5.condition is None
    assert dlp3.conditions == ("state_secret", "personal_data_10k")


def test_every_registered_check_is_used_by_the_pack(pack: Pack) -> None:
    used = {ref.check for entry in pack.controls for ref in entry.control.checks}

    assert used == set(REGISTRY)


def test_demo_declarations_name_controls_that_apply_at_the_system_level(pack: Pack) -> None:
    inventory = load_inventory(ROOT / "inventories" / "demo.yaml")
    for system in inventory.systems:
        applicable = {c.id for c in pack.controls_for_level(system.level)}
        named = {e.control for e in system.evidence} | {w.control for w in system.waivers}
        assert named <= applicable, system.id
