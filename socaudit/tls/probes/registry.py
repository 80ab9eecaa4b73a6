"""The explicit table of TLS probes: name → probe (like sslyze's scan commands).

Add a probe by importing its module here and listing its ``PROBE``; nothing registers itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from socaudit.tls.probes import (
    ccs_injection,
    client_renegotiation,
    compression,
    early_data,
    extensions,
    fallback_scsv,
    heartbleed,
    resumption,
    revocation,
    robot,
)
from socaudit.tls.probes.base import Probe

PROBES: dict[str, Probe] = {
    probe.name: probe
    for probe in (
        heartbleed.PROBE,
        ccs_injection.PROBE,
        robot.PROBE,
        fallback_scsv.PROBE,
        extensions.SECURE_RENEGOTIATION,
        client_renegotiation.PROBE,
        compression.PROBE,
        early_data.PROBE,
        extensions.EXTENDED_MASTER_SECRET_PROBE,
        resumption.PROBE,
        revocation.PROBE,
    )
}
"""Every probe, in the order results and notes are reported."""


def select(names: Iterable[str] | None = None) -> tuple[Probe, ...]:
    """The probes named (``None``: all), in registry order; ``KeyError`` for an unknown name."""
    if names is None:
        return tuple(PROBES.values())
    wanted = set(names)
    unknown = wanted - PROBES.keys()
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    return tuple(p for p in PROBES.values() if p.name in wanted)
