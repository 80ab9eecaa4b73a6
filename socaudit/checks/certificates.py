"""Certificate checks from the TLS engine's certificate facts (validity re-read at ``as_of``
with the engine's own helper)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from socaudit.checks.context import CheckContext
from socaudit.checks.registry import CheckResult, NoParams, register
from socaudit.checks.tlsbase import Verdict, judge
from socaudit.evaluation.model import Outcome
from socaudit.evidence.tls import CertificateFacts, TlsEndpointResult
from socaudit.tls.validity import validity_at

_READS = {"tls"}


class KeySizeParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min_rsa_bits: int = 2048
    min_ec_bits: int = 256


class SignatureHashParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    forbidden: list[Literal["md2", "md5", "sha1", "sha224"]] = ["md2", "md5", "sha1"]


def _with_cert(
    check: Callable[[CertificateFacts], Verdict],
) -> Callable[[TlsEndpointResult], Verdict]:
    def verdict(tls: TlsEndpointResult) -> Verdict:
        if tls.certificate is None:
            return Outcome.INSUFFICIENT_EVIDENCE, None
        return check(tls.certificate)

    return verdict


@register("tls.certificate_validity", source="observed", reads=_READS, params=NoParams)
def certificate_validity(ctx: CheckContext, params: NoParams) -> CheckResult:
    """The leaf certificate is valid at ``as_of``: neither expired nor not yet valid, and not
    revoked when the scan read its revocation status (OCSP or CRL)."""
    moment = dt.datetime.combine(ctx.as_of, dt.time(12), tzinfo=dt.UTC)

    def verdict(tls: TlsEndpointResult) -> Verdict:
        cert = tls.certificate
        if cert is None:
            return Outcome.INSUFFICIENT_EVIDENCE, None
        validity = validity_at(cert, moment)
        if validity.expired:
            return Outcome.FAIL, f"{cert.not_after[:10]} ({validity.days_left})"
        if validity.not_yet_valid:
            return Outcome.FAIL, f"{cert.not_before[:10]} →"
        if tls.revocation.status == "revoked":
            return Outcome.FAIL, f"revoked ({tls.revocation.source or '?'})"
        return Outcome.PASS, f"{cert.not_after[:10]} ({validity.days_left})"

    return judge(ctx, verdict, "tls.cert_not_valid", "tls.cert_valid")


@register("tls.certificate_trusted", source="observed", reads=_READS, params=NoParams)
def certificate_trusted(ctx: CheckContext, params: NoParams) -> CheckResult:
    """The chain leads to a trust anchor (system store or the inventory's CA files) and is
    served complete; an incomplete but trusted chain is partial."""

    def check(cert: CertificateFacts) -> Verdict:
        if not cert.chain_trusted:
            return Outcome.FAIL, cert.issuer[:120]
        if not cert.chain_complete:
            return Outcome.PARTIAL, cert.issuer[:120]
        return Outcome.PASS, None

    return judge(
        ctx,
        _with_cert(check),
        "tls.cert_untrusted",
        "tls.cert_trusted",
        partial_key="tls.cert_incomplete_chain",
    )


@register("tls.certificate_hostname", source="observed", reads=_READS, params=NoParams)
def certificate_hostname(ctx: CheckContext, params: NoParams) -> CheckResult:
    """The certificate names the host it is served for (RFC 6125, as the engine checked)."""

    def check(cert: CertificateFacts) -> Verdict:
        if cert.hostname_match is None:
            return Outcome.INSUFFICIENT_EVIDENCE, None
        names = ", ".join(cert.san[:3]) or cert.subject[:80]
        return (Outcome.PASS, None) if cert.hostname_match else (Outcome.FAIL, names)

    return judge(
        ctx,
        _with_cert(check),
        "tls.cert_name_mismatch",
        "tls.cert_name_ok",
        unknown_key="tls.cert_name_unknown",
    )


@register("tls.certificate_key_size", source="observed", reads=_READS, params=KeySizeParams)
def certificate_key_size(ctx: CheckContext, params: KeySizeParams) -> CheckResult:
    """RSA/DSA keys of at least ``min_rsa_bits``, EC keys of at least ``min_ec_bits``."""

    def check(cert: CertificateFacts) -> Verdict:
        what = f"{cert.key_type} {cert.key_size}"
        if cert.key_type in {"RSA", "DSA"} and cert.key_size < params.min_rsa_bits:
            return Outcome.FAIL, what
        if cert.key_type == "EC" and cert.key_size < params.min_ec_bits:
            return Outcome.FAIL, what
        return Outcome.PASS, what

    return judge(ctx, _with_cert(check), "tls.cert_weak_key", "tls.cert_key_ok")


@register(
    "tls.certificate_signature_hash", source="observed", reads=_READS, params=SignatureHashParams
)
def certificate_signature_hash(ctx: CheckContext, params: SignatureHashParams) -> CheckResult:
    """The leaf is not signed with a forbidden hash (MD5, SHA-1 …)."""

    def check(cert: CertificateFacts) -> Verdict:
        name = cert.signature_hash or cert.key_type
        bad = cert.signature_hash in set(params.forbidden)
        return (Outcome.FAIL, name) if bad else (Outcome.PASS, name)

    return judge(ctx, _with_cert(check), "tls.cert_weak_signature", "tls.cert_signature_ok")
