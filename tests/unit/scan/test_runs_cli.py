"""``socaudit runs`` lists runs from the store, as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from socaudit.cli.main import cli
from socaudit.store.repository import Store
from socaudit.store.schema import RunStatus

from .test_store import error_record, new_run, ports_record


def test_runs_text_and_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kho' / 'socaudit.db'}"
    empty = CliRunner().invoke(cli, ["--db", url, "runs"])
    assert empty.exit_code == 0 and "no runs yet" in empty.stdout
    store = Store(url)
    first = store.start_run(new_run())
    store.add(first, ports_record())
    store.add(first, error_record())
    store.finish_run(first, RunStatus.INTERRUPTED)
    store.start_run(new_run())
    store.close()

    text = CliRunner().invoke(cli, ["--db", url, "runs"]).stdout.splitlines()
    assert text[0].split()[:2] == ["id", "started"]
    assert text[1].split()[0] == "1" and "interrupted" in text[1] and "ioc,lgsp" in text[1]
    assert text[2].split()[0] == "2" and "running" in text[2]

    rows = json.loads(CliRunner().invoke(cli, ["--db", url, "runs", "--format", "json"]).stdout)
    assert [(r["id"], r["status"], r["evidence"]) for r in rows] == [
        (1, "interrupted", 2),
        (2, "running", 0),
    ]
    assert rows[0]["finished"] is not None and rows[1]["finished"] is None
