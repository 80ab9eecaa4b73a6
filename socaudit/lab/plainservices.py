"""Run the plain-text lab services in one asyncio process.

``python -m socaudit.lab.plainservices --listen KIND@ADDRESS:PORT [--listen ...]``
Addresses must be loopback. The process runs until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from socaudit.lab.plainprotocols import HANDLERS, IDLE_TIMEOUT, Handler
from socaudit.lab.targets import LabError, require_loopback

MAX_LIFETIME = 6 * IDLE_TIMEOUT
"""No connection lives longer than this, whatever the client does."""


@dataclass(frozen=True, slots=True)
class Listen:
    """One service to run: protocol kind and loopback bind address."""

    kind: str
    address: str
    port: int


def parse_listen(text: str) -> Listen:
    """``KIND@ADDRESS:PORT`` (IPv6 as ``[::1]``), with a loopback address and known kind."""
    kind, _, where = text.partition("@")
    host, _, port = where.rpartition(":")
    host = host.strip("[]")
    if kind not in HANDLERS or not port.isdigit() or not 0 < int(port) < 65536:
        raise LabError(
            f"bad --listen {text!r} (hint: KIND@ADDRESS:PORT, KIND in {sorted(HANDLERS)})"
        )
    require_loopback(host)
    return Listen(kind, host, int(port))


def _guarded(handler: Handler) -> Handler:
    """Wrap a handler: bounded lifetime, errors from the peer never escape, always close."""

    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            with contextlib.suppress(TimeoutError, ConnectionError, asyncio.IncompleteReadError):
                await asyncio.wait_for(handler(reader, writer), MAX_LIFETIME)
        finally:
            writer.close()
        with contextlib.suppress(ConnectionError, TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), 1.0)

    return run


async def start_servers(listens: Sequence[Listen]) -> list[asyncio.Server]:
    """Bind and start one server per ``listens`` entry (port 0 picks a free port)."""
    return [
        await asyncio.start_server(
            _guarded(HANDLERS[item.kind]), item.address, item.port, limit=4096, reuse_address=True
        )
        for item in listens
    ]


async def serve(listens: Sequence[Listen], stop: asyncio.Event) -> None:
    """Serve every ``listens`` entry until ``stop`` is set."""
    servers = await start_servers(listens)
    try:
        await stop.wait()
    finally:
        for server in servers:
            server.close()


async def _main(listens: Sequence[Listen]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await serve(listens, stop)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the background process."""
    parser = argparse.ArgumentParser(prog="socaudit.lab.plainservices")
    parser.add_argument("--listen", action="append", required=True, help="KIND@ADDRESS:PORT")
    args = parser.parse_args(argv)
    try:
        listens = [parse_listen(text) for text in args.listen]
        asyncio.run(_main(listens))
    except (LabError, OSError) as exc:
        print(f"plainservices: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
