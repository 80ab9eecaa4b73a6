"""HTTP follow-up probe: security headers, redirect to HTTPS and banner of one URL."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

from socaudit.collect.base import CollectContext, ProbeFailure, completed, utcnow
from socaudit.evidence.base import ErrorReason
from socaudit.evidence.http import HttpResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.planning import Probe

NAME = "http"


def collect_http(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    """Fetch ``probe.url`` from the authorised address (the URL's host is only Host/SNI) and
    judge the answer now: findings and their ruleset are stored with the evidence."""
    if probe.url is None:
        raise ProbeFailure(ErrorReason.BUG, "HTTP probe without a URL")
    started = utcnow()
    url, address = probe.url, probe.target.address
    result = ctx.memo.once((NAME, url, address), lambda: judged(fetch(ctx, url, address)))
    return [completed(probe, started, result, collector=NAME)]


def fetch(ctx: CollectContext, url: str, address: IPv4Address | IPv6Address) -> HttpResult:
    """The run's one GET of ``url`` from ``address`` (the TLS analysis reads the same answer
    for HSTS), holding a slot of the run's per-host connection gate."""
    from socaudit.collect.tls_collector import shared_gate
    from socaudit.probes.http import probe_http  # lazy: only scans with HTTP need it

    def get() -> HttpResult:
        with shared_gate(ctx).for_host(address)():
            return probe_http(url, address, ctx.options.timeout, ctx.ca_files)

    return ctx.memo.once(("http-get", url, address), get)


def judged(result: HttpResult) -> HttpResult:
    """``result`` with its findings and the version of the rules that produced them."""
    from socaudit.tls.findings import HTTP_RULESET, findings_for_http

    update = {"findings": findings_for_http(result), "findings_ruleset": HTTP_RULESET}
    return result.model_copy(update=update)
