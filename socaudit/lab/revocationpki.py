"""Revocation material of the lab: AIA/CDP extensions for two leaves, the CRL, a stapled OCSP
response for nginx, and the responder's answers (all signed by the lab intermediate CA).

``tls-revoked`` is listed in the CRL and answered ``revoked`` by the responder;
``tls-ocsp-stapled`` is good and nginx staples a pre-signed response for it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID

from socaudit.lab.targets import Target

REVOKED = "tls-revoked"
STAPLED = "tls-ocsp-stapled"
WITH_REVOCATION_INFO = frozenset({REVOKED, STAPLED})
RESPONDER_HOST = 86
RESPONDER_PORT = 8080
VALIDITY = dt.timedelta(days=7)


def responder_base(target: Target) -> str:
    """``http://A.B.C.86:8080``: the responder in the same /24 as ``target``."""
    net = ipaddress.IPv4Network(f"{target.address}/24", strict=False)
    return f"http://{net.network_address + RESPONDER_HOST}:{RESPONDER_PORT}"


def leaf_extensions(target: Target) -> list[x509.ExtensionType]:
    """AIA (OCSP) and CRL distribution point for the revocation targets, else nothing."""
    if target.name not in WITH_REVOCATION_INFO:
        return []
    base = responder_base(target)
    aia = x509.AuthorityInformationAccess(
        [x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                x509.UniformResourceIdentifier(f"{base}/ocsp"))]
    )  # fmt: skip
    cdp = x509.CRLDistributionPoints(
        [x509.DistributionPoint([x509.UniformResourceIdentifier(f"{base}/lab.crl")],
                                None, None, None)]
    )  # fmt: skip
    return [aia, cdp]


def _issuer(ca_dir: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    cert = x509.load_pem_x509_certificate((ca_dir / "lab-intermediate.pem").read_bytes())
    key = serialization.load_pem_private_key((ca_dir / "lab-intermediate.key").read_bytes(), None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("the lab intermediate key is not RSA")
    return cert, key


def _leaf(certs_dir: Path, name: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate((certs_dir / f"{name}.pem").read_bytes())


def ocsp_answer(
    cert: x509.Certificate,
    issuer: x509.Certificate,
    key: rsa.RSAPrivateKey,
    revoked: bool,
    now: dt.datetime,
) -> bytes:
    """A signed DER OCSP response about ``cert`` (good or revoked), valid for a week."""
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=cert, issuer=issuer, algorithm=hashes.SHA1(),  # noqa: S303 - CertID hash
        cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
        this_update=now - dt.timedelta(minutes=1), next_update=now + VALIDITY,
        revocation_time=now - dt.timedelta(hours=1) if revoked else None,
        revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)  # fmt: skip
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def write_material(lab_dir: Path, now: dt.datetime) -> None:
    """``ca/lab.crl``, ``ca/tls-ocsp-stapled.ocsp`` and ``ca/revocation.json`` (the responder's
    view: the serials it knows and the revoked one), freshly signed."""
    ca_dir, certs_dir = lab_dir / "ca", lab_dir / "certs"
    issuer, key = _issuer(ca_dir)
    revoked = _leaf(certs_dir, REVOKED)
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(now - dt.timedelta(minutes=1))
        .next_update(now + VALIDITY)
        .add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(revoked.serial_number)
            .revocation_date(now - dt.timedelta(hours=1))
            .build()
        )
        .sign(key, hashes.SHA256())
    )
    (ca_dir / "lab.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    stapled = _leaf(certs_dir, STAPLED)
    (ca_dir / f"{STAPLED}.ocsp").write_bytes(ocsp_answer(stapled, issuer, key, False, now))
    known = {}
    for pem in sorted(certs_dir.glob("*.pem")):
        cert = x509.load_pem_x509_certificate(pem.read_bytes())
        if cert.issuer == issuer.subject:
            known[pem.stem] = str(cert.serial_number)
    view = {"known": known, "revoked": [str(revoked.serial_number)]}
    (ca_dir / "revocation.json").write_text(json.dumps(view, indent=1), encoding="utf-8")
