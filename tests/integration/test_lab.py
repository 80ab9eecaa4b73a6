"""The lab against real clients: openssl s_client handshakes, served certificates, banners."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from socaudit.lab import api, supervisor
from socaudit.lab.api import Endpoint, LabInfo
from socaudit.lab.targets import TARGETS

pytestmark = pytest.mark.integration

LEGACY = ("tls-legacy", "tls-rsa1024", "tls-sha1", "tls-dhe1024", "tls-nofs")
TLS_NAMES = (
    "tls-good", "tls-legacy", "tls-expired", "tls-notyet", "tls-selfsigned", "tls-rsa1024",
    "tls-sha1", "tls-mismatch", "tls-nochain", "tls-null-anon", "tls-dhe1024", "tls-nofs",
)  # fmt: skip


def s_client(lab: LabInfo, ep: Endpoint, *extra: str) -> str:
    """One real handshake with ``openssl s_client``; returns its combined output."""
    argv = [
        "openssl",
        "s_client",
        "-connect",
        f"{ep.address}:{ep.port}",
        "-servername",
        ep.hostname,
        "-CAfile",
        str(lab.ca_bundle),
        "-showcerts",
        *extra,
    ]
    done = subprocess.run(argv, input=b"", capture_output=True, timeout=10, check=False)
    return (done.stdout + done.stderr).decode(errors="replace")


def served_certs(output: str) -> list[x509.Certificate]:
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", output, re.S)
    return [x509.load_pem_x509_certificate(b.encode()) for b in blocks]


def test_status_lists_the_whole_address_plan_up(lab: LabInfo) -> None:
    tls = [e.name for e in lab.endpoints if e.kind == "tls"]
    assert tls[: len(TLS_NAMES)] == list(TLS_NAMES)  # the nginx targets first, in plan order
    assert {"tls-heartbleed", "tls-reneg", "tls-revoked", "tls-ocsp-stapled"} <= set(tls)
    assert all(e.up for e in lab.endpoints)
    assert lab.ca_bundle.is_file()
    assert lab.endpoint("tls-good").address == "127.0.10.10"


@pytest.mark.parametrize("name", TLS_NAMES)
def test_every_tls_target_completes_a_real_handshake(lab: LabInfo, name: str) -> None:
    extra = ["-cipher", "DEFAULT:@SECLEVEL=0"] if name in LEGACY else []
    if name == "tls-null-anon":
        extra = ["-cipher", "aNULL:eNULL:@SECLEVEL=0"]
    out = s_client(lab, lab.endpoint(name), *extra)
    assert re.search(r"New, TLSv1\.[0-3], Cipher is (?!\(NONE\))", out), out


def test_good_target_verifies_against_the_lab_ca_with_tls13(lab: LabInfo) -> None:
    out = s_client(lab, lab.endpoint("tls-good"))
    assert "Verify return code: 0 (ok)" in out
    assert "TLSv1.3" in out
    certs = served_certs(out)
    assert len(certs) == 2  # leaf + intermediate
    assert isinstance(certs[0].public_key(), rsa.RSAPublicKey)
    assert certs[0].public_key().key_size == 2048  # type: ignore[union-attr]


@pytest.mark.parametrize(("flag", "shown"), [("-tls1", "TLSv1"), ("-tls1_1", "TLSv1.1")])
def test_legacy_target_speaks_old_protocols(lab: LabInfo, flag: str, shown: str) -> None:
    out = s_client(lab, lab.endpoint("tls-legacy"), flag, "-cipher", "DEFAULT:@SECLEVEL=0")
    assert f"Protocol  : {shown}\n" in out


def test_good_target_refuses_tls10(lab: LabInfo) -> None:
    out = s_client(lab, lab.endpoint("tls-good"), "-tls1", "-cipher", "DEFAULT:@SECLEVEL=0")
    assert "Cipher is (NONE)" in out or "alert" in out


def test_certificate_facts_match_the_plan(lab: LabInfo) -> None:
    now = dt.datetime.now(dt.UTC)
    low = ("-cipher", "DEFAULT:@SECLEVEL=0")
    leaf = {n: served_certs(s_client(lab, lab.endpoint(n), *low))[0] for n in TLS_NAMES[:9]}
    assert leaf["tls-expired"].not_valid_after_utc < now
    assert leaf["tls-notyet"].not_valid_before_utc > now
    assert leaf["tls-selfsigned"].issuer == leaf["tls-selfsigned"].subject
    assert leaf["tls-rsa1024"].public_key().key_size == 1024  # type: ignore[union-attr]
    assert leaf["tls-sha1"].signature_hash_algorithm.name == "sha1"  # type: ignore[union-attr]
    san = leaf["tls-mismatch"].extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert san.value.get_values_for_type(x509.DNSName) == ["other-name.example.test"]


def test_nochain_serves_only_the_leaf(lab: LabInfo) -> None:
    out = s_client(lab, lab.endpoint("tls-nochain"))
    assert len(served_certs(out)) == 1
    assert "unable to get local issuer certificate" in out


def test_dhe1024_uses_1024_bit_dh_and_nofs_uses_rsa_kx(lab: LabInfo) -> None:
    dhe = s_client(lab, lab.endpoint("tls-dhe1024"), "-cipher", "DEFAULT:@SECLEVEL=0")
    assert "Server Temp Key: DH, 1024 bits" in dhe
    nofs = s_client(lab, lab.endpoint("tls-nofs"))
    assert "Server Temp Key" not in nofs
    assert re.search(r"Cipher is AES\d+-", nofs)


def test_null_anon_negotiates_anonymous_and_null_suites(lab: LabInfo) -> None:
    ep = lab.endpoint("tls-null-anon")
    assert re.search(r"Cipher is A(EC)?DH-", s_client(lab, ep, "-cipher", "aNULL:@SECLEVEL=0"))
    assert "NULL-SHA" in s_client(lab, ep, "-cipher", "eNULL:@SECLEVEL=0")


def banner(ep: Endpoint, size: int = 200) -> bytes:
    with socket.create_connection((ep.address, ep.port), timeout=5) as sock:
        sock.settimeout(5)
        return sock.recv(size)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ssh-weak", b"SSH-2.0-OpenSSH_"),
        ("ssh-modern", b"SSH-2.0-OpenSSH_"),
        ("telnet-admin", b"\xff\xfd\x18\xff\xfd"),
        ("ftp-anon", b"220 ProFTPD"),
        ("smtp-plain", b"220 smtp-plain.lab.socaudit.test ESMTP"),
        ("db-exposed", b"\x0a5.7.44"),
    ],
)
def test_plain_banners(lab: LabInfo, name: str, expected: bytes) -> None:
    assert expected in banner(lab.endpoint(name))


def test_telnet_prompts_for_a_clear_text_login(lab: LabInfo) -> None:
    ep = lab.endpoint("telnet-admin")
    with socket.create_connection((ep.address, ep.port), timeout=5) as sock:
        sock.settimeout(5)
        sock.recv(64)
        sock.sendall(b"\xff\xfc\x18")  # IAC WONT TTYPE
        assert b"login: " in sock.recv(200)


# --- lifecycle: a second lab on its own /24, so the shared `lab` fixture is never disturbed ---


def free_prefix() -> str:
    """A loopback /24 (``127.0.N.``) nobody listens on, so concurrent sessions don't collide."""
    for n in random.sample(range(100, 200), 100):
        if not listening_on(f"127.0.{n}."):
            return f"127.0.{n}."
    raise AssertionError("no free loopback /24 in 127.0.100-199")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "socaudit", "lab", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


