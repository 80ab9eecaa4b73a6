"""STARTTLS dialogues against scripted servers: each protocol, then the whole TLS enumeration
after the upgrade (every handshake redoes the dialogue), and hostile plain-text servers."""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Callable
from ipaddress import ip_address

import pytest

from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.tls.engine import TlsOptions, TlsTarget, assess
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.probes import starttls
from tls.fakeserver import Persona, serve
from tls.probes.revpki import make_pki

ADDRESS = "127.0.21.20"
NOW = dt.datetime.now(dt.UTC)
Script = Callable[[socket.socket], bool]
"""Plays the server's side of a dialogue; True when TLS should follow."""


class Lines:
    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.buffer = b""

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            chunk = self.conn.recv(4096)
            if not chunk:
                raise ConnectionError
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line


def smtp(conn: socket.socket) -> bool:
    lines = Lines(conn)
    conn.sendall(b"220-mail.test ESMTP\r\n220 ready\r\n")
    if not lines.line().startswith(b"EHLO "):
        return False
    conn.sendall(b"250-mail.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n")
    if lines.line() != b"STARTTLS":
        return False
    conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
    return True


def imap(conn: socket.socket) -> bool:
    conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
    tag = Lines(conn).line().split(b" ")[0]
    conn.sendall(b"* CAPABILITY IMAP4rev1\r\n" + tag + b" OK Begin TLS negotiation now\r\n")
    return True


def pop3(conn: socket.socket) -> bool:
    conn.sendall(b"+OK POP3 ready\r\n")
    ok = Lines(conn).line() == b"STLS"
    conn.sendall(b"+OK Begin TLS\r\n" if ok else b"-ERR\r\n")
    return ok


def ftp(conn: socket.socket) -> bool:
    conn.sendall(b"220 FTP ready\r\n")
    ok = Lines(conn).line() == b"AUTH TLS"
    conn.sendall(b"234 Proceed with negotiation.\r\n" if ok else b"500 no\r\n")
    return ok


def ldap(conn: socket.socket) -> bool:
    request = conn.recv(4096)
    ok = request == starttls.LDAP_STARTTLS
    oid = b"1.3.6.1.4.1.1466.20037"
    body = b"\x02\x01\x01\x78" + bytes([7 + 2 + len(oid)]) + b"\x0a\x01\x00\x04\x00\x04\x00"
    body += b"\x8a" + bytes([len(oid)]) + oid
    conn.sendall(b"\x30" + bytes([len(body)]) + body)
    return ok


def postgres(conn: socket.socket) -> bool:
    ok = conn.recv(8) == starttls.POSTGRES_SSLREQUEST
    conn.sendall(b"S")
    return ok


SCRIPTS: dict[str, Script] = {
    "smtp": smtp, "imap": imap, "pop3": pop3, "ftp": ftp, "ldap": ldap, "postgres": postgres,
}  # fmt: skip
PERSONA_SUITES: dict[int, tuple[int, ...]] = {0x0303: (0xC02F, 0x002F)}


def upgraded(
    script: Script, persona: Persona, dialogues: list[int] | None = None
) -> Callable[[socket.socket], None]:
    def behave(conn: socket.socket) -> None:
        if script(conn):
            if dialogues is not None:
                dialogues.append(1)
            persona(conn)

    return behave


def persona() -> Persona:
    return Persona(suites=PERSONA_SUITES, kx_of={0xC02F: "ECDHE"}, chain=make_pki().chain)


def engine(protocol: str, behaviour: Callable[[socket.socket], None], timeout: float = 2.0):  # type: ignore[no-untyped-def]
    with serve(ADDRESS, behaviour) as port:
        target = TlsTarget("mail.test", ip_address(ADDRESS), port, starttls=protocol)
        options = TlsOptions(timeout=timeout, http=False, as_of=NOW, probes=())
        (result,) = assess([target], options)
    return result


@pytest.mark.parametrize("protocol", list(SCRIPTS))
def test_enumeration_after_starttls(protocol: str) -> None:
    dialogues: list[int] = []
    result = engine(protocol, upgraded(SCRIPTS[protocol], persona(), dialogues))
    assert result.status is AttemptStatus.COMPLETED, result.error
    assert result.starttls == protocol
    assert result.protocols == ("TLSv1.2",)
    assert result.cipher_suites["TLSv1.2"] == (
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_128_CBC_SHA",
    )
    assert result.hsts is None  # no HTTP request on a mail/file/directory/database port
    assert result.certificate is not None and result.certificate.subject == "CN=leaf.test"
    # every connection of the enumeration completed its own STARTTLS dialogue first
    assert result.handshakes >= 5 and len(dialogues) == result.handshakes


def no_starttls(conn: socket.socket) -> None:
    lines = Lines(conn)
    conn.sendall(b"220 mail.test ESMTP\r\n")
    lines.line()
    conn.sendall(b"250-mail.test\r\n250 AUTH PLAIN\r\n")
    lines.line()


def garbage(conn: socket.socket) -> None:
    conn.sendall(b"\x16\x03\x01\x00\x05hello this is not smtp at all\r\n")


