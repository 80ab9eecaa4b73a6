"""Build small inventories in memory (Vietnamese names on purpose)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from socaudit.inventory.models import Inventory


def asset(asset_id: str, address: str | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": asset_id, **extra}
    if address is not None:
        data["address"] = address
    data.setdefault("services", [{"port": 8443, "name": "https"}])
    return data


def inventory(
    assets: list[dict[str, Any]],
    *,
    scope: list[str] | None = None,
    window: tuple[dt.date, dt.date] | None = None,
    systems: int = 1,
) -> Inventory:
    """An inventory whose systems each hold ``assets`` (ids suffixed per system)."""
    return Inventory.model_validate(
        inventory_data(assets, scope=scope, window=window, systems=systems)
    )


def write_inventory(path: Path, assets: list[dict[str, Any]], **options: Any) -> Path:
    """The same inventory as a YAML file (for CLI tests)."""
    data = inventory_data(assets, **options)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def inventory_data(
    assets: list[dict[str, Any]],
    *,
    scope: list[str] | None = None,
    window: tuple[dt.date, dt.date] | None = None,
    systems: int = 1,
) -> dict[str, Any]:
    today = dt.datetime.now(dt.UTC).date()
    start, end = window or (today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    return {
        "schema_version": 1,
        "organization": {"name": "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"},
        "authorization": {
            "reference": "Quyết định số 1234/QĐ-UBND",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": start.isoformat(), "to": end.isoformat()},
            "scope": scope or ["127.0.30.0/24"],
        },
        "systems": [
            {
                "id": f"he-thong-{n}",
                "name": f"Hệ thống số {n} — Cổng dịch vụ công",
                "level": 3,
                "level_approval": {"status": "approved"},
                "assets": [{**a, "id": f"{a['id']}-{n}"} if systems > 1 else a for a in assets],
            }
            for n in range(1, systems + 1)
        ],
    }
