"""Strict-Transport-Security parsing (RFC 6797 §6.1): malformed means present, max_age None."""

from __future__ import annotations

from socaudit.evidence.tls import HstsFacts


def _directives(value: str) -> dict[str, str | None] | None:
    """Directive name -> value; None when the header is malformed (e.g. a repeated directive)."""
    out: dict[str, str | None] = {}
    for part in value.split(";"):
        name, sep, raw = part.strip().partition("=")
        name = name.strip().lower()
        if not name:
            continue
        if name in out:
            return None
        out[name] = raw.strip().strip('"') if sep else None
    return out


def parse_hsts(value: str | None) -> HstsFacts:
    """Facts from the first Strict-Transport-Security header value (None: header absent)."""
    if value is None:
        return HstsFacts(present=False)
    directives = _directives(value)
    if directives is None:
        return HstsFacts(present=True)
    raw_age = directives.get("max-age")
    valid = raw_age is not None and raw_age.isascii() and raw_age.isdigit() and len(raw_age) <= 12
    return HstsFacts(
        present=True,
        max_age=int(raw_age) if valid and raw_age is not None else None,
        include_subdomains="includesubdomains" in directives,
        preload="preload" in directives,
    )
