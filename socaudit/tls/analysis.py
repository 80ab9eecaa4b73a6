"""Glue to the analysis half: certificate facts, HSTS, grade and findings for one endpoint.

HSTS comes from one HTTP request per URL, made by the caller's ``HttpFetch`` (the scan shares
it with its HTTP collector, and gates it); a failed request is recorded in ``http_check`` with
its reason instead of looking like a run without HTTP checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path
from typing import Any

from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.http import HttpResult
from socaudit.evidence.tls import EndpointError, HstsFacts, HttpCheck, TlsEndpointResult
from socaudit.probes.errors import ProbeError
from socaudit.tls.certificates import CertificateError, analyze_chain
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.findings import TLS_RULESET, findings_for
from socaudit.tls.grading import grade

HttpFetch = Callable[[str], HttpResult]
"""GET one ``https://`` URL from the endpoint's address (raises ``ProbeError``/``ValueError``)."""


def enrich(
    result: TlsEndpointResult,
    chain: Sequence[bytes],
    hostname: str | None,
    address: IPv4Address | IPv6Address,
    ca_files: Sequence[Path],
    now: datetime,
    *,
    http: HttpFetch | None,
) -> TlsEndpointResult:
    """``result`` with certificate, HSTS, grade and findings added where evidence allows."""
    update: dict[str, Any] = {}
    if chain:
        try:
            update["certificate"] = analyze_chain(chain, hostname, ca_files, now)
        except CertificateError as exc:
            update["status"] = AttemptStatus.ERROR
            update["error"] = EndpointError(reason=ErrorReason.PROTOCOL, detail=exc.detail)
    if update.get("status", result.status) is AttemptStatus.COMPLETED and http is not None:
        update["hsts"], update["http_check"] = _hsts(result, address, http)
        update["handshakes"] = result.handshakes + 1
    result = result.model_copy(update=update)
    if result.status is not AttemptStatus.COMPLETED:
        return result
    return result.model_copy(update=_judge(result, now))


def https_url(result: TlsEndpointResult, address: IPv4Address | IPv6Address) -> str:
    """``https://sni:port/`` (the address when there is no server name)."""
    port = result.target.rsplit(":", 1)[1]
    host = result.sni or (f"[{address}]" if address.version == 6 else str(address))
    return f"https://{host}:{port}/"


def _hsts(
    result: TlsEndpointResult, address: IPv4Address | IPv6Address, fetch: HttpFetch
) -> tuple[HstsFacts | None, HttpCheck]:
    """HSTS as served at the endpoint's root URL, and how the request went."""
    url = https_url(result, address)
    try:
        answer = fetch(url)
    except (ProbeError, ProbeFailure) as exc:
        error = EndpointError(reason=exc.reason, detail=exc.detail)
    except ValueError as exc:
        error = EndpointError(reason=ErrorReason.PROTOCOL, detail=str(exc))
    else:
        return answer.hsts, HttpCheck(url=url, status=AttemptStatus.COMPLETED)
    return None, HttpCheck(url=url, status=AttemptStatus.ERROR, error=error)


def _judge(result: TlsEndpointResult, now: datetime) -> dict[str, Any]:
    findings = {"findings": findings_for(result, as_of=now), "findings_ruleset": TLS_RULESET}
    return {"grade": grade(result, as_of=now), **findings}
