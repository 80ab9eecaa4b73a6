"""STARTTLS: the plain-text dialogue that turns a mail, file, directory or database connection
into a TLS one (SMTP, IMAP, POP3, FTP, LDAP, PostgreSQL).

``upgrade`` runs on a connected socket before the first ClientHello; every handshake of the
enumeration redoes it on its own connection. Reads are bounded (line length, total bytes, one
deadline), so a silent, trickling or garbage-speaking server ends as a ``ProbeFailure``.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Literal, get_args

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.handshake import Prober
from socaudit.tls.records import connect

Protocol = Literal["smtp", "imap", "pop3", "ftp", "ldap", "postgres"]
PROTOCOLS: tuple[Protocol, ...] = get_args(Protocol)
USUAL_PORTS: dict[int, Protocol] = {
    25: "smtp", 587: "smtp", 143: "imap", 110: "pop3", 21: "ftp", 389: "ldap", 5432: "postgres",
}  # fmt: skip
"""Where each protocol's STARTTLS is expected (also used by scan planning)."""
MAX_LINE = 2048
MAX_DIALOGUE = 32 * 1024
"""Bytes the server may send during the whole plain-text part."""
MAX_LINES = 64
EHLO_NAME = b"socaudit.invalid"
# RFC 4511 ExtendedRequest for StartTLS (OID 1.3.6.1.4.1.1466.20037), messageID 1.
LDAP_STARTTLS = bytes.fromhex("301d02010177188016") + b"1.3.6.1.4.1.1466.20037"
POSTGRES_SSLREQUEST = bytes.fromhex("0000000804d2162f")
GREETING_WAIT = 3.0
"""``auto`` on an unusual port: how long to wait for a greeting (LDAP and PostgreSQL send none)."""


