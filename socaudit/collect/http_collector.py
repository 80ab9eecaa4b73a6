"""HTTP follow-up probe: security headers, redirect to HTTPS and banner of one URL."""

from __future__ import annotations

from socaudit.collect.base import CollectContext, ProbeFailure, completed, utcnow
from socaudit.evidence.base import ErrorReason
from socaudit.evidence.records import EvidenceRecord
from socaudit.planning import Probe

NAME = "http"


def collect_http(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    """Fetch ``probe.url`` from the authorised address (the URL's host is only Host/SNI)."""
    from socaudit.probes.http import probe_http  # lazy: only scans with HTTP need it

    if probe.url is None:
        raise ProbeFailure(ErrorReason.BUG, "HTTP probe without a URL")
    started = utcnow()
    url, address = probe.url, probe.target.address
    result = ctx.memo.once(
        (NAME, url, address),
        lambda: probe_http(url, address, ctx.options.timeout, ctx.ca_files),
    )
    return [completed(probe, started, result, collector=NAME)]
