"""``scan --import-nmap``: hosts are scope-checked; out-of-scope hosts are refused, not stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from socaudit.cli.main import cli
from socaudit.evidence.base import AttemptStatus, EvidenceKind
from socaudit.evidence.network import NmapXml, PortScanResult
from socaudit.exitcodes import ExitCode
from socaudit.store.repository import Store

from .factory import asset, write_inventory

DATA = Path(__file__).parents[2] / "data" / "nmap"
TODAY = dt.datetime.now(dt.UTC).date()


def test_import_maps_hosts_by_address_and_refuses_the_rest(tmp_path: Path) -> None:
    inv = write_inventory(tmp_path / "inv.yaml", [asset("web", "127.0.30.1")])
    db = f"sqlite:///{tmp_path / 'store.db'}"
    xml = DATA / "office-two-hosts.xml"
    result = CliRunner().invoke(
        cli, ["--db", db, "scan", "-i", str(inv), "--import-nmap", str(xml)], standalone_mode=False
    )
    assert result.return_value == ExitCode.INCOMPLETE, result.output  # one host refused
    store = Store(db)
    (run,) = store.runs()
    assert run.status == "completed"
    records = list(store.records(run.id))
    ports = [r for r in records if r.kind is EvidenceKind.PORTS]
    assert [r.target.address for r in ports] == ["127.0.30.1"]
    payload = ports[0].payload
    assert isinstance(payload, PortScanResult)
    assert payload.scanner == "nmap-import"
    assert {p.port for p in payload.open_ports} == {8080, 8443}
    refused = [r for r in records if r.status is AttemptStatus.REFUSED]
    assert [r.target.address for r in refused] == ["127.0.31.1"]
    (raw,) = [r.payload for r in records if isinstance(r.payload, NmapXml)]
    assert 'addr="127.0.30.1"' in raw.xml
    assert 'addr="127.0.31.1"' not in raw.xml  # the refused host is cut from the kept XML
    assert [r.kind for r in records].count(EvidenceKind.NMAP_XML) == 1
    store.close()


@pytest.mark.parametrize("content", ["<html/>", "garbage", ""])
def test_import_of_a_bad_file_is_an_input_error(tmp_path: Path, content: str) -> None:
    inv = write_inventory(tmp_path / "inv.yaml", [asset("web", "127.0.30.1")])
    bad = tmp_path / "bad.xml"
    bad.write_text(content)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    result = CliRunner().invoke(
        cli, ["--db", db, "scan", "-i", str(inv), "--import-nmap", str(bad)]
    )
    assert result.exit_code != 0
    assert str(bad) in str(result.exception)