class Dialogue:
    """Bounded line and byte reads from a socket before TLS starts."""

    def __init__(self, sock: socket.socket, deadline: float, protocol: str) -> None:
        self._sock = sock
        self._deadline = deadline
        self._protocol = protocol
        self._buffer = bytearray()
        self._received = 0

    def fail(self, detail: str, reason: ErrorReason = ErrorReason.PROTOCOL) -> ProbeFailure:
        return ProbeFailure(reason, f"STARTTLS {self._protocol}: {detail}")

    def send(self, data: bytes) -> None:
        try:
            self._sock.sendall(data)
        except TimeoutError:
            raise self.fail("server did not take our command", ErrorReason.TIMEOUT) from None
        except OSError as exc:
            detail = f"send failed: {exc.strerror or exc}"
            raise self.fail(detail, ErrorReason.CONNECTIVITY) from None

    def line(self) -> bytes:
        """One line without its CRLF."""
        while b"\n" not in self._buffer:
            if len(self._buffer) > MAX_LINE:
                raise self.fail(f"reply line longer than {MAX_LINE} bytes")
            self._fill()
        raw, _, rest = bytes(self._buffer).partition(b"\n")
        self._buffer[:] = rest
        if len(raw) > MAX_LINE:
            raise self.fail(f"reply line longer than {MAX_LINE} bytes")
        return raw.rstrip(b"\r")

    def exact(self, count: int) -> bytes:
        while len(self._buffer) < count:
            self._fill()
        data = bytes(self._buffer[:count])
        del self._buffer[:count]
        return data

    def leftover(self) -> None:
        """TLS must start right after the last reply: extra bytes are an error."""
        if self._buffer:
            raise self.fail(f"unexpected data after the upgrade reply: {_show(self._buffer)}")

    def _fill(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise self.fail("no complete reply before the deadline", ErrorReason.TIMEOUT)
        if self._received >= MAX_DIALOGUE:
            raise self.fail(f"server sent more than {MAX_DIALOGUE} bytes before TLS")
        self._sock.settimeout(remaining)
        try:
            chunk = self._sock.recv(min(4096, MAX_DIALOGUE - self._received))
        except TimeoutError:
            raise self.fail("server stopped answering", ErrorReason.TIMEOUT) from None
        except OSError as exc:
            detail = f"connection failed: {exc.strerror or exc}"
            raise self.fail(detail, ErrorReason.CONNECTIVITY) from None
        if not chunk:
            raise self.fail("connection closed during the plain-text dialogue")
        self._received += len(chunk)
        self._buffer += chunk


def _show(data: bytes | bytearray) -> str:
    """A short, printable excerpt of what the server said."""
    text = bytes(data[:80]).decode("ascii", "backslashreplace")
    return repr(text)


def _reply(dialogue: Dialogue) -> tuple[int, list[bytes]]:
    """An SMTP/FTP reply: ``NNN-text`` continuation lines, then ``NNN text``."""
    lines: list[bytes] = []
    for _ in range(MAX_LINES):
        line = dialogue.line()
        code = line[:3]
        if len(line) < 3 or not code.isdigit() or line[3:4] not in (b"", b" ", b"-"):
            raise dialogue.fail(f"not a reply line: {_show(line)}")
        lines.append(line[4:])
        if line[3:4] != b"-":
            return int(code), lines
    raise dialogue.fail(f"reply longer than {MAX_LINES} lines")


def _expect(dialogue: Dialogue, code: int, what: str) -> list[bytes]:
    got, lines = _reply(dialogue)
    if got != code:
        text = lines[-1] if lines else b""
        raise dialogue.fail(f"{what} answered {got} {_show(text)}")
    return lines


def smtp(dialogue: Dialogue) -> None:
    _expect(dialogue, 220, "greeting")
    dialogue.send(b"EHLO " + EHLO_NAME + b"\r\n")
    capabilities = _expect(dialogue, 250, "EHLO")
    if not any(c.upper().split(b" ")[0] == b"STARTTLS" for c in capabilities):
        raise dialogue.fail("the server does not offer STARTTLS")
    dialogue.send(b"STARTTLS\r\n")
    _expect(dialogue, 220, "STARTTLS")


def ftp(dialogue: Dialogue) -> None:
    _expect(dialogue, 220, "greeting")
    dialogue.send(b"AUTH TLS\r\n")
    _expect(dialogue, 234, "AUTH TLS")


def pop3(dialogue: Dialogue) -> None:
    greeting = dialogue.line()
    if not greeting.startswith(b"+OK"):
        raise dialogue.fail(f"greeting is not +OK: {_show(greeting)}")
    dialogue.send(b"STLS\r\n")
    answer = dialogue.line()
    if not answer.startswith(b"+OK"):
        raise dialogue.fail(f"STLS answered {_show(answer)}")


def imap(dialogue: Dialogue) -> None:
    greeting = dialogue.line()
    if not greeting.upper().startswith((b"* OK", b"* PREAUTH")):
        raise dialogue.fail(f"greeting is not * OK: {_show(greeting)}")
    dialogue.send(b"sa1 STARTTLS\r\n")
    for _ in range(MAX_LINES):
        line = dialogue.line()
        if line.startswith(b"* "):
            continue  # untagged data (e.g. CAPABILITY) before the tagged answer
        if line.upper().startswith(b"SA1 OK"):
            return
        raise dialogue.fail(f"STARTTLS answered {_show(line)}")
    raise dialogue.fail(f"no tagged answer within {MAX_LINES} lines")


def _ber_length(dialogue: Dialogue) -> int:
    first = dialogue.exact(1)[0]
    if first < 0x80:
        return first
    count = first & 0x7F
    if not 1 <= count <= 2:
        raise dialogue.fail(f"unsupported BER length form 0x{first:02x}")
    return int.from_bytes(dialogue.exact(count), "big")


def _length_at(body: bytes, pos: int) -> tuple[int, int]:
    """A BER length at ``pos`` in ``body``: (length, position after it); ValueError if bad."""
    first = body[pos]
    if first < 0x80:
        return first, pos + 1
    count = first & 0x7F
    if not 1 <= count <= 2 or pos + 1 + count > len(body):
        raise ValueError(f"BER length form 0x{first:02x}")
    return int.from_bytes(body[pos + 1 : pos + 1 + count], "big"), pos + 1 + count


def ldap(dialogue: Dialogue) -> None:
    """Send the StartTLS ExtendedRequest; the ExtendedResponse's resultCode must be 0."""
    dialogue.send(LDAP_STARTTLS)
    if dialogue.exact(1) != b"\x30":
        raise dialogue.fail("answer is not an LDAPMessage")
    length = _ber_length(dialogue)
    if not 8 <= length <= MAX_LINE:
        raise dialogue.fail(f"LDAPMessage of {length} bytes")
    body = dialogue.exact(length)
    # messageID 1 (02 01 01), then ExtendedResponse [APPLICATION 24] whose first field is the
    # resultCode ENUMERATED (0a 01 NN).
    try:
        if body[:4] != b"\x02\x01\x01\x78":
            raise ValueError("not the ExtendedResponse to message 1")
        _, pos = _length_at(body, 4)
        if body[pos : pos + 2] != b"\x0a\x01":
            raise ValueError("no resultCode")
        code = body[pos + 2]
    except (ValueError, IndexError) as exc:
        raise dialogue.fail(f"unexpected LDAP answer {body[:16].hex()} ({exc})") from None
    if code != 0:
        raise dialogue.fail(f"StartTLS refused with LDAP resultCode {code}")


def postgres(dialogue: Dialogue) -> None:
    dialogue.send(POSTGRES_SSLREQUEST)
    answer = dialogue.exact(1)
    if answer == b"N":
        raise dialogue.fail("the server refuses SSL (answered N)")
    if answer != b"S":
        raise dialogue.fail(f"SSLRequest answered {_show(answer)}")


DIALOGUES: dict[str, Callable[[Dialogue], None]] = {
    "smtp": smtp, "imap": imap, "pop3": pop3, "ftp": ftp, "ldap": ldap, "postgres": postgres,
}  # fmt: skip


def upgrade(sock: socket.socket, protocol: str, deadline: float) -> None:
    """Run ``protocol``'s STARTTLS dialogue on ``sock``; the next bytes sent are TLS."""
    dialogue = Dialogue(sock, deadline, protocol)
    DIALOGUES[protocol](dialogue)
    dialogue.leftover()


def upgrader(protocol: str) -> Callable[[socket.socket, float], None]:
    """The hook the prober calls on each fresh connection."""
    if protocol not in DIALOGUES:
        raise ValueError(f"unknown STARTTLS protocol {protocol!r}")

    def run(sock: socket.socket, deadline: float) -> None:
        upgrade(sock, protocol, deadline)

    return run


def guess(port: int, greeting: bytes | None) -> Protocol | None:
    """``auto``: the protocol for ``port``, else from the server's first line, else None."""
    if port in USUAL_PORTS:
        return USUAL_PORTS[port]
    if not greeting:
        return None
    upper = greeting.upper()
    if upper.startswith(b"+OK"):
        return "pop3"
    if upper.startswith((b"* OK", b"* PREAUTH")):
        return "imap"
    if upper.startswith(b"220"):
        return "ftp" if b"FTP" in upper else "smtp"
    return None


def sniff(sock: socket.socket, deadline: float) -> bytes | None:
    """The server's first line (for ``auto``), or None if it says nothing before ``deadline``."""
    dialogue = Dialogue(sock, deadline, "auto")
    try:
        return dialogue.line()
    except ProbeFailure:
        return None


def choose(requested: str | None, prober: Prober) -> Protocol | None:
    """Set up ``prober`` for ``requested`` (a protocol, ``auto`` or None); return the protocol.

    ``auto`` takes the protocol of a usual port, else reads the server's greeting on one
    connection (counted); ``ProbeFailure`` when it cannot tell.
    """
    if requested is None:
        return None
    protocol = next((p for p in PROTOCOLS if p == requested), None)
    if requested == "auto":
        protocol = USUAL_PORTS.get(prober.port) or guess(prober.port, _greeting(prober))
        if protocol is None:
            detail = (
                f"STARTTLS auto: cannot tell the protocol on port {prober.port} "
                f"(hint: --starttls {'|'.join(PROTOCOLS)})"
            )
            raise ProbeFailure(ErrorReason.PROTOCOL, detail)
    if protocol is None:
        raise ValueError(f"unknown STARTTLS protocol {requested!r}")
    prober.upgrade = upgrader(protocol)
    return protocol


def _greeting(prober: Prober) -> bytes | None:
    with prober.gate():
        prober.handshakes += 1
        sock = connect(prober.address, prober.port, prober.timeout)
        try:
            return sniff(sock, time.monotonic() + min(prober.timeout, GREETING_WAIT))
        finally:
            sock.close()
