"""Every reason key a check can give exists in both catalogues, and every condition has its
reason; conditions read the inventory as NĐ 85/2016 describes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socaudit.checks import CONDITIONS, REGISTRY
from socaudit.checks.conditions import applies
from socaudit.i18n import catalogue

from .builders import inventory, system_data

CHECKS = Path(__file__).parents[3] / "socaudit" / "checks"
FAMILIES = "ports|tls|http|ssh|net|declared|assessment|endpoints|design|inventory"


def _keys() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in CHECKS.glob("*.py"))
    found = set(re.findall(rf'"((?:{FAMILIES})\.[a-z_0-9]+)"', text)) - set(REGISTRY)
    found |= {f"four_layer.{k}" for k in re.findall(r'LayerStatus\.\w+,\s*"(\w+)"', text)}
    found |= {f"four_layer.on_site_no_{gap}" for gap in ("decision", "staff", "trained")}
    found |= {f"inventory.level_{status}" for status in ("submitted", "appraised")}
    found |= {f"{family}.{k}" for family in ("ports", "tls", "http", "ssh")
              for k in ("probe_error", "not_observed")}  # fmt: skip
    return {f"checks.{key}" for key in found}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_reason_key_is_in_the_catalogue(lang: str) -> None:
    keys = _keys()
    assert len(keys) > 80
    assert sorted(keys - set(catalogue(lang))) == []
    assert all(c.reason_key in catalogue(lang) for c in CONDITIONS.values())


def test_conditions() -> None:
    web = inventory(system_data())
    plain = web.systems[0]
    assert applies(None, plain, web) and applies("always", plain, web)
    assert applies("web_application", plain, web)
    assert not applies("wireless", plain, web) and not applies("mail_system", plain, web)
    assert not applies("database_present", plain, web) and not applies("state_secret", plain, web)
    classified = system_data(
        classification={"function": "public_service", "information": ["public", "personal"],
                        "users": 12000},
        shared_datacenter=True,
    )  # fmt: skip
    inv = inventory(classified)
    system = inv.systems[0]
    for name in ("public_service", "personal_data_10k", "shared_infrastructure",
                 "hosted_in_datacenter"):  # fmt: skip
        assert applies(name, system, inv), name
    few = system_data(classification={"function": "internal", "information": ["personal"],
                                      "users": 9999})  # fmt: skip
    inv_few = inventory(few)
    assert not applies("personal_data_10k", inv_few.systems[0], inv_few)
    assert not applies("public_service", inv_few.systems[0], inv_few)
    with pytest.raises(KeyError):
        applies("no_such_condition", plain, web)
