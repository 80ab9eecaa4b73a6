"""TLS follow-up probe: the project's TLS engine on one authorised address and port.

All TLS probes of a run share one connection gate, so ``--per-host`` bounds the handshakes
to an address across concurrent assessments too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from socaudit.collect.base import CollectContext, ProbeFailure, completed, errored, utcnow
from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.records import EvidenceRecord
from socaudit.planning import Probe

if TYPE_CHECKING:
    from socaudit.tls.gate import ConnectionGate

NAME = "tls"


def collect_tls(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    """Enumerate protocols/suites and judge the certificate of ``probe``'s endpoint."""
    from socaudit.collect.http_collector import fetch
    from socaudit.tls.engine import TlsOptions, TlsTarget, assess  # lazy: heavy imports

    if probe.port is None:
        raise ProbeFailure(ErrorReason.BUG, "TLS probe without a port")
    started = utcnow()
    target = probe.target
    tls_target = TlsTarget(
        host=target.hostname or str(target.address),
        address=target.address,
        port=probe.port,
        sni=probe.sni,
        starttls=probe.starttls,
    )
    per_host = ctx.options.per_host
    options = TlsOptions(
        timeout=ctx.options.timeout,
        max_connections_per_host=per_host,
        max_endpoints=1,
        ca_files=ctx.ca_files,
        gate=shared_gate(ctx),
        http_fetch=lambda url, address: fetch(ctx, url, address),
        probe_settings={
            "revocation_hosts": dict(ctx.scope_hosts),
            "revocation_networks": ctx.scope_networks,
        },
    )
    key = (NAME, tls_target, ctx.ca_files)
    result = ctx.memo.once(key, lambda: next(iter(assess([tls_target], options)), None))
    if result is None:
        raise ProbeFailure(ErrorReason.BUG, "the TLS engine returned no result")
    if result.status is AttemptStatus.ERROR:
        reason = result.error.reason if result.error else ErrorReason.PROTOCOL
        detail = result.error.detail if result.error else "TLS assessment failed"
        return [errored(probe, started, reason, detail, collector=NAME)]
    return [completed(probe, started, result, collector=NAME)]


def shared_gate(ctx: CollectContext) -> ConnectionGate:
    """The run's one connection gate: ``--per-host`` bounds TLS handshakes, TLS probes and HTTP
    requests to an address together."""
    from socaudit.tls.gate import ConnectionGate

    per_host, total = ctx.options.per_host, ctx.options.per_host * ctx.options.concurrency
    return ctx.memo.once((NAME, "gate"), lambda: ConnectionGate(per_host, total))
