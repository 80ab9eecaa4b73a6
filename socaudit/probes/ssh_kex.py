"""The first half of an SSH key exchange, far enough to read the server's host key: our
ephemeral value (X25519, ECDH on NIST curves, fixed MODP groups, RFC 4419 group exchange)
and the server's reply. Keys come from ``cryptography``; NEWKEYS is never sent."""

from __future__ import annotations

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dh, ec
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from socaudit.probes.ssh_hello import receive_skipping
from socaudit.probes.ssh_keys import Cursor
from socaudit.probes.ssh_transport import Transport, protocol_error, string

MSG_KEXDH_INIT, MSG_KEXDH_REPLY = 30, 31
MSG_GEX_GROUP, MSG_GEX_INIT, MSG_GEX_REPLY, MSG_GEX_REQUEST = 31, 32, 33, 34
MAX_MODULUS_BITS = 16384
# RFC 2409 §6.2 (Oakley group 2) and RFC 3526 §3 (2048-bit MODP), generator 2.
_GROUP1 = int(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a0879"
    "8e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b"
    "0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece65381ffffffffffffffff",
    16,
)
_GROUP14 = int(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a0879"
    "8e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b"
    "0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da4836"
    "1c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804"
    "f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6"
    "955817183995497cea956ae515d2261898fa051015728e5a8aacaa68ffffffffffffffff",
    16,
)
_CURVES: dict[str, ec.EllipticCurve] = {
    "ecdh-sha2-nistp256": ec.SECP256R1(),
    "ecdh-sha2-nistp384": ec.SECP384R1(),
    "ecdh-sha2-nistp521": ec.SECP521R1(),
}
_GROUPS = {
    "diffie-hellman-group14-sha256": _GROUP14,
    "diffie-hellman-group14-sha1": _GROUP14,
    "diffie-hellman-group1-sha1": _GROUP1,
}
GEX = ("diffie-hellman-group-exchange-sha256", "diffie-hellman-group-exchange-sha1")
SPOKEN = (
    "curve25519-sha256",
    "curve25519-sha256@libssh.org",
    *_CURVES,
    *_GROUPS,
    *GEX,
)
"""Key exchanges this module can start, in the order it picks them."""
MODERN_GEX_REQUEST = (2048, 3072, 8192)


def mpint(value: int) -> bytes:
    return string(value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _dh_public(p: int, g: int) -> int:
    try:
        private = dh.DHParameterNumbers(p, g).parameters().generate_private_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise protocol_error(f"unusable DH group ({p.bit_length()} bits): {exc}") from exc
    return private.public_key().public_numbers().y


def _ephemeral(kex: str) -> bytes:
    """Our KEX_ECDH_INIT / KEXDH_INIT payload for a fixed-group ``kex``."""
    if kex.startswith("curve25519"):
        raw = (
            X25519PrivateKey.generate()
            .public_key()
            .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )
        return bytes([MSG_KEXDH_INIT]) + string(raw)
    if kex in _CURVES:
        point = (
            ec.generate_private_key(_CURVES[kex])
            .public_key()
            .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        )
        return bytes([MSG_KEXDH_INIT]) + string(point)
    return bytes([MSG_KEXDH_INIT]) + mpint(_dh_public(_GROUPS[kex], 2))


def _expect(transport: Transport, wanted: int, what: str) -> bytes:
    payload = receive_skipping(transport, what)
    if payload[0] != wanted:
        raise protocol_error(f"unexpected message {payload[0]} instead of {what}")
    return payload


def request_group(transport: Transport, sizes: tuple[int, int, int]) -> tuple[int, int]:
    """Send DH_GEX_REQUEST (min, preferred, max); the server's (p, g)."""
    transport.send(bytes([MSG_GEX_REQUEST]) + b"".join(n.to_bytes(4, "big") for n in sizes))
    cursor = Cursor(_expect(transport, MSG_GEX_GROUP, "DH_GEX_GROUP"), 1)
    p, g = cursor.mpint(), cursor.mpint()
    if not 2 <= p.bit_length() <= MAX_MODULUS_BITS or not 1 < g < p:
        raise protocol_error(f"absurd DH group from the server ({p.bit_length()} bits)")
    return p, g


def server_host_key(transport: Transport, kex: str) -> bytes:
    """Run ``kex`` up to the server's reply; the host key blob (K_S) it carries."""
    if kex in GEX:
        p, g = request_group(transport, MODERN_GEX_REQUEST)
        transport.send(bytes([MSG_GEX_INIT]) + mpint(_dh_public(p, g)))
        reply = _expect(transport, MSG_GEX_REPLY, "DH_GEX_REPLY")
    else:
        transport.send(_ephemeral(kex))
        reply = _expect(transport, MSG_KEXDH_REPLY, "the key-exchange reply")
    return Cursor(reply, 1).string()
