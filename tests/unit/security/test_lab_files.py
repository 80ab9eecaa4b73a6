"""The lab's keys and folders: private as created, planted links and shared folders refused."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from socaudit.fsutil import UnsafePathError
from socaudit.lab import api, sshd, supervisor
from socaudit.lab.pki import ensure_pki
from socaudit.lab.shared import shared_lab
from socaudit.lab.targets import TARGETS, LabError

NOW = dt.datetime.now(dt.UTC)
TLS = tuple(t for t in TARGETS if t.kind == "tls")
SSH = {t.name: t for t in TARGETS if t.kind == "ssh"}
UNUSED_NETWORK = ipaddress.IPv4Network("127.0.99.0/24")
"""A loopback network no lab uses: refusals must come before anything is started on it."""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 0: a file's mode is then exactly the one it was created with."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    return home


@pytest.mark.usefixtures("open_umask")
def test_every_lab_key_is_0600_and_its_folders_0700(tmp_path: Path) -> None:
    ensure_pki(tmp_path, TLS, NOW)
    keys = sorted((tmp_path / "ca").glob("*.key")) + sorted((tmp_path / "certs").glob("*.key"))
    assert len(keys) == len(TLS) + 2
    assert {k.name: _mode(k) for k in keys} == {k.name: 0o600 for k in keys}
    assert _mode(tmp_path / "ca") == _mode(tmp_path / "certs") == 0o700


def test_a_planted_symlink_never_receives_a_ca_key(tmp_path: Path) -> None:
    (tmp_path / "ca").mkdir(mode=0o700)
    stolen = tmp_path / "stolen"
    (tmp_path / "ca" / "lab-root.key").symlink_to(stolen)
    ensure_pki(tmp_path, TLS[:1], NOW)
    assert not stolen.exists()
    key = tmp_path / "ca" / "lab-root.key"
    assert key.is_file() and not key.is_symlink()
    assert b"PRIVATE KEY" in key.read_bytes()


def test_a_planted_symlink_never_receives_a_legacy_leaf_key(tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir(mode=0o700)
    stolen = tmp_path / "stolen"
    (tmp_path / "certs" / "tls-rsa1024.key").symlink_to(stolen)
    ensure_pki(tmp_path, tuple(t for t in TLS if t.name == "tls-rsa1024"), NOW)
    assert not stolen.exists()
    assert _mode(tmp_path / "certs" / "tls-rsa1024.key") == 0o600


@pytest.mark.usefixtures("open_umask")
@pytest.mark.parametrize("name", sorted(SSH))
def test_sshd_host_keys_are_0600_in_a_0700_folder(tmp_path: Path, name: str) -> None:
    (tmp_path / "logs").mkdir()
    sshd.write_config(tmp_path, SSH[name])
    keys = list((tmp_path / "ssh" / name).glob("ssh_host_*_key"))
    assert len(keys) == 1
    assert _mode(keys[0]) == 0o600
    assert _mode(tmp_path / "ssh" / name) == 0o700


def test_a_planted_host_key_symlink_is_refused(tmp_path: Path) -> None:
    conf_dir = tmp_path / "ssh" / "ssh-modern"
    conf_dir.mkdir(parents=True, mode=0o700)
    stolen = tmp_path / "stolen"
    (conf_dir / "ssh_host_ed25519_key").symlink_to(stolen)
    with pytest.raises(LabError, match="not a key file"):
        sshd.write_config(tmp_path, SSH["ssh-modern"])
    assert not stolen.exists()


def _never_spawn(*_args: object, **_kwargs: object) -> int:
    raise AssertionError("a lab service was started")


def test_lab_start_refuses_a_folder_others_can_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(supervisor, "spawn", _never_spawn)
    lab_dir = tmp_path / "lab"
    lab_dir.mkdir()
    lab_dir.chmod(0o777)
    with pytest.raises(UnsafePathError, match="writable by other users"):
        api.start(lab_dir, network=UNUSED_NETWORK)
    assert not (lab_dir / "nginx").exists()


@pytest.mark.usefixtures("open_umask")
def test_lab_folders_are_created_0700(tmp_path: Path) -> None:
    lab_dir = tmp_path / "lab"
    api._prepare(lab_dir, UNUSED_NETWORK)
    assert {p.name: _mode(p) for p in [lab_dir, *lab_dir.iterdir()] if p.is_dir()} == {
        "lab": 0o700,
        "run": 0o700,
        "logs": 0o700,
        "ca": 0o700,
    }


def test_the_shared_lab_lives_in_the_users_state_folder(state_home: Path) -> None:
    shared = state_home / "socaudit" / "shared-lab"
    shared.mkdir(parents=True)
    shared.chmod(0o777)  # made by someone else, or loosened: never used
    with pytest.raises(UnsafePathError, match="writable by other users"), shared_lab():
        pytest.fail("a shared lab was handed out from a folder others can write")
    assert not (shared / "start.lock").exists()


def test_the_lab_registry_refuses_a_folder_others_can_write(state_home: Path) -> None:
    registry = state_home / "socaudit" / "labs"
    registry.mkdir(parents=True)
    registry.chmod(0o777)
    with pytest.raises(UnsafePathError):
        api.running_lab(UNUSED_NETWORK)


def test_no_lab_path_is_a_fixed_name_under_tmp(state_home: Path) -> None:
    assert api.registry_dir().is_relative_to(state_home)
    assert _mode(api.registry_dir()) == 0o700
