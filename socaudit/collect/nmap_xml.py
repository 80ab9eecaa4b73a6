"""Parse nmap's XML (``-oX``) into typed port observations, keeping ``tunnel="ssl"``.

python-nmap drops the ``tunnel`` attribute, so TLS-wrapped services would look like plain
HTTP; this parser reads nmap's own XML instead. Entity declarations are refused outright, so
an imported file cannot expand entities (billion laughs); the text is parsed as ``str``, so no
encoding declaration can hide a declaration from that check.
"""

from __future__ import annotations

import ipaddress
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Literal

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


@dataclass(frozen=True, slots=True)
class NmapRun:
    version: str | None
    args: str | None
    hosts: tuple[NmapHost, ...]

    def host(self, address: IpAddress) -> NmapHost | None:
        return next((h for h in self.hosts if h.address == address), None)


def parse_nmap_xml(text: str | bytes) -> NmapRun:
    """Parse a whole nmap XML document (raises NmapXmlError on anything else)."""
    if len(text) > MAX_XML_BYTES:
        raise NmapXmlError(f"nmap XML larger than {MAX_XML_BYTES // (1024 * 1024)} MiB")
    root = _parse(text)
    if root.tag != "nmaprun":
        raise NmapXmlError(f"root element is <{root.tag}>, expected <nmaprun>")
    hosts = tuple(h for h in (_host(e) for e in root.iter("host")) if h is not None)
    return NmapRun(root.get("version"), root.get("args"), hosts)


def keep_hosts(text: str, keep: set[IpAddress]) -> str:
    """The XML with every ``<host>`` whose address is not in ``keep`` removed."""
    root = _parse(text)
    for parent in [root, *root.iter()]:
        for child in list(parent):
            if child.tag in {"host", "hosthint"} and _address(child) not in keep:
                parent.remove(child)
    return ET.tostring(root, encoding="unicode")


def _parse(text: str | bytes) -> ET.Element:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if "<!ENTITY" in text:
        raise NmapXmlError("XML entity declarations are not accepted")
    try:
        return ET.fromstring(text)  # noqa: S314 - str input, entity declarations refused above
    except ET.ParseError as exc:
        raise NmapXmlError(f"not well-formed XML: {exc}") from exc


def _host(element: ET.Element) -> NmapHost | None:
    address = _address(element)
    if address is None:
        return None
    status = element.find("status")
    state = status.get("state", "unknown") if status is not None else "unknown"
    ports = tuple(p for p in (_port(e) for e in element.iterfind("ports/port")) if p is not None)
    return NmapHost(address, state, ports, element.get("timedout") == "true")


def _address(element: ET.Element) -> IpAddress | None:
    for node in element.iterfind("address"):
        if node.get("addrtype") in {"ipv4", "ipv6"}:
            try:
                return ipaddress.ip_address(node.get("addr", ""))
            except ValueError:
                return None
    return None


def _port(element: ET.Element) -> PortObservation | None:
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
