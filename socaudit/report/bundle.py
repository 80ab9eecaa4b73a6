"""The signed evidence bundle of an assessment: files, a manifest of their SHA-256, and a
detached CMS (PKCS#7) signature of the manifest.

Layout of the folder (``docs/report.md``)::

    manifest.json   {"schema_version": 1, "kind": "socaudit-bundle", ...,
                     "files": {PATH: {"sha256", "size"}}}
    manifest.sig    DER CMS SignedData, detached, over manifest.json's exact bytes
    signer.pem      the signing certificate (listed in the manifest like every other file)
    inventory/ evidence/ results/ reports/ ...

It verifies with ``socaudit verify DIR`` and with ``openssl cms -verify -binary -inform DER
-in manifest.sig -content manifest.json -CAfile CERT.pem -purpose any``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from socaudit.errors import UsageError
from socaudit.report.signing import Signer

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SIGNER_CERT = "signer.pem"
OUTSIDE_MANIFEST = frozenset({MANIFEST, SIGNATURE})


def write_bundle(
    folder: Path, files: Mapping[str, bytes], meta: Mapping[str, Any], signer: Signer
) -> Path:
    """Write ``files`` (relative POSIX path -> content) and the signed manifest to ``folder``."""
    prepare_folder(folder)
    cert_pem = signer.certificate.public_bytes(serialization.Encoding.PEM)
    everything = {**files, SIGNER_CERT: cert_pem}
    for name, data in everything.items():
        target = folder / _relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    manifest = manifest_bytes(everything, meta)
    (folder / MANIFEST).write_bytes(manifest)
    (folder / SIGNATURE).write_bytes(sign(manifest, signer))
    return folder


def manifest_bytes(files: Mapping[str, bytes], meta: Mapping[str, Any]) -> bytes:
    listing = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in sorted(files.items())
    }
    document = {
        "schema_version": 1,
        "kind": "socaudit-bundle",
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **meta,
        "files": listing,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def sign(manifest: bytes, signer: Signer) -> bytes:
    """Detached CMS SignedData (DER) over ``manifest``, the signer's certificate included."""
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(manifest)
        .add_signer(signer.certificate, signer.key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )


def prepare_folder(folder: Path) -> None:
    """An empty folder, or an earlier bundle whose listed files are removed first; any other
    content is refused (verify would report it as added)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.iterdir()):
        return
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise UsageError(
            f"{folder} is not empty (hint: choose another --out, or remove what is in it)"
        )
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{manifest} is not a socaudit bundle manifest") from exc
    for name in (*listed, *OUTSIDE_MANIFEST):
        (folder / _relative(str(name))).unlink(missing_ok=True)
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()
    if any(folder.iterdir()):
        left = ", ".join(sorted(str(p.relative_to(folder)) for p in folder.rglob("*")))
        raise UsageError(f"{folder} holds files that are not part of its bundle: {left}")


def _relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"bundle path {name!r} is not a plain relative path")
    return path
