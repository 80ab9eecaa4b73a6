"""HTTP evidence: security headers, redirects, server banner."""

from __future__ import annotations

from typing import Literal

from socaudit.evidence.base import Model
from socaudit.evidence.tls import HstsFacts


class HttpResult(Model):
    kind: Literal["http"] = "http"
    url: str
    status_code: int | None = None
    redirects_to_https: bool | None = None
    """For plain-HTTP URLs: does the server redirect to https://."""
    hsts: HstsFacts | None = None
    headers: dict[str, str] = {}
    """Security-relevant response headers, as served (attacker-controlled text)."""
    server_banner: str | None = None
