"""Certificate chain of a TLS 1.3-only server, where the Certificate message is encrypted.

Raw ClientHellos cannot read it, so this runs ``openssl s_client -showcerts`` (argument list,
no shell, bounded by the timeout) and keeps the PEM blocks it prints, in the order served.
"""

from __future__ import annotations

import binascii
import re
import shutil
import ssl
import subprocess
from ipaddress import IPv4Address, IPv6Address

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure

_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def openssl_command(
    address: IPv4Address | IPv6Address, port: int, sni: str | None, starttls: str | None = None
) -> list[str]:
    """The s_client argument list (exposed for tests); ``starttls``: s_client's protocol name."""
    host = f"[{address}]" if address.version == 6 else str(address)
    names = ["-servername", sni] if sni else ["-noservername"]
    upgrade = ["-starttls", starttls] if starttls else []
    return [
        "openssl", "s_client", "-connect", f"{host}:{port}", "-showcerts", "-tls1_3", *names,
        *upgrade,
    ]  # fmt: skip


def fetch_chain(
    address: IPv4Address | IPv6Address,
    port: int,
    sni: str | None,
    timeout: float,
    starttls: str | None = None,
) -> tuple[bytes, ...]:
    """DER certificates as served over TLS 1.3 (leaf first)."""
    if shutil.which("openssl") is None:
        raise ProbeFailure(ErrorReason.TOOL_MISSING, "openssl is needed for TLS 1.3-only chains")
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            openssl_command(address, port, sni, starttls),
            input=b"",
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ProbeFailure(ErrorReason.TIMEOUT, "openssl s_client timed out") from None
    blocks = _PEM.findall(done.stdout)
    if not blocks:
        raise ProbeFailure(ErrorReason.PROTOCOL, "no certificate in the TLS 1.3 handshake")
    try:  # PEM to DER only: certificates are parsed (and judged) by certificates.py
        return tuple(ssl.PEM_cert_to_DER_cert(b.decode("ascii")) for b in blocks)
    except (ValueError, binascii.Error) as exc:
        raise ProbeFailure(ErrorReason.PROTOCOL, f"malformed certificate: {exc}") from None
