"""Per-asset and per-endpoint parts of the run view: discovery, closed declared ports, TLS,
HTTP and SSH summaries. Pure functions over evidence payloads; no judging of controls."""

from __future__ import annotations

from dataclasses import dataclass

from socaudit.evidence.http import HttpResult
from socaudit.evidence.network import DiscoveryResult, PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.evidence.ssh import SshHostKey, SshResult
from socaudit.evidence.tls import CertificateFacts, HstsFacts
from socaudit.inventory.models import System

SECURITY_HEADERS = (
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
)


@dataclass(frozen=True, slots=True)
class AssetView:
    """Discovery of one address: up or down, and how that was found out."""

    asset_id: str | None
    address: str
    host_up: bool
    method: str
    note: str | None


@dataclass(frozen=True, slots=True)
class ClosedPort:
    """A declared service whose port the scan did not find open."""

    asset_id: str | None
    address: str
    port: int
    name: str
    state: str
    """nmap's state (closed, filtered …) or ``not open`` when nmap did not list it."""


@dataclass(frozen=True, slots=True)
class CertificateView:
    subject: str
    not_after: str
    days_remaining: int
    key: str
    signature_hash: str | None
    trusted: bool
    complete: bool
    hostname_match: bool | None
    self_signed: bool


@dataclass(frozen=True, slots=True)
class HttpSummary:
    target: str
    url: str
    status_code: int | None
    redirects_to_https: bool | None
    hsts: str | None
    """``max-age=N[; includeSubDomains][; preload]``, ``absent``, or None (plain HTTP)."""
    missing_headers: tuple[str, ...]
    server_banner: str | None


@dataclass(frozen=True, slots=True)
class SshSummary:
    target: str
    banner: str
    auth_methods: tuple[str, ...] | None
    weaknesses: tuple[str, ...]
    """``category algorithm (severity)`` per weakness."""
    host_keys: tuple[str, ...] = ()
    """``algorithms: type bits fingerprint`` per host key (and ``cert by CA`` for certificates)."""
    gex: tuple[str, ...] = ()
    """``algorithm: smallest / modern-request modulus bits`` per group-exchange algorithm."""
    terrapin: bool | None = None


def asset_view(record: EvidenceRecord) -> AssetView | None:
    """The discovery result of a completed discovery record."""
    payload = record.payload
    if not isinstance(payload, DiscoveryResult):
        return None
    address = record.target.address or record.target.hostname or "?"
    return AssetView(record.target.asset_id, address, payload.host_up, payload.method, payload.note)


def closed_declared(record: EvidenceRecord, system: System | None) -> list[ClosedPort]:
    """Declared services of the scanned asset that were not found open."""
    payload = record.payload
    if not isinstance(payload, PortScanResult) or system is None:
        return []
    states = {p.port: p.state for p in payload.ports if p.protocol == "tcp"}
    address = record.target.address or "?"
    return [
        ClosedPort(asset.id, address, s.port, s.name, states.get(s.port, "not open"))
        for asset in system.assets
        if asset.id == record.target.asset_id
        for s in asset.services
        if s.protocol == "tcp" and states.get(s.port) != "open"
    ]


def certificate_view(cert: CertificateFacts) -> CertificateView:
    return CertificateView(
        subject=cert.subject,
        not_after=cert.not_after,
        days_remaining=cert.days_remaining,
        key=f"{cert.key_type}-{cert.key_size}",
        signature_hash=cert.signature_hash,
        trusted=cert.chain_trusted,
        complete=cert.chain_complete,
        hostname_match=cert.hostname_match,
        self_signed=cert.self_signed,
    )


def hsts_text(hsts: HstsFacts | None) -> str | None:
    if hsts is None:
        return None
    if not hsts.present:
        return "absent"
    parts = [f"max-age={hsts.max_age}"]
    parts += ["includeSubDomains"] * hsts.include_subdomains + ["preload"] * hsts.preload
    return "; ".join(parts)


def http_summary(record: EvidenceRecord, result: HttpResult) -> HttpSummary:
    status = result.status_code or 0
    final = not 300 <= status < 400
    missing = tuple(h for h in SECURITY_HEADERS if final and h not in result.headers)
    return HttpSummary(
        target=record.target.label(),
        url=result.url,
        status_code=result.status_code,
        redirects_to_https=result.redirects_to_https,
        hsts=hsts_text(result.hsts),
        missing_headers=missing,
        server_banner=result.server_banner,
    )


def _host_key_text(key: SshHostKey) -> str:
    text = f"{'/'.join(key.algorithms)}: {key.key_type} {key.bits or '?'} bits {key.fingerprint}"
    cert = key.certificate
    if cert is not None:
        ca = f"{cert.ca_key_type} {cert.ca_bits or '?'} bits {cert.ca_fingerprint}"
        text += f"; {cert.cert_type or 'unknown'} certificate {cert.key_id!r} by CA {ca}"
    return text


def ssh_summary(record: EvidenceRecord, result: SshResult) -> SshSummary:
    weaknesses = tuple(f"{w.category} {w.algorithm} ({w.severity})" for w in result.weaknesses)
    gex = tuple(
        f"{g.algorithm}: smallest {g.min_bits or '-'} bits, "
        f"modern request {g.preferred_bits or '-'} bits"
        for g in result.gex
    )
    return SshSummary(
        record.target.label(),
        result.banner,
        result.auth_methods,
        weaknesses,
        host_keys=tuple(_host_key_text(k) for k in result.host_keys),
        gex=gex,
        terrapin=result.terrapin,
    )
