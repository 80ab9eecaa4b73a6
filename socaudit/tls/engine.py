"""Assess TLS endpoints: enumerate with raw handshakes, then certificate, HSTS, grade, findings."""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Callable, Generator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path
from typing import Any

from socaudit.errors import SocauditError
from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.http import HttpResult
from socaudit.evidence.tls import EndpointError, KeyExchange, TlsEndpointResult
from socaudit.probes.http import probe_http
from socaudit.progress import NullObserver, ProgressObserver
from socaudit.tls import analysis
from socaudit.tls.chain13 import fetch_chain
from socaudit.tls.enumerate import Evidence, enumerate_endpoint
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.gate import ConnectionGate
from socaudit.tls.handshake import Prober
from socaudit.tls.probes import registry, starttls
from socaudit.tls.probes.base import EndpointFacts, Probe, ProbeContext, Slots
from socaudit.tls.probes.runner import ProbeResults, merged, run_probes
from socaudit.tls.suites import FFDHE_GROUPS, group_name, suite_name
from socaudit.tls.versions import TlsVersion

logger = logging.getLogger(__name__)
_REASON_RANK = (ErrorReason.TIMEOUT, ErrorReason.PROTOCOL, ErrorReason.CONNECTIVITY)


@dataclass(frozen=True, slots=True)
class TlsTarget:
    """One endpoint: the host as given, the address to connect to, port and SNI."""

    host: str
    address: IPv4Address | IPv6Address
    port: int
    sni: str | None = None
    """None: the host if it is a DNS name, else no SNI."""
    starttls: str | None = None
    """Upgrade a plain-text protocol first (``smtp`` … ``postgres``, or ``auto``), or None."""

    @property
    def label(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def server_name(self) -> str | None:
        if self.sni is not None:
            return self.sni or None
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return self.host
        return None


@dataclass(frozen=True, slots=True)
class TlsOptions:
    timeout: float = 5.0
    """Per handshake (connect + reply), seconds."""
    max_connections_per_host: int = 5
    max_connections: int = 50
    max_endpoints: int = 10
    ca_files: tuple[Path, ...] = ()
    http: bool = True
    """Probe ``https://sni:port/`` for HSTS."""
    http_fetch: Callable[[str, IPv4Address | IPv6Address], HttpResult] | None = None
    """How to GET that URL from the address; None: ``probe_http`` through the gate. A given
    fetch takes its own gate slot (the scan shares one request per URL with its HTTP probe)."""
    as_of: datetime | None = None
    gate: ConnectionGate | None = None
    """Share one gate between several ``assess`` calls so the per-host cap holds across them."""
    probes: tuple[str, ...] | None = None
    """Registered probe names to run after enumeration (None: all; empty: none)."""
    probe_settings: Mapping[str, Any] = field(default_factory=dict)
    """Run-wide options handed to every probe (``ProbeContext.settings``)."""


def assess(
    targets: Sequence[TlsTarget], options: TlsOptions, observer: ProgressObserver | None = None
) -> Generator[TlsEndpointResult, None, None]:
    """Assess every target concurrently; yield each result as soon as it is complete."""
    observer = observer or NullObserver()
    gate = options.gate or ConnectionGate(options.max_connections_per_host, options.max_connections)
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=max(1, options.max_endpoints))
    observer.started("tls", len(targets))
    try:
        futures = [pool.submit(_guarded, t, options, gate, stop) for t in targets]
        for future in as_completed(futures):
            result = future.result()
            observer.advanced("tls", result.target)
            yield result
    finally:
        stop.set()  # interrupted or closed early: no new handshakes, queued endpoints dropped
        pool.shutdown(wait=True, cancel_futures=True)
        observer.finished("tls")


def _guarded(
    target: TlsTarget, options: TlsOptions, gate: ConnectionGate, stop: threading.Event
) -> TlsEndpointResult:
    """``assess_one``, with a bug in one endpoint's assessment kept to that endpoint."""
    try:
        return assess_one(target, options, gate, stop)
    except SocauditError:
        raise
    except Exception as exc:  # a bug: record it, keep the other endpoints' results
        logger.exception("TLS assessment of %s failed", target.label)
        detail = f"internal error: {type(exc).__name__}: {exc}"
        error = EndpointError(reason=ErrorReason.BUG, detail=detail)
        return TlsEndpointResult(
            target=target.label,
            address=str(target.address),
            status=AttemptStatus.ERROR,
            error=error,
        )


