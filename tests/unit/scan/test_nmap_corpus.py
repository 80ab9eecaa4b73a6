"""``scan --import-nmap`` on a corpus of real nmap files (several formats) and hostile XML.

Every host that is not imported is reported with its line and reason; a file that gives
nothing usable is an input error (exit 3) and leaves no run behind.
"""

from __future__ import annotations

import ipaddress
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from socaudit.cli.main import cli
from socaudit.collect.nmap_xml import NmapXmlError, parse_nmap_xml
from socaudit.errors import InputError
from socaudit.evidence.base import EvidenceKind
from socaudit.evidence.network import PortScanResult
from socaudit.exitcodes import ExitCode
from socaudit.store.repository import Store

from .factory import asset, write_inventory

DATA = Path(__file__).parents[2] / "data" / "nmap"
CORPUS = DATA / "corpus"
SCOPE = ["127.0.0.0/8", "::1/128", "10.213.0.0/24"]
SERVICES = [{"port": 1, "name": "probe"}]

# file -> (imported address -> open ports, [(line, reason words) of each host not imported])
EXPECTED: dict[str, tuple[dict[str, set[int]], list[tuple[int, str]]]] = {
    "nmap-5.51-format-down-and-up.xml": ({"127.0.30.1": {22, 443}}, [(10, "down")]),
    "nmap-6.40-format-two-hosts.xml": ({"127.0.30.1": {22, 80, 443}, "127.0.30.2": {3306}}, []),
    "nmap-7.93-extra-ports.xml": ({"127.0.10.30": {8080}, "127.0.10.60": {3306}}, []),
    "nmap-7.93-ipv6.xml": ({"::1": set()}, []),
    "nmap-7.93-lan-mac-and-down.xml": ({"10.213.0.2": set()}, [(17, "down")]),
    "nmap-7.93-one-host-anonymised.xml": (
        {"127.0.10.30": {8080}},
        [(20, "'IP' is not an IP address")],
    ),
    "nmap-7.93-os-detection.xml": ({"127.0.10.40": {2222}}, []),
    "nmap-7.93-scripts-tls.xml": ({"127.0.10.10": {8080, 8443}}, []),
    "nmap-7.93-traceroute-hostname.xml": ({"127.0.0.1": set()}, []),
    "nmap-7.93-udp-and-tcp.xml": ({"127.0.10.51": {2121}, "127.0.10.52": {2525}}, []),
}
NOTHING_USABLE = {
    "nmap-7.93-anonymised-placeholders.xml": [(9, "'IP' is not an IP address")],
    "nmap-7.93-lan-ping-down-hosts.xml": [
        (10, "scanned none of its ports"),
        (17, "down"),
        (20, "down"),
        (23, "down"),
    ],
}


def _inventory(tmp_path: Path, addresses: list[str]) -> Path:
    assets = [asset(f"a{i}", a, services=SERVICES) for i, a in enumerate(addresses)]
    return write_inventory(tmp_path / "inv.yaml", assets, scope=SCOPE)


def _import(tmp_path: Path, xml: Path, addresses: list[str]) -> tuple[Result, str]:
    inventory = _inventory(tmp_path, addresses)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    argv = ["--db", db, "scan", "-i", str(inventory), "--import-nmap", str(xml)]
    return CliRunner().invoke(cli, argv, standalone_mode=False), db


def _warnings(result: Result, xml: Path) -> list[tuple[int, str]]:
    prefix = f"{xml}:"
    found = []
    for line in result.stderr.splitlines():
        if line.startswith(prefix) and ": warning: host " in line:
            number, _, message = line[len(prefix) :].partition(": warning: ")
            found.append((int(number), message))
    return found


def _matches(found: list[tuple[int, str]], expected: list[tuple[int, str]]) -> bool:
    return len(found) == len(expected) and all(
        line == want_line and words in message
        for (line, message), (want_line, words) in zip(found, expected, strict=True)
    )


