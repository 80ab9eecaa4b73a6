"""Findings and the grade cap from the ``revocation`` section of a TLS result."""

from __future__ import annotations

from socaudit.evidence.tls import Finding, GradeCap, TlsEndpointResult


def revocation_findings(result: TlsEndpointResult) -> list[Finding]:
    """``tls.cert.revoked`` (critical), ``tls.revocation.unknown`` (low), ``tls.ocsp.not_stapled``
    (info: Mozilla's profiles ask for stapling)."""
    rev = result.revocation
    found: list[Finding] = []
    if rev.status == "revoked":
        message = f"the certificate is revoked ({rev.source}: {rev.detail})"
        found.append(Finding(id="tls.cert.revoked", severity="critical", message=message))
    elif rev.status == "unknown":
        message = f"revocation status could not be established: {rev.detail}"
        found.append(Finding(id="tls.revocation.unknown", severity="low", message=message))
    if rev.ocsp_stapled is False:
        message = "the server does not staple an OCSP response (status_request)"
        found.append(Finding(id="tls.ocsp.not_stapled", severity="info", message=message))
    return found


def revocation_caps(result: TlsEndpointResult) -> list[GradeCap]:
    """SSL Labs: a revoked certificate scores 0 — a trust problem, grade T."""
    if result.revocation.status != "revoked":
        return []
    reason = f"certificate revoked ({result.revocation.source})"
    return [GradeCap(cap="T", reason=reason)]
