"""SSH probe: identification string, the server's SSH_MSG_KEXINIT (RFC 4253 §4.2, §7.1) and,
when the negotiated algorithms allow, the authentication methods it offers (``ssh_auth``).

Bounded everywhere: one overall deadline, identification lines <= 255 bytes after at most 32
other lines / 8 KiB, packets <= 35000 bytes, at most 8 IGNORE/DEBUG packets before the KEXINIT.
Failures before the KEXINIT raise ``ProbeError``; a failure of the auth-method step only leaves
``auth_methods`` None (the algorithm lists are already evidence).
"""

from __future__ import annotations

import os
import re
import struct
from contextlib import closing
from ipaddress import IPv4Address, IPv6Address

from cryptography.exceptions import InvalidTag

from socaudit.evidence.base import ErrorReason
from socaudit.evidence.ssh import SshResult
from socaudit.probes.errors import ProbeError
from socaudit.probes.netio import Deadline, connect
from socaudit.probes.ssh_auth import Handshake, auth_methods, choose
from socaudit.probes.ssh_policy import assess
from socaudit.probes.ssh_transport import Reader, Transport, protocol_error, string

CLIENT_ID = b"SSH-2.0-socaudit_0.1"
MAX_ID_LINE = 255
MAX_PRE_LINES = 32
MAX_PRE_BYTES = 8192
MAX_SKIPPED = 8
MSG_DISCONNECT, MSG_KEXINIT = 1, 20
_SKIPPABLE = {2, 3, 4}  # IGNORE, UNIMPLEMENTED, DEBUG
_ID = re.compile(r"SSH-([!-,.-~]+)-([!-~]+)(?: (.*))?")
# What we offer: first what ssh_auth speaks, then legacy names so old servers still answer.
_CIPHERS = "aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes256-ctr,aes128-cbc,3des-cbc"
_MACS = "hmac-sha2-256,hmac-sha2-512,hmac-sha1,hmac-md5"
OUR_LISTS: list[tuple[str, ...]] = [
    tuple(names.split(",")) if names else ()
    for names in (
        "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
        "diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1",
        "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256,ssh-rsa,ssh-dss",
        _CIPHERS,
        _CIPHERS,
        _MACS,
        _MACS,
        "none",
        "none",
        "",
        "",
    )
]


def _printable(raw: bytes) -> str:
    text = raw.rstrip(b"\r\n").decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _is_text(line: bytes) -> bool:
    """RFC 4253 §4.2 allows text lines before the banner; binary bytes mean another protocol."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\t\r\n" for ch in text)


def read_identification(reader: Reader) -> bytes:
    """The server's ``SSH-`` line (without CR LF), skipping allowed preamble lines."""
    seen = 0
    for _ in range(MAX_PRE_LINES + 1):
        line = reader.line(MAX_PRE_BYTES)
        if line.startswith(b"SSH-"):
            if len(line) > MAX_ID_LINE:
                raise protocol_error(f"identification string longer than {MAX_ID_LINE} bytes")
            return line.rstrip(b"\r\n")
        if not _is_text(line):
            raise protocol_error(f"binary data instead of an SSH banner: {line[:24]!r}")
        seen += len(line)
        if seen > MAX_PRE_BYTES:
            break
    raise protocol_error("no SSH identification string (not an SSH server?)")


def client_kexinit() -> bytes:
    """Our SSH_MSG_KEXINIT payload."""
    lists = b"".join(string(",".join(names).encode()) for names in OUR_LISTS)
    return bytes([MSG_KEXINIT]) + os.urandom(16) + lists + b"\x00" + bytes(4)


def read_kexinit(transport: Transport) -> bytes:
    for _ in range(MAX_SKIPPED + 1):
        payload = transport.receive()
        if payload[0] == MSG_KEXINIT:
            return payload
        if payload[0] == MSG_DISCONNECT:
            raise ProbeError(ErrorReason.CONNECTIVITY, f"server disconnected: {payload[5:80]!r}")
        if payload[0] not in _SKIPPABLE:
            raise protocol_error(f"unexpected message {payload[0]} before KEXINIT")
    raise protocol_error("too many packets before KEXINIT")


def parse_kexinit(payload: bytes) -> list[tuple[str, ...]]:
    """The ten name-lists of a KEXINIT payload (kex, host key, ciphers, MACs, … per direction)."""
    offset, lists = 17, []
    for _ in range(10):
        if offset + 4 > len(payload):
            raise protocol_error("KEXINIT truncated")
        (size,) = struct.unpack_from(">I", payload, offset)
        raw = payload[offset + 4 : offset + 4 + size]
        if len(raw) != size:
            raise protocol_error("KEXINIT name-list overruns the packet")
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
        raise protocol_error(f"malformed identification string {line[:80]!r}")
    return match.group(1), match.group(2)


def _result(
    banner: str, lists: list[tuple[str, ...]] | None, methods: tuple[str, ...] | None
) -> SshResult:
    protocol, software = parse_identification(banner)
    result = SshResult(banner=banner, protocol_version=protocol, software=software)
    if lists is not None:
        update = {
            "kex": lists[0],
            "host_key": lists[1],
            "ciphers": _merge(lists[2], lists[3]),
            "macs": _merge(lists[4], lists[5]),
            "compression": _merge(lists[6], lists[7]),
            "auth_methods": methods,
        }
        result = result.model_copy(update=update)
    return result.model_copy(update={"weaknesses": assess(result)})


def _try_auth_methods(
    transport: Transport, handshake: Handshake, theirs: list[tuple[str, ...]]
) -> tuple[str, ...] | None:
    choice = choose(OUR_LISTS, theirs)
    if choice is None:
        return None
    try:
        return auth_methods(transport, handshake, choice)
    except (ProbeError, InvalidTag, ValueError, IndexError, struct.error):
        return None


def probe_ssh(
    address: IPv4Address | IPv6Address, port: int, timeout: float, *, query_auth: bool = True
) -> SshResult:
    """Banner, algorithm lists and (``query_auth``) auth methods of ``address``:``port``."""
    deadline = Deadline(timeout)
    with closing(connect(address, port, deadline)) as sock:
        reader = Reader(sock, deadline)
        server_id = read_identification(reader)
        banner = _printable(server_id)
        protocol, _ = parse_identification(banner)
        if protocol.startswith("1.") and protocol != "1.99":
            return _result(banner, None, None)  # SSH-1 only: no KEXINIT exists
        transport = Transport(sock, deadline, reader)
        ours = client_kexinit()
        transport.send(ours, prefix=CLIENT_ID + b"\r\n")
        theirs = read_kexinit(transport)
        lists = parse_kexinit(theirs)
        methods = None
        if query_auth:
            handshake = Handshake(CLIENT_ID, server_id, ours, theirs)
            methods = _try_auth_methods(transport, handshake, lists)
    return _result(banner, lists, methods)
