"""Scans use STARTTLS when nmap (or the inventory) names a mail/FTP/LDAP/PostgreSQL service on
its usual port; revocation fetches stay inside the authorised hosts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from socaudit.evidence.base import EvidenceKind
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.inventory.models import Service
from socaudit.planning import (
    STARTTLS_PORTS,
    ScanOptions,
    declared_followups,
    followups,
    plan_scan,
    scope_hosts,
)
from socaudit.scope import authorize
from socaudit.tls.probes.starttls import USUAL_PORTS

from .factory import asset, inventory
from .test_planning import TODAY, target


def _scan(*ports: PortObservation) -> PortScanResult:
    return PortScanResult(
        profile="declared", ports_requested=",".join(str(p.port) for p in ports), ports=ports
    )


def test_usual_ports_agree_with_the_engine() -> None:
    assert STARTTLS_PORTS == USUAL_PORTS


def test_named_service_on_its_usual_port_gets_starttls() -> None:
    t = target(hostname="mail.tinh.gov.vn")
    scan = _scan(
        PortObservation(port=25, state="open", service="smtp"),
        PortObservation(port=587, state="open", service="submission"),
        PortObservation(port=143, state="open", service="imap"),
        PortObservation(port=110, state="open", service="pop3"),
        PortObservation(port=21, state="open", service="ftp"),
        PortObservation(port=389, state="open", service="ldap"),
        PortObservation(port=5432, state="open", service="postgresql"),
        PortObservation(port=465, state="open", service="smtp", tunnel="ssl"),
        PortObservation(port=2525, state="open", service="smtp"),  # not its usual port
        PortObservation(port=110, state="open", service="http"),
    )
    tls = {p.port: p.starttls for p in followups(t, scan) if p.kind is EvidenceKind.TLS}
    assert tls == {
        21: "ftp", 25: "smtp", 110: "pop3", 143: "imap", 389: "ldap", 465: None,
        587: "smtp", 5432: "postgres",
    }  # fmt: skip


def test_a_service_on_another_protocols_port_is_not_upgraded() -> None:
    t = target()
    scan = _scan(PortObservation(port=25, state="open", service="ftp"))
    assert [p for p in followups(t, scan) if p.kind is EvidenceKind.TLS] == []


def test_declared_mail_service_gets_starttls_without_a_port_scan() -> None:
    t = target(services=[{"port": 143, "name": "imap"}, {"port": 993, "name": "imaps"}])
    tls = {p.port: p.starttls for p in declared_followups(t) if p.kind is EvidenceKind.TLS}
    assert tls == {143: "imap", 993: None}


def test_scope_hosts_lists_authorised_names_and_addresses_only() -> None:
    inv = inventory(
        [
            asset("mail", "127.0.30.7", hostname="Mail.Tinh.gov.vn"),
            asset("web", "127.0.30.8"),
        ]
    )
    plan = plan_scan(authorize(inv, as_of=TODAY), ScanOptions())
    assert scope_hosts(plan) == {
        "127.0.30.7": "127.0.30.7",
        "mail.tinh.gov.vn": "127.0.30.7",
        "127.0.30.8": "127.0.30.8",
    }


def test_declared_starttls_on_another_port_is_upgraded() -> None:
    t = target(
        services=[
            {"port": 2587, "name": "smtp", "starttls": True},
            {"port": 2525, "name": "smtp"},  # not declared as STARTTLS: plain
        ]
    )
    scan = _scan(
        PortObservation(port=2587, state="open", service="smtp"),
        PortObservation(port=2525, state="open", service="smtp"),
    )
    tls = {p.port: p.starttls for p in followups(t, scan) if p.kind is EvidenceKind.TLS}
    assert tls == {2587: "smtp"}
    declared = {p.port: p.starttls for p in declared_followups(t) if p.kind is EvidenceKind.TLS}
    assert declared == {2587: "smtp"}


def test_starttls_on_a_service_without_it_is_an_inventory_error() -> None:
    with pytest.raises(ValidationError, match="starttls needs a service name"):
        Service(port=8443, name="https", starttls=True)
