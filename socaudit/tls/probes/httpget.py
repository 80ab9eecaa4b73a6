"""A small HTTP/1.0 client for OCSP and CRL fetches: one request to a given address, bounded.

The URL's host is only the ``Host`` header; the caller decides the address (scope rules in
``revocation``). One deadline for the whole exchange, at most ``max_bytes`` read, 200 only.
"""

from __future__ import annotations

import socket
import time
from ipaddress import IPv4Address, IPv6Address
from urllib.parse import urlsplit

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.records import connect

MAX_BODY = 4 * 1024 * 1024
MAX_HEADERS = 16 * 1024


def fetch(
    url: str,
    address: IPv4Address | IPv6Address,
    timeout: float,
    body: bytes | None = None,
    content_type: str = "application/ocsp-request",
    max_bytes: int = MAX_BODY,
) -> bytes:
    """GET ``url`` (or POST ``body``) at ``address``; the response body of a 200 answer."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ProbeFailure(ErrorReason.PROTOCOL, f"only http:// URLs are fetched, not {url!r}")
    port = parts.port or 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.netloc.rpartition("@")[2]
    head = f"{'POST' if body is not None else 'GET'} {path} HTTP/1.0\r\nHost: {host}\r\n"
    head += "User-Agent: socaudit\r\nConnection: close\r\n"
    if body is not None:
        head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    request = head.encode("ascii", "strict") + b"\r\n" + (body or b"")
    deadline = time.monotonic() + timeout
    sock = connect(address, port, timeout)
    try:
        sock.sendall(request)
        raw = _read_all(sock, deadline, max_bytes + MAX_HEADERS)
    except TimeoutError:
        raise ProbeFailure(ErrorReason.TIMEOUT, f"{url}: no complete answer in time") from None
    except OSError as exc:
        raise ProbeFailure(ErrorReason.CONNECTIVITY, f"{url}: {exc.strerror or exc}") from None
    finally:
        sock.close()
    return _body(url, raw, max_bytes)


def _read_all(sock: socket.socket, deadline: float, limit: int) -> bytes:
    data = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)
        chunk = sock.recv(65536)
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > limit:
            raise ProbeFailure(ErrorReason.PROTOCOL, f"answer larger than {limit} bytes")


def _body(url: str, raw: bytes, max_bytes: int) -> bytes:
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep or len(head) > MAX_HEADERS:
        raise ProbeFailure(ErrorReason.PROTOCOL, f"{url}: not an HTTP answer")
    status = head.split(b"\r\n", 1)[0].split(b" ")
    if len(status) < 2 or not status[0].startswith(b"HTTP/") or status[1] != b"200":
        line = head.split(b"\r\n", 1)[0][:80].decode("ascii", "backslashreplace")
        raise ProbeFailure(ErrorReason.PROTOCOL, f"{url}: answered {line!r}")
    if len(body) > max_bytes:
        raise ProbeFailure(ErrorReason.PROTOCOL, f"{url}: body larger than {max_bytes} bytes")
    return body
