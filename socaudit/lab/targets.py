"""The lab's targets as data: the fixed address plan shared by tests, demo and docs."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from enum import StrEnum

from socaudit.errors import SocauditError
from socaudit.exitcodes import ExitCode

LAB_NETWORK = ipaddress.IPv4Network("127.0.10.0/24")
"""Where the default address plan lives (127/8 routes to ``lo``: no ``ip addr add`` needed)."""

DNS_SUFFIX = "lab.socaudit.test"
MISMATCH_NAME = "other-name.example.test"


class LabError(SocauditError):
    """The lab cannot do what was asked (non-loopback address, busy port, missing tool)."""

    exit_code = ExitCode.INCOMPLETE


class NotLoopbackError(LabError):
    """A bind address outside 127.0.0.0/8 and ::1 was requested."""

    exit_code = ExitCode.USAGE


class Backend(StrEnum):
    """Which process serves a target."""

    NGINX = "nginx"
    SSHD = "sshd"
    PLAIN = "plain"
    NGINX_PROBES = "nginx-probes"
    """A second nginx for the probe targets (a running lab's nginx keeps its own config)."""
    REPLAY = "replay"
    """Scripted TLS personas (socaudit.lab.tlsreplay)."""
    OPENSSL = "openssl"
    """``openssl s_server``, one process per target."""
    NGINX_REVOCATION = "nginx-revocation"
    """A third nginx for the revocation targets (OCSP stapling from a file)."""
    PYTLS = "tlsservices"
    """STARTTLS servers and the OCSP/CRL responder (socaudit.lab.tlsservices)."""
    DOVECOT = "dovecot"
    """Real Dovecot (IMAP/POP3 STARTTLS); the asyncio servers stand in without root."""
    VSFTPD = "vsftpd"
    """Real vsftpd (FTP AUTH TLS); the asyncio server stands in without root."""


SERVICE_NAMES: dict[str, str] = {
    "tls": "https",
    "http": "http",
    "ssh": "ssh",
    "telnet": "telnet",
    "ftp": "ftp",
    "smtp": "smtp",
    "db": "mysql",
    "imap": "imap",
    "pop3": "pop3",
    "ocsp": "http",
}
"""The inventory service name (nmap's) that declares a lab endpoint of each kind."""


@dataclass(frozen=True, slots=True)
class Target:
    """One lab endpoint with a known configuration."""

    name: str
    kind: str
    address: str
    port: int
    description: str
    backend: Backend

    @property
    def hostname(self) -> str:
        """The DNS name used for SNI and in the certificate (``<name>.lab.socaudit.test``)."""
        return f"{self.name}.{DNS_SUFFIX}"

    @property
    def cert_name(self) -> str:
        """The DNS name written into this target's certificate SAN."""
        return MISMATCH_NAME if self.name == "tls-mismatch" else self.hostname


def _t(name: str, kind: str, host: int, port: int, backend: Backend, text: str) -> Target:
    return Target(name, kind, f"127.0.10.{host}", port, text, backend)


_N, _S, _P = Backend.NGINX, Backend.SSHD, Backend.PLAIN
_N2, _R, _O = Backend.NGINX_PROBES, Backend.REPLAY, Backend.OPENSSL
_V, _Y, _D, _F = Backend.NGINX_REVOCATION, Backend.PYTLS, Backend.DOVECOT, Backend.VSFTPD

TARGETS: tuple[Target, ...] = (
    _t("tls-good", "tls", 10, 8443, _N,
       "TLS 1.2+1.3, ECDHE+AEAD only, RSA-2048 leaf with full chain, HSTS and security headers"),
    _t("http-redirect", "http", 10, 8080, _N,
       "plain HTTP answering 301 to https://tls-good.lab.socaudit.test:8443/"),
    _t("tls-legacy", "tls", 11, 8443, _N, "TLS 1.0, 1.1 and 1.2 enabled, otherwise a good chain"),
    _t("tls-expired", "tls", 12, 8443, _N, "leaf certificate expired"),
    _t("tls-notyet", "tls", 13, 8443, _N, "leaf certificate not yet valid"),
    _t("tls-selfsigned", "tls", 14, 8443, _N, "self-signed leaf certificate"),
    _t("tls-rsa1024", "tls", 15, 8443, _N, "1024-bit RSA leaf key"),
    _t("tls-sha1", "tls", 16, 8443, _N, "leaf signed with SHA-1"),
    _t("tls-mismatch", "tls", 17, 8443, _N, f"leaf only valid for {MISMATCH_NAME}"),
    _t("tls-nochain", "tls", 18, 8443, _N, "leaf served without its intermediate"),
    _t("tls-null-anon", "tls", 19, 8443, _N,
       "TLS 1.2 with NULL and anonymous (ADH/AECDH) suites enabled"),
    _t("tls-dhe1024", "tls", 20, 8443, _N, "TLS 1.2 DHE suites only, 1024-bit DH parameters"),
    _t("tls-nofs", "tls", 21, 8443, _N,
       "TLS 1.2 static RSA key exchange only (no forward secrecy)"),
    _t("http-plain", "http", 30, 8080, _N,
       "plain HTTP 200, no HSTS, no redirect, Server banner with version"),
    _t("ssh-weak", "ssh", 40, 2222, _S,
       "OpenSSH with weak algorithms (group1/group14-sha1, ssh-rsa, CBC, hmac-sha1/md5), "
       "password auth"),
    _t("ssh-modern", "ssh", 41, 2222, _S,
       "OpenSSH with a modern set (curve25519, ed25519, chacha20/AES-GCM, EtM MACs), "
       "publickey only"),
    _t("telnet-admin", "telnet", 50, 2323, _P, "telnet-like plain-text admin login"),
    _t("ftp-anon", "ftp", 51, 2121, _P, "FTP accepting anonymous login"),
    _t("smtp-plain", "smtp", 52, 2525, _P, "SMTP without STARTTLS"),
    _t("db-exposed", "db", 60, 3306, _P, "MySQL-like greeting on an exposed database port"),
    _t("tls-heartbleed", "tls", 70, 8443, _R,
       "scripted TLS 1.2 server answering a malformed heartbeat with memory (Heartbleed)"),
    _t("tls-ccs", "tls", 71, 8443, _R,
       "scripted TLS 1.2 server accepting an early ChangeCipherSpec (CVE-2014-0224)"),
    _t("tls-robot", "tls", 72, 8443, _R,
       "scripted TLS 1.2 RSA server alerting differently on bad PKCS #1 padding (ROBOT oracle)"),
    _t("tls-compression", "tls", 73, 8443, _R,
       "scripted TLS 1.2 server selecting DEFLATE compression (CRIME)"),
    _t("tls-reneg", "tls", 74, 8443, _O,
       "openssl s_server allowing client-initiated renegotiation"),
    _t("tls-0rtt", "tls", 75, 8443, _N2, "TLS 1.3 with 0-RTT early data accepted"),
    _t("tls-noresume", "tls", 76, 8443, _N2, "session cache and session tickets off"),
    _t("smtp-starttls", "smtp", 80, 2587, _Y, "SMTP submission with STARTTLS (TLS 1.2+1.3)"),
    _t("imap-starttls", "imap", 87, 2143, _D, "Dovecot IMAP with STARTTLS"),
    _t("pop3-starttls", "pop3", 88, 2110, _D, "Dovecot POP3 with STLS"),
    _t("ftp-starttls", "ftp", 89, 2021, _F, "vsftpd with AUTH TLS (anonymous, read-only, empty)"),
    _t("tls-revoked", "tls", 84, 8443, _V,
       "leaf revoked: listed in the lab CRL, OCSP responder answers revoked"),
    _t("tls-ocsp-stapled", "tls", 85, 8443, _V, "good leaf with OCSP stapling (nginx)"),
    _t("ocsp-responder", "ocsp", 86, 8080, _Y,
       "OCSP responder (POST /ocsp) and CRL (GET /lab.crl) of the lab intermediate CA"),
)  # fmt: skip


def has_certificate(target: Target) -> bool:
    """True if the lab issues a leaf certificate for ``target`` (TLS and STARTTLS targets)."""
    starttls = (Backend.PYTLS, Backend.DOVECOT, Backend.VSFTPD)
    return target.kind == "tls" or (target.backend in starttls and target.kind != "ocsp")


def require_loopback(address: str) -> None:
    """Refuse any bind address that is not loopback (127.0.0.0/8 or ::1)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError as exc:
        raise NotLoopbackError(f"not an IP address: {address!r}") from exc
    if not ip.is_loopback:
        raise NotLoopbackError(
            f"refusing to bind {address}: the lab only listens on loopback (127.0.0.0/8, ::1)"
        )


def parse_network(text: str) -> ipaddress.IPv4Network:
    """A /24 inside 127.0.0.0/8 for the lab's address plan, or NotLoopbackError."""
    try:
        net = ipaddress.IPv4Network(text, strict=True)
    except ValueError as exc:
        raise NotLoopbackError(f"not an IPv4 network: {text!r} (hint: 127.0.10.0/24)") from exc
    if net.prefixlen != 24 or not net.subnet_of(ipaddress.IPv4Network("127.0.0.0/8")):
        raise NotLoopbackError(f"lab network must be a /24 inside 127.0.0.0/8, got {text}")
    return net


def targets_for(network: ipaddress.IPv4Network = LAB_NETWORK) -> tuple[Target, ...]:
    """The address plan moved into ``network`` (same last octets); every address checked."""
    moved = tuple(
        replace(t, address=str(network.network_address + int(t.address.rsplit(".", 1)[1])))
        for t in TARGETS
    )
    for target in moved:
        require_loopback(target.address)
    return moved
