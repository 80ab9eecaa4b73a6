"""A probe context aimed at a scripted server, with its own gate."""

from __future__ import annotations

from collections.abc import Mapping
from ipaddress import ip_address

from socaudit.tls.gate import ConnectionGate
from socaudit.tls.probes.base import EndpointFacts, ProbeContext
from socaudit.tls.versions import TlsVersion

RSA_SUITE = 0x002F
"""TLS_RSA_WITH_AES_128_CBC_SHA."""


def context(
    address: str,
    port: int,
    *,
    suites: Mapping[TlsVersion, tuple[int, ...]] | None = None,
    budget: int = 4,
    timeout: float = 3.0,
    chain: tuple[bytes, ...] = (),
) -> ProbeContext:
    ip = ip_address(address)
    facts = EndpointFacts(
        host=address,
        address=ip,
        port=port,
        sni=None,
        suites=suites if suites is not None else {TlsVersion.TLS12: (RSA_SUITE,)},
        chain=chain,
    )
    return ProbeContext(facts, timeout, budget, ConnectionGate(5, 10).for_host(ip))
