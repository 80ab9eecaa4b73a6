"""The lab PKI: root CA -> intermediate -> one leaf per TLS target, dates relative to now.

``cryptography`` builds the CAs and ordinary leaves; the SHA-1 and 1024-bit leaves are made
with the ``openssl`` CLI (see ``legacycerts``), since weak material is what they are for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from socaudit.fsutil import private_dir, write_private
from socaudit.lab.legacycerts import openssl_leaf
from socaudit.lab.revocationpki import leaf_extensions
from socaudit.lab.targets import Target

MAX_AGE = dt.timedelta(days=3)
"""Regenerate the PKI when the root is older than this (expired/not-yet leaves stay so)."""


@dataclass(frozen=True, slots=True)
class Issuer:
    """A CA certificate with its key and files."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    cert_path: Path
    key_path: Path


@dataclass(frozen=True, slots=True)
class LeafFiles:
    """What nginx serves for one target: the chain file and the key."""

    chain: Path
    key: Path


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "socaudit lab"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _write_key(path: Path, key: rsa.RSAPrivateKey) -> None:
    """A new 0600 key file (``O_CREAT|O_EXCL``), renamed over any older one."""
    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    write_private(path, data, replace=True)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _builder(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: Issuer | None,
    start: dt.datetime,
    end: dt.datetime,
) -> x509.CertificateBuilder:
    """Subject, validity, SKI and AKI (self-referencing when ``issuer`` is None)."""
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    aki = (
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key())
        if issuer
        else x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
    )
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.cert.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(ski, critical=False)
        .add_extension(aki, critical=False)
    )


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _leaf_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=True,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip


def make_ca(directory: Path, stem: str, cn: str, parent: Issuer | None, now: dt.datetime) -> Issuer:
    """A CA certificate (root when ``parent`` is None) written as ``<stem>.pem``/``.key``."""
    key = _key()
    signer = parent.key if parent else key
    cert = (
        _builder(cn, key, parent, now - dt.timedelta(days=1), now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0 if parent else 1), True)
        .add_extension(_ca_usage(), critical=True)
        .sign(signer, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{stem}.pem", directory / f"{stem}.key"
    cert_path.write_bytes(_pem(cert))
    _write_key(key_path, key)
    return Issuer(cert, key, cert_path, key_path)


def make_leaf(
    dns_name: str,
    issuer: Issuer | None,
    start: dt.datetime,
    end: dt.datetime,
    extra: Sequence[x509.ExtensionType] = (),
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """An RSA-2048 server certificate; self-signed when ``issuer`` is None."""
    key = _key()
    builder = _builder(dns_name, key, issuer, start, end)
    for extension in extra:
        builder = builder.add_extension(extension, critical=False)
    cert = (
        builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_leaf_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
        .sign(issuer.key if issuer else key, hashes.SHA256())
    )
    return cert, key


def _validity(name: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    day = dt.timedelta(days=1)
    if name == "tls-expired":
        return now - 120 * day, now - 30 * day
    if name == "tls-notyet":
        return now + 30 * day, now + 120 * day
    return now - day, now + 90 * day


def issue_leaf(target: Target, inter: Issuer, out: Path, now: dt.datetime) -> LeafFiles:
    """Write ``<name>.pem`` (the chain nginx serves) and ``<name>.key`` for one TLS target."""
    chain, key_path = out / f"{target.name}.pem", out / f"{target.name}.key"
    if target.name in ("tls-sha1", "tls-rsa1024"):
        legacy = "sha1" if target.name == "tls-sha1" else "rsa1024"
        leaf_pem = openssl_leaf(
            legacy,
            target.cert_name,
            inter.cert_path,
            inter.key_path,
            key_path,
            _validity(target.name, now),
        )
    else:
        start, end = _validity(target.name, now)
        issuer = None if target.name == "tls-selfsigned" else inter
        cert, key = make_leaf(target.cert_name, issuer, start, end, leaf_extensions(target))
        leaf_pem = _pem(cert)
        _write_key(key_path, key)
    with_chain = target.name not in ("tls-selfsigned", "tls-nochain")
    chain.write_bytes(leaf_pem + (_pem(inter.cert) if with_chain else b""))
    return LeafFiles(chain, key_path)


def is_fresh(root_pem: Path, now: dt.datetime) -> bool:
    """True if the root exists and is younger than ``MAX_AGE``."""
    if not root_pem.is_file():
        return False
    cert = x509.load_pem_x509_certificate(root_pem.read_bytes())
    return now - cert.not_valid_before_utc < MAX_AGE + dt.timedelta(days=1)


def _existing_intermediate(ca_dir: Path) -> Issuer | None:
    """The intermediate CA already on disk, or None if it is missing or unreadable."""
    cert_path, key_path = ca_dir / "lab-intermediate.pem", ca_dir / "lab-intermediate.key"
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), None)
    except (OSError, ValueError):
        return None
    return Issuer(cert, key, cert_path, key_path) if isinstance(key, rsa.RSAPrivateKey) else None


def ensure_pki(
    lab_dir: Path, targets: tuple[Target, ...], now: dt.datetime
) -> dict[str, LeafFiles]:
    """Create (or reuse while fresh) the CA and the leaves of every TLS target."""
    ca_dir, out = lab_dir / "ca", lab_dir / "certs"
    private_dir(ca_dir)
    private_dir(out)
    files = {t.name: LeafFiles(out / f"{t.name}.pem", out / f"{t.name}.key") for t in targets}
    complete = all(f.chain.is_file() and f.key.is_file() for f in files.values())
    if complete and is_fresh(ca_dir / "lab-root.pem", now):
        return files
    inter = _existing_intermediate(ca_dir) if is_fresh(ca_dir / "lab-root.pem", now) else None
    if inter is not None:  # new targets only: keep the CA that running services chain to
        return {
            t.name: files[t.name] if files[t.name].chain.is_file() and files[t.name].key.is_file()
            else issue_leaf(t, inter, out, now)
            for t in targets
        }  # fmt: skip
    root = make_ca(ca_dir, "lab-root", "socaudit lab root CA", None, now)
    inter = make_ca(ca_dir, "lab-intermediate", "socaudit lab intermediate CA", root, now)
    return {t.name: issue_leaf(t, inter, out, now) for t in targets}
