"""Certificate facts from a served chain (leaf first): dates, key, signature, names, trust.

``analyze_chain`` is pure apart from reading CA bundles. Odd but parseable certificates give facts
with what can be read; an empty chain or an unparseable leaf raises ``CertificateError`` (the TLS
engine turns it into an endpoint with ``status: error``, reason ``protocol``). A CA file that is
missing or not PEM raises ``socaudit.errors.InputError`` (a user mistake, exit code 3).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

from socaudit.evidence.tls import CertificateFacts
from socaudit.tls.hostnames import hostname_matches
from socaudit.tls.serials import positive_serial
from socaudit.tls.trust import (
    EXTENSION_ERRORS,
    TrustVerdict,
    assess_trust,
    issued_by,
    load_anchors,
    system_anchors,
)

# Signature algorithms ``cryptography`` cannot map to a hash object.
_LEGACY_SIGNATURE_OIDS = {
    "1.2.840.113549.1.1.2": "md2",
    "1.2.840.113549.1.1.3": "md4",
    "1.2.840.113549.1.1.4": "md5",
}


HASH_STRENGTH = ("md2", "md4", "md5", "unknown", "sha1", "sha224", "sha256", "sha384", "sha512")
"""Weakest first; ``unknown`` (an unreadable algorithm) ranks just below SHA-1."""

_PARSE_ERRORS = (ValueError, TypeError, x509.InvalidVersion)
"""What ``cryptography``'s lazy parsing raises on damaged DER."""


class CertificateError(ValueError):
    """The chain cannot be analysed at all (empty, or the leaf is not a certificate)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _load(der: bytes) -> x509.Certificate:
    """Parse and touch the fields everything else needs (``cryptography`` parses lazily)."""
    cert = x509.load_der_x509_certificate(bytes(der))  # serials.py keeps stderr quiet
    _ = (cert.subject, cert.issuer, cert.not_valid_before_utc, cert.not_valid_after_utc)
    _ = (cert.tbs_certificate_bytes, cert.signature)
    return cert


def _parse_chain(chain_der: Sequence[bytes]) -> list[x509.Certificate]:
    """Parse leaf (mandatory) and every further certificate that parses (others are dropped)."""
    if not chain_der:
        raise CertificateError("the server sent no certificate")
    try:
        leaf = _load(chain_der[0])
    except _PARSE_ERRORS as exc:
        raise CertificateError(f"malformed leaf certificate: {exc}") from exc
    chain = [leaf]
    for der in chain_der[1:]:
        try:
            chain.append(_load(der))
        except _PARSE_ERRORS:
            continue
    return chain


def key_info(cert: x509.Certificate) -> tuple[str, int]:
    """(key type, size in bits; EC: curve bits) of the certificate's public key."""
    try:
        key = cert.public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return "unknown", 0
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    return "unknown", 0


def signature_hash(cert: x509.Certificate) -> str | None:
    """Hash of the certificate's signature (``sha256``, ``sha1``, ``md5`` …; None for EdDSA)."""
    try:
        algorithm = cert.signature_hash_algorithm
    except (UnsupportedAlgorithm, ValueError):
        try:
            oid = cert.signature_algorithm_oid.dotted_string
        except ValueError:
            return "unknown"
        return _LEGACY_SIGNATURE_OIDS.get(oid, "unknown")
    return None if algorithm is None else algorithm.name.lower().replace("-", "")


def _strength(digest: str | None) -> int:
    """Rank of a signature hash (EdDSA, with no separate hash, ranks as strong)."""
    if digest is None:
        return len(HASH_STRENGTH)
    return HASH_STRENGTH.index(digest) if digest in HASH_STRENGTH else HASH_STRENGTH.index("sha1")


def weakest_signature(chain: Sequence[x509.Certificate]) -> tuple[str | None, str]:
    """(hash, subject) of the weakest signature among the served certificates, leaving out
    the self-signature of a served root (its signature protects nothing)."""
    signed = [c for i, c in enumerate(chain) if i == 0 or not issued_by(c, c)]
    weakest = min(signed, key=lambda c: _strength(signature_hash(c)))
    return signature_hash(weakest), _name(weakest.subject)


def subject_alt_names(cert: x509.Certificate) -> tuple[list[str], list[str]]:
    """(DNS names, IP addresses as text) from subjectAltName; empty when absent or malformed."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except EXTENSION_ERRORS:
        return [], []
    dns = [str(name) for name in san.get_values_for_type(x509.DNSName)]
    ips = [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
    return dns, ips


def _name(value: x509.Name) -> str:
    try:
        return value.rfc4514_string()
    except (ValueError, TypeError):
        return "<unreadable name>"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _as_utc(now: dt.datetime) -> dt.datetime:
    return now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)


def _hostname_match(hostname: str | None, dns: list[str], ips: list[str]) -> bool | None:
    if hostname is None:
        return None
    addresses = []
    for text in ips:
        try:
            addresses.append(ipaddress.ip_address(text))
        except ValueError:
            continue
    return hostname_matches(hostname, dns, addresses)


def _anchor_source(verdict: TrustVerdict) -> Literal["system", "extra"] | None:
    if verdict.anchor is None or not verdict.trusted:
        return None
    return "system" if verdict.anchor in system_anchors() else "extra"


def analyze_chain(
    chain_der: Sequence[bytes],
    hostname: str | None,
    extra_ca_files: Sequence[Path],
    now: dt.datetime,
) -> CertificateFacts:
    """Facts about the served chain ``chain_der`` (leaf first), judged at ``now``.

    Trust is judged at a moment inside the validity windows, so an expired but otherwise
    well-signed certificate is ``expired`` and still ``chain_trusted``.
    """
    now = _as_utc(now)
    chain = _parse_chain(chain_der)
    leaf = chain[0]
    not_before, not_after = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    verdict = assess_trust(chain, load_anchors(extra_ca_files), now)
    key_type, key_size = key_info(leaf)
    dns, ips = subject_alt_names(leaf)
    subject, issuer = _name(leaf.subject), _name(leaf.issuer)
    weakest_hash, weakest_subject = weakest_signature(chain)
    dropped = len(chain_der) - len(chain)
    trust_error = verdict.error
    if dropped:
        note = f"{dropped} malformed certificate(s) in the served chain were ignored"
        trust_error = f"{trust_error}; {note}" if trust_error else note
    return CertificateFacts(
        subject=subject,
        issuer=issuer,
        not_before=_iso(not_before),
        not_after=_iso(not_after),
        days_remaining=(not_after - now).days,
        expired=now > not_after,
        not_yet_valid=now < not_before,
        key_type=key_type,
        key_size=key_size,
        signature_hash=signature_hash(leaf),
        self_signed=leaf.subject == leaf.issuer and issued_by(leaf, leaf),
        hostname_match=_hostname_match(hostname, dns, ips),
        chain_trusted=verdict.trusted,
        chain_complete=verdict.complete,
        lifespan_days=(not_after - not_before).days,
        san=tuple(dns + ips),
        chain_length=len(chain_der),
        trust_error=trust_error,
        trust_anchor=_anchor_source(verdict),
        weakest_signature_hash=weakest_hash,
        weakest_signature_subject=weakest_subject,
        non_positive_serials=tuple(_name(c.subject) for c in chain if not positive_serial(c)),
    )
