"""``openssl s_client`` driven through a pipe, for what raw hellos cannot do (a complete
handshake, then renegotiation or 0-RTT). Argument lists only, one gate slot per run, output
read until a marker, the deadline or the process's end, then the process is killed."""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.probes.base import ProbeContext

MAX_OUTPUT = 256 * 1024
TICK = 0.05
"""How often ``done`` is asked even without new output (seconds)."""


def base_command(ctx: ProbeContext, *extra: str) -> list[str]:
    """``s_client`` to the endpoint, legacy servers allowed, STARTTLS when the endpoint uses it."""
    facts = ctx.facts
    host = f"[{facts.address}]" if facts.address.version == 6 else str(facts.address)
    names = ["-servername", facts.sni] if facts.sni else ["-noservername"]
    upgrade = ["-starttls", facts.starttls] if facts.starttls else []
    return [
        "openssl", "s_client", "-connect", f"{host}:{facts.port}", *names, *upgrade,
        "-legacy_server_connect", "-no-CAfile", "-no-CApath", "-no-CAstore", *extra,
    ]  # fmt: skip
    # No trust store: nothing is verified here, and loading one costs ~30 ms of CPU per run.


def converse(
    ctx: ProbeContext,
    command: Sequence[str],
    send: bytes,
    done: Callable[[str], bool],
    timeout: float | None = None,
) -> str:
    """Run ``command`` with ``send`` on its stdin (kept open) and return its output so far once
    ``done(output)`` holds, the process ends, or ``timeout`` passes."""
    if shutil.which("openssl") is None:
        raise ProbeFailure(ErrorReason.TOOL_MISSING, "openssl is needed for this probe")
    wait = timeout if timeout is not None else ctx.timeout
    with ctx.slot():
        process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            return _read(process, send, done, time.monotonic() + wait)
        finally:
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):  # stdin of a process that already ended
                        stream.close()


def _read(
    process: subprocess.Popen[bytes], send: bytes, done: Callable[[str], bool], deadline: float
) -> str:
    assert process.stdin is not None and process.stdout is not None  # noqa: S101 - PIPEs
    try:
        process.stdin.write(send)
        process.stdin.flush()
    except OSError:
        pass  # the process already ended: its output says why
    output = bytearray()
    fd = process.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while len(output) < MAX_OUTPUT:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if selector.select(min(remaining, TICK)):
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                output += chunk
            if done(output.decode("latin-1")):  # also between outputs: files written meanwhile
                break
    return output.decode("latin-1")
