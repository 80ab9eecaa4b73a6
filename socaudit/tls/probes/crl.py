"""CRLs (RFC 5280 §5) with ``cryptography``: distribution points, and one certificate's status.

A CRL counts only when it parses (DER or PEM), is issued by the certificate's issuer (name and
signature) and is current; otherwise the status is ``unknown`` with the reason.
"""

from __future__ import annotations

from datetime import datetime

from cryptography import x509

from socaudit.tls.probes.ocsp import CLOCK_SKEW, Verdict
from socaudit.tls.probes.signatures import signed_by


def distribution_points(cert: x509.Certificate) -> tuple[str, ...]:
    """HTTP(S) URLs of the certificate's CRL distribution points (LDAP ones are skipped)."""
    try:
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except (x509.ExtensionNotFound, ValueError):
        return ()
    names = (n for point in points for n in point.full_name or ())
    return tuple(
        n.value
        for n in names
        if isinstance(n, x509.UniformResourceIdentifier)
        and n.value.lower().startswith(("http://", "https://"))
    )


def load(data: bytes) -> x509.CertificateRevocationList:
    """DER or PEM; ValueError when it is neither."""
    if data.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_crl(data)
    return x509.load_der_x509_crl(data)


def judge(data: bytes, cert: x509.Certificate, issuer: x509.Certificate, now: datetime) -> Verdict:
    """The status the CRL in ``data`` gives ``cert``."""
    try:
        crl = load(data)
    except ValueError as exc:
        return Verdict("unknown", f"CRL does not parse: {exc}")
    if crl.issuer != issuer.subject or not signed_by(
        crl.tbs_certlist_bytes, crl.signature, crl.signature_hash_algorithm, issuer
    ):
        return Verdict("unknown", "CRL is not signed by the certificate's issuer")
    if crl.last_update_utc > now + CLOCK_SKEW:
        return Verdict("unknown", "CRL is dated in the future")
    if crl.next_update_utc is not None and crl.next_update_utc < now - CLOCK_SKEW:
        return Verdict(
            "unknown", f"CRL is stale (next update {crl.next_update_utc:%Y-%m-%dT%H:%M:%SZ})"
        )
    entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
    if entry is not None:
        return Verdict("revoked", f"CRL: revoked at {entry.revocation_date_utc:%Y-%m-%dT%H:%M:%SZ}")
    return Verdict("good", "CRL: not listed")
