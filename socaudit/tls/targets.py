"""Turn ``host:port`` / ``[v6]:port`` / ``host:port{ip}`` arguments into :class:`TlsTarget` values.

``{ip}`` (sslyze's syntax) connects to ``ip`` without any DNS lookup while ``host`` stays the
SNI and the name the certificate is checked against.
"""

from __future__ import annotations

import ipaddress
import socket
from ipaddress import IPv4Address, IPv6Address

from socaudit.tls.engine import TlsTarget

IPAddress = IPv4Address | IPv6Address


def split_host_port(text: str) -> tuple[str, int]:
    """``host:port`` or ``[v6]:port`` → (host, port); ValueError with a readable message."""
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or not rest.startswith(":"):
            raise ValueError(f"{text!r}: expected [IPv6]:PORT")
        ipaddress.IPv6Address(host)
        port_text = rest[1:]
    else:
        host, sep, port_text = text.rpartition(":")
        if not sep or not host or ":" in host:
            raise ValueError(f"{text!r}: expected HOST:PORT (write IPv6 as [ADDR]:PORT)")
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(f"{text!r}: port must be a number from 1 to 65535")
    return host, int(port_text)


def split_target(text: str) -> tuple[str, int, IPAddress | None]:
    """``host:port`` with an optional ``{ip}`` suffix → (host, port, ip or None)."""
    pinned: IPAddress | None = None
    if text.endswith("}") and "{" in text:
        text, _, inner = text[:-1].partition("{")
        try:
            pinned = ipaddress.ip_address(inner)
        except ValueError:
            raise ValueError(f"{inner!r} in {{...}} is not an IP address") from None
    host, port = split_host_port(text)
    return host, port, pinned


def resolve(host: str, port: int, sni: str | None, pinned: IPAddress | None = None) -> TlsTarget:
    """Resolve ``host`` once (first getaddrinfo answer) unless ``pinned``.

    OSError if it does not resolve.
    """
    address = pinned
    if address is None:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            address = ipaddress.ip_address(infos[0][4][0])
    return TlsTarget(host=host, address=address, port=port, sni=sni)
