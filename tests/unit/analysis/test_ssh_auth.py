"""The auth-method query end to end against a fake SSH server built on the same transport
(curve25519 key exchange, then AES-GCM or AES-CTR + HMAC in both directions)."""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
from ipaddress import ip_address

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from analysis.servers import Script, scripted_server
from socaudit.probes.netio import Deadline
from socaudit.probes.ssh import OUR_LISTS, probe_ssh
from socaudit.probes.ssh_auth import _derive, _mpint, _take_string, choose
from socaudit.probes.ssh_transport import KEY_SIZES, Reader, Transport, make_codec, string

HOST = "127.0.21.30"
SERVER_ID = b"SSH-2.0-FakeSSH_1.0"


def server_lists(cipher: str, mac: str) -> list[str]:
    return [
        "curve25519-sha256",
        "ssh-ed25519",
        cipher,
        cipher,
        mac,
        mac,
        "none",
        "none",
        "",
        "",
    ]


def kexinit_payload(lists: list[str]) -> bytes:
    return b"\x14" + b"\x22" * 16 + b"".join(string(n.encode()) for n in lists) + b"\x00" + bytes(4)


def fake_server(cipher: str, mac: str, answer: bytes) -> Script:
    """Speak the server side: KEXINIT, ECDH reply, NEWKEYS, then answer the auth request."""

    def script(conn: socket.socket, stop: threading.Event) -> None:
        deadline = Deadline(5.0)
        reader = Reader(conn, deadline)
        transport = Transport(conn, deadline, reader)
        ours = kexinit_payload(server_lists(cipher, mac))
        transport.send(ours, prefix=SERVER_ID + b"\r\n")
        client_id = reader.line(300).rstrip(b"\r\n")
        theirs = transport.receive()
        init = transport.receive()
        q_c, _ = _take_string(init, 1)
        private = X25519PrivateKey.generate()
        q_s = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        shared = _mpint(private.exchange(X25519PublicKey.from_public_bytes(q_c)))
        host_key = string(b"ssh-ed25519") + string(b"\x01" * 32)
        covered = b"".join(map(string, (client_id, SERVER_ID, theirs, ours, host_key, q_c, q_s)))
        h = hashlib.sha256(covered + shared).digest()
        reply = b"\x1f" + string(host_key) + string(q_s) + string(b"not-checked")
        transport.send(reply)
        transport.send(b"\x15")
        assert transport.receive() == b"\x15"
        size, mac_size = KEY_SIZES[cipher], 64 if mac.endswith("512") else 32
        transport.outgoing = make_codec(
            cipher, mac, _derive(shared, h, b"D", size), _derive(shared, h, b"B", 16),
            _derive(shared, h, b"F", mac_size),
        )  # fmt: skip
        transport.incoming = make_codec(
            cipher, mac, _derive(shared, h, b"C", size), _derive(shared, h, b"A", 16),
            _derive(shared, h, b"E", mac_size),
        )  # fmt: skip
        transport.send(b"\x04" + b"\x00" + string(b"debug noise") + string(b""))  # DEBUG
        assert transport.receive()[0] == 5  # SERVICE_REQUEST
        transport.send(b"\x06" + string(b"ssh-userauth"))
        request = transport.receive()
        assert request[0] == 50 and b"ssh-connection" in request
        transport.send(answer)
        stop.wait(1.0)

    return script


FAILURE = b"\x33" + string(b"publickey,password") + b"\x00"


@pytest.mark.parametrize(
    ("cipher", "mac"),
    [
        ("aes128-gcm@openssh.com", "hmac-sha2-256"),
        ("aes256-gcm@openssh.com", "hmac-sha2-512"),
        ("aes128-ctr", "hmac-sha2-256"),
        ("aes256-ctr", "hmac-sha2-512"),
    ],
)
def test_auth_methods_over_each_cipher(cipher: str, mac: str) -> None:
    with scripted_server(HOST, fake_server(cipher, mac, FAILURE)) as port:
        result = probe_ssh(ip_address(HOST), port, 3.0, depth=False)
    assert result.auth_methods == ("publickey", "password")
    assert [w.algorithm for w in result.weaknesses if w.category == "auth"] == ["password"]


def test_server_that_lets_anyone_in_is_critical() -> None:
    script = fake_server("aes128-gcm@openssh.com", "hmac-sha2-256", b"\x34")
    with scripted_server(HOST, script) as port:
        result = probe_ssh(ip_address(HOST), port, 3.0, depth=False)
    assert result.auth_methods == ("none",)
    assert any(w.category == "auth" and w.severity == "critical" for w in result.weaknesses)


def test_garbage_after_kexinit_keeps_the_lists_and_gives_no_auth_methods() -> None:
    def script(conn: socket.socket, stop: threading.Event) -> None:
        lists = server_lists("aes128-ctr", "hmac-sha2-256")
        body = kexinit_payload(lists)
        padding = 8 - (5 + len(body)) % 8 + 8
        packet = bytes([padding]) + body + bytes(padding)
        conn.sendall(SERVER_ID + b"\r\n" + struct.pack(">I", len(packet)) + packet)
        conn.recv(4096)
        conn.sendall(b"\xff" * 64)

    with scripted_server(HOST, script) as port:
        result = probe_ssh(ip_address(HOST), port, 2.0, depth=False)
    assert result.kex == ("curve25519-sha256",) and result.auth_methods is None


def test_negotiation_refuses_what_it_cannot_speak() -> None:
    theirs = [tuple(n.split(",")) if n else () for n in server_lists("3des-cbc", "hmac-sha1")]
    assert choose(OUR_LISTS, theirs) is None
    gcm = [tuple(n.split(",")) if n else () for n in server_lists("aes256-gcm@openssh.com", "x")]
    chosen = choose(OUR_LISTS, gcm)
    assert chosen is not None and chosen.cipher_in == "aes256-gcm@openssh.com"
    no_kex = [("diffie-hellman-group1-sha1",), *gcm[1:]]
    assert choose(OUR_LISTS, no_kex) is None
