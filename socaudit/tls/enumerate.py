"""Enumerate versions, suites, groups and DH size with "offer all, remove the chosen one"."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from socaudit.evidence.base import ErrorReason
from socaudit.tls import sslv2
from socaudit.tls.clienthello import TLS12_GROUPS, TLS13_GROUPS
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.handshake import Prober, ServerFlight
from socaudit.tls.suites import cipher_suites
from socaudit.tls.versions import TlsVersion

CHUNK = 128
"""Suites per hello for servers that silently drop large ClientHellos."""


def candidate_suites(version: TlsVersion) -> tuple[int, ...]:
    """Every registered suite that can be negotiated at ``version``."""
    table = cipher_suites().values()
    if version is TlsVersion.TLS13:
        return tuple(s.code for s in table if s.tls13)
    if version is TlsVersion.TLS12:
        return tuple(s.code for s in table if not s.tls13)
    return tuple(s.code for s in table if not s.tls13 and not s.tls12_only)


@dataclass(slots=True)
class Evidence:
    """Thread-safe accumulator of what the handshakes revealed."""

    suites: dict[TlsVersion, list[int]] = field(default_factory=dict)
    groups: list[int] = field(default_factory=list)
    dh_bits: list[int] = field(default_factory=list)
    chains: dict[TlsVersion, tuple[bytes, ...]] = field(default_factory=dict)
    failures: list[ProbeFailure] = field(default_factory=list)
    quiet_closes: list[ProbeFailure] = field(default_factory=list)
    ssl2: tuple[str, ...] = ()
    """SSL 2.0 cipher kinds (empty: SSL 2.0 not spoken)."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def accept(self, version: TlsVersion, flight: ServerFlight) -> None:
        assert flight.hello is not None  # noqa: S101 - callers pass accepted flights only
        with self._lock:
            self.suites.setdefault(version, []).append(flight.hello.suite)
            if flight.kx.dh_bits:
                self.dh_bits.append(flight.kx.dh_bits)
            if flight.chain and version not in self.chains:
                self.chains[version] = flight.chain

    def add_group(self, group: int) -> None:
        with self._lock:
            self.groups.append(group)

    def fail(self, failure: ProbeFailure) -> None:
        with self._lock:
            (self.quiet_closes if failure.quiet_close else self.failures).append(failure)

    @property
    def protocols(self) -> tuple[TlsVersion, ...]:
        return tuple(sorted(self.suites))

    @property
    def anything_accepted(self) -> bool:
        return bool(self.suites or self.ssl2)


def enumerate_endpoint(prober: Prober, workers: int) -> Evidence:
    """Run every phase against one endpoint with at most ``workers`` parallel connections."""
    evidence = Evidence()
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        ssl2 = pool.submit(sslv2.probe, prober)
        firsts = {v: pool.submit(_probe, prober, v, evidence) for v in TlsVersion}
        jobs = [
            pool.submit(_suites, prober, v, *found, evidence)
            for v, future in firsts.items()
            if (found := future.result()) is not None
        ]
        if TlsVersion.TLS13 in evidence.suites:  # TLS 1.3 groups need no suite list
            jobs.append(pool.submit(_groups13, prober, evidence))
        for job in jobs:
            job.result()
        evidence.ssl2 = ssl2.result() or ()
        if TlsVersion.TLS13 not in evidence.suites:
            _groups12(prober, evidence)
    return evidence


@dataclass(frozen=True, slots=True)
class _Answer:
    flight: ServerFlight | None
    """The flight, when the server accepted at the version asked for."""
    silent: bool = False
    """Refused without an alert (closed or reset before any byte)."""


