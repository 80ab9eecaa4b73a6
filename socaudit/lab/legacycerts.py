"""Weak leaves that ``cryptography`` will not make: SHA-1 signature, 1024-bit RSA key.

Built with the ``openssl`` CLI (argument lists only, never a shell).
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from socaudit.fsutil import write_private
from socaudit.lab.targets import LabError

_EXTENSIONS = """basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:{name}
"""


def _openssl(*args: str) -> bytes:
    binary = shutil.which("openssl")
    if binary is None:
        raise LabError("the openssl command is missing (hint: apt-get install openssl)")
    done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [binary, *args], capture_output=True, check=False, timeout=30
    )
    if done.returncode != 0:
        raise LabError(f"openssl {args[0]} failed: {done.stderr.decode(errors='replace')[-300:]}")
    return done.stdout


def openssl_leaf(kind: str, dns_name: str, ca_cert: Path, ca_key: Path, key_out: Path) -> bytes:
    """Sign a leaf for ``dns_name`` with the CA; ``kind`` is ``sha1`` or ``rsa1024``.

    Writes the private key to ``key_out`` (a new 0600 file) and returns the certificate PEM.
    """
    bits, digest = ("1024", "-sha256") if kind == "rsa1024" else ("2048", "-sha1")
    key = _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}")
    write_private(key_out, key, replace=True)
    with tempfile.TemporaryDirectory(prefix="socaudit-pki-") as tmp:
        csr, ext = Path(tmp) / "leaf.csr", Path(tmp) / "leaf.ext"
        ext.write_text(_EXTENSIONS.format(name=dns_name), encoding="ascii")
        _openssl("req", "-new", "-key", str(key_out), "-subj",
                 f"/O=socaudit lab/CN={dns_name}", "-out", str(csr))  # fmt: skip
        return _openssl(
            "x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key),
            "-set_serial", f"0x{secrets.token_hex(16)}", "-days", "90", digest,
            "-extfile", str(ext),
        )  # fmt: skip
