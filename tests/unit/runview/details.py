"""More evidence records for the run-view tests: discovery, graded TLS, HTTP, SSH."""

from __future__ import annotations

from socaudit.collect.http_collector import judged as judged_http
from socaudit.evidence.base import AttemptStatus, EvidenceKind
from socaudit.evidence.http import HttpResult
from socaudit.evidence.network import DiscoveryResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.evidence.ssh import SshResult, SshWeakness
from socaudit.evidence.tls import CertificateFacts, Grade, GradeCap, HstsFacts, TlsEndpointResult
from socaudit.probes.ssh_findings import judged as judged_ssh

from .records import record


def discovery(up: bool = True) -> EvidenceRecord:
    payload = DiscoveryResult(method="tcp_connect", host_up=up, note="not root: TCP connect")
    return record(EvidenceKind.DISCOVERY, "discovery:127.0.30.1", payload, port=None)


def certificate(subject: str = "CN=ioc.example.test") -> CertificateFacts:
    return CertificateFacts(
        subject=subject,
        issuer="CN=Lab Intermediate",
        not_before="2026-01-01T00:00:00+00:00",
        not_after="2027-01-01T00:00:00+00:00",
        days_remaining=34,
        expired=False,
        not_yet_valid=False,
        key_type="RSA",
        key_size=1024,
        signature_hash="sha1",
        self_signed=False,
        hostname_match=False,
        chain_trusted=True,
        chain_complete=False,
        lifespan_days=365,
    )


def graded_tls(subject: str = "CN=ioc.example.test") -> EvidenceRecord:
    grade = Grade(
        letter="C",
        letter_if_trust_ignored="B",
        caps=(GradeCap(cap="C", reason="TLS 1.0 accepted"),),
        ruleset="ssllabs-2009r",
        mozilla={"intermediate-5.7": False, "modern-5.7": None},
    )
    payload = TlsEndpointResult(
        target="ioc.example.test:443",
        status=AttemptStatus.COMPLETED,
        protocols=("TLSv1.0", "TLSv1.2"),
        certificate=certificate(subject),
        hsts=HstsFacts(present=True, max_age=300, include_subdomains=True),
        grade=grade,
    )
    return record(EvidenceKind.TLS, "tls:127.0.30.1:443", payload)


def plain_http(banner: str = "nginx/1.22.1", *, stored: bool = True) -> EvidenceRecord:
    """Plain HTTP evidence, judged as the collector does (``stored=False``: an older run)."""
    payload = HttpResult(
        url="http://127.0.30.1:8080/",
        status_code=200,
        redirects_to_https=False,
        headers={"x-frame-options": "DENY"},
        server_banner=banner,
    )
    payload = judged_http(payload) if stored else payload
    return record(EvidenceKind.HTTP, "http:127.0.30.1:8080", payload, port=8080)


def weak_ssh(banner: str = "SSH-2.0-OpenSSH_7.4", *, stored: bool = True) -> EvidenceRecord:
    """Weak SSH evidence, judged as the collector does (``stored=False``: an older run)."""
    weakness = SshWeakness(
        algorithm="diffie-hellman-group1-sha1", category="kex", reason="1024-bit group"
    )
    payload = SshResult(
        banner=banner,
        protocol_version="2.0",
        auth_methods=("publickey", "password"),
        weaknesses=(weakness,),
    )
    payload = judged_ssh(payload) if stored else payload
    return record(EvidenceKind.SSH, "ssh:127.0.30.1:22", payload, port=22)
