"""nginx and sshd configurations: rendered from the plan, checked by the real binaries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest

from socaudit.lab import nginxconf, sshd
from socaudit.lab.pki import ensure_pki
from socaudit.lab.revocationpki import write_material
from socaudit.lab.targets import TARGETS, Backend, NotLoopbackError, parse_network, targets_for

WEB = tuple(
    t
    for t in TARGETS
    if t.backend in {Backend.NGINX, Backend.NGINX_PROBES, Backend.NGINX_REVOCATION}
)
TLS = tuple(t for t in WEB if t.kind == "tls")


@pytest.fixture(scope="module")
def nginx_conf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lab_dir = tmp_path_factory.mktemp("nginx")
    (lab_dir / "logs").mkdir()
    (lab_dir / "run").mkdir()
    leaves = ensure_pki(lab_dir, TLS, dt.datetime.now(dt.UTC))
    write_material(lab_dir, dt.datetime.now(dt.UTC))
    return nginxconf.write_config(lab_dir, WEB, leaves)


def test_every_tls_target_has_a_profile() -> None:
    assert set(nginxconf.PROFILES) == {t.name for t in TLS}


def test_one_listen_per_target_all_on_loopback(nginx_conf: Path) -> None:
    listens = re.findall(r"listen (\S+?):(\d+)", nginx_conf.read_text())
    assert sorted(listens) == sorted((t.address, str(t.port)) for t in WEB)


def test_strong_profiles_pin_security_level_2() -> None:
    for name in ("tls-good", "tls-expired", "tls-mismatch", "tls-nochain"):
        assert nginxconf.PROFILES[name].ciphers.endswith("@SECLEVEL=2")
        assert nginxconf.PROFILES[name].protocols == "TLSv1.2 TLSv1.3"


def test_good_target_sends_security_headers_and_plain_http_a_version(nginx_conf: Path) -> None:
    text = nginx_conf.read_text()
    good = text.split("server_name tls-good.lab.socaudit.test;")[1].split("server {")[0]
    assert 'Strict-Transport-Security "max-age=63072000; includeSubDomains" always' in good
    assert "server_tokens off;" in good
    plain = text.split("server_name http-plain.lab.socaudit.test;")[1].split("}")[0]
    assert "server_tokens on;" in plain and "Strict-Transport-Security" not in plain


def test_real_nginx_accepts_the_configuration(nginx_conf: Path) -> None:
    env = {**os.environ, "OPENSSL_CONF": str(nginx_conf.parent / "openssl.cnf")}
    error_log = str(nginx_conf.parents[1] / "logs" / "t.log")
    argv = ["nginx", "-t", "-q", "-c", str(nginx_conf), "-p", str(nginx_conf.parent)]
    done = subprocess.run([*argv, "-e", error_log], capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()


def test_rendering_refuses_a_non_loopback_target(tmp_path: Path) -> None:
    plain = next(t for t in WEB if t.name == "http-plain")
    bad = (dataclasses.replace(plain, address="192.168.1.1"),)
    with pytest.raises(NotLoopbackError):
        nginxconf.render(tmp_path, bad, {})


def sshd_effective(tmp_path: Path, name: str) -> dict[str, str]:
    target = next(t for t in targets_for(parse_network("127.0.14.0/24")) if t.name == name)
    argv = list(sshd.write_config(tmp_path, target))
    Path("/run/sshd").mkdir(exist_ok=True)
    done = subprocess.run(
        [argv[0], "-T", *argv[2:4]], capture_output=True, text=True, check=False, timeout=10
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)


def test_weak_sshd_offers_the_weak_algorithms(tmp_path: Path) -> None:
    conf = sshd_effective(tmp_path, "ssh-weak")
    assert "diffie-hellman-group1-sha1" in conf["kexalgorithms"].split(",")
    assert {"aes128-cbc", "3des-cbc"} <= set(conf["ciphers"].split(","))
    assert {"hmac-sha1", "hmac-md5"} <= set(conf["macs"].split(","))
    assert "ssh-rsa" in conf["hostkeyalgorithms"].split(",")
    assert conf["passwordauthentication"] == "yes"
    assert conf["listenaddress"] == "127.0.14.40:2222"


def test_modern_sshd_offers_only_modern_algorithms(tmp_path: Path) -> None:
    conf = sshd_effective(tmp_path, "ssh-modern")
    assert conf["kexalgorithms"] == "curve25519-sha256,curve25519-sha256@libssh.org"
    assert conf["hostkeyalgorithms"] == "ssh-ed25519"
    assert all("cbc" not in c for c in conf["ciphers"].split(","))
    assert all(m.endswith("-etm@openssh.com") for m in conf["macs"].split(","))
    assert conf["passwordauthentication"] == "no"
    assert conf["authenticationmethods"] == "publickey"
