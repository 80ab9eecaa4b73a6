"""Protocol versions as they appear on the wire and in the JSON contract."""

from __future__ import annotations

from enum import IntEnum

from socaudit.evidence.tls import TlsVersionName


class TlsVersion(IntEnum):
    """Wire code of each protocol version socaudit probes (ascending)."""

    SSL3 = 0x0300
    TLS10 = 0x0301
    TLS11 = 0x0302
    TLS12 = 0x0303
    TLS13 = 0x0304

    @property
    def label(self) -> TlsVersionName:
        """The contract's name, e.g. ``TLSv1.2``."""
        return _LABELS[self]


_LABELS: dict[TlsVersion, TlsVersionName] = {
    TlsVersion.SSL3: "SSLv3",
    TlsVersion.TLS10: "TLSv1.0",
    TlsVersion.TLS11: "TLSv1.1",
    TlsVersion.TLS12: "TLSv1.2",
    TlsVersion.TLS13: "TLSv1.3",
}


def version_label(code: int) -> str:
    """Name of a wire version code (``0x0303`` → ``TLSv1.2``), or its hex form if unknown."""
    try:
        return TlsVersion(code).label
    except ValueError:
        return f"0x{code:04X}"
