"""Host keys, certificates, group-exchange sizes and Terrapin against a fake SSH server that
answers each key exchange with the host key of the algorithm the client asked for."""

from __future__ import annotations

import base64
import datetime as dt
import socket
import struct
import threading
import time
from collections.abc import Callable
from ipaddress import ip_address

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import SSHCertificateBuilder, SSHCertificateType

from analysis.servers import Script, scripted_server
from socaudit.evidence.ssh import SshResult
from socaudit.probes.errors import ProbeError
from socaudit.probes.netio import Deadline
from socaudit.probes.ssh import probe_ssh
from socaudit.probes.ssh_depth import MAX_CONNECTIONS, key_groups
from socaudit.probes.ssh_findings import findings_for_ssh
from socaudit.probes.ssh_hello import kexinit_payload, parse_kexinit
from socaudit.probes.ssh_kex import mpint
from socaudit.probes.ssh_keys import host_key, key_size
from socaudit.probes.ssh_policy import terrapin
from socaudit.probes.ssh_transport import Reader, Transport, string

HOST = "127.0.21.31"
SERVER_ID = b"SSH-2.0-OpenSSH_9.2p1"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
GexAnswer = Callable[[int, int, int], int | None]
WEAK_BITS = 1024  # weak on purpose: what the findings must catch


def blob(public_key: object) -> bytes:
    line = public_key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return base64.b64decode(line.split()[1])


def certificate(
    ca: object, *, days: int = 30, kind: SSHCertificateType = SSHCertificateType.HOST
) -> bytes:
    host = ed25519.Ed25519PrivateKey.generate()
    start = NOW - dt.timedelta(days=60)
    cert = (
        SSHCertificateBuilder()
        .public_key(host.public_key())
        .serial(7)
        .type(kind)
        .key_id(b"sshd.lab")
        .valid_principals([b"sshd.lab.socaudit.test"])
        .valid_after(int(start.timestamp()))
        .valid_before(int((NOW + dt.timedelta(days=days)).timestamp()))
        .sign(ca)  # type: ignore[arg-type]
    )
    return base64.b64decode(cert.public_bytes().split()[1])


def lists(kex: str, host_keys: str, ciphers: str, macs: str) -> list[tuple[str, ...]]:
    names = [kex, host_keys, ciphers, ciphers, macs, macs, "none", "none", "", ""]
    return [tuple(n.split(",")) if n else () for n in names]


def depth_server(
    theirs: list[tuple[str, ...]], keys: dict[str, bytes], gex: GexAnswer, log: list[str]
) -> Script:
    """Each connection: KEXINIT, then a KEX reply with keys[asked host key algorithm], or a
    DH_GEX_GROUP of ``gex(min, n, max)`` bits (None: disconnect as OpenSSH does)."""

    def script(conn: socket.socket, stop: threading.Event) -> None:
        deadline = Deadline(5.0)
        reader = Reader(conn, deadline)
        transport = Transport(conn, deadline, reader)
        transport.send(kexinit_payload(theirs), prefix=SERVER_ID + b"\r\n")
        try:
            reader.line(300)
            client = parse_kexinit(transport.receive())
            message = transport.receive()
        except ProbeError:
            return  # the first connection ends after the KEXINIT (no auth spoken here)
        log.append(f"{message[0]} {client[0][0]} {client[1][0]}")
        if message[0] == 30:
            key = keys[client[1][0]]
            transport.send(b"\x1f" + string(key) + string(bytes(32)) + string(b"sig"))
        elif message[0] == 34:
            bits = gex(*struct.unpack(">III", message[1:13]))
            if bits is not None:
                transport.send(b"\x1f" + mpint((1 << (bits - 1)) | 1) + mpint(2))

    return script


def openssh_like_gex(smallest: int) -> GexAnswer:
    """A group closest to n within [max(min, smallest), max], None when that is empty."""

    def answer(low: int, n: int, high: int) -> int | None:
        low = max(low, smallest)
        return None if high < low else min(max(n, low), high)

    return answer


def strict_gex(low: int, n: int, high: int) -> int | None:
    """A server that refuses any request allowing less than 2048 bits."""
    return None if low < 2048 else min(max(n, low), high)