def family(lab_dir: Path) -> list[int]:
    """Pids of every recorded service and all of its descendants."""
    pids = []
    for record in (lab_dir / "run").glob("*.pid.json"):
        pid = int(json.loads(record.read_text())["pid"])
        pids += [pid, *supervisor.descendants(pid)]
    return pids


def listening_on(prefix: str) -> list[str]:
    out = subprocess.run(["ss", "-Htln"], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if f" {prefix}" in line]


@pytest.fixture
def lab_dir(tmp_path: Path) -> Iterator[Path]:
    """A lab directory that is always stopped at the end, whatever the test did."""
    yield tmp_path / "lab"
    api.stop(tmp_path / "lab")


def test_up_twice_status_down_twice_leaves_nothing(lab_dir: Path) -> None:
    prefix = free_prefix()
    net = prefix + "0/24"
    first = cli("up", "--dir", str(lab_dir), "--network", net)
    assert first.returncode == 0, first.stderr
    pids = family(lab_dir)
    assert len(pids) >= 5  # nginx master (+ worker), two sshd, plain services
    assert cli("up", "--dir", str(lab_dir), "--network", net).returncode == 0
    assert set(family(lab_dir)) >= set(pids)  # idempotent: nothing restarted
    shown = cli("status", "--dir", str(lab_dir), "--format", "json")
    data = json.loads(shown.stdout)
    assert shown.returncode == 0 and set(data) == {"endpoints", "ca_bundle"}
    assert len(data["endpoints"]) == len(TARGETS)
    assert all(e["up"] and e["address"].startswith(prefix) for e in data["endpoints"])
    assert set(data["endpoints"][0]) >= {"name", "kind", "address", "port", "description"}
    assert len(listening_on(prefix)) == len({(t.address, t.port) for t in TARGETS})
    pids = family(lab_dir)

    assert cli("down", "--dir", str(lab_dir)).returncode == 0
    assert listening_on(prefix) == []
    assert not any(supervisor.alive(pid) for pid in pids)
    assert not any(supervisor.accepts(e["address"], e["port"]) for e in data["endpoints"])
    assert list((lab_dir / "run").glob("*.pid.json")) == []
    assert cli("down", "--dir", str(lab_dir)).returncode == 0
    after = cli("status", "--dir", str(lab_dir), "--format", "json")
    assert after.returncode == 4
    assert not any(e["up"] for e in json.loads(after.stdout)["endpoints"])


