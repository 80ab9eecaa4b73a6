"""The vulnerability and resumption probes against the lab: each flawed target is reported
flawed, and the well-configured one is not (the same verdicts as sslyze, benchmarks/)."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any

import pytest

from socaudit.evidence.tls import TlsEndpointResult
from socaudit.tls.engine import TlsOptions, TlsTarget, assess

pytestmark = pytest.mark.integration

NAMES = ("tls-good", "tls-legacy", "tls-heartbleed", "tls-ccs", "tls-robot", "tls-compression",
         "tls-reneg", "tls-0rtt", "tls-noresume", "tls-nofs")  # fmt: skip


@pytest.fixture(scope="module")
def results(lab: Any) -> dict[str, TlsEndpointResult]:
    endpoints = {e.name: e for e in lab.endpoints}
    targets = [
        TlsTarget(endpoints[n].hostname, ip_address(endpoints[n].address), endpoints[n].port)
        for n in NAMES
    ]
    options = TlsOptions(timeout=5.0, ca_files=(lab.ca_bundle,), http=False)
    by_label = {f"{endpoints[n].hostname}:{endpoints[n].port}": n for n in NAMES}
    return {by_label[r.target]: r for r in assess(targets, options)}


def test_each_flaw_is_found_on_its_target_only(results: dict[str, TlsEndpointResult]) -> None:
    flagged = {
        "heartbleed": {n for n, r in results.items() if r.vulnerabilities.heartbleed},
        "ccs": {n for n, r in results.items() if r.vulnerabilities.ccs_injection},
        "robot": {n for n, r in results.items() if r.vulnerabilities.robot == "vulnerable"},
        "compression": {n for n, r in results.items() if r.vulnerabilities.compression},
        "reneg": {n for n, r in results.items() if r.vulnerabilities.client_renegotiation},
        "0rtt": {n for n, r in results.items() if r.vulnerabilities.early_data},
    }
    assert flagged == {
        "heartbleed": {"tls-heartbleed"},
        "ccs": {"tls-ccs"},
        "robot": {"tls-robot"},
        "compression": {"tls-compression"},
        "reneg": {"tls-reneg"},
        "0rtt": {"tls-0rtt"},
    }


def test_good_target_has_every_protection(results: dict[str, TlsEndpointResult]) -> None:
    good = results["tls-good"]
    v = good.vulnerabilities
    assert (v.heartbleed, v.ccs_injection, v.compression, v.client_renegotiation) == (
        False, False, False, False
    )  # fmt: skip
    assert (v.fallback_scsv, v.secure_renegotiation, v.extended_master_secret) == (True,) * 3
    assert v.robot == "not_applicable"  # ECDHE only: no RSA key exchange to attack
    assert good.resumption.session_ticket is True


def test_resumption_off_and_robot_safe_rsa(results: dict[str, TlsEndpointResult]) -> None:
    off = results["tls-noresume"].resumption
    assert (off.session_id, off.session_ticket) == (False, False)
    assert "tls.resumption.none" in {f.id for f in results["tls-noresume"].findings}
    assert results["tls-nofs"].vulnerabilities.robot == "not_vulnerable"
    assert results["tls-legacy"].vulnerabilities.fallback_scsv is True


def test_grade_caps_follow_the_probes(results: dict[str, TlsEndpointResult]) -> None:
    for name in ("tls-heartbleed", "tls-ccs", "tls-robot"):
        grade = results[name].grade
        assert grade is not None and grade.letter_if_trust_ignored == "F", name
    compressed = results["tls-compression"].grade
    assert compressed is not None and any(c.cap == "C" for c in compressed.caps)
