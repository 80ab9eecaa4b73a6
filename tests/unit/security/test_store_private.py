"""The evidence store: created private (folder 0700, file 0600), passwords never shown."""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from socaudit.cli import main as main_module
from socaudit.errors import UsageError
from socaudit.exitcodes import ExitCode
from socaudit.store.engine import mask_secret, safe_url
from socaudit.store.repository import NewRun, Store

SECRET = "s3cret-Pw"  # noqa: S105 - a made-up password the messages must hide
URLS = [
    f"postgresql+psycopg://alice:{SECRET}@/socaudit?host=/nonexistent-socket-dir",
    f"postgresql+psycopg://alice:{SECRET}@localhost:notaport/socaudit",
    f"postgresql+nosuchdriver://alice:{SECRET}@localhost/socaudit",
    f"nosuchdb://alice:{SECRET}@localhost/socaudit",
]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 0: a file's mode is then exactly the one it was created with."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_a_new_store_is_private_as_created(tmp_path: Path) -> None:
    db = tmp_path / "data" / "socaudit" / "socaudit.db"
    store = Store(f"sqlite:///{db}")
    try:
        store.start_run(NewRun("/inv.yaml", "ab" * 32, dt.date(2026, 12, 2), {}, ()))
        journal = [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm")]
        assert all(p.exists() for p in journal)  # WAL mode, the store open
        assert {p.name: _mode(p) for p in [db, *journal]} == {p.name: 0o600 for p in [db, *journal]}
    finally:
        store.close()
    assert _mode(db.parent) == _mode(db.parent.parent) == 0o700


@pytest.mark.usefixtures("open_umask")
def test_an_existing_folder_is_used_as_it_is(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    Store(f"sqlite:///{tmp_path / 'socaudit.db'}").close()
    assert _mode(tmp_path) == 0o755
    assert _mode(tmp_path / "socaudit.db") == 0o600


def test_an_existing_store_keeps_its_content(tmp_path: Path) -> None:
    db = tmp_path / "socaudit.db"
    Store(f"sqlite:///{db}").close()
    size = db.stat().st_size
    Store(f"sqlite:///{db}").close()
    assert db.stat().st_size == size > 0


@pytest.mark.parametrize("url", URLS)
def test_store_errors_never_show_the_password(url: str) -> None:
    with pytest.raises(UsageError) as caught:
        Store(url)
    assert SECRET not in str(caught.value)
    assert "alice:***@" in str(caught.value)


@pytest.mark.parametrize("url", URLS)
def test_cli_errors_and_logs_never_show_the_password(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SystemExit) as exc:
        main_module.main(["-vv", "--db", url, "runs"])
    assert exc.value.code == ExitCode.USAGE
    seen = capsys.readouterr()
    assert "alice:***@" in seen.err
    assert SECRET not in seen.out + seen.err + caplog.text


def test_environment_url_is_masked_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOCAUDIT_DB", URLS[0])
    with pytest.raises(SystemExit):
        main_module.main(["runs"])
    assert SECRET not in capsys.readouterr().err


def test_masking_helpers() -> None:
    assert safe_url(URLS[1]) == "postgresql+psycopg://alice:***@localhost:notaport/socaudit"
    assert safe_url("sqlite:///./x.db") == "sqlite:///./x.db"
    assert safe_url("not a url at all") == "not a url at all"
    quoted = "postgresql://bob:p%40ss@h/db"
    assert "p@ss" not in mask_secret("failed for p@ss at postgresql://bob:p%40ss@h/db", quoted)


def test_an_old_store_readable_by_others_is_reported_not_changed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "old.db"
    Store(f"sqlite:///{db}").close()
    db.chmod(0o644)  # as a store made before socaudit created them private
    Store(f"sqlite:///{db}").close()
    assert "can be read by other users (mode 0644" in caplog.text
    assert _mode(db) == 0o644
