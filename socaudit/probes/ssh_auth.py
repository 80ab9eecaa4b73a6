"""Which user-authentication methods an SSH server offers (RFC 4252 ``none`` request).

A curve25519-sha256 key exchange (RFC 8731), then ``ssh-userauth`` with method ``none`` for a
fixed unprivileged user name; the USERAUTH_FAILURE lists the methods (USERAUTH_SUCCESS means
no authentication at all). The host key signature is not verified: nothing secret is sent and
the answer is evidence, not trust. When the server negotiates algorithms this probe does not
implement, the answer is None.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from socaudit.probes.ssh_transport import (
    KEY_SIZES,
    MAC_HASHES,
    Transport,
    make_codec,
    protocol_error,
    string,
)

KEX = ("curve25519-sha256", "curve25519-sha256@libssh.org")
USER = "socaudit-probe"
MSG_NEWKEYS, MSG_SERVICE_REQUEST, MSG_SERVICE_ACCEPT = 21, 5, 6
MSG_KEX_ECDH_INIT, MSG_KEX_ECDH_REPLY = 30, 31
MSG_USERAUTH_REQUEST, MSG_USERAUTH_FAILURE, MSG_USERAUTH_SUCCESS = 50, 51, 52
_NOISE = {2, 4, 7, 53}  # IGNORE, DEBUG, EXT_INFO, USERAUTH_BANNER
MAX_NOISE = 16


@dataclass(frozen=True, slots=True)
class Handshake:
    """What the exchange hash covers (identification lines and KEXINIT payloads)."""

    client_id: bytes
    server_id: bytes
    client_kexinit: bytes
    server_kexinit: bytes


@dataclass(frozen=True, slots=True)
class Choice:
    kex: str
    cipher_out: str
    cipher_in: str
    mac_out: str
    mac_in: str


def _first_common(ours: Sequence[str], theirs: Sequence[str]) -> str | None:
    return next((name for name in ours if name in theirs), None)


def choose(ours: list[tuple[str, ...]], theirs: list[tuple[str, ...]]) -> Choice | None:
    """RFC 4253 §7.1 negotiation; None unless the result is something this module speaks."""
    picked = [_first_common(ours[i], theirs[i]) for i in (0, 2, 3, 4, 5)]
    kex, c_out, c_in, m_out, m_in = picked
    if kex not in KEX or c_out not in KEY_SIZES or c_in not in KEY_SIZES:
        return None
    needs_mac = [
        (c, m) for c, m in ((c_out, m_out), (c_in, m_in)) if not c.endswith("gcm@openssh.com")
    ]
    if any(m not in MAC_HASHES for _, m in needs_mac):
        return None
    return Choice(kex, c_out, c_in, m_out or "", m_in or "")


def _mpint(raw: bytes) -> bytes:
    value = raw.lstrip(b"\x00")
    return string(b"\x00" + value if value and value[0] & 0x80 else value)


def _take_string(data: bytes, offset: int) -> tuple[bytes, int]:
    if offset + 4 > len(data):
        raise protocol_error("truncated message")
    (size,) = struct.unpack_from(">I", data, offset)
    value = data[offset + 4 : offset + 4 + size]
    if len(value) != size:
        raise protocol_error("string overruns the message")
    return value, offset + 4 + size


def _receive(transport: Transport, wanted: set[int]) -> bytes:
    for _ in range(MAX_NOISE):
        payload = transport.receive()
        if payload[0] in wanted:
            return payload
        if payload[0] not in _NOISE:
            raise protocol_error(f"unexpected SSH message {payload[0]}")
    raise protocol_error("too many messages")


def _key_exchange(transport: Transport, hs: Handshake) -> tuple[bytes, bytes]:
    """(K as mpint, exchange hash H) after a curve25519-sha256 exchange."""
    private = X25519PrivateKey.generate()
    ours = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    transport.send(bytes([MSG_KEX_ECDH_INIT]) + string(ours))
    reply = _receive(transport, {MSG_KEX_ECDH_REPLY})
    host_key, offset = _take_string(reply, 1)
    theirs, _ = _take_string(reply, offset)
    try:
        shared = _mpint(private.exchange(X25519PublicKey.from_public_bytes(theirs)))
    except ValueError as exc:
        raise protocol_error(f"bad server key-exchange value: {exc}") from exc
    parts = (hs.client_id, hs.server_id, hs.client_kexinit, hs.server_kexinit, host_key)
    covered = b"".join(map(string, (*parts, ours, theirs))) + shared
    return shared, hashlib.sha256(covered).digest()


def _derive(shared: bytes, exchange_hash: bytes, letter: bytes, size: int) -> bytes:
    out = hashlib.sha256(shared + exchange_hash + letter + exchange_hash).digest()
    while len(out) < size:
        out += hashlib.sha256(shared + exchange_hash + out).digest()
    return out[:size]


def _switch_keys(transport: Transport, choice: Choice, shared: bytes, h: bytes) -> None:
    transport.send(bytes([MSG_NEWKEYS]))
    _receive(transport, {MSG_NEWKEYS})

    def key(letter: bytes, size: int) -> bytes:
        return _derive(shared, h, letter, size)

    mac_out = MAC_HASHES.get(choice.mac_out, hashlib.sha256)().digest_size
    mac_in = MAC_HASHES.get(choice.mac_in, hashlib.sha256)().digest_size
    transport.outgoing = make_codec(
        choice.cipher_out, choice.mac_out, key(b"C", KEY_SIZES[choice.cipher_out]),
        key(b"A", 16), key(b"E", mac_out),
    )  # fmt: skip
    transport.incoming = make_codec(
        choice.cipher_in, choice.mac_in, key(b"D", KEY_SIZES[choice.cipher_in]),
        key(b"B", 16), key(b"F", mac_in),
    )  # fmt: skip


def auth_methods(transport: Transport, hs: Handshake, choice: Choice) -> tuple[str, ...]:
    """Methods the server lists for a ``none`` request (``("none",)`` if it lets us in)."""
    shared, exchange_hash = _key_exchange(transport, hs)
    _switch_keys(transport, choice, shared, exchange_hash)
    transport.send(bytes([MSG_SERVICE_REQUEST]) + string(b"ssh-userauth"))
    _receive(transport, {MSG_SERVICE_ACCEPT})
    request = (string(USER.encode()), string(b"ssh-connection"), string(b"none"))
    transport.send(bytes([MSG_USERAUTH_REQUEST]) + b"".join(request))
    answer = _receive(transport, {MSG_USERAUTH_FAILURE, MSG_USERAUTH_SUCCESS})
    if answer[0] == MSG_USERAUTH_SUCCESS:
        return ("none",)
    names, _ = _take_string(answer, 1)
    return tuple(n for n in names.decode("ascii", "replace").split(",") if n)[:32]
