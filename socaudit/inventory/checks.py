"""Checks across keys that the models cannot express: unique ids, scope, ranges.

They read the raw parsed data (defensively), so they run even when some keys are invalid
and every problem is reported in one pass.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterator
from typing import Any

from socaudit.errors import Problem
from socaudit.inventory.yamlbuild import Loc
from socaudit.inventory.yamlsafe import Document

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def cross_check(doc: Document) -> list[Problem]:
    """Every cross-key problem in an inventory document."""
    found = [*_periods(doc.data), *_systems(doc.data)]
    return [Problem(doc.path, doc.line_for(loc), msg, hint) for loc, msg, hint in found]


Finding = tuple[Loc, str, str | None]


def _items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        yield from ((i, item) for i, item in enumerate(value) if isinstance(item, dict))


def system_ids(data: Any) -> list[str]:
    """The ids of the systems in raw inventory data (valid or not)."""
    return [item["id"] for _, item in _items(data, "systems") if isinstance(item.get("id"), str)]


def _duplicates(data: Any, key: str, what: str, base: Loc) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for i, item in _items(data, key):
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            hint = f"ids must be unique; the first is {key}[{first[ident]}]"
            yield (*base, key, i, "id"), f"duplicate {what} id '{ident}'", hint
        else:
            first[ident] = i


def _periods(data: Any) -> Iterator[Finding]:
    for section, key in (("assessment", "period"), ("authorization", "window")):
        part = data.get(section)
        period = part.get(key) if isinstance(part, dict) else None
        if not isinstance(period, dict):
            continue
        start, end = _date(period.get("from")), _date(period.get("to"))
        if start is not None and end is not None and start > end:
            yield (
                (section, key, "from"),
                f"{section}.{key}: 'from' {start} is after 'to' {end}",
                None,
            )


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _systems(data: Any) -> Iterator[Finding]:
    yield from _duplicates(data, "systems", "system", ())
    scope = _scope(data)
    for i, system in _items(data, "systems"):
        base: Loc = ("systems", i)
        yield from _duplicates(system, "assets", "asset", base)
        yield from _endpoints(system, base)
        for j, asset in _items(system, "assets"):
            yield from _asset(asset, (*base, "assets", j), scope)


def _endpoints(system: dict[str, Any], base: Loc) -> Iterator[Finding]:
    counts = system.get("endpoints")
    if not isinstance(counts, dict):
        return
    total, protected = counts.get("total"), counts.get("protected")
    if isinstance(total, int) and isinstance(protected, int) and protected > total:
        msg = f"endpoints: protected ({protected}) is more than total ({total})"
        yield (*base, "endpoints", "protected"), msg, None


def _asset(asset: dict[str, Any], base: Loc, scope: list[_Network] | None) -> Iterator[Finding]:
    name = asset.get("id", "?")
    if asset.get("address") is None and asset.get("hostname") is None:
        hint = "add 'address:' (or 'hostname:') so it can be assessed"
        yield base, f"asset '{name}' has neither an address nor a hostname", hint
    yield from _ports(asset, base)
    address = _ip(asset.get("address"))
    if scope is None or address is None:
        return
    if not any(address.version == n.version and address in n for n in scope):
        shown = ", ".join(str(n) for n in scope) or "no networks"
        yield (
            (*base, "address"),
            f"asset '{name}' address {address} is outside the authorised scope [{shown}]",
            "authorization.scope must cover it; extend it only if the written authorisation does",
        )


def _ports(asset: dict[str, Any], base: Loc) -> Iterator[Finding]:
    seen: set[tuple[object, object]] = set()
    for k, service in _items(asset, "services"):
        key = (service.get("port"), service.get("protocol", "tcp"))
        if key in seen:
            msg = f"port {key[0]}/{key[1]} is listed twice for asset '{asset.get('id', '?')}'"
            yield (*base, "services", k, "port"), msg, None
        seen.add(key)


def _ip(value: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _scope(data: Any) -> list[_Network] | None:
    """The scope's networks, or None when the scope itself is missing or invalid."""
    auth = data.get("authorization")
    entries = auth.get("scope") if isinstance(auth, dict) else None
    if not isinstance(entries, list) or not entries:
        return None
    networks: list[_Network] = []
    for entry in entries:
        if isinstance(entry, str) and ("/" in entry or ":" in entry or _ip(entry)):
            try:
                networks.append(ipaddress.ip_network(entry, strict=True))
            except ValueError:
                return None
    return networks
