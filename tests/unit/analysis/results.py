"""Crafted TlsEndpointResult values (what the engine would report) for grading and findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.tls import CertificateFacts, HstsFacts, KeyExchange, TlsEndpointResult

AS_OF = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
GOOD_12 = (
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
)
GOOD_13 = ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")


def cert(**changes: Any) -> CertificateFacts:
    base: dict[str, Any] = {
        "subject": "CN=tls-good.lab.socaudit.test",
        "issuer": "CN=Lab Intermediate",
        "not_before": "2026-05-01T00:00:00Z",
        "not_after": "2026-07-30T00:00:00Z",
        "days_remaining": 59,
        "expired": False,
        "not_yet_valid": False,
        "key_type": "RSA",
        "key_size": 2048,
        "signature_hash": "sha256",
        "self_signed": False,
        "hostname_match": True,
        "chain_trusted": True,
        "chain_complete": True,
        "lifespan_days": 90,
        "san": ("tls-good.lab.socaudit.test",),
        "chain_length": 2,
    }
    return CertificateFacts.model_validate(base | changes)


def result(
    *,
    protocols: tuple[str, ...] = ("TLSv1.2", "TLSv1.3"),
    suites: dict[str, tuple[str, ...]] | None = None,
    certificate: CertificateFacts | None = None,
    hsts: HstsFacts | None = None,
    dhe_min_bits: int | None = None,
    groups: tuple[str, ...] = ("x25519", "secp256r1"),
    **changes: Any,
) -> TlsEndpointResult:
    """A tls-good-like endpoint unless told otherwise."""
    if suites is None:
        suites = {v: GOOD_13 if v == "TLSv1.3" else GOOD_12 for v in protocols}
    base: dict[str, Any] = {
        "target": "127.0.10.10:8443",
        "status": AttemptStatus.COMPLETED,
        "sni": "tls-good.lab.socaudit.test",
        "protocols": protocols,
        "cipher_suites": suites,
        "key_exchange": KeyExchange(dhe_min_bits=dhe_min_bits, ecdhe_groups=groups),
        "certificate": certificate or cert(),
        "hsts": hsts or HstsFacts(present=True, max_age=63072000, include_subdomains=True),
    }
    return TlsEndpointResult.model_validate(base | changes)


def vulnerable_results() -> list[TlsEndpointResult]:
    """Endpoints where every vulnerability probe found its problem (three renegotiation cases)."""
    bad = {
        "heartbleed": True,
        "ccs_injection": True,
        "robot": "vulnerable",
        "fallback_scsv": False,
        "secure_renegotiation": False,
        "client_renegotiation": True,
        "compression": True,
        "early_data": True,
        "extended_master_secret": False,
    }
    none = {"session_id": False, "session_ticket": False}
    return [
        result(vulnerabilities=bad, resumption=none),
        result(vulnerabilities={"secure_renegotiation": False, "client_renegotiation": False}),
        result(vulnerabilities={"secure_renegotiation": True, "client_renegotiation": True}),
    ]
