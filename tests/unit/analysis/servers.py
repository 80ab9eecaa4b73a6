"""Tiny real servers on 127.0.21.x for probe tests: http.server, and scripted raw TCP."""

from __future__ import annotations

import socket
import ssl
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Script = Callable[[socket.socket, threading.Event], None]


@contextmanager
def scripted_server(host: str, script: Script) -> Iterator[int]:
    """Serve each connection with ``script`` (one at a time) until the block ends; yield port."""
    listener = socket.create_server((host, 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn, suppress(OSError):
                script(conn, stop)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def header_handler(status: int, headers: dict[str, str]) -> type[BaseHTTPRequestHandler]:
    """A handler answering every GET with ``status`` and ``headers`` (and a small body)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "nginx/1.22.1"
        sys_version = ""

        def do_GET(self) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            body = b"<html>xin chao</html>" * 1000
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


@contextmanager
def http_server(
    host: str,
    status: int,
    headers: dict[str, str],
    tls: tuple[Path, Path] | None = None,
    legacy: bool = False,
) -> Iterator[int]:
    """A real http.server (TLS when ``tls`` = (cert, key) files; TLS 1.0 only when
    ``legacy``); yields its port."""
    server = ThreadingHTTPServer((host, 0), header_handler(status, headers))
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if legacy:
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                context.minimum_version = ssl.TLSVersion.TLSv1
                context.maximum_version = ssl.TLSVersion.TLSv1
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
