"""SSH checks from the SSH probe's findings (weak algorithms) and advertised auth methods."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

from socaudit.checks.context import CheckContext
from socaudit.checks.registry import CheckResult, register
from socaudit.checks.results import listing, missing_or_error, ref, result, unless_errored
from socaudit.evaluation.model import Outcome
from socaudit.evidence.records import EvidenceRecord
from socaudit.evidence.ssh import SshResult

Severity = Literal["critical", "high", "medium", "low", "info"]
_ALGORITHM_IDS = ("ssh.kex.", "ssh.host_key.", "ssh.cipher.", "ssh.mac.", "ssh.protocol.")


class AlgorithmsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    fail_severities: list[Severity] = ["critical", "high", "medium"]
    """Weak-algorithm findings of these severities fail the check (lower ones pass, listed)."""


class AuthMethodsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    forbidden: list[str] = ["none", "password", "keyboard-interactive"]


def _servers(ctx: CheckContext) -> Iterator[tuple[EvidenceRecord, SshResult]]:
    for record in ctx.observed("ssh"):
        if isinstance(record.payload, SshResult):
            yield record, record.payload


def _absent(ctx: CheckContext) -> CheckResult:
    declared = any(s.name == "ssh" for a in ctx.system.assets for s in a.services)
    if not declared and not ctx.errors("ssh"):
        return result(Outcome.NOT_APPLICABLE, "ssh.no_ssh_service")
    return missing_or_error(ctx, ("ssh",), "ssh")


@register("ssh.algorithms", source="observed", reads={"ssh"}, params=AlgorithmsParams)
def algorithms(ctx: CheckContext, params: AlgorithmsParams) -> CheckResult:
    """No weak key-exchange, host-key, cipher or MAC algorithm and no SSH-1."""
    servers = list(_servers(ctx))
    if not servers:
        return _absent(ctx)
    bad = [
        (record, finding)
        for record, payload in servers
        for finding in payload.findings or ()
        if finding.id.startswith(_ALGORITHM_IDS) and finding.severity in params.fail_severities
    ]
    if bad:
        what = listing(f"{r.target.label()}: {f.id}" for r, f in bad)
        return result(Outcome.FAIL, "ssh.weak_algorithms", (ref(r) for r, _ in bad), found=what)
    unjudged = [r for r, p in servers if p.findings is None]
    if unjudged:  # findings are judged once, at collection; an old run never gets today's rules
        where = listing(r.target.label() for r in unjudged)
        return result(Outcome.INSUFFICIENT_EVIDENCE, "ssh.findings_not_stored", endpoints=where)
    where = listing(r.target.label() for r, _ in servers)
    found = result(Outcome.PASS, "ssh.algorithms_ok", (ref(r) for r, _ in servers), endpoints=where)
    return unless_errored(ctx, ("ssh",), "ssh", found)


@register("ssh.auth_methods", source="observed", reads={"ssh"}, params=AuthMethodsParams)
def auth_methods(ctx: CheckContext, params: AuthMethodsParams) -> CheckResult:
    """The server offers no forbidden authentication method (password, none …)."""
    servers = list(_servers(ctx))
    if not servers:
        return _absent(ctx)
    known = [(r, p.auth_methods) for r, p in servers if p.auth_methods is not None]
    bad = [(r, sorted(set(m) & set(params.forbidden))) for r, m in known]
    bad = [(r, m) for r, m in bad if m]
    if bad:
        what = listing(f"{r.target.label()}: {', '.join(m)}" for r, m in bad)
        return result(Outcome.FAIL, "ssh.weak_auth", (ref(r) for r, _ in bad), found=what)
    if len(known) < len(servers):
        unknown = listing(r.target.label() for r, p in servers if p.auth_methods is None)
        return result(Outcome.INSUFFICIENT_EVIDENCE, "ssh.auth_unknown", endpoints=unknown)
    what = listing(f"{r.target.label()}: {', '.join(m or ())}" for r, m in known)
    found = result(Outcome.PASS, "ssh.auth_ok", (ref(r) for r, _ in known), found=what)
    return unless_errored(ctx, ("ssh",), "ssh", found)
