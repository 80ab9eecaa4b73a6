"""Dovecot and vsftpd configurations: loopback listeners, the target's own leaf, and a
configuration the real Dovecot accepts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from socaudit.lab import maildaemons
from socaudit.lab.pki import LeafFiles
from socaudit.lab.targets import NotLoopbackError, Target, parse_network, targets_for

TARGETS = {t.name: t for t in targets_for(parse_network("127.0.34.0/24"))}


def _leaves(tmp_path: Path, *names: str) -> dict[str, LeafFiles]:
    return {n: LeafFiles(tmp_path / f"{n}.pem", tmp_path / f"{n}.key") for n in names}


def test_dovecot_listens_on_each_target_with_its_own_leaf(tmp_path: Path) -> None:
    imap, pop3 = TARGETS["imap-starttls"], TARGETS["pop3-starttls"]
    leaves = _leaves(tmp_path, imap.name, pop3.name)
    text = maildaemons.dovecot_config(tmp_path, (imap, pop3), leaves, tmp_path / "dh.pem")
    assert "protocols = imap pop3" in text
    assert f"listen = {imap.address}, {pop3.address}" in text
    assert f"local {pop3.address} {{\n  ssl_cert = <{leaves[pop3.name].chain}" in text
    assert f"address = {imap.address}\n    port = {imap.port}" in text
    assert text.count("port = 0") == 2  # no implicit-TLS listeners (993/995)
    assert "ssl_min_protocol = TLSv1.2" in text


def test_real_dovecot_accepts_the_configuration(tmp_path: Path) -> None:
    imap, pop3 = TARGETS["imap-starttls"], TARGETS["pop3-starttls"]
    for name in (imap.name, pop3.name):
        (tmp_path / f"{name}.pem").write_text("", encoding="ascii")
        (tmp_path / f"{name}.key").write_text("", encoding="ascii")
    (tmp_path / "dh.pem").write_text("", encoding="ascii")
    conf = tmp_path / "dovecot.conf"
    leaves = _leaves(tmp_path, imap.name, pop3.name)
    conf.write_text(maildaemons.dovecot_config(tmp_path, (imap, pop3), leaves, tmp_path / "dh.pem"))
    done = subprocess.run(["doveconf", "-c", str(conf), "-n"], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert b"imap-login" in done.stdout


def test_vsftpd_is_loopback_anonymous_read_only_without_data_connections(tmp_path: Path) -> None:
    ftp = TARGETS["ftp-starttls"]
    leaf = _leaves(tmp_path, ftp.name)[ftp.name]
    lines = set(maildaemons.vsftpd_config(tmp_path, ftp, leaf).splitlines())
    assert {f"listen_address={ftp.address}", f"listen_port={ftp.port}", "ssl_enable=YES",
            "write_enable=NO", "local_enable=NO", "pasv_enable=NO", "port_enable=NO",
            "ssl_sslv3=NO", f"rsa_cert_file={leaf.chain}"} <= lines  # fmt: skip


def test_non_loopback_addresses_are_refused(tmp_path: Path) -> None:
    ftp = TARGETS["ftp-starttls"]
    outside = Target(ftp.name, ftp.kind, "192.0.2.10", ftp.port, ftp.description, ftp.backend)
    leaf = _leaves(tmp_path, ftp.name)[ftp.name]
    with pytest.raises(NotLoopbackError):
        maildaemons.vsftpd_config(tmp_path, outside, leaf)
    with pytest.raises(NotLoopbackError):
        maildaemons.dovecot_config(tmp_path, (outside,), {ftp.name: leaf}, tmp_path / "dh")


def test_runtime_folder_is_per_lab_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(maildaemons, "RUN_ROOT", tmp_path / "run")
    one, two = maildaemons.dovecot_base(tmp_path / "a"), maildaemons.dovecot_base(tmp_path / "b")
    assert one != two and one.parent == tmp_path / "run"
    one.mkdir(parents=True)
    (one / "login").mkdir()
    two.mkdir()
    maildaemons.remove_runtime(tmp_path / "a")
    assert not one.exists() and two.exists()
