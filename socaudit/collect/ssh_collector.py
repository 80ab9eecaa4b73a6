"""SSH follow-up probe: banner, algorithms, auth methods and host keys of one authorised port."""

from __future__ import annotations

from socaudit.collect.base import CollectContext, ProbeFailure, completed, utcnow
from socaudit.evidence.base import ErrorReason
from socaudit.evidence.records import EvidenceRecord
from socaudit.planning import Probe

NAME = "ssh"


def collect_ssh(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    """Banner, KEXINIT, host keys and group-exchange sizes (no login is attempted), judged
    now: the findings and their ruleset are stored with the evidence."""
    from socaudit.probes.ssh import probe_ssh  # lazy: only scans with SSH need it
    from socaudit.probes.ssh_findings import judged

    if probe.port is None:
        raise ProbeFailure(ErrorReason.BUG, "SSH probe without a port")
    started = utcnow()
    address, port = probe.target.address, probe.port
    result = ctx.memo.once(
        (NAME, address, port), lambda: judged(probe_ssh(address, port, ctx.options.timeout))
    )
    return [completed(probe, started, result, collector=NAME)]