def weak_server(log: list[str]) -> tuple[Script, int]:
    rsa_key = rsa.generate_private_key(65537, WEAK_BITS)
    small_ca = rsa.generate_private_key(65537, WEAK_BITS)
    theirs = lists(
        "curve25519-sha256,diffie-hellman-group-exchange-sha256",
        "rsa-sha2-512,rsa-sha2-256,ssh-rsa,ssh-ed25519-cert-v01@openssh.com",
        "chacha20-poly1305@openssh.com,aes128-cbc",
        "hmac-sha2-256-etm@openssh.com",
    )
    rsa_blob = blob(rsa_key.public_key())
    keys = dict.fromkeys(("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"), rsa_blob)
    keys["ssh-ed25519-cert-v01@openssh.com"] = certificate(small_ca, days=-1)
    return depth_server(theirs, keys, openssh_like_gex(1024), log), rsa_key.key_size


def test_host_keys_certificates_and_gex_sizes_of_a_weak_server() -> None:
    log: list[str] = []
    script, _ = weak_server(log)
    with scripted_server(HOST, script) as port:
        result = probe_ssh(ip_address(HOST), port, 5.0)
    rsa_key, cert_key = result.host_keys
    assert rsa_key.algorithms == ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")
    assert (rsa_key.key_type, rsa_key.bits, rsa_key.certificate) == ("ssh-rsa", 1024, None)
    assert rsa_key.fingerprint.startswith("SHA256:") and "=" not in rsa_key.fingerprint
    assert (cert_key.key_type, cert_key.bits) == ("ssh-ed25519", 256)
    cert = cert_key.certificate
    assert cert is not None and cert.cert_type == "host" and cert.key_id == "sshd.lab"
    assert cert.principals == ("sshd.lab.socaudit.test",)
    assert (cert.ca_key_type, cert.ca_bits) == ("ssh-rsa", 1024)
    assert cert.valid_before is not None and cert.valid_before < NOW.isoformat()
    (gex,) = result.gex
    assert (gex.min_bits, gex.preferred_bits) == (1024, 3072)
    assert (result.strict_kex, result.terrapin, result.notes) == (False, True, ())
    # one connection per key (the RSA family shares one), one per group-exchange request
    assert log == [
        "30 curve25519-sha256 rsa-sha2-512",
        "30 curve25519-sha256 ssh-ed25519-cert-v01@openssh.com",
        "34 diffie-hellman-group-exchange-sha256 rsa-sha2-512",
        "34 diffie-hellman-group-exchange-sha256 rsa-sha2-512",
    ]
    found = {f.id: f for f in findings_for_ssh(result)}
    assert found["ssh.host_key.small"].severity == "high"
    assert "1024-bit ssh-rsa" in found["ssh.host_key.small"].message
    assert found["ssh.host_key.ca_small"].severity == "high"
    assert "expired" in found["ssh.host_key.cert_invalid"].message
    assert found["ssh.kex.gex_small_modulus"].severity == "high"
    assert found["ssh.terrapin"].severity == "medium"


def test_a_server_refusing_small_groups_reports_its_smallest_and_no_note() -> None:
    theirs = lists(
        "curve25519-sha256,kex-strict-s-v00@openssh.com,diffie-hellman-group-exchange-sha1",
        "ssh-ed25519",
        "chacha20-poly1305@openssh.com",
        "hmac-sha2-256-etm@openssh.com",
    )
    key = blob(ed25519.Ed25519PrivateKey.generate().public_key())
    log: list[str] = []
    script = depth_server(theirs, {"ssh-ed25519": key}, strict_gex, log)
    with scripted_server(HOST, script) as port:
        result = probe_ssh(ip_address(HOST), port, 5.0)
    (gex,) = result.gex
    assert (gex.algorithm, gex.min_bits, gex.preferred_bits) == (
        "diffie-hellman-group-exchange-sha1",
        2048,
        3072,
    )
    assert len(log) == 4 and result.notes == ()  # 1 key, refused 1024, 2048, modern request
    assert (result.strict_kex, result.terrapin) == (True, False)
    ids = {f.id for f in findings_for_ssh(result)}
    assert not ids & {"ssh.host_key.small", "ssh.kex.gex_small_modulus", "ssh.terrapin"}


