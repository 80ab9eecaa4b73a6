"""A CA, a leaf with AIA/CDP, and OCSP responses and CRLs about it, built with cryptography."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass(frozen=True)
class Pki:
    ca: x509.Certificate
    ca_key: ec.EllipticCurvePrivateKey
    leaf: x509.Certificate

    @property
    def chain(self) -> tuple[bytes, ...]:
        der = serialization.Encoding.DER
        return (self.leaf.public_bytes(der), self.ca.public_bytes(der))


def _cert(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
    extensions: Sequence[x509.ExtensionType] | None = None,
    ca: bool = False,
) -> x509.Certificate:
    issuer_name, signer = issuer or (_name(subject), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + 30 * DAY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    for ext in extensions or []:
        builder = builder.add_extension(ext, critical=False)
    return builder.sign(signer, hashes.SHA256())


def make_pki(base_url: str = "http://127.0.21.1:8080") -> Pki:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("test CA", ca_key, None, ca=True)
    aia = x509.AuthorityInformationAccess(
        [
            x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP,
                x509.UniformResourceIdentifier(f"{base_url}/ocsp"),
            )
        ]
    )
    cdp = x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                [x509.UniformResourceIdentifier(f"{base_url}/ca.crl")], None, None, None
            )
        ]
    )
    leaf = _cert(
        "leaf.test", ec.generate_private_key(ec.SECP256R1()), (ca.subject, ca_key), [aia, cdp]
    )
    return Pki(ca, ca_key, leaf)


def ocsp_response(
    pki: Pki,
    status: ocsp.OCSPCertStatus = ocsp.OCSPCertStatus.GOOD,
    *,
    signer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None = None,
    this_update: dt.datetime | None = None,
    next_update: dt.datetime | None = None,
    cert: x509.Certificate | None = None,
) -> bytes:
    responder, key = signer or (pki.ca, pki.ca_key)
    revoked = status is ocsp.OCSPCertStatus.REVOKED
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=cert or pki.leaf,
            issuer=pki.ca,
            algorithm=hashes.SHA1(),  # noqa: S303 - the CertID hash every responder uses
            cert_status=status,
            this_update=this_update or NOW - dt.timedelta(hours=1),
            next_update=next_update or NOW + DAY,
            revocation_time=NOW - DAY if revoked else None,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, responder)
    )
    if signer is not None:
        builder = builder.certificates([responder])
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def delegated_responder(
    pki: Pki, eku: bool = True
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    usage = [x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING])] if eku else []
    return _cert("responder", key, (pki.ca.subject, pki.ca_key), usage), key


def crl(
    pki: Pki,
    revoked: tuple[int, ...] = (),
    *,
    key: ec.EllipticCurvePrivateKey | None = None,
    next_update: dt.datetime | None = None,
    last_update: dt.datetime | None = None,
    pem: bool = False,
) -> bytes:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(pki.ca.subject)
        .last_update(last_update or NOW - dt.timedelta(hours=1))
        .next_update(next_update or NOW + DAY)
    )
    for serial in revoked:
        entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(NOW - DAY)
        builder = builder.add_revoked_certificate(entry.build())
    signed = builder.sign(key or pki.ca_key, hashes.SHA256())
    return signed.public_bytes(serialization.Encoding.PEM if pem else serialization.Encoding.DER)
