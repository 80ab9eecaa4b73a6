"""Registries of TLS cipher suites and key-exchange groups (IANA code points as data)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

TLS13_CODES = frozenset({0x1301, 0x1302, 0x1303, 0x1304, 0x1305})
SCSV_RENEGOTIATION = 0x00FF

GROUPS: dict[int, str] = {
    0x0001: "sect163k1",
    0x0002: "sect163r1",
    0x0003: "sect163r2",
    0x0004: "sect193r1",
    0x0005: "sect193r2",
    0x0006: "sect233k1",
    0x0007: "sect233r1",
    0x0008: "sect239k1",
    0x0009: "sect283k1",
    0x000A: "sect283r1",
    0x000B: "sect409k1",
    0x000C: "sect409r1",
    0x000D: "sect571k1",
    0x000E: "sect571r1",
    0x000F: "secp160k1",
    0x0010: "secp160r1",
    0x0011: "secp160r2",
    0x0012: "secp192k1",
    0x0013: "secp192r1",
    0x0014: "secp224k1",
    0x0015: "secp224r1",
    0x0016: "secp256k1",
    0x0017: "secp256r1",
    0x0018: "secp384r1",
    0x0019: "secp521r1",
    0x001A: "brainpoolP256r1",
    0x001B: "brainpoolP384r1",
    0x001C: "brainpoolP512r1",
    0x001D: "x25519",
    0x001E: "x448",
    0x001F: "brainpoolP256r1tls13",
    0x0020: "brainpoolP384r1tls13",
    0x0021: "brainpoolP512r1tls13",
    0x0022: "GC256A",
    0x0023: "GC256B",
    0x0024: "GC256C",
    0x0025: "GC256D",
    0x0026: "GC512A",
    0x0027: "GC512B",
    0x0028: "GC512C",
    0x0029: "curveSM2",
    0x0100: "ffdhe2048",
    0x0101: "ffdhe3072",
    0x0102: "ffdhe4096",
    0x0103: "ffdhe6144",
    0x0104: "ffdhe8192",
    0x0200: "MLKEM512",
    0x0201: "MLKEM768",
    0x0202: "MLKEM1024",
    0x11EB: "SecP256r1MLKEM768",
    0x11EC: "X25519MLKEM768",
    0x11ED: "SecP384r1MLKEM1024",
    0x6399: "X25519Kyber768Draft00",
}
"""TLS Supported Groups registry (names as OpenSSL and IANA spell them)."""

FFDHE_GROUPS = frozenset({0x0100, 0x0101, 0x0102, 0x0103, 0x0104})
X25519 = 0x001D


@dataclass(frozen=True, slots=True)
class CipherSuite:
    """One cipher suite with the properties enumeration needs."""

    code: int
    name: str
    openssl: str
    min_version: str
    kx: str
    au: str
    enc: str
    bits: int
    mac: str
    export: bool

    @property
    def tls13(self) -> bool:
        return self.code in TLS13_CODES

    @property
    def tls12_only(self) -> bool:
        return self.min_version == "TLSv1.2"

    @property
    def dhe(self) -> bool:
        """Ephemeral finite-field Diffie-Hellman (incl. anonymous and export DHE)."""
        return self.kx.startswith("DH") and not self.kx.startswith("DH/")

    @property
    def ecdhe(self) -> bool:
        return self.kx == "ECDH"


@functools.cache
def cipher_suites() -> dict[int, CipherSuite]:
    """The registry: code point → suite (loaded once from the packaged CSV)."""
    text = resources.files("socaudit.tls").joinpath("data/cipher_suites.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    table: dict[int, CipherSuite] = {}
    for row in csv.DictReader(lines):
        suite = CipherSuite(
            code=int(row["code"], 16),
            name=row["name"],
            openssl=row["openssl"],
            min_version=row["min_version"],
            kx=row["kx"],
            au=row["au"],
            enc=row["enc"],
            bits=int(row["bits"]),
            mac=row["mac"],
            export=row["export"] == "1",
        )
        table[suite.code] = suite
    return table


def suite_name(code: int) -> str:
    """IANA name of a suite code, or ``UNKNOWN_0xABCD`` for unregistered codes."""
    suite = cipher_suites().get(code)
    return suite.name if suite else f"UNKNOWN_0x{code:04X}"


def group_name(code: int) -> str:
    """Name of a named group, or ``unknown_0xABCD``."""
    return GROUPS.get(code, f"unknown_0x{code:04X}")
