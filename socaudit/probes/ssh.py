"""SSH probe: identification string and the server's SSH_MSG_KEXINIT (RFC 4253 §4.2, §7.1).

Sends our identification and a KEXINIT, reads the server's KEXINIT and closes: no key exchange,
no authentication (``auth_methods`` stays None). Bounded everywhere: one overall deadline,
identification lines <= 255 bytes after at most 32 other lines / 8 KiB, packets <= 35000 bytes,
at most 8 IGNORE/DEBUG packets before the KEXINIT. Failures raise ``ProbeError``.
"""

from __future__ import annotations

import os
import re
import socket
import struct
from contextlib import closing
from ipaddress import IPv4Address, IPv6Address

from socaudit.evidence.base import ErrorReason
from socaudit.evidence.ssh import SshResult
from socaudit.probes.errors import ProbeError
from socaudit.probes.netio import Deadline, connect, recv_some, send_all
from socaudit.probes.ssh_policy import assess

CLIENT_ID = b"SSH-2.0-socaudit_0.1\r\n"
MAX_ID_LINE = 255
MAX_PRE_LINES = 32
MAX_PRE_BYTES = 8192
MAX_PACKET = 35000
MAX_SKIPPED = 8
MSG_DISCONNECT, MSG_KEXINIT = 1, 20
_SKIPPABLE = {2, 3, 4}  # IGNORE, UNIMPLEMENTED, DEBUG
_ID = re.compile(r"SSH-([!-,.-~]+)-([!-~]+)(?: (.*))?")
_OUR_LISTS = (
    "curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256,diffie-hellman-group1-sha1",
    "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-256,ssh-rsa,ssh-dss",
    "aes128-ctr,aes256-gcm@openssh.com,aes128-cbc,3des-cbc",
    "aes128-ctr,aes256-gcm@openssh.com,aes128-cbc,3des-cbc",
    "hmac-sha2-256,hmac-sha1,hmac-md5",
    "hmac-sha2-256,hmac-sha1,hmac-md5",
    "none,zlib@openssh.com",
    "none,zlib@openssh.com",
    "",
    "",
)


def _protocol_error(detail: str) -> ProbeError:
    return ProbeError(ErrorReason.PROTOCOL, detail)


class _Reader:
    """Buffered reads from a socket, bounded by the probe's deadline."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self.sock, self.deadline, self.buffer = sock, deadline, b""

    def _fill(self, doing: str) -> None:
        chunk = recv_some(self.sock, self.deadline, doing)
        if not chunk:
            raise _protocol_error(f"connection closed while {doing}")
        self.buffer += chunk

    def line(self, limit: int) -> bytes:
        while (end := self.buffer.find(b"\n")) < 0:
            if len(self.buffer) > limit:
                raise _protocol_error(f"line longer than {limit} bytes before the SSH banner")
            self._fill("reading the identification string")
        line, self.buffer = self.buffer[: end + 1], self.buffer[end + 1 :]
        return line

    def exact(self, size: int, doing: str) -> bytes:
        while len(self.buffer) < size:
            self._fill(doing)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def _printable(raw: bytes) -> str:
    text = raw.rstrip(b"\r\n").decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def read_identification(reader: _Reader) -> str:
    """The server's ``SSH-`` line (without CR LF), skipping allowed preamble lines."""
    seen = 0
    for _ in range(MAX_PRE_LINES + 1):
        line = reader.line(MAX_PRE_BYTES)
        if line.startswith(b"SSH-"):
            if len(line) > MAX_ID_LINE:
                raise _protocol_error(f"identification string longer than {MAX_ID_LINE} bytes")
            return _printable(line)
        seen += len(line)
        if seen > MAX_PRE_BYTES:
            break
    raise _protocol_error("no SSH identification string (not an SSH server?)")


def _packet(payload: bytes) -> bytes:
    padding = 8 - (5 + len(payload)) % 8
    padding += 8 if padding < 4 else 0
    body = bytes([padding]) + payload + os.urandom(padding)
    return struct.pack(">I", len(body)) + body


