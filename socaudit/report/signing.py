"""The signing certificate and key of evidence bundles.

The user's own (``--sign-cert``/``--sign-key``, e.g. the agency's), or else a self-signed
ECDSA P-256 certificate generated on first use in the user's data folder: the key file is
created 0600 by ``socaudit.fsutil.write_private`` (never chmod-ed afterwards), its folder 0700.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from platformdirs import user_data_path

from socaudit.errors import UsageError
from socaudit.fsutil import private_dir, write_private

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True, slots=True)
class Signer:
    certificate: x509.Certificate
    key: SigningKey


def default_folder() -> Path:
    return user_data_path("socaudit", appauthor=False) / "signing"


def load_signer(cert_path: Path, key_path: Path) -> Signer:
    """The user's certificate and private key (PEM); a mismatch is a usage error."""
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise UsageError(f"cannot load the signing certificate or key: {exc}") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise UsageError("the signing key must be an RSA or EC private key")
    if key.public_key() != cert.public_key():
        raise UsageError(f"{key_path} is not the private key of {cert_path}")
    return Signer(cert, key)


def default_signer(folder: Path | None = None, common_name: str = "socaudit") -> Signer:
    """The self-signed signer in ``folder`` (the user data folder), created on first use."""
    folder = private_dir(folder or default_folder())
    cert_path, key_path = folder / "signing-cert.pem", folder / "signing-key.pem"
    if cert_path.is_file() and key_path.is_file():
        return load_signer(cert_path, key_path)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _self_signed(key, common_name)
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private(key_path, pem_key, replace=True)
    write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM), replace=True)
    return Signer(cert, key)


def _self_signed(key: ec.EllipticCurvePrivateKey, common_name: str) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{common_name} evidence bundle signer"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "socaudit (self-signed)"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