def test_the_corpus_covers_several_nmap_versions() -> None:
    versions = {parse_nmap_xml(p.read_bytes()).version for p in CORPUS.glob("*.xml")}
    assert versions == {"5.51", "6.40", "7.93"}
    assert set(EXPECTED) | set(NOTHING_USABLE) == {p.name for p in CORPUS.glob("*.xml")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_file_imports_its_hosts_and_reports_the_rest(tmp_path: Path, name: str) -> None:
    xml = CORPUS / name
    imported, not_imported = EXPECTED[name]
    # every address the file names is an asset, so nothing is skipped for lack of an asset
    named = [str(h.address) for h in parse_nmap_xml(xml.read_bytes()).hosts]
    result, db = _import(tmp_path, xml, named)
    assert result.return_value == ExitCode.OK, result.output
    assert _matches(_warnings(result, xml), not_imported), result.stderr
    store = Store(db)
    try:
        (run,) = store.runs()
        ports = [r for r in store.records(run.id) if r.kind is EvidenceKind.PORTS]
    finally:
        store.close()
    observed: dict[str, Any] = {}
    for record in ports:
        assert isinstance(record.payload, PortScanResult)
        observed[record.target.address or ""] = {p.port for p in record.payload.open_ports}
    assert observed == imported


@pytest.mark.parametrize("name", sorted(NOTHING_USABLE))
def test_a_file_with_nothing_usable_fails_and_says_why(tmp_path: Path, name: str) -> None:
    xml = CORPUS / name
    result, db = _import(tmp_path, xml, ["127.0.10.10", "10.213.0.2"])
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == ExitCode.INVALID_INPUT
    problems = result.exception.problems
    found = [(p.line or 0, p.message) for p in problems if p.severity == "warning"]
    assert _matches(found, NOTHING_USABLE[name])
    assert any(p.message == "no host imported" for p in problems)
    store = Store(db)
    try:
        assert store.runs() == []  # no empty "completed, 0 records" run
    finally:
        store.close()


def test_a_host_in_scope_without_an_asset_is_reported(tmp_path: Path) -> None:
    xml = CORPUS / "nmap-6.40-format-two-hosts.xml"
    result, _db = _import(tmp_path, xml, ["127.0.30.1"])
    assert result.return_value == ExitCode.OK, result.output
    assert _matches(_warnings(result, xml), [(23, "no inventory asset has this address")])
    assert "not imported: 1 host(s)" in result.stdout


@pytest.mark.parametrize(
    "name",
    ["hostile-billion-laughs.xml", "hostile-external-entity.xml", "hostile-parameter-entity.xml"],
)
def test_entity_attacks_are_refused_by_the_parser(name: str) -> None:
    text = (DATA / name).read_bytes()
    started = time.perf_counter()
    with pytest.raises(NmapXmlError, match="XML entities are not accepted") as caught:
        parse_nmap_xml(text)
    assert time.perf_counter() - started < 5  # refused, never expanded (10**9 "lol"s)
    assert "Forbidden" in str(caught.value)  # the defusedxml refusal, naming the entity


def test_an_entity_attack_in_an_import_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    xml = DATA / "hostile-external-entity.xml"
    result, _db = _import(tmp_path, xml, ["127.0.30.1"])
    assert result.exit_code != 0
    assert str(xml) in str(result.exception)
    assert "root:" not in result.output + str(result.exception)  # /etc/passwd never read


def test_a_comment_mentioning_entities_is_not_an_attack() -> None:
    doc = (
        "<?xml version='1.0'?><!-- exported by ops: no <!ENTITY declarations here -->"
        "<nmaprun version='7.93'><host><status state='up'/>"
        "<address addr='127.0.30.1' addrtype='ipv4'/><ports/></host></nmaprun>"
    )
    (host,) = parse_nmap_xml(doc).hosts
    assert host.address == ipaddress.ip_address("127.0.30.1")
