"""Glue to the analysis half: certificate facts, HSTS, grade and findings for one endpoint."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from datetime import datetime
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path
from typing import Any, cast

from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.http import HttpResult
from socaudit.evidence.tls import EndpointError, Finding, Grade, HstsFacts, TlsEndpointResult
from socaudit.probes.errors import ProbeError
from socaudit.tls.certificates import CertificateError, analyze_chain


def enrich(
    result: TlsEndpointResult,
    chain: Sequence[bytes],
    hostname: str | None,
    address: IPv4Address | IPv6Address,
    ca_files: Sequence[Path],
    now: datetime,
    *,
    http: bool,
) -> TlsEndpointResult:
    """``result`` with certificate, HSTS, grade and findings added where evidence allows."""
    update: dict[str, Any] = {}
    if chain:
        try:
            update["certificate"] = analyze_chain(chain, hostname, ca_files, now)
        except CertificateError as exc:
            update["status"] = AttemptStatus.ERROR
            update["error"] = EndpointError(reason=ErrorReason.PROTOCOL, detail=exc.detail)
    if result.status is AttemptStatus.COMPLETED and http:
        update["hsts"] = _hsts(result, address, ca_files)
    result = result.model_copy(update=update)
    if result.status is not AttemptStatus.COMPLETED:
        return result
    return result.model_copy(update=_judge(result, now))


def _hsts(
    result: TlsEndpointResult, address: IPv4Address | IPv6Address, ca_files: Sequence[Path]
) -> HstsFacts | None:
    probe = _optional("socaudit.probes.http", "probe_http")
    if probe is None:
        return None
    port = result.target.rsplit(":", 1)[1]
    host = result.sni or (f"[{address}]" if address.version == 6 else str(address))
    try:
        response = cast(HttpResult, probe(f"https://{host}:{port}/", address, 5.0, ca_files))
    except ProbeError:
        return None
    return response.hsts


def _judge(result: TlsEndpointResult, now: datetime) -> dict[str, Any]:
    update: dict[str, Any] = {}
    grade = _optional("socaudit.tls.grading", "grade")
    if grade is not None:
        update["grade"] = cast(Grade, grade(result, as_of=now))
    findings_for = _optional("socaudit.tls.findings", "findings_for")
    if findings_for is not None:
        update["findings"] = cast(tuple[Finding, ...], findings_for(result, as_of=now))
    return update


def _optional(module: str, name: str) -> Callable[..., object] | None:
    """A function of the analysis half, or None while that module does not exist yet."""
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError:
        return None
    return cast(Callable[..., object], getattr(found, name))
