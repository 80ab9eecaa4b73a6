"""The plain start of every SSH connection the probes open: identification lines (RFC 4253
§4.2) and KEXINIT packets (§7.1), with strict limits on what the server may send first."""

from __future__ import annotations

import os
import socket
import struct
from collections.abc import Sequence

from socaudit.evidence.base import ErrorReason
from socaudit.probes.errors import ProbeError
from socaudit.probes.netio import Deadline
from socaudit.probes.ssh_transport import Reader, Transport, protocol_error, string

CLIENT_ID = b"SSH-2.0-socaudit_0.1"
MAX_ID_LINE = 255
MAX_PRE_LINES = 32
MAX_PRE_BYTES = 8192
MAX_SKIPPED = 8
MSG_DISCONNECT, MSG_KEXINIT = 1, 20
_SKIPPABLE = {2, 3, 4}  # IGNORE, UNIMPLEMENTED, DEBUG


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


def kexinit_payload(lists: Sequence[Sequence[str]]) -> bytes:
    """An SSH_MSG_KEXINIT payload offering the ten name-lists ``lists``."""
    names = b"".join(string(",".join(names).encode()) for names in lists)
    return bytes([MSG_KEXINIT]) + os.urandom(16) + names + b"\x00" + bytes(4)


def receive_skipping(transport: Transport, what: str) -> bytes:
    """The next packet that is not IGNORE/UNIMPLEMENTED/DEBUG (DISCONNECT is an error)."""
    for _ in range(MAX_SKIPPED + 1):
        payload = transport.receive()
        if payload[0] == MSG_DISCONNECT:
            raise ProbeError(ErrorReason.CONNECTIVITY, f"server disconnected: {payload[5:80]!r}")
        if payload[0] not in _SKIPPABLE:
            return payload
    raise protocol_error(f"too many packets before {what}")


def read_kexinit(transport: Transport) -> bytes:
    payload = receive_skipping(transport, "KEXINIT")
    if payload[0] != MSG_KEXINIT:
        raise protocol_error(f"unexpected message {payload[0]} before KEXINIT")
    return payload


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


def hello(sock: socket.socket, deadline: Deadline, ours: bytes) -> tuple[Transport, bytes, bytes]:
    """Exchange identification lines and KEXINITs: (transport, server id, server KEXINIT)."""
    reader = Reader(sock, deadline)
    server_id = read_identification(reader)
    transport = Transport(sock, deadline, reader)
    transport.send(ours, prefix=CLIENT_ID + b"\r\n")
    return transport, server_id, read_kexinit(transport)