def test_up_recovers_from_a_killed_nginx_master(lab_dir: Path) -> None:
    net = ipaddress.IPv4Network(free_prefix() + "0/24")
    api.start(lab_dir, net)
    master = supervisor.running(lab_dir / "run", "nginx")
    assert master is not None
    deadline = time.monotonic() + 30  # generous: nginx forks its workers slowly under load
    while not supervisor.descendants(master) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = supervisor.descendants(master)
    assert workers
    os.kill(master, signal.SIGKILL)
    while supervisor.alive(master) and time.monotonic() < deadline + 5:
        time.sleep(0.01)  # SIGKILL is delivered asynchronously
    again = api.start(lab_dir, net)  # the orphaned worker must not block the ports
    assert [e.name for e in again.endpoints if not e.up] == []
    assert supervisor.running(lab_dir / "run", "nginx") not in (None, master)
    assert not any(supervisor.alive(pid) for pid in workers)


def test_up_refuses_busy_ports_before_starting_anything(lab_dir: Path) -> None:
    prefix = free_prefix()
    with socket.create_server((prefix + "60", 3306)):
        result = cli("up", "--dir", str(lab_dir), "--network", prefix + "0/24")
    assert result.returncode == 4
    assert f"{prefix}60:3306 already in use" in result.stderr
    assert "Traceback" not in result.stderr
    assert listening_on(prefix) == []


@pytest.mark.parametrize("network", ["10.0.0.0/24", "192.168.1.0/24", "127.0.0.0/16", "garbage"])
def test_up_refuses_networks_outside_loopback(tmp_path: Path, network: str) -> None:
    result = cli("up", "--dir", str(tmp_path / "lab"), "--network", network)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "network" in result.stderr
    assert not (tmp_path / "lab").exists()


def http_get(ep: Endpoint, lab: LabInfo | None = None) -> tuple[int, dict[str, str]]:
    """GET / (over TLS verified against the lab CA when ``lab`` is given): status, headers."""
    request = f"GET / HTTP/1.1\r\nHost: {ep.hostname}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection((ep.address, ep.port), timeout=5) as raw:
        sock = raw
        if lab is not None:
            context = ssl.create_default_context(cafile=str(lab.ca_bundle))
            sock = context.wrap_socket(raw, server_hostname=ep.hostname)
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(4096):
            data += chunk
        sock.close()
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in head[1:])
    return int(head[0].split()[1]), headers


def test_http_redirect_points_at_the_good_tls_target(lab: LabInfo) -> None:
    status, headers = http_get(lab.endpoint("http-redirect"))
    assert status == 301
    assert headers["Location"] == "https://tls-good.lab.socaudit.test:8443/"


def test_plain_http_shows_its_version_and_no_hsts(lab: LabInfo) -> None:
    status, headers = http_get(lab.endpoint("http-plain"))
    assert status == 200
    assert re.fullmatch(r"nginx/\d+\.\d+\.\d+", headers["Server"])
    assert "Strict-Transport-Security" not in headers


def test_good_tls_target_sends_the_security_headers(lab: LabInfo) -> None:
    status, headers = http_get(lab.endpoint("tls-good"), lab)
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] and headers["Referrer-Policy"]
    assert headers["Server"] == "nginx"  # no version on the good target


def kexinit(ep: Endpoint) -> list[list[str]]:
    """The name-lists of the server's real SSH_MSG_KEXINIT (kex, host key, ciphers, macs...)."""
    with socket.create_connection((ep.address, ep.port), timeout=5) as sock:
        sock.settimeout(5)
        stream = sock.makefile("rb")
        assert stream.readline().startswith(b"SSH-2.0-OpenSSH_")
        sock.sendall(b"SSH-2.0-socaudit_lab_test\r\n")
        length = int.from_bytes(stream.read(4), "big")
        packet = stream.read(length)
        stream.close()
    payload, lists, pos = packet[1 : length - packet[0]], [], 17
    assert payload[0] == 20  # SSH_MSG_KEXINIT
    for _ in range(8):
        size = int.from_bytes(payload[pos : pos + 4], "big")
        lists.append(payload[pos + 4 : pos + 4 + size].decode().split(","))
        pos += 4 + size
    return lists


def test_weak_sshd_really_offers_weak_algorithms(lab: LabInfo) -> None:
    kex, hostkey, ciphers, _, macs, *_ = kexinit(lab.endpoint("ssh-weak"))
    assert "diffie-hellman-group1-sha1" in kex
    assert "ssh-rsa" in hostkey
    assert "3des-cbc" in ciphers and "aes128-cbc" in ciphers
    assert "hmac-md5" in macs


def test_modern_sshd_offers_only_modern_algorithms(lab: LabInfo) -> None:
    kex, hostkey, ciphers, _, macs, *_ = kexinit(lab.endpoint("ssh-modern"))
    assert set(kex) - {"ext-info-s", "kex-strict-s-v00@openssh.com"} == {
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
    }
    assert hostkey == ["ssh-ed25519"]
    assert not any("cbc" in c for c in ciphers)
    assert all(m.endswith("-etm@openssh.com") for m in macs)
