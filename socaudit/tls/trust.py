"""Certificate path validation: trust anchors, the ``cryptography`` verifier, a manual fallback.

Trust anchors are the system bundle plus extra CA files (government CAs are normal). Nothing is
ever fetched (no AIA, no OCSP). ``cryptography``'s verifier is strict (it rejects SHA-1, small
keys, missing AKI); when it refuses, signatures are verified by hand along the served chain to an
anchor and the verifier's complaint is kept as ``error``, so "trusted" stays a question of who
signed, and "weak" is judged by other findings.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from socaudit.errors import InputError, Problem
from socaudit.tls import serials

serials.silence_parse_warning()

EXTENSION_ERRORS = (
    x509.ExtensionNotFound,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
    ValueError,
    TypeError,
)
"""No such extension, or it cannot be parsed (``cryptography`` parses extensions lazily)."""
SYSTEM_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class TrustVerdict:
    """Outcome of path validation for one served chain."""

    trusted: bool
    complete: bool
    """The served certificates alone lead to an anchor, a self-signed root, or a CA that is
    plausibly one below an unknown root; False when the leaf's issuer is missing."""
    error: str | None
    anchor: x509.Certificate | None = None
    """The trust anchor the path ends at (None when untrusted)."""


@functools.lru_cache(maxsize=32)
def _read_bundle(path: Path, mtime_ns: int) -> tuple[x509.Certificate, ...]:
    del mtime_ns  # part of the cache key only
    return tuple(x509.load_pem_x509_certificates(path.read_bytes()))


def read_ca_file(path: Path) -> tuple[x509.Certificate, ...]:
    """Certificates of a PEM bundle; ``InputError`` (exit 3) when it is missing or not PEM."""
    try:
        return _read_bundle(path, path.stat().st_mtime_ns)
    except OSError as exc:
        problem = Problem(path, None, f"cannot read CA bundle: {exc.strerror}", "check the path")
    except ValueError:
        problem = Problem(
            path,
            None,
            "not a PEM certificate bundle",
            "expected -----BEGIN CERTIFICATE----- blocks",
        )
    raise InputError([problem])


def system_anchors() -> tuple[x509.Certificate, ...]:
    """The system trust store (empty when the bundle does not exist)."""
    return read_ca_file(SYSTEM_BUNDLE) if SYSTEM_BUNDLE.is_file() else ()


def load_anchors(extra_ca_files: Sequence[Path]) -> tuple[x509.Certificate, ...]:
    """System trust anchors plus every extra CA file."""
    anchors = list(system_anchors())
    for path in extra_ca_files:
        anchors.extend(read_ca_file(Path(path)))
    return tuple(anchors)


def _verify_legacy(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    """Check a signature ``verify_directly_issued_by`` refuses to look at (SHA-1, MD5)."""
    key, hash_algorithm = issuer.public_key(), cert.signature_hash_algorithm
    params = cert.signature_algorithm_parameters
    signature, tbs = cert.signature, cert.tbs_certificate_bytes
    if hash_algorithm is None:
        raise InvalidSignature
    if isinstance(key, rsa.RSAPublicKey) and params is None:
        key.verify(signature, tbs, padding.PKCS1v15(), hash_algorithm)  # MD5: no params given
    elif isinstance(key, rsa.RSAPublicKey) and isinstance(params, padding.AsymmetricPadding):
        key.verify(signature, tbs, params, hash_algorithm)
    elif isinstance(key, ec.EllipticCurvePublicKey) and isinstance(params, ec.ECDSA):
        key.verify(signature, tbs, params)
    elif isinstance(key, dsa.DSAPublicKey):
        key.verify(signature, tbs, hash_algorithm)
    else:
        raise InvalidSignature


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """``issuer``'s name and key signed ``cert`` (any hash, any key size)."""
    try:
        if cert.issuer != issuer.subject:
            return False
        cert.verify_directly_issued_by(issuer)
    except ValueError:
        try:
            _verify_legacy(cert, issuer)
        except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
            return False
    except (TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except EXTENSION_ERRORS:
        return False


def _walk(
    leaf: x509.Certificate, served: Sequence[x509.Certificate], anchors: Sequence[x509.Certificate]
) -> TrustVerdict:
    current, seen = leaf, [leaf]
    for _ in range(MAX_DEPTH):
        if current in anchors:
            return TrustVerdict(True, True, None, current)
        if issuer := next((a for a in anchors if issued_by(current, a)), None):
            return TrustVerdict(True, True, None, issuer)
        if issued_by(current, current):
            return TrustVerdict(False, True, "self-signed certificate not in the trust store")
        nxt = next((c for c in served if c not in seen and issued_by(current, c)), None)
        if nxt is None:
            complete = current is not leaf and is_ca(current)
            return TrustVerdict(
                False, complete, f"issuer not found: {current.issuer.rfc4514_string()}"
            )
        seen.append(nxt)
        current = nxt
    return TrustVerdict(False, False, "chain too long")


def _verify_time(chain: Sequence[x509.Certificate], now: dt.datetime) -> dt.datetime:
    """``now`` when every served certificate is valid then, else a moment inside their windows."""
    latest_start = max(c.not_valid_before_utc for c in chain)
    earliest_end = min(c.not_valid_after_utc for c in chain)
    if latest_start > earliest_end:
        leaf = chain[0]
        return (
            leaf.not_valid_before_utc + (leaf.not_valid_after_utc - leaf.not_valid_before_utc) / 2
        )
    return min(max(now, latest_start), earliest_end)


def _verifier_subject(leaf: x509.Certificate) -> x509.verification.Subject | None:
    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except EXTENSION_ERRORS:
        return None
    for name in san.get_values_for_type(x509.DNSName):
        return x509.DNSName(name.replace("*", "x", 1))
    for ip in san.get_values_for_type(x509.IPAddress):
        return x509.IPAddress(ip)
    return None


@functools.lru_cache(maxsize=8)
def _store(anchors: tuple[x509.Certificate, ...]) -> Store:
    return Store(list(anchors))


def _policy_error(
    leaf: x509.Certificate,
    served: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    at: dt.datetime,
) -> str | None:
    """None when ``cryptography``'s verifier accepts the chain at ``at``, else its complaint."""
    subject = _verifier_subject(leaf)
    if subject is None:
        return "leaf has no subjectAltName (strict validation impossible)"
    if not anchors:
        return "no trust anchors"
    builder = PolicyBuilder().store(_store(tuple(anchors))).time(at)
    try:
        builder.build_server_verifier(subject).verify(leaf, list(served))
    except (VerificationError, *EXTENSION_ERRORS) as exc:
        return str(exc) or type(exc).__name__
    return None


def assess_trust(
    chain: Sequence[x509.Certificate], anchors: Sequence[x509.Certificate], now: dt.datetime
) -> TrustVerdict:
    """Judge the served ``chain`` (leaf first) at a time when it is valid, so expiry stays apart."""
    leaf, served = chain[0], chain[1:]
    walked = _walk(leaf, served, anchors)
    strict_error = _policy_error(leaf, served, anchors, _verify_time(chain, now))
    if strict_error is None:
        return TrustVerdict(True, walked.complete or walked.trusted, None, walked.anchor)
    error = f"{walked.error}; {strict_error}" if walked.error else strict_error
    return TrustVerdict(walked.trusted, walked.complete, error, walked.anchor)
