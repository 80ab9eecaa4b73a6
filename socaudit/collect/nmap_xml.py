"""Parse nmap's XML (``-oX``) into typed port observations, keeping ``tunnel="ssl"``.

python-nmap drops the ``tunnel`` attribute, so TLS-wrapped services would look like plain
HTTP; this parser reads nmap's own XML instead, with defusedxml: an entity declaration (billion
laughs, external entities) is refused by the parser itself, whatever the encoding. A host that
cannot be read (no IP address, e.g. an ``addr="IP"`` placeholder) is kept in ``skipped`` with
its line and reason, never dropped silently.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from socaudit.evidence.network import PortObservation
from socaudit.inventory.models import IpAddress

MAX_XML_BYTES = 64 * 1024 * 1024


class NmapXmlError(ValueError):
    """The text is not nmap XML that socaudit can read."""


@dataclass(frozen=True, slots=True)
class NmapHost:
    address: IpAddress
    state: str
    """up | down | unknown"""
    ports: tuple[PortObservation, ...]
    timed_out: bool = False
    """nmap gave up on the host (``--host-timeout``): its port list is incomplete."""
    line: int | None = None
    """Where its ``<host>`` starts in the file."""
    ports_scanned: bool = True
    """False when the host has no ``<ports>`` at all (a ping scan, or a down host)."""


@dataclass(frozen=True, slots=True)
class SkippedHost:
    """A ``<host>`` that cannot be used, where it is and why."""

    line: int | None
    address: str | None
    """The address as written (None when the host has none)."""
    reason: str


@dataclass(frozen=True, slots=True)
class NmapRun:
    version: str | None
    args: str | None
    hosts: tuple[NmapHost, ...]
    skipped: tuple[SkippedHost, ...] = ()

    def host(self, address: IpAddress) -> NmapHost | None:
        return next((h for h in self.hosts if h.address == address), None)


def parse_nmap_xml(text: str | bytes) -> NmapRun:
    """Parse a whole nmap XML document (raises NmapXmlError on anything else)."""
    if len(text) > MAX_XML_BYTES:
        raise NmapXmlError(f"nmap XML larger than {MAX_XML_BYTES // (1024 * 1024)} MiB")
    lines: dict[int, int] = {}
    root = _parse(text, lines)
    if root.tag != "nmaprun":
        raise NmapXmlError(f"root element is <{root.tag}>, expected <nmaprun>")
    hosts: list[NmapHost] = []
    skipped: list[SkippedHost] = []
    for element in root.iter("host"):
        line = lines.get(id(element))
        host = _host(element, line)
        if isinstance(host, NmapHost):
            hosts.append(host)
        else:
            skipped.append(SkippedHost(line, _written_address(element), host))
    return NmapRun(root.get("version"), root.get("args"), tuple(hosts), tuple(skipped))


def keep_hosts(text: str, keep: set[IpAddress]) -> str:
    """The XML with every ``<host>`` whose address is not in ``keep`` removed."""
    root = _parse(text, {})
    for parent in [root, *root.iter()]:
        for child in list(parent):
            if child.tag in {"host", "hosthint"} and _address(child) not in keep:
                parent.remove(child)
    return tostring(root, encoding="unicode")


class _HostLines(TreeBuilder):
    """A tree builder that notes the line each ``<host>`` starts on (for messages)."""

    def __init__(self, lines: dict[int, int]) -> None:
        super().__init__()
        self.lines = lines
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        if tag == "host" and self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _parse(text: str | bytes, lines: dict[int, int]) -> Element:
    """Parse with defusedxml: a DOCTYPE is allowed (nmap writes one), entities never are."""
    target = _HostLines(lines)
    parser = DefusedXMLParser(
        target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    target.parser = parser
    try:
        parser.feed(text)
        root: Element = parser.close()
    except DefusedXmlException as exc:
        raise NmapXmlError(f"XML entities are not accepted in an nmap file ({exc})") from exc
    except ParseError as exc:
        raise NmapXmlError(f"not well-formed XML: {exc}") from exc
    return root


def _written_address(element: Element) -> str | None:
    node = element.find("address")
    return node.get("addr") if node is not None else None


def _host(element: Element, line: int | None) -> NmapHost | str:
    """The host, or why it cannot be used."""
    address = _address(element)
    if address is None:
        written = [(a.get("addrtype"), a.get("addr")) for a in element.iterfind("address")]
        ips = [addr for kind, addr in written if kind in {"ipv4", "ipv6"}]
        if ips:
            return f"address {ips[0]!r} is not an IP address (a placeholder?)"
        if written:
            kinds = ", ".join(sorted({str(kind) for kind, _ in written}))
            return f"no IPv4/IPv6 address (only {kinds})"
        return "no address"
    status = element.find("status")
    state = status.get("state", "unknown") if status is not None else "unknown"
    ports = tuple(p for p in (_port(e) for e in element.iterfind("ports/port")) if p is not None)
    timed_out = element.get("timedout") == "true"
    return NmapHost(address, state, ports, timed_out, line, element.find("ports") is not None)


def _address(element: Element) -> IpAddress | None:
    for node in element.iterfind("address"):
        if node.get("addrtype") in {"ipv4", "ipv6"}:
            try:
                return ipaddress.ip_address(node.get("addr", ""))
            except ValueError:
                return None
    return None


def _port(element: Element) -> PortObservation | None:
    try:
        number = int(element.get("portid", ""))
    except ValueError:
        return None
    protocol: Literal["tcp", "udp"] = "udp" if element.get("protocol") == "udp" else "tcp"
    state = element.find("state")
    if element.get("protocol") not in {"tcp", "udp"} or state is None or not 1 <= number <= 65535:
        return None
    service = element.find("service")
    if service is None:
        return PortObservation(port=number, protocol=protocol, state=state.get("state", "unknown"))
    return PortObservation(
        port=number,
        protocol=protocol,
        state=state.get("state", "unknown"),
        service=service.get("name"),
        product=service.get("product"),
        version=service.get("version"),
        extrainfo=service.get("extrainfo"),
        cpe=tuple(c.text for c in service.iterfind("cpe") if c.text),
        tunnel=service.get("tunnel"),
    )
