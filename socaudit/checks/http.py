"""HTTP checks for web applications: HSTS on HTTPS answers, HTTP → HTTPS redirects."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from socaudit.checks.context import CheckContext
from socaudit.checks.registry import CheckResult, NoParams, register
from socaudit.checks.results import listing, missing_or_error, ref, result, unless_errored
from socaudit.checks.tlsbase import endpoints
from socaudit.evaluation.model import Outcome
from socaudit.evidence.http import HttpResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.evidence.tls import HstsFacts

_READS = {"http", "tls"}


class HstsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min_max_age: int = Field(default=15552000, ge=0)
    """Seconds (180 days by default, the engine's ``http.hsts.short`` threshold)."""


def _answers(ctx: CheckContext) -> Iterator[tuple[EvidenceRecord, HttpResult]]:
    for record in ctx.observed("http"):
        if isinstance(record.payload, HttpResult):
            yield record, record.payload


def _urls(ctx: CheckContext, scheme: str) -> list[str]:
    return [u for a in ctx.system.assets for u in a.urls if u.startswith(f"{scheme}://")]


def _hsts_seen(ctx: CheckContext) -> list[tuple[EvidenceRecord, HstsFacts]]:
    """HSTS as read on HTTPS answers (the HTTP probe, else the TLS engine's request)."""
    seen = [(r, h.hsts) for r, h in _answers(ctx) if h.hsts is not None]
    return seen or [(r, t.hsts) for r, t in endpoints(ctx) if t.hsts is not None]


def _age(hsts: HstsFacts) -> str:
    return "—" if not hsts.present or hsts.max_age is None else str(hsts.max_age)


@register("http.hsts", source="observed", reads=_READS, params=HstsParams)
def hsts(ctx: CheckContext, params: HstsParams) -> CheckResult:
    """Every HTTPS answer sends Strict-Transport-Security with max-age ≥ ``min_max_age``."""
    seen = _hsts_seen(ctx)
    if not seen:
        if not _urls(ctx, "https"):
            return result(Outcome.NOT_APPLICABLE, "http.no_https_url")
        return missing_or_error(ctx, ("http", "tls"), "http")
    bad = [
        (r, h)
        for r, h in seen
        if not h.present or h.max_age is None or h.max_age < params.min_max_age
    ]
    if bad:
        where = listing(f"{r.target.label()} (max-age={_age(h)})" for r, h in bad)
        return result(
            Outcome.FAIL,
            "http.hsts_missing",
            (ref(r) for r, _ in bad),
            endpoints=where,
            min_max_age=params.min_max_age,
        )
    where = listing(r.target.label() for r, _ in seen)
    found = result(Outcome.PASS, "http.hsts_ok", (ref(r) for r, _ in seen), endpoints=where)
    return unless_errored(ctx, ("http",), "http", found)


@register("http.https_redirect", source="observed", reads={"http"}, params=NoParams)
def https_redirect(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Every plain-HTTP URL the inventory lists for the system redirects to https:// (other
    plain-HTTP ports, e.g. an OCSP responder, are the port checks' business)."""
    declared = set(_urls(ctx, "http"))
    if not declared:
        return result(Outcome.NOT_APPLICABLE, "http.no_plain_url")
    plain = [
        (r, h) for r, h in _answers(ctx) if h.redirects_to_https is not None and h.url in declared
    ]
    if not plain:
        return missing_or_error(ctx, ("http",), "http")
    bad = [(r, h) for r, h in plain if not h.redirects_to_https]
    if bad:
        where = listing(h.url for _, h in bad)
        return result(Outcome.FAIL, "http.no_redirect", (ref(r) for r, _ in bad), urls=where)
    where = listing(h.url for _, h in plain)
    found = result(Outcome.PASS, "http.redirect_ok", (ref(r) for r, _ in plain), urls=where)
    return unless_errored(ctx, ("http",), "http", found)
