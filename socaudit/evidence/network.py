"""Network-level evidence: host discovery, open ports/services, raw nmap output."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from socaudit.evidence.base import Model


class DiscoveryResult(Model):
    """Is the host up, and how was that found out."""

    kind: Literal["discovery"] = "discovery"
    method: Literal["icmp_echo", "tcp_syn", "tcp_connect"]
    host_up: bool
    rtt_ms: float | None = None
    note: str | None = None
    """E.g. why raw probes were not used (not root)."""


class PortObservation(Model):
    """One port as nmap reported it."""

    port: int = Field(ge=1, le=65535)
    protocol: Literal["tcp", "udp"] = "tcp"
    state: str
    """open | closed | filtered | open|filtered | ..."""
    service: str | None = None
    product: str | None = None
    version: str | None = None
    extrainfo: str | None = None
    cpe: tuple[str, ...] = ()
    tunnel: str | None = None
    """nmap's ``tunnel`` attribute, ``"ssl"`` for TLS-wrapped services."""

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def tls(self) -> bool:
        return self.tunnel == "ssl" or (self.service or "") in {"https", "ssl", "imaps", "pop3s"}


class PortScanResult(Model):
    """Open ports and services of one address, from one nmap run."""

    kind: Literal["ports"] = "ports"
    scanner: Literal["nmap", "nmap-import"] = "nmap"
    scanner_version: str | None = None
    profile: str
    """Name of the fixed nmap profile used (never free-form arguments)."""
    ports_requested: str
    ports: tuple[PortObservation, ...] = ()

    @property
    def open_ports(self) -> tuple[PortObservation, ...]:
        return tuple(p for p in self.ports if p.is_open)


class NmapXml(Model):
    """nmap's raw XML output, kept verbatim as evidence."""

    kind: Literal["nmap_xml"] = "nmap_xml"
    xml: str


class Refusal(Model):
    """A target socaudit refused to touch, and why (shown as 'not assessed: out of scope')."""

    kind: Literal["refusal"] = "refusal"
    reason: str
    rule: Literal["outside_scope", "outside_window", "unresolvable", "resolved_outside_scope"]
