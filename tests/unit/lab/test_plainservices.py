"""The plain-text lab services: their dialogues, and that hostile clients cannot hang them."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Awaitable, Callable

import pytest

from socaudit.lab import plainprotocols, plainservices
from socaudit.lab.plainservices import Listen, parse_listen
from socaudit.lab.targets import LabError

HOST = "127.0.25.1"  # own loopback address: never the lab's 127.0.10.0/24

Client = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()


async def shutdown(server: asyncio.Server) -> None:
    """Close the server and let its handlers see EOF and close their side."""
    server.close()
    await server.wait_closed()
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    if pending:
        await asyncio.wait(pending, timeout=30)  # a loaded machine may need a while


def run_against(kind: str, client: Client) -> None:
    """Start the ``kind`` service on a free port, run ``client`` against it, shut down."""

    async def main() -> None:
        (server,) = await plainservices.start_servers([Listen(kind, HOST, 0)])
        port = server.sockets[0].getsockname()[1]
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
            try:
                await asyncio.wait_for(client(reader, writer), 10)
            finally:
                await close(writer)
        finally:
            await shutdown(server)

    asyncio.run(main())


async def ask(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, line: bytes) -> bytes:
    writer.write(line + b"\r\n")
    return await reader.readline()


def test_ftp_lets_anonymous_in() -> None:
    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert (await reader.readline()).startswith(b"220 ProFTPD")
        assert (await ask(reader, writer, b"PWD")).startswith(b"530")
        assert (await ask(reader, writer, b"USER anonymous")).startswith(b"331")
        assert (await ask(reader, writer, b"PASS guest@example.test")).startswith(b"230")
        assert (await ask(reader, writer, b"PWD")).startswith(b"257")
        assert (await ask(reader, writer, b"QUIT")).startswith(b"221")

    run_against("ftp", client)


def test_smtp_has_no_starttls_but_offers_auth_in_clear() -> None:
    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert (await reader.readline()).startswith(b"220 smtp-plain.lab.socaudit.test ESMTP")
        writer.write(b"EHLO scanner.test\r\n")
        lines = [await reader.readline()]
        while lines[-1][3:4] == b"-":
            lines.append(await reader.readline())
        assert b"250-AUTH PLAIN LOGIN\r\n" in lines
        assert not any(b"STARTTLS" in line for line in lines)
        assert (await ask(reader, writer, b"STARTTLS")).startswith(b"502")

    run_against("smtp", client)


def test_mysql_greets_with_protocol_10_and_refuses_login() -> None:
    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        header = await reader.readexactly(4)
        payload = await reader.readexactly(int.from_bytes(header[:3], "little"))
        assert header[3] == 0 and payload[0] == 10
        assert payload[1:].split(b"\0")[0] == plainprotocols.MYSQL_VERSION
        assert payload.endswith(b"mysql_native_password\0")
        writer.write(struct.pack("<I", 5)[:3] + b"\x01" + b"login")
        err = await reader.read(200)
        assert err[4] == 0xFF and struct.unpack("<H", err[5:7])[0] == 1045

    run_against("db", client)


def test_telnet_negotiates_then_asks_for_login_and_refuses() -> None:
    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert await reader.readexactly(12) == plainprotocols.TELNET_NEGOTIATION
        writer.write(b"\xff\xfc\x18")  # IAC WONT TTYPE
        assert (await reader.readuntil(b"login: ")).endswith(b"login: ")
        writer.write(b"admin\r\n")
        assert (await reader.readuntil(b"Password: ")).endswith(b"Password: ")
        writer.write(b"admin\r\n")
        assert b"Login incorrect" in await asyncio.wait_for(reader.read(), 5)  # then hangs up

    run_against("telnet", client)


def test_silent_client_is_dropped_after_the_idle_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plainprotocols, "IDLE_TIMEOUT", 0.2)

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readline()  # greeting, then say nothing
        assert await asyncio.wait_for(reader.read(), 3) == b"221 2.0.0 Bye\r\n"  # then EOF

    run_against("smtp", client)


@pytest.mark.parametrize("junk", [b"\x00\xff" * 3000, b"A" * 10000, b"\x16\x03\x01\x02\x00"])
def test_garbage_never_crashes_the_service(junk: bytes) -> None:
    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readline()
        writer.write(junk + b"\r\n" * 3)
        rest = await asyncio.wait_for(reader.read(), 8)  # answers or closes, never hangs
        assert rest == b"" or rest[:1].isdigit()

    run_against("ftp", client)


def test_service_survives_a_reset_and_serves_the_next_client() -> None:
    async def main() -> None:
        (server,) = await plainservices.start_servers([Listen("ftp", HOST, 0)])
        port = server.sockets[0].getsockname()[1]
        try:
            raw = socket.create_connection((HOST, port))
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            raw.close()  # RST
            reader, writer = await asyncio.open_connection(HOST, port)
            assert (await asyncio.wait_for(reader.readline(), 5)).startswith(b"220")
            await close(writer)
        finally:
            await shutdown(server)

    asyncio.run(main())


@pytest.mark.parametrize(
    "text", ["ftp@10.0.0.1:21", "ftp@0.0.0.0:21", "gopher@127.0.0.1:70", "ftp@127.0.0.1:0x", "x"]
)
def test_listen_specs_are_validated(text: str) -> None:
    with pytest.raises(LabError):
        parse_listen(text)


def test_main_refuses_non_loopback_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert plainservices.main(["--listen", "ftp@192.168.0.1:2121"]) == 1
    assert "loopback" in capsys.readouterr().err


def test_ipv6_loopback_spec() -> None:
    assert parse_listen("db@[::1]:3306") == Listen("db", "::1", 3306)
