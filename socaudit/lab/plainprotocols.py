"""Tiny plain-text services: telnet-like admin login, anonymous FTP, SMTP, MySQL greeting.

Each handler speaks just enough of its protocol for banner grabs and nmap's ``-sV`` and
``ftp-anon``. Greetings follow common Debian daemons (netkit telnetd, ProFTPD, Postfix) so that
nmap's version detection gets a hard match at once instead of trying probes for ~25 s.
Every read has an idle timeout, so a silent or slow client costs seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import struct
from collections.abc import Awaitable, Callable

IDLE_TIMEOUT = 5.0
MAX_COMMANDS = 50
MAX_ERRORS = 2

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

# What Debian's netkit telnetd opens with: IAC DO TTYPE, TSPEED, XDISPLOC, NEW-ENVIRON.
TELNET_NEGOTIATION = bytes([255, 253, 24, 255, 253, 32, 255, 253, 35, 255, 253, 39])
TELNET_BANNER = b"\r\nSOCAUDIT-LAB core router - authorised administrators only\r\n\r\nlogin: "
NEGOTIATION_WAIT = 1.0
"""How long telnet waits for the client's option replies before it sends the login prompt."""


async def _line(reader: asyncio.StreamReader) -> bytes | None:
    """One line (without the line end), or None on EOF/timeout/oversized input."""
    try:
        raw = await asyncio.wait_for(reader.readline(), IDLE_TIMEOUT)
    except (TimeoutError, ValueError, ConnectionError):
        return None
    return raw.rstrip(b"\r\n") if raw else None