def test_a_server_stalling_in_the_key_exchange_costs_at_most_the_timeout() -> None:
    theirs = lists(
        "curve25519-sha256", "ssh-ed25519,ecdsa-sha2-nistp256", "aes128-ctr", "hmac-sha2-256"
    )
    ready = threading.Event()

    def script(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(SERVER_ID + b"\r\n")
        Transport(conn, Deadline(5.0), Reader(conn, Deadline(5.0))).send(kexinit_payload(theirs))
        ready.set()
        stop.wait(10.0)  # never answers the key exchange

    timeout = 1.0
    with scripted_server(HOST, script) as port:
        started = time.monotonic()
        result = probe_ssh(ip_address(HOST), port, timeout, query_auth=False)
        elapsed = time.monotonic() - started
    assert ready.is_set() and result.kex == ("curve25519-sha256",)
    assert result.host_keys == ()
    assert result.notes[-1].endswith("time budget spent")
    assert elapsed < timeout + 5.0  # the deadline, plus slack for a loaded machine


def test_rsa_family_and_certificates_share_one_connection_each() -> None:
    offered = (
        "ssh-ed25519",
        "rsa-sha2-512-cert-v01@openssh.com",
        "rsa-sha2-512",
        "ssh-rsa-cert-v01@openssh.com",
        "ssh-rsa",
    )
    assert key_groups(offered) == [
        ("ssh-ed25519",),
        ("rsa-sha2-512-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com"),
        ("rsa-sha2-512", "ssh-rsa"),
    ]
    assert MAX_CONNECTIONS >= 1 + 2 * 3  # keys of a typical server plus two GEX algorithms


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (rsa.generate_private_key(65537, 2048).public_key(), ("ssh-rsa", 2048)),
        (dsa.generate_private_key(WEAK_BITS).public_key(), ("ssh-dss", 1024)),
        (ec.generate_private_key(ec.SECP384R1()).public_key(), ("ecdsa-sha2-nistp384", 384)),
        (ed25519.Ed25519PrivateKey.generate().public_key(), ("ssh-ed25519", 256)),
    ],
)
def test_key_sizes_from_blobs(key: object, expected: tuple[str, int]) -> None:
    assert key_size(blob(key)) == expected


def test_damaged_blobs_are_protocol_errors_and_unknown_types_have_no_size() -> None:
    good = blob(rsa.generate_private_key(65537, WEAK_BITS).public_key())
    for damaged in (good[:-5], good[:3], string(b"ssh-rsa") + b"\xff\xff\xff\xff"):
        with pytest.raises(ProbeError, match="truncated"):
            host_key(damaged, ("ssh-rsa",))
    odd = host_key(string(b"sk-ssh-ed25519@openssh.com") + string(b"x"), ("sk",))
    assert (odd.key_type, odd.bits) == ("sk-ssh-ed25519@openssh.com", None)
    with pytest.raises(ProbeError, match="unknown key type"):
        host_key(string(b"x-cert-v01@openssh.com") + string(b"nonce"), ("x",))


def test_user_certificate_served_as_host_key_is_a_finding() -> None:
    cert_blob = certificate(ed25519.Ed25519PrivateKey.generate(), kind=SSHCertificateType.USER)
    key = host_key(cert_blob, ("ssh-ed25519-cert-v01@openssh.com",))
    result = SshResult(banner="SSH-2.0-x", protocol_version="2.0", kex=("curve25519-sha256",))
    result = result.model_copy(update={"host_keys": (key,)})
    (finding,) = findings_for_ssh(result)
    assert finding.id == "ssh.host_key.cert_invalid" and "user-type" in finding.message


@pytest.mark.parametrize(
    ("kex", "ciphers", "macs", "vulnerable"),
    [
        ("curve25519-sha256", "chacha20-poly1305@openssh.com", "hmac-sha2-256", True),
        ("curve25519-sha256", "aes128-cbc", "hmac-sha2-256-etm@openssh.com", True),
        ("curve25519-sha256", "aes128-cbc", "hmac-sha2-256", False),
        ("curve25519-sha256", "aes128-ctr", "hmac-sha2-256-etm@openssh.com", False),
        (
            "curve25519-sha256,kex-strict-s-v00@openssh.com",
            "chacha20-poly1305@openssh.com,aes128-cbc",
            "hmac-sha2-256-etm@openssh.com",
            False,
        ),
        ("", "", "", None),
    ],
)
def test_terrapin_rule(kex: str, ciphers: str, macs: str, vulnerable: bool | None) -> None:
    split = lists(kex, "ssh-ed25519", ciphers, macs)
    result = SshResult(
        banner="SSH-2.0-x", protocol_version="2.0", kex=split[0], ciphers=split[2], macs=split[4]
    )
    assert terrapin(result) is vulnerable
