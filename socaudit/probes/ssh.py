"""SSH probe: identification string, the server's SSH_MSG_KEXINIT (RFC 4253 §4.2, §7.1) and,
when the negotiated algorithms allow, the authentication methods it offers (``ssh_auth``),
then host keys and group-exchange sizes over further short connections (``ssh_depth``).

Bounded everywhere: one overall deadline, identification lines <= 255 bytes after at most 32
other lines / 8 KiB, packets <= 35000 bytes, at most 8 IGNORE/DEBUG packets before the KEXINIT.
Failures before the KEXINIT raise ``ProbeError``; a failure of the auth-method step only leaves
``auth_methods`` None, and of a depth test only a note (the lists are already evidence).
"""

from __future__ import annotations

import re
import struct
from contextlib import closing
from ipaddress import IPv4Address, IPv6Address

from cryptography.exceptions import InvalidTag

from socaudit.evidence.ssh import SshResult
from socaudit.probes.errors import ProbeError
from socaudit.probes.netio import Deadline, connect
from socaudit.probes.ssh_auth import Handshake, auth_methods, choose
from socaudit.probes.ssh_depth import Depth, probe_depth
from socaudit.probes.ssh_hello import (
    CLIENT_ID,
    kexinit_payload,
    parse_kexinit,
    read_identification,
    read_kexinit,
)
from socaudit.probes.ssh_policy import assess, terrapin
from socaudit.probes.ssh_transport import Reader, Transport, protocol_error

__all__ = ["OUR_LISTS", "parse_kexinit", "probe_ssh"]

_ID = re.compile(r"SSH-([!-,.-~]+)-([!-~]+)(?: (.*))?")
# What we offer: first what ssh_auth speaks, then legacy names so old servers still answer.
_CIPHERS = "aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes256-ctr,aes128-cbc,3des-cbc"
_MACS = "hmac-sha2-256,hmac-sha2-512,hmac-sha1,hmac-md5"
OUR_LISTS: list[tuple[str, ...]] = [
    tuple(names.split(",")) if names else ()
    for names in (
        "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
        "diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1",
        "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256,ssh-rsa,ssh-dss",
        _CIPHERS,
        _CIPHERS,
        _MACS,
        _MACS,
        "none",
        "none",
        "",
        "",
    )
]


def _printable(raw: bytes) -> str:
    text = raw.rstrip(b"\r\n").decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def client_kexinit() -> bytes:
    """Our SSH_MSG_KEXINIT payload."""
    return kexinit_payload(OUR_LISTS)


def _merge(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(first + second))


def parse_identification(line: str) -> tuple[str, str | None]:
    """(protocol version, software version) from an ``SSH-proto-software comments`` line."""
    match = _ID.fullmatch(line)
    if match is None:
        raise protocol_error(f"malformed identification string {line[:80]!r}")
    return match.group(1), match.group(2)


def _result(
    banner: str,
    lists: list[tuple[str, ...]] | None,
    methods: tuple[str, ...] | None,
    depth: Depth | None,
) -> SshResult:
    protocol, software = parse_identification(banner)
    result = SshResult(banner=banner, protocol_version=protocol, software=software)
    if lists is not None:
        update = {
            "kex": lists[0],
            "host_key": lists[1],
            "ciphers": _merge(lists[2], lists[3]),
            "macs": _merge(lists[4], lists[5]),
            "compression": _merge(lists[6], lists[7]),
            "auth_methods": methods,
            "strict_kex": "kex-strict-s-v00@openssh.com" in lists[0],
        }
        result = result.model_copy(update=update)
        result = result.model_copy(update={"terrapin": terrapin(result)})
    if depth is not None:
        found = {"host_keys": tuple(depth.host_keys), "gex": tuple(depth.gex)}
        result = result.model_copy(update=found | {"notes": tuple(depth.notes)})
    return result.model_copy(update={"weaknesses": assess(result)})


def _try_auth_methods(
    transport: Transport, handshake: Handshake, theirs: list[tuple[str, ...]]
) -> tuple[str, ...] | None:
    choice = choose(OUR_LISTS, theirs)
    if choice is None:
        return None
    try:
        return auth_methods(transport, handshake, choice)
    except (ProbeError, InvalidTag, ValueError, IndexError, struct.error):
        return None


def probe_ssh(
    address: IPv4Address | IPv6Address,
    port: int,
    timeout: float,
    *,
    query_auth: bool = True,
    depth: bool = True,
) -> SshResult:
    """Banner, algorithm lists, (``query_auth``) auth methods and (``depth``) host keys and
    group-exchange sizes of ``address``:``port``, all within ``timeout`` seconds."""
    deadline = Deadline(timeout)
    with closing(connect(address, port, deadline)) as sock:
        reader = Reader(sock, deadline)
        server_id = read_identification(reader)
        banner = _printable(server_id)
        protocol, _ = parse_identification(banner)
        if protocol.startswith("1.") and protocol != "1.99":
            return _result(banner, None, None, None)  # SSH-1 only: no KEXINIT exists
        transport = Transport(sock, deadline, reader)
        ours = client_kexinit()
        transport.send(ours, prefix=CLIENT_ID + b"\r\n")
        theirs = read_kexinit(transport)
        lists = parse_kexinit(theirs)
        methods = None
        if query_auth:
            handshake = Handshake(CLIENT_ID, server_id, ours, theirs)
            methods = _try_auth_methods(transport, handshake, lists)
    found = probe_depth(address, port, deadline, lists) if depth else None
    return _result(banner, lists, methods, found)
