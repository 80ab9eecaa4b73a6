"""The SSH probe against real OpenSSH servers (started here on 127.0.21.x), and the HTTP
probe against the lab's real nginx targets."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address, ip_address
from pathlib import Path
from typing import Any

import pytest

from socaudit.probes.http import probe_http
from socaudit.probes.ssh import probe_ssh
from socaudit.probes.ssh_findings import findings_for_ssh
from socaudit.tls.findings import findings_for_http

pytestmark = pytest.mark.integration

SSHD = "/usr/sbin/sshd"
WEAK = """\
KexAlgorithms diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,curve25519-sha256
HostKeyAlgorithms ssh-rsa,rsa-sha2-256
Ciphers 3des-cbc,aes128-cbc,aes256-ctr
MACs hmac-md5,hmac-sha1,hmac-sha2-256
PasswordAuthentication yes
"""
MODERN = """\
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org
HostKeyAlgorithms ssh-ed25519
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com
MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com
PasswordAuthentication no
KbdInteractiveAuthentication no
"""


@dataclass(frozen=True)
class Sshd:
    address: IPv4Address
    port: int


def _free_port(host: str) -> int:
    with socket.create_server((host, 0)) as s:
        return int(s.getsockname()[1])


def _wait_listening(host: str, port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sshd exited with {process.returncode}")
        try:
            socket.create_connection((host, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("sshd did not start listening")


@pytest.fixture(scope="module")
def host_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("sshd")
    for kind in ("ed25519", "rsa"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", kind, "-N", "", "-f", str(directory / f"host_{kind}")],
            check=True,
        )
    Path("/run/sshd").mkdir(parents=True, exist_ok=True)
    return directory


def _sshd(keys: Path, host: str, algorithms: str, name: str) -> Iterator[Sshd]:
    port = _free_port(host)
    config = keys / f"{name}.conf"
    config.write_text(
        f"ListenAddress {host}:{port}\nHostKey {keys}/host_rsa\nHostKey {keys}/host_ed25519\n"
        f"PidFile {keys}/{name}.pid\nUsePAM no\n{algorithms}"
    )
    process = subprocess.Popen([SSHD, "-D", "-f", str(config), "-E", str(keys / f"{name}.log")])
    try:
        _wait_listening(host, port, process)
        yield Sshd(IPv4Address(host), port)
    finally:
        process.terminate()
        process.wait(5)


@pytest.fixture(scope="module")
def weak_sshd(host_keys: Path) -> Iterator[Sshd]:
    yield from _sshd(host_keys, "127.0.21.40", WEAK, "weak")


@pytest.fixture(scope="module")
def modern_sshd(host_keys: Path) -> Iterator[Sshd]:
    yield from _sshd(host_keys, "127.0.21.41", MODERN, "modern")


@pytest.fixture(scope="module")
def cert_sshd(host_keys: Path) -> Iterator[Sshd]:
    """The modern server also presenting an OpenSSH host certificate signed by a test CA."""
    ca = host_keys / "ca_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(ca)], check=True)
    sign = ["ssh-keygen", "-q", "-s", str(ca), "-I", "sshd.test", "-h", "-n", "sshd.test"]
    subprocess.run([*sign, "-V", "-1d:+30d", str(host_keys / "host_ed25519.pub")], check=True)
    algorithms = MODERN.replace(
        "HostKeyAlgorithms ssh-ed25519",
        f"HostKeyAlgorithms ssh-ed25519,ssh-ed25519-cert-v01@openssh.com\n"
        f"HostCertificate {host_keys}/host_ed25519-cert.pub",
    )
    yield from _sshd(host_keys, "127.0.21.42", algorithms, "cert")


def test_weak_openssh_is_flagged(weak_sshd: Sshd) -> None:
    result = probe_ssh(weak_sshd.address, weak_sshd.port, 5.0)
    assert result.protocol_version == "2.0"
    assert result.software and result.software.startswith("OpenSSH_")
    assert "diffie-hellman-group1-sha1" in result.kex
    assert result.ciphers[:2] == ("3des-cbc", "aes128-cbc")
    weak = {(w.category, w.algorithm) for w in result.weaknesses}
    assert {
        ("kex", "diffie-hellman-group1-sha1"),
        ("kex", "diffie-hellman-group14-sha1"),
        ("host_key", "ssh-rsa"),
        ("cipher", "3des-cbc"),
        ("cipher", "aes128-cbc"),
        ("mac", "hmac-md5"),
        ("mac", "hmac-sha1"),
    } <= weak
    ids = {f.id for f in findings_for_ssh(result)}
    assert {"ssh.kex.weak", "ssh.host_key.weak", "ssh.cipher.weak", "ssh.mac.weak"} <= ids
    # auth methods come from a real key exchange (here aes256-ctr + hmac-sha2-256)
    assert result.auth_methods is not None and "password" in result.auth_methods
    assert "ssh.auth.password" in ids
    # host keys from real key exchanges: one connection for the RSA family (ssh-keygen: 3072)
    (key,) = result.host_keys
    assert set(key.algorithms) == {"ssh-rsa", "rsa-sha2-256"}
    assert (key.key_type, key.bits) == ("ssh-rsa", 3072)
    assert "ssh.host_key.small" not in ids and result.gex == () and result.notes == ()


def test_modern_openssh_has_no_weakness(modern_sshd: Sshd) -> None:
    result = probe_ssh(modern_sshd.address, modern_sshd.port, 5.0)
    assert result.host_key == ("ssh-ed25519",)
    assert "chacha20-poly1305@openssh.com" in result.ciphers
    assert result.weaknesses == ()
    assert findings_for_ssh(result) == ()
    assert result.auth_methods == ("publickey",)  # key exchange with aes256-gcm
    (key,) = result.host_keys
    assert (key.key_type, key.bits, key.certificate) == ("ssh-ed25519", 256, None)
    assert (result.strict_kex, result.terrapin) == (True, False)


def test_host_certificate_of_a_real_openssh(cert_sshd: Sshd, host_keys: Path) -> None:
    result = probe_ssh(cert_sshd.address, cert_sshd.port, 5.0)
    plain, certified = result.host_keys
    assert plain.algorithms == ("ssh-ed25519",) and plain.certificate is None
    cert = certified.certificate
    assert certified.algorithms == ("ssh-ed25519-cert-v01@openssh.com",)
    assert cert is not None and (cert.cert_type, cert.key_id) == ("host", "sshd.test")
    assert cert.principals == ("sshd.test",) and (cert.ca_key_type, cert.ca_bits) == (
        "ssh-ed25519",
        256,
    )
    listed = subprocess.run(
        ["ssh-keygen", "-l", "-f", str(host_keys / "ca_ed25519.pub")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert cert.ca_fingerprint in listed  # the same fingerprint ssh-keygen prints
    assert findings_for_ssh(result) == ()


def test_auth_query_can_be_switched_off(modern_sshd: Sshd) -> None:
    result = probe_ssh(modern_sshd.address, modern_sshd.port, 5.0, query_auth=False)
    assert result.auth_methods is None and result.kex


def test_probe_of_http_port_is_a_protocol_error_not_a_hang(weak_sshd: Sshd) -> None:
    from socaudit.evidence.base import ErrorReason
    from socaudit.probes.errors import ProbeError
    from socaudit.probes.http import probe_http

    started = time.monotonic()
    with pytest.raises(ProbeError) as info:
        probe_http(f"http://127.0.21.40:{weak_sshd.port}/", ip_address("127.0.21.40"), 3.0, [])
    assert info.value.reason in {ErrorReason.PROTOCOL, ErrorReason.CONNECTIVITY}
    assert time.monotonic() - started < 3.0 + 5.0  # the timeout, plus slack for a loaded machine


def _endpoint(lab: Any, name: str) -> tuple[IPv4Address, int]:
    found = next(e for e in lab.endpoints if e.name == name)
    return IPv4Address(found.address), int(found.port)


def _lab_url(lab: Any, name: str, scheme: str) -> tuple[str, IPv4Address]:
    address, port = _endpoint(lab, name)
    return f"{scheme}://{name}.lab.socaudit.test:{port}/", address


def test_lab_tls_good_serves_strong_hsts_and_headers(lab: Any) -> None:
    url, address = _lab_url(lab, "tls-good", "https")
    result = probe_http(url, address, 5.0, [lab.ca_bundle])
    assert result.status_code == 200
    assert result.hsts is not None
    assert (result.hsts.max_age, result.hsts.include_subdomains) == (63072000, True)
    assert {"content-security-policy", "x-frame-options", "referrer-policy"} <= set(result.headers)
    assert findings_for_http(result) == ()


def test_lab_http_redirect(lab: Any) -> None:
    url, address = _lab_url(lab, "http-redirect", "http")
    result = probe_http(url, address, 5.0, [])
    assert result.status_code == 301
    assert result.redirects_to_https is True
    assert result.location == "https://tls-good.lab.socaudit.test:8443/"
    ids = {f.id for f in findings_for_http(result)}
    assert "http.no_https_redirect" not in ids and "http.csp.missing" not in ids


def test_lab_http_plain(lab: Any) -> None:
    url, address = _lab_url(lab, "http-plain", "http")
    result = probe_http(url, address, 5.0, [])
    assert result.status_code == 200 and result.redirects_to_https is False
    ids = {f.id for f in findings_for_http(result)}
    assert {"http.no_https_redirect", "http.server.version_disclosed", "http.csp.missing"} <= ids


def test_lab_legacy_tls_server_still_gets_its_headers_checked(lab: Any) -> None:
    url, address = _lab_url(lab, "tls-legacy", "https")
    result = probe_http(url, address, 5.0, [])
    assert result.status_code is not None and result.hsts is not None
    assert not result.hsts.present


def test_lab_ssh_targets(lab: Any) -> None:
    weak = probe_ssh(*_endpoint(lab, "ssh-weak"), 5.0)
    modern = probe_ssh(*_endpoint(lab, "ssh-modern"), 5.0)
    weak_ids = {f.id for f in findings_for_ssh(weak)}
    assert {"ssh.kex.weak", "ssh.host_key.weak", "ssh.cipher.weak", "ssh.mac.weak"} <= weak_ids
    assert "ssh.auth.password" in weak_ids
    assert findings_for_ssh(modern) == ()
    assert modern.auth_methods == ("publickey",)
    # the lab's weak sshd has a 1024-bit RSA host key: a failing finding, as in ssh-audit
    (key,) = weak.host_keys
    assert (key.key_type, key.bits) == ("ssh-rsa", 1024)
    small = next(f for f in findings_for_ssh(weak) if f.id == "ssh.host_key.small")
    assert small.severity == "high"
    (gex,) = weak.gex  # OpenSSH's moduli file: 2048 at least, 3072 for a modern request
    assert (gex.min_bits, gex.preferred_bits) == (2048, 3072)
    assert weak.terrapin is False and weak.strict_kex is True  # Debian's OpenSSH 9.2 backport


def test_lab_telnet_port_is_not_ssh(lab: Any) -> None:
    from socaudit.evidence.base import ErrorReason
    from socaudit.probes.errors import ProbeError

    with pytest.raises(ProbeError) as info:
        probe_ssh(*_endpoint(lab, "telnet-admin"), 2.0)
    assert info.value.reason in {ErrorReason.PROTOCOL, ErrorReason.TIMEOUT}
