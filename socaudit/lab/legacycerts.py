"""Weak leaves that ``cryptography`` will not make: SHA-1 signature, 1024-bit RSA key.

Built with the ``openssl`` CLI (argument lists only, never a shell).
"""

from __future__ import annotations

import datetime as dt
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

_CA_CONFIG = """[ca]
default_ca = lab
[lab]
database = {dir}/index.txt
new_certs_dir = {dir}
serial = {dir}/serial
policy = any
unique_subject = no
email_in_dn = no
[any]
organizationName = optional
commonName = supplied
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


def openssl_leaf(
    kind: str,
    dns_name: str,
    ca_cert: Path,
    ca_key: Path,
    key_out: Path,
    validity: tuple[dt.datetime, dt.datetime],
) -> bytes:
    """Sign a leaf for ``dns_name`` with the CA; ``kind`` is ``sha1`` or ``rsa1024``.

    ``validity`` is (not before, not after), as for the lab's other leaves: backdated, so a
    scan judged at any time of the lab's first day finds it valid. ``openssl ca`` is used
    because ``openssl x509`` of OpenSSL 3.0 cannot set a start date. Writes the private key to
    ``key_out`` (a new 0600 file) and returns the certificate PEM.
    """
    bits, digest = ("1024", "sha256") if kind == "rsa1024" else ("2048", "sha1")
    key = _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}")
    write_private(key_out, key, replace=True)
    start, end = (_utc_time(t) for t in validity)
    with tempfile.TemporaryDirectory(prefix="socaudit-pki-") as tmp:
        csr, ext, cfg = Path(tmp) / "leaf.csr", Path(tmp) / "leaf.ext", Path(tmp) / "ca.cnf"
        cert = Path(tmp) / "leaf.pem"
        ext.write_text(_EXTENSIONS.format(name=dns_name), encoding="ascii")
        cfg.write_text(_CA_CONFIG.format(dir=tmp), encoding="ascii")
        (Path(tmp) / "index.txt").write_text("", encoding="ascii")
        (Path(tmp) / "serial").write_text(f"{secrets.token_hex(16)}\n", encoding="ascii")
        _openssl("req", "-new", "-key", str(key_out), "-subj",
                 f"/O=socaudit lab/CN={dns_name}", "-out", str(csr))  # fmt: skip
        _openssl(
            "ca", "-batch", "-config", str(cfg), "-in", str(csr), "-cert", str(ca_cert),
            "-keyfile", str(ca_key), "-startdate", start, "-enddate", end, "-md", digest,
            "-extfile", str(ext), "-notext", "-out", str(cert),
        )  # fmt: skip
        return cert.read_bytes()


def _utc_time(moment: dt.datetime) -> str:
    """``YYMMDDHHMMSSZ``, the form ``openssl ca -startdate/-enddate`` takes."""
    return moment.astimezone(dt.UTC).strftime("%y%m%d%H%M%SZ")
