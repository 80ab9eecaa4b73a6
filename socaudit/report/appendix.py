"""The raw-evidence appendix of a system report: what was observed, as recorded.

Ports, discovery, declared-but-closed ports and problems come from the run view
(``socaudit.runview``, the same facts ``socaudit evidence`` shows); TLS versions and suites,
certificates, HTTP headers and SSH algorithms are copied from the stored payloads. Every
string here was sent by a scanned server: the templates print it as text only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.http import HttpResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.evidence.ssh import SshResult
from socaudit.evidence.tls import CertificateFacts, TlsEndpointResult
from socaudit.inventory.models import Inventory
from socaudit.runview import OpenPort, Problem, build_run_view, latest_per_probe
from socaudit.runview_details import AssetView, ClosedPort, hsts_text


@dataclass(frozen=True, slots=True)
class CertificateDetail:
    subject: str
    issuer: str
    not_before: str
    not_after: str
    days_remaining: int
    key: str
    signature_hash: str | None
    san: tuple[str, ...]
    trusted: bool
    complete: bool
    hostname_match: bool | None
    self_signed: bool
    trust_error: str | None


@dataclass(frozen=True, slots=True)
class TlsDetail:
    target: str
    sni: str | None
    protocols: tuple[str, ...]
    suites: tuple[tuple[str, tuple[str, ...]], ...]
    """(protocol version, accepted cipher suites)."""
    groups: tuple[str, ...]
    dhe_min_bits: int | None
    grade: str | None
    certificate: CertificateDetail | None
    findings: tuple[str, ...]
    """``severity id: message``."""


@dataclass(frozen=True, slots=True)
class HttpDetail:
    target: str
    url: str
    status_code: int | None
    redirects_to_https: bool | None
    location: str | None
    hsts: str | None
    headers: tuple[tuple[str, str], ...]
    server_banner: str | None


@dataclass(frozen=True, slots=True)
class SshDetail:
    target: str
    banner: str
    kex: tuple[str, ...]
    host_key: tuple[str, ...]
    ciphers: tuple[str, ...]
    macs: tuple[str, ...]
    auth_methods: tuple[str, ...] | None
    weaknesses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Appendix:
    assets: tuple[AssetView, ...]
    ports: tuple[OpenPort, ...]
    closed: tuple[ClosedPort, ...]
    tls: tuple[TlsDetail, ...]
    http: tuple[HttpDetail, ...]
    ssh: tuple[SshDetail, ...]
    problems: tuple[Problem, ...]


def build_appendix(
    system_id: str, records: Iterable[EvidenceRecord], inventory: Inventory | None
) -> Appendix:
    """The appendix of one system from the run's records (other systems' are ignored)."""
    mine = [r for r in records if r.target.system_id == system_id]
    view = build_run_view(mine, inventory, (system_id,)).systems[0]
    done = [r for r in latest_per_probe(mine) if r.status is AttemptStatus.COMPLETED]
    return Appendix(
        assets=view.assets,
        ports=view.open_ports,
        closed=view.closed_ports,
        tls=tuple(_tls(r.payload) for r in done if isinstance(r.payload, TlsEndpointResult)),
        http=tuple(_http(r, r.payload) for r in done if isinstance(r.payload, HttpResult)),
        ssh=tuple(_ssh(r, r.payload) for r in done if isinstance(r.payload, SshResult)),
        problems=view.problems,
    )


def _tls(result: TlsEndpointResult) -> TlsDetail:
    kex = result.key_exchange
    return TlsDetail(
        target=result.target,
        sni=result.sni,
        protocols=tuple(result.protocols),
        suites=tuple((v, tuple(s)) for v, s in sorted(result.cipher_suites.items())),
        groups=tuple(kex.ecdhe_groups) + tuple(kex.ffdhe_groups),
        dhe_min_bits=kex.dhe_min_bits,
        grade=result.grade.letter if result.grade else None,
        certificate=_certificate(result.certificate) if result.certificate else None,
        findings=tuple(f"{f.severity} {f.id}: {f.message}" for f in result.findings),
    )


def _certificate(cert: CertificateFacts) -> CertificateDetail:
    return CertificateDetail(
        subject=cert.subject,
        issuer=cert.issuer,
        not_before=cert.not_before,
        not_after=cert.not_after,
        days_remaining=cert.days_remaining,
        key=f"{cert.key_type}-{cert.key_size}",
        signature_hash=cert.signature_hash,
        san=tuple(cert.san),
        trusted=cert.chain_trusted,
        complete=cert.chain_complete,
        hostname_match=cert.hostname_match,
        self_signed=cert.self_signed,
        trust_error=cert.trust_error,
    )


def _http(record: EvidenceRecord, result: HttpResult) -> HttpDetail:
    return HttpDetail(
        target=record.target.label(),
        url=result.url,
        status_code=result.status_code,
        redirects_to_https=result.redirects_to_https,
        location=result.location,
        hsts=hsts_text(result.hsts),
        headers=tuple(sorted(result.headers.items())),
        server_banner=result.server_banner,
    )


def _ssh(record: EvidenceRecord, result: SshResult) -> SshDetail:
    return SshDetail(
        target=record.target.label(),
        banner=result.banner,
        kex=tuple(result.kex),
        host_key=tuple(result.host_key),
        ciphers=tuple(result.ciphers),
        macs=tuple(result.macs),
        auth_methods=result.auth_methods,
        weaknesses=tuple(f"{w.category} {w.algorithm} ({w.severity})" for w in result.weaknesses),
    )
