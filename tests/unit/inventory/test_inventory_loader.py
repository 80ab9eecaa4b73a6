"""load_inventory / validate_inventory on the demo and on small synthetic inventories."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from socaudit.errors import InputError
from socaudit.inventory.loader import load_inventory, resolve_path, validate_inventory

ROOT = Path(__file__).parents[3]
DEMO = ROOT / "inventories" / "demo.yaml"

MINIMAL = """\
schema_version: 1
organization: {name: "Sở Khoa học và Công nghệ"}
authorization:
  reference: "Quyết định số 1/QĐ-UBND"
  approved_by: "Chủ tịch UBND tỉnh"
  window: {from: 2026-10-01, to: 2026-12-14}
  scope: [127.0.10.0/24, "::1/128"]
systems:
  - id: trolyao
    name: "Trợ lý ảo"
    level: 1
    level_approval: {status: drafting}
    classification: {function: public_service, information: [public, personal], users: 5000}
    assets:
      - {id: web, address: "::1", hostname: tro-ly-ao.langson.gov.vn}
"""


def write(tmp_path: Path, text: str, name: str = "inv.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_inventory(path)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def test_demo_is_valid_with_two_level_warnings() -> None:
    inventory, warnings = validate_inventory(DEMO)

    assert len(inventory.systems) == 12
    assert [s.id for s in inventory.systems if s.level < 2] == ["trolyao"]
    assert [w.severity for w in warnings] == ["warning", "warning"]
    assert warnings[0].message == (
        "system 'trolyao': declared level 1 is below the minimum level 2"
    )
    assert warnings[1].hint is not None and warnings[1].hint.startswith("NĐ 85/2016 Art. 9.3:")


def test_demo_assets_are_inside_the_lab_scope() -> None:
    inventory = load_inventory(DEMO)
    lab = ipaddress.ip_network("127.0.10.0/24")

    addresses = [a.address for s in inventory.systems for a in s.assets]
    assert addresses and all(a is not None and a in lab for a in addresses)
    assert (
        resolve_path(DEMO, inventory.trust.ca_bundles[0]) == DEMO.parent / "../.lab/ca/lab-root.pem"
    )


def test_demo_evidence_file_is_merged() -> None:
    inventory = load_inventory(DEMO)

    assert [w.control for w in inventory.system("soc").waivers] == ["KT.1.6"]
    assert [e.control for e in inventory.system("dvc").evidence] == ["QL.1.1", "QL.3.2"]


def test_warning_points_at_the_level_line(tmp_path: Path) -> None:
    _inventory, warnings = validate_inventory(write(tmp_path, MINIMAL))

    assert [w.render() for w in warnings] == [
        f"{tmp_path / 'inv.yaml'}:11: warning: system 'trolyao': declared level 1 is below the "
        "minimum level 2 (NĐ 85/2016 Art. 8.2.c: online services processing private or "
        "personal information of < 10,000 users)"
    ]


def test_no_warning_without_classification(tmp_path: Path) -> None:
    start = MINIMAL.index("    classification:")
    text = MINIMAL[:start] + MINIMAL[MINIMAL.index("    assets:") :]
    assert validate_inventory(write(tmp_path, text))[1] == []


def test_evidence_files_merge_and_resolve_relative_to_the_inventory(tmp_path: Path) -> None:
    (tmp_path / "office").mkdir()
    write(
        tmp_path / "office",
        "schema_version: 1\nsystems:\n  trolyao:\n    waivers:\n"
        "      - {control: KT.1.2, reason: r, approved_by: a, expires: 2027-01-01}\n",
        "ev.yaml",
    )
    text = MINIMAL.replace("systems:\n", "evidence_files: [office/ev.yaml]\nsystems:\n")

    inventory = load_inventory(write(tmp_path, text))

    assert [w.control for w in inventory.system("trolyao").waivers] == ["KT.1.2"]


def test_evidence_file_errors_point_into_that_file(tmp_path: Path) -> None:
    write(tmp_path, "schema_version: 1\nsystems:\n  trolyao:\n    evidnce: []\n", "ev.yaml")
    path = write(tmp_path, MINIMAL.replace("systems:\n", "evidence_files: [ev.yaml]\nsystems:\n"))

    with pytest.raises(InputError) as caught:
        load_inventory(path)

    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.message, problem.hint) == (
        tmp_path / "ev.yaml",
        4,
        "unknown key 'evidnce'",
        "did you mean 'evidence'?",
    )


def test_unknown_key_without_close_match_lists_allowed_keys(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace("    level: 1\n", "    level: 1\n    colour: red\n"))

    with pytest.raises(InputError) as caught:
        load_inventory(path)

    hint = caught.value.problems[0].hint
    assert hint is not None and hint.startswith("allowed keys: id, name, owner")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("level: 1", "level: [1]", "11: 'level' must be a whole number, not a list"),
        ("status: drafting", "status: 3", "12: invalid value 3 for 'status'"),
        ('name: "Trợ lý ảo"', "name: 42", "10: 'name' must be text, not a number"),
        ("users: 5000", "users: -1", "13: 'users' must be at least 0, got -1"),
        (
            "from: 2026-10-01",
            "from: 2026-10-01 08:00:00",
            "6: invalid date '2026-10-01 08:00:00' for 'from'",
        ),
        ("to: 2026-12-14", "to: 20261214", "6: invalid date 20261214 for 'to'"),
        (
            "from: 2026-10-01",
            "from: 2027-01-01",
            "6: authorization.window: 'from' 2027-01-01 is after 'to'",
        ),
        (
            'address: "::1"',
            "address: 10.0.0.1",
            "15: asset 'web' address 10.0.0.1 is outside the authorised scope [127.0.10.0/24, ::1/",
        ),
        ("scope: [127.0.10.0/24", "scope: [a b, 127.0.10.0/24", "7: invalid scope entry 'a b'"),
        (
            'address: "::1", hostname: tro-ly-ao.langson.gov.vn',
            "role: web",
            "15: asset 'web' has neither an address nor a hostname",
        ),
        ("hostname: tro-ly-ao.langson.gov.vn", "hostname: 'a b'", "15: invalid hostname 'a b'"),
        ("- id: trolyao", "- id: Tro Ly Ao", "9: invalid id 'Tro Ly Ao'"),
        (
            "scope: [127.0.10.0/24",
            "scope: [-sS, 127.0.10.0/24",
            "7: 'scope[0]' value '-sS' looks like a command-line",
        ),
    ],
)
def test_messages_are_short_and_located(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in MINIMAL
    found = errors(write(tmp_path, MINIMAL.replace(old, new)))

    assert found[0].startswith(expected)


def test_duplicate_service_ports_and_organization_type(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "hostname: tro-ly-ao.langson.gov.vn}",
        "services: [{port: 443, name: https}, {port: 443, name: https}]}",
    ).replace('organization: {name: "Sở Khoa học và Công nghệ"}', "organization: UBND")

    assert errors(write(tmp_path, text)) == [
        "2: 'organization' must be a mapping of keys, not text",
        "15: port 443/tcp is listed twice for asset 'web'",
    ]


def test_scope_error_points_at_the_bad_entry(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        '  scope: [127.0.10.0/24, "::1/128"]\n',
        '  scope:\n    - 127.0.10.0/24\n    - 127.0.20.1/24\n    - "::1/128"\n',
    )

    assert errors(write(tmp_path, text)) == ["9: 'scope': 127.0.20.1/24 has host bits set"]


def test_evidence_files_are_checked_even_when_the_inventory_is_invalid(tmp_path: Path) -> None:
    write(tmp_path, "schema_version: 1\nsystems:\n  trolyaoo: {}\n", "ev.yaml")
    text = MINIMAL.replace("systems:\n", "evidence_files: [ev.yaml]\nsystems:\n")
    path = write(tmp_path, text.replace("level: 1", "level: 0"))

    with pytest.raises(InputError) as caught:
        load_inventory(path)

    assert [(p.file.name, p.line, p.message) for p in caught.value.problems] == [
        ("inv.yaml", 12, "'level' must be at least 1, got 0"),
        ("ev.yaml", 3, "unknown system 'trolyaoo'"),
    ]


def test_list_items_are_named_with_their_index(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "assets:\n      - {id: web,", "assets:\n      - web\n      - {id: web,"
    ).replace("hostname: tro-ly-ao.langson.gov.vn}", "urls: [ftp://x]}")

    assert errors(write(tmp_path, text)) == [
        "15: 'assets[0]' must be a mapping of keys, not text",
        "16: invalid urls[0] 'ftp://x'",
    ]
