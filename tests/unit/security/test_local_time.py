"""Every inventory date is a day in ``authorization.timezone`` (default Asia/Ho_Chi_Minh)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from socaudit.cli.main import cli
from socaudit.errors import InputError
from socaudit.inventory.clock import local_date, local_now, local_today
from socaudit.inventory.loader import load_inventory
from socaudit.inventory.models import Inventory
from socaudit.inventory.schedule import add_months
from socaudit.scope import authorize

WINDOW = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
HANOI_MIDNIGHT = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)
"""00:00 on 2 December in Hà Nội (UTC+7): the first instant after the window."""


def _data(timezone: str | None = None, window: tuple[dt.date, dt.date] = WINDOW) -> Any:
    authorization: dict[str, Any] = {
        "reference": "Quyết định số 1234/QĐ-UBND",
        "approved_by": "Chủ tịch UBND tỉnh",
        "window": {"from": window[0].isoformat(), "to": window[1].isoformat()},
        "scope": ["127.0.30.0/24"],
    }
    if timezone is not None:
        authorization["timezone"] = timezone
    system = {
        "id": "cong",
        "name": "Cổng dịch vụ công tỉnh",
        "level": 3,
        "level_approval": {"status": "approved"},
        "assets": [{"id": "web", "address": "127.0.30.5"}],
    }
    return {
        "schema_version": 1,
        "organization": {"name": "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"},
        "authorization": authorization,
        "systems": [system],
    }


def _inventory(timezone: str | None = None) -> Inventory:
    return Inventory.model_validate(_data(timezone))


def _write(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _refused(inventory: Inventory, now: dt.datetime) -> list[str]:
    result = authorize(inventory, as_of=local_today(inventory, now))
    return [r.rule for r in result.refusals]


def test_the_default_zone_is_vietnam() -> None:
    assert _inventory().authorization.timezone == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize("minutes_after_midnight", [0, 1, 6 * 60 + 59])
def test_a_scan_early_on_the_day_after_the_window_is_refused(minutes_after_midnight: int) -> None:
    """At 00:00-06:59 local time the UTC date is still the window's last day."""
    now = HANOI_MIDNIGHT + dt.timedelta(minutes=minutes_after_midnight)
    assert now.date() == WINDOW[1]  # what a UTC clock would have said
    assert local_today(_inventory(), now) == dt.date(2026, 12, 2)
    assert _refused(_inventory(), now) == ["outside_window"]


def test_the_last_minute_of_the_window_is_inside() -> None:
    now = HANOI_MIDNIGHT - dt.timedelta(minutes=1)
    assert _refused(_inventory(), now) == []


def test_the_window_opens_at_local_midnight() -> None:
    opening = dt.datetime(2026, 10, 31, 17, 0, tzinfo=dt.UTC)  # 00:00 on 1 November, UTC+7
    assert _refused(_inventory(), opening) == []
    assert _refused(_inventory(), opening - dt.timedelta(seconds=1)) == ["outside_window"]


def test_another_zone_is_honoured() -> None:
    utc = _inventory("UTC")
    assert _refused(utc, HANOI_MIDNIGHT) == []
    assert local_now(utc, HANOI_MIDNIGHT).utcoffset() == dt.timedelta(0)


def test_stored_naive_times_are_utc_and_naive_now_is_refused() -> None:
    naive = HANOI_MIDNIGHT.replace(tzinfo=None)
    assert local_date(_inventory(), naive) == dt.date(2026, 12, 2)
    with pytest.raises(ValueError, match="aware"):
        local_today(_inventory(), naive)


@pytest.mark.parametrize(
    "name", ["Asia/Hanoi", "UTC+7", "../../etc/passwd", "/etc/localtime", "America", "zone.tab"]
)
def test_an_unknown_zone_is_an_input_error_at_its_line(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path / "inv.yaml", _data(name))
    with pytest.raises(InputError) as caught:
        load_inventory(path)
    (problem,) = caught.value.problems
    assert problem.line is not None
    assert "unknown time zone" in problem.message
    assert "Asia/Ho_Chi_Minh" in problem.render()


def _zone_whose_date_is_not_utcs() -> tuple[str, dt.date]:
    """A zone where today's date differs from the UTC date right now (one always does)."""
    now = dt.datetime.now(dt.UTC)
    name = "Etc/GMT+12" if now.hour < 12 else "Etc/GMT-14"  # UTC-12 / UTC+14
    inventory = _inventory(name)
    return name, local_today(inventory, now)


def test_plan_judges_today_in_the_inventorys_zone_and_says_so(tmp_path: Path) -> None:
    name, local = _zone_whose_date_is_not_utcs()
    assert local != dt.datetime.now(dt.UTC).date()
    path = _write(tmp_path / "inv.yaml", _data(name, window=(local, local)))
    result = CliRunner().invoke(cli, ["plan", "-i", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    if data["as_of"] != local.isoformat():  # the local day turned over during the test
        local = local + dt.timedelta(days=1)
    assert (data["as_of"], data["timezone"], data["refused"]) == (local.isoformat(), name, [])
    text = CliRunner().invoke(cli, ["plan", "-i", str(path)])
    assert f"(as of {local.isoformat()}, {name})" in text.stdout.splitlines()[0]


def test_inventory_show_judges_due_dates_in_the_inventorys_zone(tmp_path: Path) -> None:
    """Due on the UTC date: overdue where the local date is later, not where it is earlier."""
    name, local = _zone_whose_date_is_not_utcs()
    utc = dt.datetime.now(dt.UTC).date()
    due = min(local, utc)
    data = _data(name)
    last = add_months(due, -12)  # level 3: due 12 months after the last inspection
    data["systems"][0]["four_layer"] = {"independent_inspection": {"last_date": last.isoformat()}}
    path = _write(tmp_path / "inv.yaml", data)
    result = CliRunner().invoke(cli, ["inventory", "show", str(path)])
    assert result.exit_code == 0, result.output
    assert due.isoformat() in result.stdout
    assert ("overdue" in result.stdout) is (local > utc)
