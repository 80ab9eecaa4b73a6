"""TLS protocol, cipher-suite, forward-secrecy and vulnerability checks (the TLS engine's facts
and finding ids; nothing is re-derived here)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from socaudit.checks.context import CheckContext
from socaudit.checks.registry import CheckResult, register
from socaudit.checks.tlsbase import Verdict, finding_ids, judge
from socaudit.evaluation.model import Outcome
from socaudit.evidence.tls import TlsEndpointResult

VERSIONS = ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")
WEAK_SUITES = ["null", "anon", "export", "des", "rc4", "3des"]
VULNERABILITIES = ["heartbleed", "ccs_injection", "robot", "compression", "client_renegotiation"]
_READS = {"tls"}


class MinVersionParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min_version: Literal["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"] = "TLSv1.2"
    """Thông tư 39/2017/TT-BTTTT: TLS 1.2 is mandatory."""


class WeakSuitesParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    forbidden: list[Literal["null", "anon", "export", "des", "rc4", "3des"]] = WEAK_SUITES  # type: ignore[assignment]
    """Suite classes refused (the engine's ``tls.cipher.<class>`` finding ids)."""


class ForwardSecrecyParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    allow_static_fallback: bool = False
    """Accept servers that also offer suites without forward secrecy (else partial)."""


class VulnerabilitiesParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    checks: list[
        Literal["heartbleed", "ccs_injection", "robot", "compression", "client_renegotiation",
                "secure_renegotiation", "fallback_scsv", "early_data"]
    ] = VULNERABILITIES  # type: ignore[assignment]  # fmt: skip


@register("tls.min_version", source="observed", reads=_READS, params=MinVersionParams)
def min_version(ctx: CheckContext, params: MinVersionParams) -> CheckResult:
    """No protocol below ``min_version`` is accepted, and one at or above it is."""
    floor = VERSIONS.index(params.min_version)

    def verdict(tls: TlsEndpointResult) -> Verdict:
        if not tls.protocols:
            return Outcome.INSUFFICIENT_EVIDENCE, None
        old = [v for v in tls.protocols if VERSIONS.index(v) < floor]
        if old or not any(VERSIONS.index(v) >= floor for v in tls.protocols):
            return Outcome.FAIL, ", ".join(old) or ", ".join(tls.protocols)
        return Outcome.PASS, ", ".join(tls.protocols)

    return judge(ctx, verdict, "tls.old_versions", "tls.versions_ok")


@register("tls.no_weak_suites", source="observed", reads=_READS, params=WeakSuitesParams)
def no_weak_suites(ctx: CheckContext, params: WeakSuitesParams) -> CheckResult:
    """No NULL, anonymous, EXPORT, DES, RC4 or 3DES suite is accepted."""
    banned = {f"tls.cipher.{name}" for name in params.forbidden}

    def verdict(tls: TlsEndpointResult) -> Verdict:
        if not tls.cipher_suites:
            return Outcome.INSUFFICIENT_EVIDENCE, None
        hits = sorted(banned & finding_ids(tls))
        if hits:
            return Outcome.FAIL, ", ".join(h.removeprefix("tls.cipher.").upper() for h in hits)
        return Outcome.PASS, None

    return judge(ctx, verdict, "tls.weak_suites", "tls.suites_ok")


@register("tls.forward_secrecy", source="observed", reads=_READS, params=ForwardSecrecyParams)
def forward_secrecy(ctx: CheckContext, params: ForwardSecrecyParams) -> CheckResult:
    """Authenticated forward-secret key exchange (ECDHE/DHE, or TLS 1.3) is used."""

    def verdict(tls: TlsEndpointResult) -> Verdict:
        if not tls.cipher_suites:
            return Outcome.INSUFFICIENT_EVIDENCE, None
        ids = finding_ids(tls)
        if "tls.no_forward_secrecy" in ids:
            return Outcome.FAIL, None
        if "tls.cipher.static_kx" in ids and not params.allow_static_fallback:
            return Outcome.PARTIAL, None
        return Outcome.PASS, None

    return judge(
        ctx,
        verdict,
        "tls.no_forward_secrecy",
        "tls.forward_secrecy_ok",
        partial_key="tls.static_kx_offered",
    )


def _vulnerable(tls: TlsEndpointResult, name: str) -> bool | None:
    value = getattr(tls.vulnerabilities, name)
    if name == "robot":
        return None if value is None or value == "not_applicable" else value == "vulnerable"
    if name in {"secure_renegotiation", "fallback_scsv"}:
        return None if value is None else not value
    return None if value is None else bool(value)


@register("tls.vulnerabilities", source="observed", reads=_READS, params=VulnerabilitiesParams)
def vulnerabilities(ctx: CheckContext, params: VulnerabilitiesParams) -> CheckResult:
    """Heartbleed, CCS injection, ROBOT, compression (CRIME) … as the TLS probes report them;
    a probe that did not run leaves the question open (insufficient evidence)."""

    def verdict(tls: TlsEndpointResult) -> Verdict:
        found = {name: _vulnerable(tls, name) for name in params.checks}
        bad = [name for name, hit in found.items() if hit]
        if bad:
            return Outcome.FAIL, ", ".join(bad)
        untested = [name for name, hit in found.items() if hit is None]
        if untested:
            return Outcome.INSUFFICIENT_EVIDENCE, ", ".join(untested)
        return Outcome.PASS, None

    return judge(
        ctx, verdict, "tls.vulnerable", "tls.not_vulnerable", unknown_key="tls.vuln_not_tested"
    )
