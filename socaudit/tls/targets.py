"""Turn ``host:port`` / ``[v6]:port`` arguments into :class:`TlsTarget` values."""

from __future__ import annotations

import ipaddress
import socket

from socaudit.tls.engine import TlsTarget


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


def resolve(host: str, port: int, sni: str | None) -> TlsTarget:
    """Resolve ``host`` once (first getaddrinfo answer); OSError if it does not resolve."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        address = ipaddress.ip_address(infos[0][4][0])
    return TlsTarget(host=host, address=address, port=port, sni=sni)
