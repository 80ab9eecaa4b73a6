"""probe_ssh against a fake SSH server on 127.0.21.x (crafted banners and KEXINIT packets)."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from ipaddress import ip_address

import pytest

from analysis.servers import scripted_server
from socaudit.evidence.base import ErrorReason
from socaudit.evidence.ssh import SshResult
from socaudit.probes.errors import ProbeError
from socaudit.probes.ssh import probe_ssh
from socaudit.probes.ssh_policy import assess

HOST = "127.0.21.20"
ADDR = ip_address(HOST)
WEAK_LISTS = [
    "diffie-hellman-group1-sha1,diffie-hellman-group-exchange-sha1,curve25519-sha256",
    "ssh-dss,ssh-rsa,ssh-ed25519",
    "3des-cbc,arcfour256,aes128-ctr",
    "aes256-cbc,aes128-ctr",
    "hmac-md5,hmac-sha1,umac-64@openssh.com",
    "hmac-sha1-96,hmac-sha2-256-etm@openssh.com",
    "none",
    "none,zlib",
    "",
    "",
]


def packet(payload: bytes, padding: int = 4) -> bytes:
    body = bytes([padding]) + payload + b"\x00" * padding
    return struct.pack(">I", len(body)) + body


def kexinit(lists: list[str]) -> bytes:
    names = b"".join(struct.pack(">I", len(n)) + n.encode() for n in lists)
    return packet(b"\x14" + b"\x11" * 16 + names + b"\x00" + bytes(4))


def replying(*chunks: bytes, linger: bool) -> Callable[[socket.socket, threading.Event], None]:
    def script(conn: socket.socket, stop: threading.Event) -> None:
        for chunk in chunks:
            conn.sendall(chunk)
        if linger:
            stop.wait(30.0)  # ends when the test is done with the server

    return script


def probe(*chunks: bytes, timeout: float = 2.0, linger: bool = True) -> SshResult:
    with scripted_server(HOST, replying(*chunks, linger=linger)) as port:
        return probe_ssh(ADDR, port, timeout, depth=False)


def probe_error(*chunks: bytes, timeout: float = 2.0, linger: bool = True) -> ProbeError:
    with pytest.raises(ProbeError) as info:
        probe(*chunks, timeout=timeout, linger=linger)
    return info.value


def test_weak_kexinit_is_parsed_and_judged() -> None:
    banner = b"SSH-2.0-OpenSSH_6.6.1p1 Ubuntu-2ubuntu2\r\n"
    r = probe(banner, kexinit(WEAK_LISTS))
    assert (r.protocol_version, r.software) == ("2.0", "OpenSSH_6.6.1p1")
    assert r.banner == banner.decode().strip()
    assert r.kex[0] == "diffie-hellman-group1-sha1"
    assert r.ciphers == ("3des-cbc", "arcfour256", "aes128-ctr", "aes256-cbc")
    assert r.macs[:3] == ("hmac-md5", "hmac-sha1", "umac-64@openssh.com")
    assert r.compression == ("none", "zlib")
    assert r.auth_methods is None
    weak = {(w.category, w.algorithm): w.severity for w in r.weaknesses}
    assert weak[("kex", "diffie-hellman-group1-sha1")] == "high"
    assert weak[("kex", "diffie-hellman-group-exchange-sha1")] == "medium"
    assert weak[("host_key", "ssh-dss")] == "high"
    assert weak[("host_key", "ssh-rsa")] == "medium"
    assert weak[("cipher", "3des-cbc")] == "high"
    assert weak[("cipher", "arcfour256")] == "high"
    assert weak[("cipher", "aes256-cbc")] == "medium"
    assert weak[("mac", "hmac-md5")] == "high"
    assert weak[("mac", "umac-64@openssh.com")] == "medium"
    assert weak[("software", "OpenSSH_6.6.1p1")] == "high"
    assert ("cipher", "aes128-ctr") not in weak
    assert ("mac", "hmac-sha2-256-etm@openssh.com") not in weak
    assert ("kex", "curve25519-sha256") not in weak


def test_preamble_lines_and_ignore_packets_are_skipped() -> None:
    ignore = packet(b"\x02" + struct.pack(">I", 3) + b"abc")
    r = probe(
        b"Xin chao\r\nWelcome\r\n", b"SSH-2.0-dropbear_2019.78\r\n", ignore, kexinit(WEAK_LISTS)
    )
    assert r.software == "dropbear_2019.78"
    assert any(w.category == "software" for w in r.weaknesses)


def test_ssh1_only_server() -> None:
    r = probe(b"SSH-1.5-OldServer\n")
    assert r.protocol_version == "1.5" and r.kex == ()
    assert [(w.category, w.severity) for w in r.weaknesses] == [("protocol", "critical")]


def test_ssh1_compatible_server_still_gives_lists() -> None:
    r = probe(b"SSH-1.99-OpenSSH_3.9p1\r\n", kexinit(WEAK_LISTS))
    assert r.kex and any(w.category == "protocol" and w.severity == "high" for w in r.weaknesses)


@pytest.mark.parametrize(
    "chunks",
    [
        (b"HTTP/1.1 400 Bad Request\r\n\r\n",),
        (b"\x00\x01\x02" * 5000,),
        (b"SSH-" + b"x" * 300 + b"\r\n",),
        (b"SSH-2.0-ok\r\n", struct.pack(">I", 0x7FFFFFFF) + b"\x00" * 16),
        (b"SSH-2.0-ok\r\n", struct.pack(">I", 2) + b"\x00\x00"),
        (b"SSH-2.0-ok\r\n", packet(b"\x63junk")),
        (b"SSH-2.0-ok\r\n", packet(b"\x14" + b"\x00" * 16 + struct.pack(">I", 999) + b"kex")),
        (b"SSH-2.0-ok\r\n", struct.pack(">I", 12) + b"\x20" + b"\x00" * 11),
        (b"SSH-bad banner\r\n",),
    ],
)
def test_hostile_replies_are_protocol_errors(chunks: tuple[bytes, ...]) -> None:
    assert probe_error(*chunks, linger=False).reason is ErrorReason.PROTOCOL


@pytest.mark.parametrize(
    "greeting",
    [b"\xff\xfd\x18\xff\xfd \xff\xfd#\r\n", b"J\x00\x00\x00\n5.7.0\x00\x01\r\n"],
)
def test_binary_greetings_fail_fast_instead_of_waiting(greeting: bytes) -> None:
    started = time.monotonic()
    error = probe_error(greeting, timeout=30.0)  # the server keeps the connection open
    assert error.reason is ErrorReason.PROTOCOL and "binary" in error.detail
    assert time.monotonic() - started < 10.0  # far below the timeout, even on a loaded machine


def test_absurd_length_is_refused_without_waiting_for_the_body() -> None:
    error = probe_error(b"SSH-2.0-ok\r\n", struct.pack(">I", 0x7FFFFFFF), timeout=5.0)
    assert error.reason is ErrorReason.PROTOCOL and "absurd" in error.detail


def test_non_ssh_lines_then_stall_times_out() -> None:
    error = probe_error(b"HTTP/1.1 400 Bad Request\r\n\r\n", timeout=0.5)
    assert error.reason is ErrorReason.TIMEOUT


def test_stall_after_banner_times_out() -> None:
    error = probe_error(b"SSH-2.0-tarpit\r\n", timeout=0.5)
    assert error.reason is ErrorReason.TIMEOUT


def test_disconnect_message() -> None:
    bye = packet(b"\x01" + struct.pack(">I", 2) + struct.pack(">I", 3) + b"bye" + bytes(4))
    assert probe_error(b"SSH-2.0-x\r\n", bye).reason is ErrorReason.CONNECTIVITY


def test_closed_port_is_connectivity() -> None:
    with socket.create_server((HOST, 0)) as listener:
        port = listener.getsockname()[1]
    with pytest.raises(ProbeError) as info:
        probe_ssh(ADDR, port, 1.0)
    assert info.value.reason is ErrorReason.CONNECTIVITY


def test_password_auth_is_a_weakness_when_known() -> None:
    r = SshResult(
        banner="SSH-2.0-x", protocol_version="2.0", auth_methods=("publickey", "password")
    )
    assert [w.category for w in assess(r)] == ["auth"]


def test_modern_lists_have_no_weaknesses() -> None:
    r = SshResult(
        banner="SSH-2.0-OpenSSH_9.2p1",
        protocol_version="2.0",
        software="OpenSSH_9.2p1",
        kex=("curve25519-sha256", "sntrup761x25519-sha512@openssh.com"),
        host_key=("ssh-ed25519", "rsa-sha2-512"),
        ciphers=("chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com"),
        macs=("hmac-sha2-256-etm@openssh.com",),
    )
    assert assess(r) == ()
