"""Planning: fixed nmap arguments, follow-ups decided from the port scan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socaudit.evidence.base import EvidenceKind
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.planning import (
    PortProfile,
    ScanOptions,
    declared_followups,
    followups,
    nmap_arguments,
    plan_scan,
)
from socaudit.scope import AuthorizedTarget, authorize

from .factory import asset, inventory

TODAY = dt.datetime.now(dt.UTC).date()


def target(**extra: Any) -> AuthorizedTarget:
    services = extra.pop("services", None) or [
        {"port": 8443, "name": "https"},
        {"port": 8080, "name": "http"},
        {"port": 2222, "name": "ssh", "exposure": "admin"},
    ]
    inv = inventory([asset("web", extra.pop("address", "127.0.30.5"), services=services, **extra)])
    (found,) = authorize(inv, as_of=TODAY).targets
    return found


def test_nmap_arguments_are_fixed_and_never_carry_inventory_text() -> None:
    t = target(hostname="cong-dich-vu.example.vn", urls=["https://cong-dich-vu.example.vn/"])
    args = nmap_arguments(ScanOptions(host_timeout=90), t)
    assert args[:2] == ("-n", "-Pn")
    assert "--host-timeout" in args and "90s" in args
    assert "-sV" in args and "--version-light" in args
    assert not any("example" in a or "127.0.30.5" in a for a in args)
    assert "-6" not in args


def test_ipv6_target_gets_dash_6() -> None:
    inv = inventory([asset("v6", "::1")], scope=["::1/128"])
    (t,) = authorize(inv, as_of=TODAY).targets
    assert "-6" in nmap_arguments(ScanOptions(), t)


def test_profile_follows_top_ports() -> None:
    assert ScanOptions().profile is PortProfile.DECLARED
    assert ScanOptions(top_ports=100).profile is PortProfile.DECLARED_PLUS_TOP


def test_plan_starts_with_discovery_and_ports_and_expects_followups() -> None:
    t = target(hostname="cong.example.vn")
    inv_plan = plan_scan(
        authorize(inventory([asset("web", "127.0.30.5")]), as_of=TODAY), ScanOptions()
    )
    assert [p.kind for p in inv_plan.targets[0].probes] == [
        EvidenceKind.DISCOVERY,
        EvidenceKind.PORTS,
    ]

    kinds = sorted(p.kind.value for p in declared_followups(t))
    assert kinds == ["http", "http", "ssh", "tls"]


def test_followups_come_from_what_nmap_found_open() -> None:
    t = target(hostname="cong.example.vn")
    scan = PortScanResult(
        profile="declared",
        ports_requested="2222,8080,8443,9443",
        ports=(
            PortObservation(port=8443, state="open", service="http", tunnel="ssl"),
            PortObservation(port=9443, state="open", service="https"),
            PortObservation(port=8080, state="closed", service="http"),
            PortObservation(port=2222, state="open", service="ssh"),
        ),
    )
    probes = followups(t, scan)
    by_kind = {k: [p for p in probes if p.kind is k] for k in EvidenceKind}
    assert [p.port for p in by_kind[EvidenceKind.TLS]] == [8443, 9443]
    assert all(p.sni == "cong.example.vn" for p in by_kind[EvidenceKind.TLS])
    assert [p.url for p in by_kind[EvidenceKind.HTTP]] == [
        "https://cong.example.vn:8443/",
        "https://cong.example.vn:9443/",
    ]
    assert [p.port for p in by_kind[EvidenceKind.SSH]] == [2222]
    assert len({p.key for p in probes}) == len(probes)


def test_declared_urls_are_used_before_generated_ones() -> None:
    t = target(hostname="cong.example.vn", urls=["https://cong.example.vn:8443/dang-nhap"])
    scan = PortScanResult(
        profile="declared",
        ports_requested="8443",
        ports=(PortObservation(port=8443, state="open", service="http", tunnel="ssl"),),
    )
    urls = [p.url for p in followups(t, scan) if p.kind is EvidenceKind.HTTP]
    assert urls == ["https://cong.example.vn:8443/dang-nhap"]


def test_probe_keys_are_stable_between_plans() -> None:
    inv = inventory([asset("web", "127.0.30.5")], systems=2)
    first = plan_scan(authorize(inv, as_of=TODAY), ScanOptions())
    second = plan_scan(authorize(inv, as_of=TODAY), ScanOptions())
    keys = [p.key for tp in first.targets for p in tp.probes]
    assert keys == [p.key for tp in second.targets for p in tp.probes]
    assert len(set(keys)) == len(keys) == 4


def test_declared_tls_port_gets_a_tls_probe_even_when_nmap_misnames_it() -> None:
    t = target(hostname="cong.example.vn")
    scan = PortScanResult(
        profile="declared",
        ports_requested="8443",
        ports=(PortObservation(port=8443, state="open", service="https-alt"),),
    )
    kinds = sorted(p.kind.value for p in followups(t, scan))
    assert kinds == ["http", "tls"]
    http = next(p for p in followups(t, scan) if p.kind is EvidenceKind.HTTP)
    assert http.url == "https://cong.example.vn:8443/"
