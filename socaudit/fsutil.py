"""Private files and folders: created with their final mode, never loosened or chmod-ed after.

Public API (stable; every key, secret and store file goes through it)::

    private_dir(path) -> Path             # mkdir 0700 (missing parents too), else check it
    check_private_dir(path) -> Path       # refuse a folder that others own or can write
    write_private(path, data, replace=False)   # O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600
    create_private(path) -> bool          # an empty 0600 file if none exists yet

``O_EXCL`` means a file planted in advance (or a symlink to somewhere else) makes the write
fail instead of writing a secret where another user can read it; ``replace=True`` writes a
fresh 0600 file next to the target and renames it over, so the old file's mode never matters.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from socaudit.errors import UsageError

__all__ = [
    "UnsafePathError",
    "check_private_dir",
    "create_private",
    "private_dir",
    "write_private",
]

DIR_MODE = 0o700
FILE_MODE = 0o600
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafePathError(UsageError):
    """A folder or file another user could control (owner, permissions or a symlink)."""


def private_dir(path: Path | str) -> Path:
    """``path`` as a folder only its owner can use: created 0700 (with missing parents, also
    0700), or, if it exists, checked with ``check_private_dir``."""
    path = Path(path)
    missing: list[Path] = []
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            break
        missing.append(candidate)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass  # created at the same moment by another process: checked below
        except OSError as exc:
            raise UsageError(f"cannot create the folder {folder}: {exc.strerror}") from exc
    return check_private_dir(path)


def check_private_dir(path: Path | str) -> Path:
    """``path`` if it is a real folder owned by the current user that nobody else can write;
    ``UnsafePathError`` otherwise (a symlink is refused: it may point anywhere)."""
    path = Path(path)
    try:
        info = path.lstat()
    except OSError as exc:
        raise UsageError(f"cannot use the folder {path}: {exc.strerror}") from exc
    if stat.S_ISLNK(info.st_mode):
        raise UnsafePathError(f"{path} is a symbolic link (hint: give a real folder)")
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafePathError(f"{path} is not a folder")
    if info.st_uid != os.geteuid():
        raise UnsafePathError(
            f"{path} belongs to uid {info.st_uid}, not to the current user (uid {os.geteuid()})"
            " (hint: remove it or choose another folder)"
        )
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafePathError(
            f"{path} is writable by other users (mode {stat.S_IMODE(info.st_mode):04o})"
            " (hint: chmod go-w, or choose another folder)"
        )
    return path


def write_private(path: Path | str, data: bytes, *, replace: bool = False) -> Path:
    """Write ``data`` to a new file of mode 0600 (``FileExistsError`` if ``path`` exists,
    unless ``replace``: then a new 0600 file is renamed over the old one)."""
    path = Path(path)
    if not replace:
        _write_new(path, data)
        return path
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        _write_new(temporary, data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def create_private(path: Path | str) -> bool:
    """Create ``path`` empty with mode 0600; False (and nothing touched) if it exists."""
    try:
        os.close(os.open(path, _CREATE, FILE_MODE))
    except FileExistsError:
        return False
    return True


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, _CREATE, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
