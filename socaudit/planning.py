"""Scan planning: which probes run against which authorised target (pure, no network).

nmap arguments come only from the fixed ``PortProfile`` list below plus ints; no inventory string
ever reaches nmap's command line. TLS/HTTP/SSH probes are follow-ups decided after the port scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from socaudit.evidence.base import EvidenceKind
from socaudit.evidence.network import PortScanResult
from socaudit.inventory.models import STARTTLS_PROTOCOLS
from socaudit.scope import AuthorizationResult, AuthorizedTarget, DeclaredService, Refusal

TLS_SERVICE_NAMES = frozenset({"https", "ssl", "tls", "imaps", "pop3s", "smtps", "ldaps", "ftps"})
HTTP_SERVICE_NAMES = frozenset({"http", "https", "http-alt", "http-proxy", "https-alt"})
SSH_SERVICE_NAMES = frozenset({"ssh"})
STARTTLS_SERVICES = STARTTLS_PROTOCOLS
"""nmap service name → STARTTLS protocol: on the protocol's usual port, or where declared."""
STARTTLS_PORTS: dict[int, str] = {
    25: "smtp", 587: "smtp", 143: "imap", 110: "pop3", 21: "ftp", 389: "ldap", 5432: "postgres",
}  # fmt: skip


class PortProfile(StrEnum):
    """The fixed nmap port profiles (never free-form arguments)."""

    DECLARED = "declared"
    """Only the ports the inventory declares for the asset."""
    DECLARED_PLUS_TOP = "declared+top"
    """Declared ports plus nmap's N most common TCP ports."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Knobs of one scan (persisted with the run)."""

    top_ports: int = 0
    timeout: float = 10.0
    """Per-socket timeout of every probe, seconds."""
    host_timeout: int = 120
    """nmap ``--host-timeout`` per address, seconds (the nmap process gets 30 s more)."""
    concurrency: int = 8
    per_host: int = 3
    discovery: bool = True

    @property
    def profile(self) -> PortProfile:
        return PortProfile.DECLARED_PLUS_TOP if self.top_ports > 0 else PortProfile.DECLARED


@dataclass(frozen=True, slots=True)
class Probe:
    """One unit of collection work against one authorised target."""

    kind: EvidenceKind
    key: str
    target: AuthorizedTarget
    port: int | None = None
    url: str | None = None
    sni: str | None = None
    starttls: str | None = None
    """TLS probes: the STARTTLS protocol to upgrade first (mail, FTP, LDAP, PostgreSQL)."""


@dataclass(frozen=True, slots=True)
class TargetPlan:
    """The probes for one target: run now, and expected after the port scan."""

    target: AuthorizedTarget
    probes: tuple[Probe, ...]
    expected_followups: tuple[Probe, ...]


@dataclass(frozen=True, slots=True)
class ScanPlan:
    targets: tuple[TargetPlan, ...]
    refusals: tuple[Refusal, ...]
    options: ScanOptions
    reference: str

    @property
    def probe_count(self) -> int:
        return sum(len(t.probes) + len(t.expected_followups) for t in self.targets)


def scope_hosts(plan: ScanPlan) -> dict[str, str]:
    """Host name or address (lower case) → address, for every authorised target of ``plan``:
    the only hosts a scan may fetch OCSP responses and CRLs from (no DNS)."""
    hosts: dict[str, str] = {}
    for target_plan in plan.targets:
        target = target_plan.target
        hosts.setdefault(str(target.address), str(target.address))
        if target.hostname:
            hosts.setdefault(target.hostname.lower().rstrip("."), str(target.address))
    return hosts


def probe_key(kind: EvidenceKind, target: AuthorizedTarget, suffix: str = "") -> str:
    """Stable identity of a probe within a run (resume skips completed keys)."""
    key = f"{kind.value}:{target.system_id}:{target.asset_id}:{target.address}"
    return f"{key}:{suffix}" if suffix else key


def nmap_arguments(options: ScanOptions, target: AuthorizedTarget) -> tuple[str, ...]:
    """nmap arguments built from constants and ints only."""
    args = ["-n", "-Pn", "-sV", "--version-light", "-T4", "--max-retries", "2"]
    args += ["--host-timeout", f"{int(options.host_timeout)}s"]
    if target.address.version == 6:
        args.append("-6")
    return tuple(args)


def plan_scan(authorized: AuthorizationResult, options: ScanOptions) -> ScanPlan:
    """The probes each target gets; TLS/HTTP/SSH follow the port scan."""
    plans = tuple(_target_plan(t, options) for t in authorized.targets)
    return ScanPlan(plans, authorized.refusals, options, authorized.reference)


