"""Engines for store URLs: private SQLite files, and URLs that never show their password.

A new SQLite store gets its folder created 0700 and its file created 0600 before SQLite opens
it (``O_CREAT|O_EXCL``; SQLite gives its ``-wal``/``-shm`` files the database file's mode).
Every message naming a URL goes through ``safe_url``.
"""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from socaudit.errors import UsageError
from socaudit.fsutil import create_private, private_dir

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 30
MASK = "***"


def safe_url(url: str | URL) -> str:
    """``url`` with its password replaced by ``***`` (also when it does not parse)."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except (ArgumentError, ValueError):
        text = str(url)
        scheme, sep, rest = text.partition("://")
        userinfo, at, host = rest.rpartition("@")
        if sep and at and ":" in userinfo:
            return f"{scheme}://{userinfo.split(':', 1)[0]}:{MASK}@{host}"
        return text
    return parsed.render_as_string(hide_password=True)


def mask_secret(message: str, url: str | URL) -> str:
    """``message`` with the URL's password (if any, however quoted) replaced by ``***``."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except (ArgumentError, ValueError):
        return message.replace(str(url), safe_url(url))
    password = parsed.password
    if isinstance(password, str) and password:
        message = message.replace(parsed.render_as_string(hide_password=False), safe_url(parsed))
        message = message.replace(password, MASK)
    return message


def parse_url(url: str) -> URL:
    """The parsed URL; ``UsageError`` (password masked) if it is not one."""
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise UsageError(f"--db {safe_url(url)!r}: {mask_secret(str(exc), url)}") from exc


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL (None for other databases and ``:memory:``)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def open_engine(url: str) -> Engine:
    """An engine for ``url``; a new SQLite file is created private (0600, folder 0700) and
    every SQLite connection uses WAL mode and foreign keys."""
    parsed = parse_url(url)
    try:
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed)
        path = sqlite_file(parsed)
        if path is not None:
            _create_sqlite_file(path, url)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise UsageError(f"--db {safe_url(url)!r}: {mask_secret(str(exc), url)}") from exc
    event.listen(engine, "connect", sqlite_pragmas)
    return engine


def _create_sqlite_file(path: Path, url: str) -> None:
    try:
        if not path.parent.exists():
            private_dir(path.parent)
        if not create_private(path):
            _warn_if_readable(path)
    except OSError as exc:
        raise UsageError(f"--db {safe_url(url)!r}: cannot create the store: {exc}") from exc


def _warn_if_readable(path: Path) -> None:
    """An existing store (e.g. made by an older socaudit) that other users can read: say so,
    never change its mode behind the owner's back."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning(
            "the evidence store %s can be read by other users (mode %04o; hint: chmod 600 %s)",
            path, mode, path,
        )  # fmt: skip


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL (readers never wait for the writer) and enforced foreign keys, per connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
