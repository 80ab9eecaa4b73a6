"""Certificate validity re-judged at an assessment date (``as_of``), from stored facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socaudit.evidence.tls import CertificateFacts


@dataclass(frozen=True, slots=True)
class Validity:
    expired: bool
    not_yet_valid: bool
    days_left: int


def _parse(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def validity_at(cert: CertificateFacts, as_of: dt.datetime) -> Validity:
    """Expiry facts at ``as_of``; the scan-time facts when stored dates do not parse."""
    not_before, not_after = _parse(cert.not_before), _parse(cert.not_after)
    if not_before is None or not_after is None:
        return Validity(cert.expired, cert.not_yet_valid, cert.days_remaining)
    as_of = as_utc(as_of)
    return Validity(as_of > not_after, as_of < not_before, (not_after - as_of).days)


MOZILLA_MAX_LIFESPAN_DAYS = 366
# CA/Browser Forum ballot SC-081v3: maximum validity by issuance date (publicly trusted only).
_CABF_LIMITS = (
    (dt.datetime(2026, 3, 15, tzinfo=dt.UTC), 398),
    (dt.datetime(2027, 3, 15, tzinfo=dt.UTC), 200),
    (dt.datetime(2029, 3, 15, tzinfo=dt.UTC), 100),
)


def max_lifespan(cert: CertificateFacts) -> tuple[int, str]:
    """(allowed lifespan in days, the rule's name) for this certificate.

    Publicly trusted (anchored in the system store): the CA/B limit in force at ``not_before``.
    Private and government CAs: Mozilla's 366 days.
    """
    issued = _parse(cert.not_before)
    if cert.trust_anchor != "system" or issued is None:
        return MOZILLA_MAX_LIFESPAN_DAYS, "Mozilla guidelines"
    for before, limit in _CABF_LIMITS:
        if issued < before:
            return limit, "CA/B Forum SC-081v3"
    return 47, "CA/B Forum SC-081v3"


WEAK_HASHES_F = frozenset({"md2", "md4", "md5"})
"""Signature hashes that cap the grade at F (SSL Labs 2009e)."""


def weakest_hash(cert: CertificateFacts) -> str | None:
    """The weakest signature hash of the served chain (results stored before it was recorded:
    the leaf's)."""
    return cert.weakest_signature_hash or cert.signature_hash
