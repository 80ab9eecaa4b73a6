"""Glue to the analysis half: certificate facts, HSTS, grade and findings for one endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path
from typing import Any

from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.tls import EndpointError, HstsFacts, TlsEndpointResult
from socaudit.probes.errors import ProbeError
from socaudit.probes.http import probe_http
from socaudit.tls.certificates import CertificateError, analyze_chain
from socaudit.tls.findings import findings_for
from socaudit.tls.grading import grade


def enrich(
    result: TlsEndpointResult,
    chain: Sequence[bytes],
    hostname: str | None,
    address: IPv4Address | IPv6Address,
    ca_files: Sequence[Path],
    now: datetime,
    *,
    http: bool,
    timeout: float = 5.0,
) -> TlsEndpointResult:
    """``result`` with certificate, HSTS, grade and findings added where evidence allows."""
    update: dict[str, Any] = {}
    if chain:
        try:
            update["certificate"] = analyze_chain(chain, hostname, ca_files, now)
        except CertificateError as exc:
            update["status"] = AttemptStatus.ERROR
            update["error"] = EndpointError(reason=ErrorReason.PROTOCOL, detail=exc.detail)
    if update.get("status", result.status) is AttemptStatus.COMPLETED and http:
        update["hsts"] = _hsts(result, address, ca_files, timeout)
        update["handshakes"] = result.handshakes + 1
    result = result.model_copy(update=update)
    if result.status is not AttemptStatus.COMPLETED:
        return result
    return result.model_copy(update=_judge(result, now))


def _hsts(
    result: TlsEndpointResult,
    address: IPv4Address | IPv6Address,
    ca_files: Sequence[Path],
    timeout: float,
) -> HstsFacts | None:
    """HSTS as served at ``https://sni:port/`` (None when the HTTP request fails)."""
    port = result.target.rsplit(":", 1)[1]
    host = result.sni or (f"[{address}]" if address.version == 6 else str(address))
    try:
        return probe_http(f"https://{host}:{port}/", address, timeout, ca_files).hsts
    except (ProbeError, ValueError):
        return None


def _judge(result: TlsEndpointResult, now: datetime) -> dict[str, Any]:
    return {"grade": grade(result, as_of=now), "findings": findings_for(result, as_of=now)}
