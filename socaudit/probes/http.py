"""HTTP(S) security-header probe: one GET over a raw socket, no redirects followed.

Connects to the given address only (the URL's host is used for SNI and ``Host``, never looked
up). For https the TLS context accepts anything (SECLEVEL=0, no verification, TLS 1.0+) so that
legacy servers still get their headers checked; certificates are judged by the TLS engine.
Caps: the whole exchange ends at ``timeout``; response headers beyond 64 KiB are an error; the
body is never read. Errors: ``ProbeError`` (connectivity, timeout, protocol) and ``ValueError``
for a URL that is not a plain http(s) URL.
"""

from __future__ import annotations

import re
import socket
import ssl
import warnings
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address
from pathlib import Path
from urllib.parse import quote, urlsplit

from socaudit import __version__
from socaudit.evidence.base import ErrorReason
from socaudit.evidence.http import HttpResult
from socaudit.probes.errors import ProbeError
from socaudit.probes.hsts import parse_hsts
from socaudit.probes.netio import Deadline, connect, map_os_error, recv_some, send_all

MAX_HEADER_BYTES = 64 * 1024
MAX_VALUE_CHARS = 1024
KEPT_HEADERS = frozenset(
    {
        "strict-transport-security",
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "permissions-policy",
        "server",
        "x-powered-by",
        "location",
    }
)
_STATUS = re.compile(r"HTTP/\d(?:\.\d)?\s+(\d{3})(?:\s|$)")
_PATH_SAFE = "/?&=%:@!$'()*+,;~-._"
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True, slots=True)
class Target:
    https: bool
    host: str
    port: int
    path: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.https else 80
        return host if self.port == default else f"{host}:{self.port}"


def parse_url(url: str) -> Target:
    """Split an http(s) URL; ``ValueError`` for other schemes, no host, or unsafe characters."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an http(s) URL with a host: {url!r}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if _UNSAFE.search(path) or _UNSAFE.search(parts.hostname):
        raise ValueError(f"URL contains spaces or control characters: {url!r}")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except UnicodeError as exc:
        raise ValueError(f"host name is not a valid IDN: {url!r}") from exc
    return Target(parts.scheme == "https", host, port, quote(path, safe=_PATH_SAFE))


def _tls_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the certificate is judged by the TLS engine
    context.set_ciphers("ALL:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 is what legacy servers speak
        context.minimum_version = ssl.TLSVersion.TLSv1
    return context


def _is_ip(host: str) -> bool:
    try:
        ip_address(host)
    except ValueError:
        return False
    return True


def _wrap(sock: socket.socket, host: str, deadline: Deadline) -> ssl.SSLSocket:
    server_name = None if _is_ip(host) else host
    tls = _tls_context().wrap_socket(
        sock, server_hostname=server_name, do_handshake_on_connect=False
    )
    try:
        tls.settimeout(deadline.remaining())
        tls.do_handshake()
    except OSError as exc:
        tls.close()
        raise map_os_error(exc, "in the TLS handshake") from exc
    return tls


def _read_head(sock: socket.socket, deadline: Deadline) -> bytes:
    """Bytes up to the blank line ending the headers, at most ``MAX_HEADER_BYTES``."""
    buffer = b""
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            end = buffer.find(b"\n\n")
        if end >= 0:
            return buffer[:end]
        if len(buffer) > MAX_HEADER_BYTES:
            raise ProbeError(ErrorReason.PROTOCOL, f"headers exceed {MAX_HEADER_BYTES} bytes")
        chunk = recv_some(sock, deadline, "reading the response headers")
        if not chunk:
            what = "no answer" if not buffer else "headers cut short"
            raise ProbeError(ErrorReason.PROTOCOL, f"connection closed: {what}")
        buffer += chunk


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """Status code and the kept headers (first occurrence wins, as for HSTS in RFC 6797)."""
    lines = head.decode("latin-1").splitlines()
    match = _STATUS.match(lines[0] if lines else "")
    if match is None:
        raise ProbeError(ErrorReason.PROTOCOL, f"not an HTTP status line: {head[:60]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        name = name.strip().lower()
        if sep and name in KEPT_HEADERS and name not in headers:
            headers[name] = value.strip()[:MAX_VALUE_CHARS]
    return int(match.group(1)), headers


def _request(target: Target) -> bytes:
    lines = [
        f"GET {target.path} HTTP/1.1",
        f"Host: {target.host_header}",
        f"User-Agent: socaudit/{__version__} (security assessment)",
        "Accept: */*",
        "Connection: close",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def _result(url: str, target: Target, status: int, headers: dict[str, str]) -> HttpResult:
    location = headers.get("location")
    redirect = 300 <= status < 400 and (location or "").lower().startswith("https://")
    return HttpResult(
        url=url,
        status_code=status,
        redirects_to_https=None if target.https else redirect,
        location=location if 300 <= status < 400 else None,
        hsts=parse_hsts(headers.get("strict-transport-security")) if target.https else None,
        headers=headers,
        server_banner=headers.get("server"),
    )


def probe_http(
    url: str,
    address: IPv4Address | IPv6Address,
    timeout: float,
    ca_files: Sequence[Path],
) -> HttpResult:
    """GET ``url`` from ``address`` and report its security headers.

    ``ca_files`` is accepted for symmetry with the TLS engine and not used: this probe never
    judges certificates.
    """
    del ca_files
    target = parse_url(url)
    deadline = Deadline(timeout)
    with closing(connect(address, target.port, deadline)) as raw:
        sock: socket.socket = _wrap(raw, target.host, deadline) if target.https else raw
        with closing(sock):
            send_all(sock, _request(target), deadline, "sending the request")
            head = _read_head(sock, deadline)
    status, headers = parse_head(head)
    return _result(url, target, status, headers)
