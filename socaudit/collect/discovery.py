"""Host discovery: scapy ICMP echo and TCP SYN ping as root, TCP connect checks otherwise.

scapy is imported lazily (it costs about a second). The result says which method was used.
"""

from __future__ import annotations

import errno
import os
import socket
import time
from typing import Any

from socaudit.collect.base import CollectContext, completed, utcnow
from socaudit.evidence.network import DiscoveryResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.inventory.models import IpAddress
from socaudit.planning import Probe

NAME = "discovery"
FALLBACK_PORTS = (443, 80, 22)
MAX_PING_PORTS = 3


def collect_discovery(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    """Is the target's address up? Raw probes as root, TCP connect otherwise."""
    started = utcnow()
    ports = (probe.target.ports or FALLBACK_PORTS)[:MAX_PING_PORTS]
    timeout = min(ctx.options.timeout, 3.0)
    address = probe.target.address
    if os.geteuid() != 0:
        result = connect_discovery(address, ports, timeout, "not root: TCP connect")
    else:
        try:
            result = raw_discovery(address, ports, timeout)
        except (OSError, ImportError) as exc:
            note = f"raw probes failed ({type(exc).__name__}: {exc}): TCP connect"
            result = connect_discovery(address, ports, timeout, note[:300])
    return [completed(probe, started, result, collector=NAME)]


def raw_discovery(address: IpAddress, ports: tuple[int, ...], timeout: float) -> DiscoveryResult:
    """ICMP echo, then a TCP SYN to each port (SYN-ACK or RST both mean "up")."""
    layers = _scapy()
    net = layers["IPv6"] if address.version == 6 else layers["IP"]
    echo = layers["ICMPv6EchoRequest"]() if address.version == 6 else layers["ICMP"]()
    begin = time.monotonic()
    if layers["sr1"](net(dst=str(address)) / echo, timeout=timeout, verbose=0) is not None:
        return DiscoveryResult(method="icmp_echo", host_up=True, rtt_ms=_ms(begin))
    for port in ports:
        begin = time.monotonic()
        syn = net(dst=str(address)) / layers["TCP"](dport=port, flags="S")
        reply = layers["sr1"](syn, timeout=timeout, verbose=0)
        if reply is not None and reply.haslayer(layers["TCP"]):
            return DiscoveryResult(method="tcp_syn", host_up=True, rtt_ms=_ms(begin))
    return DiscoveryResult(
        method="tcp_syn", host_up=False, note="no ICMP echo reply, no TCP answer"
    )


def connect_discovery(
    address: IpAddress, ports: tuple[int, ...], timeout: float, note: str
) -> DiscoveryResult:
    """TCP connect to each port: an accept or a refusal both prove the host is up."""
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    for port in ports:
        begin = time.monotonic()
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            code = sock.connect_ex((str(address), port))
        if code in {0, errno.ECONNREFUSED}:
            return DiscoveryResult(method="tcp_connect", host_up=True, rtt_ms=_ms(begin), note=note)
    return DiscoveryResult(method="tcp_connect", host_up=False, note=note)


def _scapy() -> dict[str, Any]:
    from scapy.layers.inet import ICMP, IP, TCP  # lazy: scapy is slow to import
    from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6
    from scapy.sendrecv import sr1

    return {
        "IP": IP,
        "IPv6": IPv6,
        "ICMP": ICMP,
        "ICMPv6EchoRequest": ICMPv6EchoRequest,
        "TCP": TCP,
        "sr1": sr1,
    }


def _ms(begin: float) -> float:
    return round((time.monotonic() - begin) * 1000, 3)
