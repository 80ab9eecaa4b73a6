"""SSH follow-up probe: banner, algorithms and auth methods of one authorised port."""

from __future__ import annotations

from socaudit.collect.base import CollectContext, ProbeFailure, completed, utcnow
from socaudit.evidence.base import ErrorReason
from socaudit.evidence.records import EvidenceRecord
from socaudit.planning import Probe

NAME = "ssh"


def collect_ssh(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    """Read the server's banner and KEXINIT (no login is attempted)."""
    from socaudit.probes.ssh import probe_ssh  # lazy: only scans with SSH need it

    if probe.port is None:
        raise ProbeFailure(ErrorReason.BUG, "SSH probe without a port")
    started = utcnow()
    address, port = probe.target.address, probe.port
    result = ctx.memo.once(
        (NAME, address, port), lambda: probe_ssh(address, port, ctx.options.timeout)
    )
    return [completed(probe, started, result, collector=NAME)]
