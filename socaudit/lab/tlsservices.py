"""Run the lab's STARTTLS servers and its OCSP/CRL responder in one asyncio process.

``python -m socaudit.lab.tlsservices --certs DIR --ca-dir DIR --listen KIND/NAME@ADDRESS:PORT ...``
KIND is ``smtp``, ``imap``, ``pop3``, ``ftp`` (served with ``DIR/NAME.pem``/``.key``) or
``ocsp``. Addresses must be loopback. The process runs until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from socaudit.lab.ocspserver import Responder, handler
from socaudit.lab.plainservices import _guarded
from socaudit.lab.starttlsservers import SERVERS, Handler, server_context
from socaudit.lab.targets import DNS_SUFFIX, LabError, require_loopback

KINDS = (*SERVERS, "ocsp")


@dataclass(frozen=True, slots=True)
class Listen:
    kind: str
    name: str
    address: str
    port: int


def parse_listen(text: str) -> Listen:
    """``KIND/NAME@ADDRESS:PORT`` with a loopback address and a known kind."""
    what, _, where = text.partition("@")
    kind, _, name = what.partition("/")
    host, _, port = where.rpartition(":")
    if kind not in KINDS or not name or not port.isdigit() or not 0 < int(port) < 65536:
        raise LabError(f"bad --listen {text!r} (hint: KIND/NAME@ADDRESS:PORT, KIND in {KINDS})")
    require_loopback(host)
    return Listen(kind, name, host, int(port))


def handler_for(item: Listen, certs: Path, ca_dir: Path) -> Handler:
    if item.kind == "ocsp":
        return handler(Responder(ca_dir))
    context = server_context(str(certs / f"{item.name}.pem"), str(certs / f"{item.name}.key"))
    return SERVERS[item.kind](f"{item.name}.{DNS_SUFFIX}".encode(), context)


async def start_servers(
    listens: Sequence[Listen], certs: Path, ca_dir: Path
) -> list[asyncio.Server]:
    return [
        await asyncio.start_server(
            _guarded(handler_for(item, certs, ca_dir)),
            item.address,
            item.port,
            limit=16384,
            reuse_address=True,
        )
        for item in listens
    ]


async def _main(listens: Sequence[Listen], certs: Path, ca_dir: Path) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    servers = await start_servers(listens, certs, ca_dir)
    try:
        await stop.wait()
    finally:
        for server in servers:
            server.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="socaudit.lab.tlsservices")
    parser.add_argument("--listen", action="append", required=True, help="KIND/NAME@ADDRESS:PORT")
    parser.add_argument("--certs", type=Path, required=True)
    parser.add_argument("--ca-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        listens = [parse_listen(text) for text in args.listen]
        asyncio.run(_main(listens, args.certs, args.ca_dir))
    except (LabError, OSError) as exc:
        print(f"tlsservices: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