def assess_one(
    target: TlsTarget,
    options: TlsOptions,
    gate: ConnectionGate,
    stop: threading.Event | None = None,
) -> TlsEndpointResult:
    """Everything about one endpoint; failures become ``status: error``, never exceptions."""
    sni = target.server_name
    slots = gate.for_host(target.address, stop)
    prober = Prober(target.address, target.port, sni, options.timeout, slots)
    try:
        protocol = starttls.choose(target.starttls, prober)
    except ProbeFailure as failure:
        refused = EndpointError(reason=failure.reason, detail=failure.detail)
        return TlsEndpointResult(
            target=target.label, address=str(target.address), status=AttemptStatus.ERROR,
            error=refused, sni=sni, handshakes=prober.handshakes,
        )  # fmt: skip
    evidence = enumerate_endpoint(prober, options.max_connections_per_host)
    chain = _chain(prober, evidence, protocol)
    error = _error(evidence)
    result = TlsEndpointResult(
        target=target.label,
        address=str(target.address),
        status=AttemptStatus.ERROR if error else AttemptStatus.COMPLETED,
        error=error,
        sni=sni,
        starttls=protocol,
        protocols=(*(("SSLv2",) if evidence.ssl2 else ()), *(v.label for v in evidence.protocols)),
        cipher_suites=_suites(evidence),
        key_exchange=_key_exchange(evidence),
        handshakes=prober.handshakes,
    )
    now = options.as_of or datetime.now(UTC)
    result = _probed(result, target, evidence, chain, options, slots, now)
    hostname = sni or target.host
    return analysis.enrich(
        result,
        chain,
        hostname,
        target.address,
        options.ca_files,
        now,
        http=_http_fetch(target, options, slots) if options.http and protocol is None else None,
    )


def _http_fetch(target: TlsTarget, options: TlsOptions, slots: Slots) -> analysis.HttpFetch:
    """One GET of a URL from the endpoint's address: the run's shared fetch, or ``probe_http``
    holding a gate slot (so ``--per-host`` also bounds the HTTP request)."""
    shared = options.http_fetch
    if shared is not None:
        return lambda url: shared(url, target.address)

    def gated(url: str) -> HttpResult:
        with slots():
            return probe_http(url, target.address, options.timeout, options.ca_files)

    return gated


def _probed(
    result: TlsEndpointResult,
    target: TlsTarget,
    evidence: Evidence,
    chain: tuple[bytes, ...],
    options: TlsOptions,
    slots: Slots,
    now: datetime,
) -> TlsEndpointResult:
    """``result`` with the registered probes' sections, notes and connections added."""
    probes = registry.select(options.probes)
    if not probes:
        return result
    if not evidence.anything_accepted:
        note = "vulnerability and resumption probes not run: no SSL/TLS version accepted"
        return result.model_copy(update={"notes": (*result.notes, note)})
    facts = EndpointFacts(
        host=target.host,
        address=target.address,
        port=target.port,
        sni=target.server_name,
        suites={v: tuple(s) for v, s in evidence.suites.items()},
        ssl2=bool(evidence.ssl2),
        chain=chain,
        starttls=result.starttls,
    )

    def context_for(probe: Probe) -> ProbeContext:
        timeout = probe.timeout if probe.timeout is not None else options.timeout
        return ProbeContext(
            facts, timeout, probe.budget, slots, options.ca_files, now, options.probe_settings
        )

    done: ProbeResults = run_probes(probes, context_for, options.max_connections_per_host)
    data = result.model_dump()
    for section, values in done.sections.items():
        data = merged(data, section, values)
    data["notes"] = (*result.notes, *done.notes)
    data["handshakes"] = result.handshakes + done.connections
    return TlsEndpointResult.model_validate(data)


def _chain(prober: Prober, evidence: Evidence, starttls: str | None) -> tuple[bytes, ...]:
    """The chain from the highest TLS ≤ 1.2 handshake, else (TLS 1.3 only) via openssl."""
    for version in sorted(evidence.chains, reverse=True):
        return evidence.chains[version]
    if TlsVersion.TLS13 not in evidence.suites:
        return ()
    prober.handshakes += 1
    try:
        return fetch_chain(prober.address, prober.port, prober.sni, prober.timeout, starttls)
    except ProbeFailure as failure:
        evidence.fail(failure)
        return ()


def _suites(evidence: Evidence) -> dict[str, tuple[str, ...]]:
    named: dict[str, tuple[str, ...]] = {"SSLv2": evidence.ssl2} if evidence.ssl2 else {}
    for version in evidence.protocols:
        named[version.label] = tuple(map(suite_name, evidence.suites[version]))
    return named


def _key_exchange(evidence: Evidence) -> KeyExchange:
    ecdhe = tuple(group_name(g) for g in evidence.groups if g not in FFDHE_GROUPS)
    ffdhe = tuple(group_name(g) for g in evidence.groups if g in FFDHE_GROUPS)
    dhe = min(evidence.dh_bits) if evidence.dh_bits else None
    return KeyExchange(dhe_min_bits=dhe, ecdhe_groups=ecdhe, ffdhe_groups=ffdhe)


def _error(evidence: Evidence) -> EndpointError | None:
    """Incomplete evidence or no TLS at all → the endpoint's error (else None)."""
    accepted = evidence.anything_accepted
    failures = evidence.failures or ([] if accepted else evidence.quiet_closes)
    if failures:
        first = min(
            failures, key=lambda f: _REASON_RANK.index(f.reason) if f.reason in _REASON_RANK else 9
        )
        count = f" ({len(failures)} handshakes failed)" if len(failures) > 1 else ""
        return EndpointError(reason=first.reason, detail=first.detail + count)
    if not accepted:
        return EndpointError(reason=ErrorReason.PROTOCOL, detail="no SSL/TLS version accepted")
    return None
