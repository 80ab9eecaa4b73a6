"""Certificates made in the test (never checked-in fixtures), with dates relative to now."""

from __future__ import annotations

import datetime as dt
import ipaddress
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: PrivateKey

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Khoa học và Công nghệ Lạng Sơn"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _sans(names: tuple[str, ...]) -> list[x509.GeneralName]:
    out: list[x509.GeneralName] = []
    for name in names:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            out.append(x509.DNSName(name))
    return out


def issue(
    common_name: str,
    *,
    issuer: Issued | None = None,
    key: PrivateKey | None = None,
    ca: bool = False,
    names: tuple[str, ...] = (),
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> Issued:
    """A certificate for ``common_name``; self-signed when ``issuer`` is None."""
    key = key or rsa_key()
    signer = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else _name(common_name)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - DAY)
        .not_valid_after(not_after or NOW + 90 * DAY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()),
            critical=False,
        )
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
        builder = builder.add_extension(usage, critical=True)
    else:
        eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])
        builder = builder.add_extension(eku, critical=False)
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(_sans(names)), critical=False)
    algorithm = None if isinstance(signer, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return Issued(builder.sign(signer, algorithm), key)


@dataclass(frozen=True)
class Pki:
    root: Issued
    intermediate: Issued

    def leaf(
        self,
        *names: str,
        key: PrivateKey | None = None,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> Issued:
        common_name = names[0] if names else "leaf"
        return issue(
            common_name,
            issuer=self.intermediate,
            key=key,
            names=names,
            not_before=not_before,
            not_after=not_after,
        )

    def write_root(self, directory: Path) -> Path:
        path = directory / "root.pem"
        path.write_bytes(self.root.pem)
        return path


def make_pki() -> Pki:
    root = issue("Lạng Sơn Test Root CA", ca=True, not_after=NOW + 3650 * DAY)
    intermediate = issue("Test Intermediate CA", issuer=root, ca=True, not_after=NOW + 1000 * DAY)
    return Pki(root, intermediate)


def openssl_leaf(pki: Pki, tmp: Path, *, bits: int, digest: str, name: str) -> bytes:
    """A leaf the ``cryptography`` signer refuses (RSA-1024, SHA-1), made by the openssl CLI."""
    key_pem = subprocess.run(
        ["openssl", "genrsa", str(bits)], check=True, capture_output=True
    ).stdout
    (tmp / "leaf.key").write_bytes(key_pem)
    ca_key = pki.intermediate.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp / "ca.key").write_bytes(ca_key)
    (tmp / "ca.pem").write_bytes(pki.intermediate.pem)
    (tmp / "ext.cnf").write_text(
        f"subjectAltName=DNS:{name}\nbasicConstraints=critical,CA:FALSE\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\nextendedKeyUsage=serverAuth\n"
    )
    subprocess.run(
        ["openssl", "req", "-new", "-key", "leaf.key", "-subj", f"/CN={name}", "-out", "leaf.csr"],
        cwd=tmp,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["openssl", "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
         "-CAcreateserial", f"-{digest}", "-days", "30", "-extfile", "ext.cnf",
         "-outform", "DER", "-out", "leaf.der"],
        cwd=tmp,
        check=True,
        capture_output=True,
    )  # fmt: skip
    return (tmp / "leaf.der").read_bytes()
