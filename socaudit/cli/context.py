"""The application context handed to every command (database URL, language, verbosity)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
from platformdirs import user_data_path


def default_db_url() -> str:
    """``$SOCAUDIT_DB`` if set, else a SQLite file in the user's data directory."""
    path = user_data_path("socaudit", appauthor=False) / "socaudit.db"
    return f"sqlite:///{path}"


@dataclass(frozen=True, slots=True)
class AppContext:
    """Global options, passed to subcommands through ``pass_app``."""

    db_url: str
    lang: str
    verbose: int

    @property
    def db_path(self) -> Path | None:
        """The SQLite file behind ``db_url``, if it is one."""
        prefix = "sqlite:///"
        return Path(self.db_url[len(prefix) :]) if self.db_url.startswith(prefix) else None


pass_app = click.make_pass_decorator(AppContext)