def _ask(ev: Evidence, prober: Prober, version: TlsVersion, offer: tuple[int, ...]) -> _Answer:
    """Offer ``offer``; record failures; a chosen suite must be one that was offered."""
    try:
        flight = prober.hello(version, offer)
    except ProbeFailure as failure:
        ev.fail(failure)
        return _Answer(None, failure.quiet_close)
    hello = flight.hello
    if hello is None or hello.version != version:
        return _Answer(None, hello is None and flight.alert is None)
    if hello.suite not in offer:
        detail = f"server chose suite 0x{hello.suite:04X}, which was not offered"
        ev.fail(ProbeFailure(ErrorReason.PROTOCOL, detail))
        return _Answer(None)
    ev.accept(version, flight)
    return _Answer(flight)


def _chunks(suites: Sequence[int], size: int) -> list[tuple[int, ...]]:
    return [tuple(suites[i : i + size]) for i in range(0, len(suites), size)]


def _probe(prober: Prober, version: TlsVersion, ev: Evidence) -> tuple[ServerFlight, int] | None:
    """Version support: offer every suite at once; if the server drops that hello without an
    alert, retry in chunks of ``CHUNK`` (some servers choke on large hellos) until a chunk is
    accepted, refused with an alert, or dropped too. The accepted flight and the chunk size."""
    offer = candidate_suites(version)
    answer = _ask(ev, prober, version, offer)
    if answer.flight is not None:
        return answer.flight, len(offer)
    if not answer.silent or len(offer) <= CHUNK:
        return None
    for part in _chunks(offer, CHUNK):
        answer = _ask(ev, prober, version, part)
        if answer.flight is not None:
            return answer.flight, CHUNK
        if answer.silent:  # small hellos dropped too: not a size problem
            return None
    return None


def _suites(
    prober: Prober, version: TlsVersion, first: ServerFlight, size: int, ev: Evidence
) -> None:
    """Remove the chosen suite and offer the rest until the server refuses (per chunk)."""
    assert first.hello is not None  # noqa: S101 - only accepted flights get here
    remaining = [s for s in candidate_suites(version) if s != first.hello.suite]
    for part in _chunks(remaining, size):
        pending = list(part)
        while pending:
            flight = _ask(ev, prober, version, tuple(pending)).flight
            if flight is None or flight.hello is None:
                break
            pending.remove(flight.hello.suite)


def _groups13(prober: Prober, ev: Evidence) -> None:
    """Key-exchange groups through TLS 1.3 key_share / HelloRetryRequest."""
    suites = candidate_suites(TlsVersion.TLS13)
    _group_loop(prober, TlsVersion.TLS13, suites, TLS13_GROUPS, ev)


def _groups12(prober: Prober, ev: Evidence) -> None:
    """Without TLS 1.3: ECDHE curves from the ServerKeyExchange of the highest version."""
    table = cipher_suites()
    for version in sorted(ev.suites, reverse=True):
        ecdhe = tuple(s for s in ev.suites[version] if s in table and table[s].ecdhe)
        if ecdhe:
            _group_loop(prober, version, ecdhe, TLS12_GROUPS, ev)
            return


def _group_loop(
    prober: Prober,
    version: TlsVersion,
    suites: tuple[int, ...],
    groups: tuple[int, ...],
    ev: Evidence,
) -> None:
    remaining = list(groups)
    while remaining:
        offer = tuple(remaining)
        flight = _attempt(ev, prober, version, suites, offer)
        hello = flight.hello if flight else None
        if flight is None or hello is None or hello.version != version:
            return
        chosen = hello.group if version is TlsVersion.TLS13 else flight.kx.curve
        if chosen is None or chosen not in remaining:
            return
        ev.add_group(chosen)
        remaining.remove(chosen)


def _attempt(
    evidence: Evidence,
    prober: Prober,
    version: TlsVersion,
    suites: tuple[int, ...],
    groups: tuple[int, ...] | None = None,
) -> ServerFlight | None:
    """One handshake; a failure is recorded in ``evidence`` and gives None."""
    try:
        return prober.hello(version, suites, groups)
    except ProbeFailure as failure:
        evidence.fail(failure)
        return None
