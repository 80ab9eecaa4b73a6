"""What a probe is, what it sees (``ProbeContext``) and what it returns (``ProbeOutcome``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path
from typing import Any

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.handshake import Prober
from socaudit.tls.probes import starttls
from socaudit.tls.versions import TlsVersion

Slots = Callable[[], AbstractContextManager[object]]


@dataclass(frozen=True, slots=True)
class EndpointFacts:
    """One endpoint and what enumeration already learned about it."""

    host: str
    address: IPv4Address | IPv6Address
    port: int
    sni: str | None
    suites: Mapping[TlsVersion, tuple[int, ...]] = field(default_factory=dict)
    """Accepted suites per SSL 3.0 … TLS 1.3 version (SSL 2.0 is ``ssl2``)."""
    ssl2: bool = False
    chain: tuple[bytes, ...] = ()
    """DER certificates as served, leaf first."""
    starttls: str | None = None
    """The STARTTLS protocol every connection upgrades first (None: direct TLS)."""

    @property
    def versions(self) -> tuple[TlsVersion, ...]:
        return tuple(sorted(self.suites))

    @property
    def legacy_versions(self) -> tuple[TlsVersion, ...]:
        """Accepted versions below TLS 1.3 (where the classic attacks live)."""
        return tuple(v for v in self.versions if v < TlsVersion.TLS13)


@dataclass(frozen=True, slots=True)
class ProbeOutcome:
    """Values for keys of the probe's result section, and notes explaining any null."""

    values: Mapping[str, Any]
    notes: tuple[str, ...] = ()


def not_applicable(keys: tuple[str, ...], reason: str) -> ProbeOutcome:
    """Every key null, with ``reason`` noted once per key."""
    return ProbeOutcome(dict.fromkeys(keys), tuple(f"{k}: not tested: {reason}" for k in keys))


@dataclass(slots=True)
class ProbeContext:
    """A probe's view of the endpoint and its connection budget under the per-host gate."""

    facts: EndpointFacts
    timeout: float
    """Per connection (connect + reply), seconds."""
    budget: int
    """Most connections this probe may open."""
    gate: Slots
    ca_files: tuple[Path, ...] = ()
    now: datetime | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    """Run-wide probe options (``TlsOptions.probe_settings``)."""
    connections: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def slot(self) -> AbstractContextManager[object]:
        """Hold a gate slot for one connection; beyond the budget, a ``ProbeFailure``."""
        return self._slot()

    @contextmanager
    def _slot(self) -> Iterator[None]:
        with self._lock:
            if self.connections >= self.budget:
                detail = f"connection budget of {self.budget} exhausted"
                raise ProbeFailure(ErrorReason.BUG, detail)
            self.connections += 1
        with self.gate():
            yield

    def prober(self, *, max_bytes: int | None = None) -> Prober:
        """Raw handshakes against the endpoint, each counted against the budget."""
        facts = self.facts
        prober = Prober(facts.address, facts.port, facts.sni, self.timeout, self.slot)
        if facts.starttls is not None:
            prober.upgrade = starttls.upgrader(facts.starttls)
        if max_bytes is not None:
            prober.max_bytes = max_bytes
        return prober


@dataclass(frozen=True, slots=True)
class Probe:
    """One registered probe: which result keys it fills and what it may spend."""

    name: str
    section: str
    """Field of ``TlsEndpointResult`` it fills: ``vulnerabilities``, ``resumption`` …"""
    keys: tuple[str, ...]
    """The section's keys this probe sets (all null, with a note, when it fails)."""
    run: Callable[[ProbeContext], ProbeOutcome]
    budget: int
    """Most connections per endpoint."""
    timeout: float | None = None
    """Per connection; None: the run's ``--timeout``."""
