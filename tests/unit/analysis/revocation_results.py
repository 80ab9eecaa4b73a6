"""TLS results with revocation facts, for findings and grade tests."""

from __future__ import annotations

from analysis.results import result
from socaudit.evidence.tls import Revocation, TlsEndpointResult


def revocation_results() -> list[TlsEndpointResult]:
    """A revoked certificate, an unknown status, and a server that does not staple."""
    return [
        result(revocation=Revocation(ocsp_stapled=True, status="revoked", source="ocsp_stapled")),
        result(revocation=Revocation(status="unknown", detail="responder unreachable")),
        result(revocation=Revocation(ocsp_stapled=False, status="good", source="ocsp")),
    ]