def client_kexinit() -> bytes:
    """Our SSH_MSG_KEXINIT packet (unencrypted, no MAC)."""
    lists = b"".join(struct.pack(">I", len(n)) + n.encode() for n in _OUR_LISTS)
    return _packet(bytes([MSG_KEXINIT]) + os.urandom(16) + lists + b"\x00" + bytes(4))


def read_payload(reader: _Reader) -> bytes:
    """One unencrypted binary packet's payload, with sanity limits."""
    (length,) = struct.unpack(">I", reader.exact(4, "reading a packet length"))
    if not 5 <= length <= MAX_PACKET:
        raise _protocol_error(f"absurd packet length {length}")
    body = reader.exact(length, "reading a packet")
    padding = body[0]
    if padding + 1 >= length:
        raise _protocol_error(f"padding length {padding} does not fit packet of {length}")
    return body[1 : length - padding]


def read_kexinit(reader: _Reader) -> bytes:
    for _ in range(MAX_SKIPPED + 1):
        payload = read_payload(reader)
        if payload[0] == MSG_KEXINIT:
            return payload
        if payload[0] == MSG_DISCONNECT:
            raise ProbeError(ErrorReason.CONNECTIVITY, f"server disconnected: {payload[5:80]!r}")
        if payload[0] not in _SKIPPABLE:
            raise _protocol_error(f"unexpected message {payload[0]} before KEXINIT")
    raise _protocol_error("too many packets before KEXINIT")


def parse_kexinit(payload: bytes) -> list[tuple[str, ...]]:
    """The ten name-lists of a KEXINIT payload (kex, host key, ciphers, MACs, … per direction)."""
    offset, lists = 17, []
    for _ in range(10):
        if offset + 4 > len(payload):
            raise _protocol_error("KEXINIT truncated")
        (size,) = struct.unpack_from(">I", payload, offset)
        raw = payload[offset + 4 : offset + 4 + size]
        if len(raw) != size:
            raise _protocol_error("KEXINIT name-list overruns the packet")
        offset += 4 + size
        text = raw.decode("ascii", "replace")
        lists.append(tuple(name for name in text.split(",") if name)[:128])
    return lists


def _merge(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(first + second))


def parse_identification(line: str) -> tuple[str, str | None]:
    """(protocol version, software version) from an ``SSH-proto-software comments`` line."""
    match = _ID.fullmatch(line)
    if match is None:
        raise _protocol_error(f"malformed identification string {line[:80]!r}")
    return match.group(1), match.group(2)


def _result(banner: str, lists: list[tuple[str, ...]] | None) -> SshResult:
    protocol, software = parse_identification(banner)
    result = SshResult(banner=banner, protocol_version=protocol, software=software)
    if lists is not None:
        result = result.model_copy(
            update={
                "kex": lists[0],
                "host_key": lists[1],
                "ciphers": _merge(lists[2], lists[3]),
                "macs": _merge(lists[4], lists[5]),
                "compression": _merge(lists[6], lists[7]),
            }
        )
    return result.model_copy(update={"weaknesses": assess(result)})


def probe_ssh(address: IPv4Address | IPv6Address, port: int, timeout: float) -> SshResult:
    """Banner and algorithm lists of the SSH server at ``address``:``port``."""
    deadline = Deadline(timeout)
    with closing(connect(address, port, deadline)) as sock:
        reader = _Reader(sock, deadline)
        banner = read_identification(reader)
        protocol, _ = parse_identification(banner)
        if protocol.startswith("1.") and protocol != "1.99":
            return _result(banner, None)  # SSH-1 only: no KEXINIT exists
        send_all(sock, CLIENT_ID + client_kexinit(), deadline, "sending our KEXINIT")
        lists = parse_kexinit(read_kexinit(reader))
    return _result(banner, lists)
