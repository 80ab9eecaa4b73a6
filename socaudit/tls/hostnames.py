"""Server identity check (RFC 6125 / RFC 9525 as browsers apply it).

DNS names compare case-insensitively without a trailing dot; a wildcard is allowed only as the
whole left-most label, matches exactly one label, and needs at least two labels after it. An IP
address matches IP SANs only. The subject CN is not consulted (browsers stopped doing so).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _normalise(name: str) -> str:
    name = name.strip().rstrip(".").lower()
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def dns_name_matches(pattern: str, hostname: str) -> bool:
    """Does the SAN ``pattern`` (maybe ``*.example.com``) cover ``hostname``."""
    pattern, hostname = _normalise(pattern), _normalise(hostname)
    if not pattern or not hostname:
        return False
    if "*" not in pattern:
        return pattern == hostname
    first, _, rest = pattern.partition(".")
    if first != "*" or "*" in rest or rest.count(".") < 1:
        return False
    label, _, parent = hostname.partition(".")
    return bool(label) and parent == rest


def _as_ip(hostname: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(hostname.strip().strip("[]"))
    except ValueError:
        return None


def hostname_matches(hostname: str, dns_names: Sequence[str], ips: Sequence[IPAddress]) -> bool:
    """Does a certificate with these SANs identify ``hostname`` (a DNS name or an IP)."""
    ip = _as_ip(hostname)
    if ip is not None:
        return ip in ips
    return any(dns_name_matches(pattern, hostname) for pattern in dns_names)