HOLD_S = 20.0
"""How long hostile servers keep a connection open: far beyond the engine's timeout."""


def silent(conn: socket.socket) -> None:
    time.sleep(HOLD_S)


def flood(conn: socket.socket) -> None:
    conn.sendall(b"220-" + b"x" * 5000 + b"\r\n")
    time.sleep(HOLD_S)


def endless(conn: socket.socket) -> None:
    conn.sendall(b"220-welcome\r\n" * 200)
    time.sleep(HOLD_S)


@pytest.mark.parametrize(
    ("behaviour", "reason", "words"),
    [
        (no_starttls, ErrorReason.PROTOCOL, "does not offer STARTTLS"),
        (garbage, ErrorReason.PROTOCOL, "not a reply line"),
        (silent, ErrorReason.TIMEOUT, "STARTTLS smtp"),
        (flood, ErrorReason.PROTOCOL, "longer than"),
        (endless, ErrorReason.PROTOCOL, "lines"),
    ],
)
def test_hostile_servers_end_as_errors_with_a_reason(
    behaviour: Callable[[socket.socket], None], reason: ErrorReason, words: str
) -> None:
    started = time.monotonic()
    result = engine("smtp", behaviour, timeout=1.0)
    # bounded by the 1 s timeout (slack for a loaded machine), never by the server's 20 s hold
    assert time.monotonic() - started < HOLD_S / 2
    assert result.status is AttemptStatus.ERROR and result.error is not None
    assert result.error.reason is reason and words in result.error.detail
    assert result.grade is None and result.findings == ()


def replying(data: bytes) -> Callable[[socket.socket], None]:
    def behave(conn: socket.socket) -> None:
        conn.sendall(data)
        time.sleep(0.3)

    return behave


def test_refused_upgrades_for_each_protocol() -> None:
    refusals = {
        "imap": b"* OK ready\r\nsa1 NO STARTTLS disabled\r\n",
        "pop3": b"+OK ready\r\n-ERR not now\r\n",
        "ftp": b"220 ready\r\n530 no TLS here\r\n",
        "postgres": b"N",
    }
    for protocol, reply in refusals.items():
        with serve(ADDRESS, replying(reply)) as port:
            sock = socket.create_connection((ADDRESS, port), timeout=2)
            with sock, pytest.raises(ProbeFailure) as caught:
                starttls.upgrade(sock, protocol, time.monotonic() + 2)
        assert caught.value.reason is ErrorReason.PROTOCOL
        assert caught.value.detail.startswith(f"STARTTLS {protocol}:")


def test_auto_uses_the_port_then_the_greeting() -> None:
    assert starttls.guess(587, None) == "smtp" and starttls.guess(5432, None) == "postgres"
    assert starttls.guess(2525, b"220 mx ESMTP Postfix") == "smtp"
    assert starttls.guess(2121, b"220 (vsFTPd 3.0.3)") == "ftp"
    assert starttls.guess(2143, b"* OK Dovecot ready.") == "imap"
    assert starttls.guess(2110, b"+OK Dovecot ready.") == "pop3"
    assert starttls.guess(9999, b"SSH-2.0-OpenSSH") is None
    result = engine("auto", upgraded(pop3, persona()))
    assert result.starttls == "pop3" and result.status is AttemptStatus.COMPLETED


def test_auto_that_cannot_tell_is_an_error() -> None:
    result = engine("auto", lambda conn: conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n"))
    assert result.status is AttemptStatus.ERROR and result.error is not None
    assert "cannot tell" in result.error.detail and result.handshakes == 1


def _ldap_answer(code: int, message: bytes = b"") -> bytes:
    """An ExtendedResponse with ``diagnosticMessage`` (long-form lengths when it is long)."""
    fields = b"\x0a\x01" + bytes([code]) + b"\x04\x00" + b"\x04" + _ber(len(message)) + message
    response = b"\x78" + _ber(len(fields)) + fields
    body = b"\x02\x01\x01" + response
    return b"\x30" + _ber(len(body)) + body


def _ber(length: int) -> bytes:
    return bytes([length]) if length < 0x80 else b"\x81" + bytes([length])


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (_ldap_answer(0, b"x" * 200), None),  # long-form lengths, success
        (_ldap_answer(52, b"unavailable " * 20), "resultCode 52"),
        (b"\x30\x0c\x02\x01\x02\x78\x07\x0a\x01\x00\x04\x00\x04\x00", "unexpected LDAP answer"),
        (b"\x04\x02hi", "not an LDAPMessage"),
    ],
)
def test_ldap_answers(answer: bytes, words: str | None) -> None:
    with serve(ADDRESS, replying(answer)) as port:
        sock = socket.create_connection((ADDRESS, port), timeout=2)
        with sock:
            if words is None:
                starttls.upgrade(sock, "ldap", time.monotonic() + 2)
                return
            with pytest.raises(ProbeFailure) as caught:
                starttls.upgrade(sock, "ldap", time.monotonic() + 2)
    assert words in caught.value.detail
