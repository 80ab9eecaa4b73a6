"""OCSP (RFC 6960) with ``cryptography``: build the request, check a response for one certificate.

A response only counts when it is successful, about this certificate (serial and issuer
hashes), signed by the issuer or by a responder certificate the issuer delegated (OCSP signing
EKU), and current (``this_update`` not in the future, ``next_update`` not past). Anything else
is ``unknown`` with the reason: an unusable answer is never ``good``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from socaudit.tls.probes.signatures import signed_by

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one revocation source says about the leaf."""

    status: str
    """``good``, ``revoked`` or ``unknown``."""
    detail: str


def responder_urls(cert: x509.Certificate) -> tuple[str, ...]:
    """OCSP responder URLs from the certificate's Authority Information Access."""
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except (x509.ExtensionNotFound, ValueError):
        return ()
    return tuple(
        d.access_location.value
        for d in aia
        if d.access_method == AuthorityInformationAccessOID.OCSP
        and isinstance(d.access_location, x509.UniformResourceIdentifier)
    )


def request_der(cert: x509.Certificate, issuer: x509.Certificate) -> bytes:
    """A DER OCSPRequest for ``cert`` (SHA-1 CertID, as every responder understands)."""
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1())  # noqa: S303
    return builder.build().public_bytes(serialization.Encoding.DER)


def judge(der: bytes, cert: x509.Certificate, issuer: x509.Certificate, now: datetime) -> Verdict:
    """The status a DER OCSPResponse gives ``cert``, after every check above."""
    try:
        response = ocsp.load_der_ocsp_response(der)
    except ValueError as exc:
        return Verdict("unknown", f"OCSP response does not parse: {exc}")
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        return Verdict("unknown", f"OCSP responder answered {response.response_status.name}")
    single = _single_for(response, cert, issuer)
    if single is None:
        return Verdict("unknown", "OCSP response is not about this certificate")
    problem = _signature_problem(response, issuer, now) or _time_problem(single, now)
    if problem:
        return Verdict("unknown", problem)
    status = single.certificate_status
    if status is ocsp.OCSPCertStatus.REVOKED:
        when = single.revocation_time_utc
        at = f" at {when:%Y-%m-%dT%H:%M:%SZ}" if when else ""
        return Verdict("revoked", f"OCSP: revoked{at}")
    if status is ocsp.OCSPCertStatus.GOOD:
        return Verdict("good", "OCSP: good")
    return Verdict("unknown", "OCSP responder does not know the certificate")


def _single_for(
    response: ocsp.OCSPResponse, cert: x509.Certificate, issuer: x509.Certificate
) -> ocsp.OCSPSingleResponse | None:
    """The single response whose CertID (serial, issuer name and key hashes) is ``cert``'s."""
    for single in response.responses:
        if single.serial_number != cert.serial_number:
            continue
        try:
            ours = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, single.hash_algorithm)
            request = ours.build()
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
        if (single.issuer_name_hash, single.issuer_key_hash) == (
            request.issuer_name_hash, request.issuer_key_hash,
        ):  # fmt: skip
            return single
    return None


def _signature_problem(
    response: ocsp.OCSPResponse, issuer: x509.Certificate, now: datetime
) -> str | None:
    if signed_by(response.tbs_response_bytes, response.signature,
                 response.signature_hash_algorithm, issuer):  # fmt: skip
        return None
    for responder in response.certificates:
        if not _delegated(responder, issuer, now):
            continue
        if signed_by(response.tbs_response_bytes, response.signature,
                     response.signature_hash_algorithm, responder):  # fmt: skip
            return None
    return "OCSP response signature does not verify with the issuer or a delegated responder"


def _delegated(responder: x509.Certificate, issuer: x509.Certificate, now: datetime) -> bool:
    """A responder certificate issued by ``issuer`` for OCSP signing, valid at ``now``."""
    try:
        eku = responder.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        responder.verify_directly_issued_by(issuer)
    except (x509.ExtensionNotFound, ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    valid = responder.not_valid_before_utc <= now <= responder.not_valid_after_utc
    return valid and ExtendedKeyUsageOID.OCSP_SIGNING in eku


def _time_problem(single: ocsp.OCSPSingleResponse, now: datetime) -> str | None:
    if single.this_update_utc > now + CLOCK_SKEW:
        return "OCSP response is dated in the future"
    if single.next_update_utc is not None and single.next_update_utc < now - CLOCK_SKEW:
        return f"OCSP response is stale (next update {single.next_update_utc:%Y-%m-%dT%H:%M:%SZ})"
    return None