async def _send(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(data)
    await asyncio.wait_for(writer.drain(), IDLE_TIMEOUT)


async def _dialogue(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    greeting: bytes,
    answer: Callable[[bytes], bytes],
    bye: bytes,
) -> None:
    """Greet, answer line commands until QUIT, EOF, idle timeout or ``MAX_ERRORS`` errors.

    Closing after a few unrecognised lines (as many real daemons do) lets probes that speak
    another protocol, such as nmap's ``-sV``, finish at once instead of waiting for a timeout.
    """
    await _send(writer, greeting + b"\r\n")
    errors = 0
    for _ in range(MAX_COMMANDS):
        command = await _line(reader)
        if command is None or command.upper().startswith(b"QUIT"):
            break
        reply = answer(command) if command.strip() else b"500 Syntax error, command unrecognised"
        errors += reply.startswith((b"500", b"502"))
        await _send(writer, reply + b"\r\n")
        if errors >= MAX_ERRORS:
            return
    await _send(writer, bye + b"\r\n")


async def telnet(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Negotiate like a Linux telnetd, ask for login and password in clear text, refuse."""
    await _send(writer, TELNET_NEGOTIATION)
    with contextlib.suppress(TimeoutError):  # option replies, or nothing from a banner grab
        await asyncio.wait_for(reader.read(512), NEGOTIATION_WAIT)
    await _send(writer, TELNET_BANNER)
    if await _line(reader) is None:
        return
    await _send(writer, b"Password: ")
    if await _line(reader) is not None:
        await _send(writer, b"\r\nLogin incorrect\r\n")


FTP_REPLIES: dict[bytes, bytes] = {
    b"SYST": b"215 UNIX Type: L8",
    b"PWD": b'257 "/" is the current directory',
    b"TYPE": b"200 Type set",
    b"FEAT": b"211-Features:\r\n PASV\r\n UTF8\r\n211 End",
    b"NOOP": b"200 OK",
    b"CWD": b"250 Directory unchanged",
    b"OPTS": b"200 OK",
}


def ftp_reply(command: bytes, logged_in: bool) -> tuple[bytes, bool]:
    """Answer one FTP command; returns (reply line, logged in after it)."""
    verb, _, arg = command.partition(b" ")
    verb = verb.upper()
    if verb == b"USER":
        if arg.lower() in (b"anonymous", b"ftp"):
            return b"331 Anonymous login ok, send your e-mail as password", False
        return b"331 Password required", False
    if verb == b"PASS":
        return b"230 Anonymous access granted, restrictions apply", True
    if not logged_in and verb not in (b"FEAT", b"SYST", b"NOOP", b"QUIT"):
        return b"530 Please login with USER and PASS", False
    if verb in (b"PASV", b"EPSV", b"PORT", b"EPRT", b"LIST", b"NLST", b"RETR", b"STOR"):
        return b"425 No data connection available in this lab", logged_in
    return FTP_REPLIES.get(verb, b"502 Command not implemented"), logged_in


async def ftp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """An FTP control channel that lets ``anonymous`` in."""
    logged_in = False

    def answer(command: bytes) -> bytes:
        nonlocal logged_in
        reply, logged_in = ftp_reply(command, logged_in)
        return reply

    greeting = b"220 ProFTPD 1.3.8 Server (socaudit lab) [ftp-anon.lab.socaudit.test]"
    await _dialogue(reader, writer, greeting, answer, b"221 Goodbye")


SMTP_HOST = b"smtp-plain.lab.socaudit.test"


def smtp_reply(command: bytes) -> bytes:
    """Answer one SMTP command; EHLO advertises AUTH in clear text and no STARTTLS."""
    verb = command.split(b" ", 1)[0].upper()
    if verb == b"EHLO":
        return b"250-" + SMTP_HOST + b"\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n" \
            b"250-AUTH PLAIN LOGIN\r\n250 8BITMIME"  # fmt: skip
    replies = {
        b"HELO": b"250 " + SMTP_HOST,
        b"NOOP": b"250 OK",
        b"RSET": b"250 OK",
        b"MAIL": b"250 OK",
        b"RCPT": b"554 Relay access denied",
        b"STARTTLS": b"502 5.5.1 STARTTLS not available",
        b"VRFY": b"252 Cannot VRFY user",
    }
    return replies.get(verb, b"502 5.5.2 Command not recognised")


async def smtp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """An SMTP dialogue without STARTTLS."""
    greeting = b"220 " + SMTP_HOST + b" ESMTP Postfix (Debian/GNU)"
    await _dialogue(reader, writer, greeting, smtp_reply, b"221 2.0.0 Bye")


MYSQL_VERSION = b"5.7.44-socaudit-lab"


def _mysql_packet(seq: int, payload: bytes) -> bytes:
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def mysql_greeting(connection_id: int, salt: bytes) -> bytes:
    """A MySQL protocol-10 handshake packet (what ``nmap -sV`` recognises as mysql)."""
    capabilities = 0xF7FF | (0x81FF << 16)
    payload = (
        b"\x0a" + MYSQL_VERSION + b"\x00"
        + struct.pack("<I", connection_id) + salt[:8] + b"\x00"
        + struct.pack("<H", capabilities & 0xFFFF) + b"\x21" + struct.pack("<H", 0x0002)
        + struct.pack("<H", capabilities >> 16) + bytes([21]) + bytes(10)
        + salt[8:20] + b"\x00" + b"mysql_native_password\x00"
    )  # fmt: skip
    return _mysql_packet(0, payload)


def mysql_access_denied(seq: int) -> bytes:
    """ERR packet 1045 (28000) sent after any login attempt."""
    message = b"Access denied for user (using password: YES)"
    return _mysql_packet(seq, b"\xff" + struct.pack("<H", 1045) + b"#28000" + message)


async def mysql(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Greet like MySQL 5.7, then refuse whatever login comes."""
    await _send(writer, mysql_greeting(secrets.randbelow(2**31), secrets.token_bytes(20)))
    try:
        header = await asyncio.wait_for(reader.readexactly(4), IDLE_TIMEOUT)
        await asyncio.wait_for(reader.readexactly(int.from_bytes(header[:3], "little")), 2.0)
    except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
        return
    await _send(writer, mysql_access_denied(header[3] + 1))


HANDLERS: dict[str, Handler] = {"telnet": telnet, "ftp": ftp, "smtp": smtp, "db": mysql}
"""Handler per lab target kind."""
