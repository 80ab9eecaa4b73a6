"""STARTTLS lab servers in asyncio: SMTP, IMAP, POP3 and FTP control channels that upgrade
with the lab certificate (``StreamWriter.start_tls``) and go on answering over TLS.

Greetings and replies follow Postfix, Dovecot and vsftpd, so ``nmap -sV`` and sslyze's
``--starttls`` recognise them; they speak only what a STARTTLS assessment needs.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable

from socaudit.lab.plainprotocols import IDLE_TIMEOUT, MAX_COMMANDS

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _line(reader: asyncio.StreamReader) -> bytes | None:
    try:
        raw = await asyncio.wait_for(reader.readline(), IDLE_TIMEOUT)
    except (TimeoutError, ValueError, ConnectionError):
        return None
    return raw.rstrip(b"\r\n") if raw else None


async def _send(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(data)
    await asyncio.wait_for(writer.drain(), IDLE_TIMEOUT)


async def _upgrade(writer: asyncio.StreamWriter, reply: bytes, context: ssl.SSLContext) -> bool:
    """Send the go-ahead ``reply`` and switch to TLS. Reading is paused first, so the client's
    ClientHello stays in the socket for the TLS layer instead of the plain-text buffer."""
    transport = writer.transport
    if isinstance(transport, asyncio.ReadTransport):
        transport.pause_reading()
    try:
        await _send(writer, reply)
        await asyncio.wait_for(writer.start_tls(context), IDLE_TIMEOUT)
    except (ssl.SSLError, OSError, TimeoutError, ConnectionError):
        return False  # scanners hang up after the ServerHello: normal here
    return True


def smtp_ehlo(host: bytes, tls: bool) -> bytes:
    lines = [host, b"PIPELINING", b"SIZE 10240000", b"8BITMIME"]
    lines += [b"AUTH PLAIN LOGIN"] if tls else [b"STARTTLS"]
    return b"".join(b"250-" + x + b"\r\n" for x in lines[:-1]) + b"250 " + lines[-1] + b"\r\n"


def smtp(host: bytes, context: ssl.SSLContext) -> Handler:
    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _send(writer, b"220 " + host + b" ESMTP Postfix (Debian/GNU)\r\n")
        tls = False
        for _ in range(MAX_COMMANDS):
            command = await _line(reader)
            verb = (command or b"QUIT").split(b" ", 1)[0].upper()
            if verb == b"QUIT":
                await _send(writer, b"221 2.0.0 Bye\r\n")
                return
            if verb in (b"EHLO", b"HELO"):
                await _send(writer, smtp_ehlo(host, tls) if verb == b"EHLO" else b"250 " + host)
            elif verb == b"STARTTLS" and not tls:
                if not await _upgrade(writer, b"220 2.0.0 Ready to start TLS\r\n", context):
                    return
                tls = True
            elif verb in (b"NOOP", b"RSET"):
                await _send(writer, b"250 2.0.0 Ok\r\n")
            else:
                await _send(writer, b"502 5.5.2 Error: command not recognized\r\n")

    return run


def imap(host: bytes, context: ssl.SSLContext) -> Handler:
    caps = b"IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+"

    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _send(
            writer,
            b"* OK [CAPABILITY " + caps + b" STARTTLS LOGINDISABLED] Dovecot (Debian) ready.\r\n",
        )
        tls = False
        for _ in range(MAX_COMMANDS):
            command = await _line(reader)
            tag, _, rest = (command or b"* LOGOUT").partition(b" ")
            verb = rest.split(b" ", 1)[0].upper()
            if verb == b"LOGOUT":
                await _send(writer, b"* BYE Logging out\r\n" + tag + b" OK Logout completed.\r\n")
                return
            if verb == b"CAPABILITY":
                extra = b" AUTH=PLAIN" if tls else b" STARTTLS LOGINDISABLED"
                await _send(
                    writer, b"* CAPABILITY " + caps + extra + b"\r\n" + tag + b" OK done.\r\n"
                )
            elif verb == b"STARTTLS" and not tls:
                if not await _upgrade(writer, tag + b" OK Begin TLS negotiation now.\r\n", context):
                    return
                tls = True
            elif verb == b"NOOP":
                await _send(writer, tag + b" OK NOOP completed.\r\n")
            else:
                await _send(writer, tag + b" BAD Error in IMAP command received by server.\r\n")

    return run


def pop3(host: bytes, context: ssl.SSLContext) -> Handler:
    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _send(writer, b"+OK Dovecot (Debian) ready.\r\n")
        tls = False
        for _ in range(MAX_COMMANDS):
            verb = ((await _line(reader)) or b"QUIT").split(b" ", 1)[0].upper()
            if verb == b"QUIT":
                await _send(writer, b"+OK Logging out\r\n")
                return
            if verb == b"CAPA":
                capa = b"SASL PLAIN\r\n" if tls else b"STLS\r\n"
                await _send(writer, b"+OK\r\nCAPA\r\nTOP\r\nUIDL\r\n" + capa + b".\r\n")
            elif verb == b"STLS" and not tls:
                if not await _upgrade(writer, b"+OK Begin TLS negotiation now.\r\n", context):
                    return
                tls = True
            else:
                await _send(writer, b"-ERR Unknown command.\r\n")

    return run


def ftp(host: bytes, context: ssl.SSLContext) -> Handler:
    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _send(writer, b"220 (vsFTPd 3.0.3)\r\n")
        tls = False
        for _ in range(MAX_COMMANDS):
            command = (await _line(reader)) or b"QUIT"
            verb = command.split(b" ", 1)[0].upper()
            if verb == b"QUIT":
                await _send(writer, b"221 Goodbye.\r\n")
                return
            if verb == b"AUTH" and command[5:].upper() in (b"TLS", b"SSL") and not tls:
                if not await _upgrade(writer, b"234 Proceed with negotiation.\r\n", context):
                    return
                tls = True
            elif verb == b"FEAT":
                await _send(
                    writer, b"211-Features:\r\n AUTH TLS\r\n PBSZ\r\n PROT\r\n UTF8\r\n211 End\r\n"
                )
            elif verb in (b"USER", b"PASS") and not tls:
                await _send(writer, b"530 Non-anonymous sessions must use encryption.\r\n")
            else:
                await _send(writer, b"530 Please login with USER and PASS.\r\n")

    return run


SERVERS: dict[str, Callable[[bytes, ssl.SSLContext], Handler]] = {
    "smtp": smtp, "imap": imap, "pop3": pop3, "ftp": ftp,
}  # fmt: skip
"""STARTTLS kind → handler factory (host name, server TLS context)."""


def server_context(chain: str, key: str) -> ssl.SSLContext:
    """TLS 1.2+ with the lab leaf and its intermediate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(chain, key)
    return context
