"""Lab personas (socaudit.lab.tlsreplay) with a throwaway RSA certificate, served for tests."""

from __future__ import annotations

import datetime as dt
import functools

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from socaudit.lab.tlsreplay import RSA_SUITES, Persona
from socaudit.tls.versions import TlsVersion

SUITES = {TlsVersion.TLS12: RSA_SUITES}


@functools.lru_cache(maxsize=1)
def rsa_identity() -> tuple[bytes, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "replay.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(Encoding.DER), key


def persona(flaw: str) -> Persona:
    """``flaw`` is one of tlsreplay.FLAWS, or "none" for a fully patched persona."""
    der, key = rsa_identity()
    return Persona(flaw, (der,), key)
