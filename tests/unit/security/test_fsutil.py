"""Private files and folders: modes as created, planted files and foreign folders refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from socaudit.fsutil import (
    UnsafePathError,
    check_private_dir,
    create_private,
    private_dir,
    write_private,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture(autouse=True)
def _permissive_umask() -> object:
    """A umask of 0 shows the mode each file is created with (nothing is masked away)."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_write_private_creates_0600(tmp_path: Path) -> None:
    target = write_private(tmp_path / "key.pem", b"secret")
    assert target.read_bytes() == b"secret"
    assert _mode(target) == 0o600


def test_write_private_refuses_an_existing_file(tmp_path: Path) -> None:
    planted = tmp_path / "key.pem"
    planted.write_bytes(b"planted")
    planted.chmod(0o644)
    with pytest.raises(FileExistsError):
        write_private(planted, b"secret")
    assert planted.read_bytes() == b"planted"


def test_write_private_never_follows_a_symlink(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / "key.pem").symlink_to(elsewhere)
    with pytest.raises(FileExistsError):
        write_private(tmp_path / "key.pem", b"secret")
    assert not elsewhere.exists()


def test_replace_gives_a_new_0600_file_whatever_the_old_mode(tmp_path: Path) -> None:
    old = tmp_path / "key.pem"
    old.write_bytes(b"old")
    old.chmod(0o666)
    write_private(old, b"new", replace=True)
    assert old.read_bytes() == b"new"
    assert _mode(old) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["key.pem"]


def test_create_private_once(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert create_private(db) is True
    assert _mode(db) == 0o600
    db.write_bytes(b"data")
    assert create_private(db) is False
    assert db.read_bytes() == b"data"


def test_private_dir_creates_missing_parents_0700(tmp_path: Path) -> None:
    made = private_dir(tmp_path / "a" / "b")
    assert _mode(made) == 0o700
    assert _mode(tmp_path / "a") == 0o700


def test_private_dir_accepts_its_own_folder_again(tmp_path: Path) -> None:
    assert private_dir(tmp_path / "x") == private_dir(tmp_path / "x")


def test_a_folder_writable_by_others_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    with pytest.raises(UnsafePathError, match="writable by other users"):
        private_dir(shared)


def test_a_symlinked_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(UnsafePathError, match="symbolic link"):
        check_private_dir(tmp_path / "link")


def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        foreign = tmp_path / "foreign"
        foreign.mkdir(mode=0o700)
        os.chown(foreign, 65534, 65534)
    else:
        foreign = Path("/")  # root's, and not writable by others
    owner = foreign.stat().st_uid
    with pytest.raises(UnsafePathError, match=f"belongs to uid {owner}"):
        private_dir(foreign)