def _target_plan(target: AuthorizedTarget, options: ScanOptions) -> TargetPlan:
    probes: list[Probe] = []
    if options.discovery:
        probes.append(
            Probe(EvidenceKind.DISCOVERY, probe_key(EvidenceKind.DISCOVERY, target), target)
        )
    probes.append(Probe(EvidenceKind.PORTS, probe_key(EvidenceKind.PORTS, target), target))
    return TargetPlan(target, tuple(probes), declared_followups(target))


def declared_followups(target: AuthorizedTarget) -> tuple[Probe, ...]:
    """Follow-ups from the declared services and URLs (used when no port scan is available)."""
    tls = [s.port for s in target.services if s.name in TLS_SERVICE_NAMES]
    upgrades = {s.port: p for s in target.services if (p := _declared_upgrade(s))}
    http = [
        (s.port, s.name in TLS_SERVICE_NAMES)
        for s in target.services
        if s.name in HTTP_SERVICE_NAMES
    ]
    ssh = [s.port for s in target.services if s.name in SSH_SERVICE_NAMES]
    return _followups(target, tls, http, ssh, upgrades)


def followups(target: AuthorizedTarget, scan: PortScanResult) -> tuple[Probe, ...]:
    """Follow-ups for the ports nmap found open, by nmap's service or the declared one."""
    declared = {s.port: s.name for s in target.services if s.protocol == "tcp"}
    declared_upgrades = {
        s.port: p for s in target.services if s.protocol == "tcp" and (p := _declared_upgrade(s))
    }
    tls: list[int] = []
    http: list[tuple[int, bool]] = []
    ssh: list[int] = []
    upgrades: dict[int, str] = {}
    for port in scan.open_ports:
        names = {port.service or "", declared.get(port.port, "")}
        is_tls = port.tls or bool(names & TLS_SERVICE_NAMES)
        if is_tls:
            tls.append(port.port)
        elif protocol := declared_upgrades.get(port.port) or starttls_for(port.port, names):
            upgrades[port.port] = protocol
        if names & HTTP_SERVICE_NAMES or (port.service or "").startswith("http"):
            http.append((port.port, is_tls))
        if names & SSH_SERVICE_NAMES:
            ssh.append(port.port)
    return _followups(target, tls, http, ssh, upgrades)


def _followups(
    target: AuthorizedTarget,
    tls: list[int],
    http: list[tuple[int, bool]],
    ssh: list[int],
    upgrades: dict[int, str],
) -> tuple[Probe, ...]:
    """``upgrades``: STARTTLS ports (port → protocol) that are not direct TLS."""
    probes: list[Probe] = []
    direct = set(tls)
    for port in sorted(direct | set(upgrades)):
        key = probe_key(EvidenceKind.TLS, target, str(port))
        upgrade = None if port in direct else upgrades[port]
        probes.append(
            Probe(EvidenceKind.TLS, key, target, port=port, sni=target.hostname, starttls=upgrade)
        )
    for url in _http_urls(target, http):
        key = probe_key(EvidenceKind.HTTP, target, url)
        probes.append(Probe(EvidenceKind.HTTP, key, target, port=_url_port(url), url=url))
    probes.extend(
        Probe(EvidenceKind.SSH, probe_key(EvidenceKind.SSH, target, str(p)), target, port=p)
        for p in sorted(set(ssh))
    )
    return tuple(probes)


def starttls_for(port: int, service_names: set[str]) -> str | None:
    """The STARTTLS protocol when a service is named on its usual port (smtp on 25/587 …)."""
    protocol = STARTTLS_PORTS.get(port)
    named = {STARTTLS_SERVICES.get(name) for name in service_names}
    return protocol if protocol is not None and protocol in named else None


def _declared_upgrade(service: DeclaredService) -> str | None:
    """The STARTTLS protocol of a declared service (declared ``starttls`` or its usual port)."""
    if service.starttls:
        return STARTTLS_SERVICES.get(service.name)
    return starttls_for(service.port, {service.name})


def _http_urls(target: AuthorizedTarget, http: list[tuple[int, bool]]) -> list[str]:
    """Declared URLs first, then one root URL per HTTP port no declared URL covers."""
    urls = [u for u in dict.fromkeys(target.urls) if _url_port(u) is not None]
    covered = {_url_port(u) for u in urls}
    host = target.hostname or _url_host(target)
    for port, tls in sorted(set(http)):
        if port not in covered:
            urls.append(f"{'https' if tls else 'http'}://{host}:{port}/")
            covered.add(port)
    return urls


def _url_host(target: AuthorizedTarget) -> str:
    return f"[{target.address}]" if target.address.version == 6 else str(target.address)


def _url_port(url: str) -> int | None:
    """The URL's TCP port, or None when the URL's port is not a valid number."""
    parts = urlsplit(url)
    try:
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
