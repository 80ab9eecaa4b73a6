"""Checking a bundle: every listed file's SHA-256, nothing added or removed, the detached
signature over the manifest, and (given trust anchors) that the signer chains to one of them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from socaudit.report.bundle import MANIFEST, OUTSIDE_MANIFEST, SIGNATURE
from socaudit.report.cms import OID_SHA256, CmsError, SignedData, parse_signed_data

MAX_CHAIN = 6


@dataclass(frozen=True, slots=True)
class Verification:
    problems: tuple[str, ...]
    signer: str | None
    """The signing certificate's subject (None if the signature could not be read)."""
    files: int
    trusted: bool | None
    """None: no trust anchors given."""

    @property
    def valid(self) -> bool:
        return not self.problems


def verify_bundle(folder: Path, trust: Sequence[x509.Certificate] = ()) -> Verification:
    problems: list[str] = []
    manifest_path = folder / MANIFEST
    try:
        manifest = manifest_path.read_bytes()
        listed = json.loads(manifest)["files"]
        if not isinstance(listed, dict):
            raise TypeError("files is not a map")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Verification((f"{MANIFEST}: cannot read the manifest ({exc})",), None, 0, None)
    problems += _check_files(folder, listed)
    signer, signed = None, None
    try:
        signed = parse_signed_data((folder / SIGNATURE).read_bytes())
        cert = _check_signature(signed, manifest)
        signer = cert.subject.rfc4514_string()
    except OSError as exc:
        problems.append(f"{SIGNATURE}: cannot read the signature ({exc.strerror})")
    except (CmsError, InvalidSignature, ValueError) as exc:
        problems.append(f"{SIGNATURE}: the signature does not verify ({str(exc) or 'invalid'})")
    trusted = None
    if trust and signed is not None and signer is not None:
        trusted = _chains(signed.certificates[0], signed.certificates, trust)
        if not trusted:
            problems.append(f"the signer ({signer}) does not chain to a trusted certificate")
    return Verification(tuple(problems), signer, len(listed), trusted)


def _check_files(folder: Path, listed: dict[str, dict[str, object]]) -> list[str]:
    problems = []
    present = {
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()
    } - OUTSIDE_MANIFEST
    problems += [f"{name}: added (not in the manifest)" for name in sorted(present - set(listed))]
    problems += [f"{name}: missing" for name in sorted(set(listed) - present)]
    for name in sorted(present & set(listed)):
        path = folder / name
        if path.is_symlink():
            problems.append(f"{name}: is a symbolic link")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if not hmac.compare_digest(digest, str(listed[name].get("sha256", ""))):
            problems.append(f"{name}: changed (SHA-256 differs from the manifest)")
    return problems


def _check_signature(signed: SignedData, manifest: bytes) -> x509.Certificate:
    if signed.digest_oid != OID_SHA256:
        raise CmsError("digest is not SHA-256")
    if not signed.certificates:
        raise CmsError("no signer certificate in the signature")
    if not hmac.compare_digest(signed.message_digest, hashlib.sha256(manifest).digest()):
        raise CmsError("the manifest's digest differs from the signed one")
    for cert in signed.certificates:
        key = cert.public_key()
        try:
            if isinstance(key, ec.EllipticCurvePublicKey):
                key.verify(signed.signature, signed.signed_attributes, ec.ECDSA(hashes.SHA256()))
            elif isinstance(key, rsa.RSAPublicKey):
                key.verify(
                    signed.signature,
                    signed.signed_attributes,
                    padding.PKCS1v15(),
                    hashes.SHA256(),
                )
            else:
                continue
        except InvalidSignature:
            continue
        return cert
    raise InvalidSignature("no certificate in the signature verifies it")


def _chains(
    leaf: x509.Certificate,
    pool: Sequence[x509.Certificate],
    trust: Sequence[x509.Certificate],
) -> bool:
    """Whether ``leaf`` is a trust anchor or is issued (through ``pool``) by one."""
    current = leaf
    for _ in range(MAX_CHAIN):
        if current in trust:
            return True
        issuer = next((c for c in (*trust, *pool) if c != current and _issued_by(current, c)), None)
        if issuer is None:
            return False
        current = issuer
    return False


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
