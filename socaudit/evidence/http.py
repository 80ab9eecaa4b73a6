"""HTTP evidence: security headers, redirects, server banner."""

from __future__ import annotations

from typing import Literal

from socaudit.evidence.base import Model
from socaudit.evidence.tls import Finding, HstsFacts


class HttpResult(Model):
    kind: Literal["http"] = "http"
    url: str
    status_code: int | None = None
    redirects_to_https: bool | None = None
    """For plain-HTTP URLs: does the server redirect to https://. None for https URLs."""
    location: str | None = None
    """The Location header of a 3xx answer (not followed)."""
    hsts: HstsFacts | None = None
    """Parsed Strict-Transport-Security; None for plain-HTTP URLs (browsers ignore it there)."""
    headers: dict[str, str] = {}
    """Security-relevant response headers, lower-case names, values as served (attacker-
    controlled text, each capped at 1024 characters)."""
    server_banner: str | None = None
    findings: tuple[Finding, ...] | None = None
    """Findings judged when the evidence was collected; None in runs made before they were
    stored (the view says so)."""
    findings_ruleset: str | None = None
    """Version of the rules that produced ``findings``."""
