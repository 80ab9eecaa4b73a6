"""``socaudit plan``: what a scan would probe, and what it refuses and why (sends nothing)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from socaudit.collect.base import ProbeFailure
from socaudit.collect.nmap_ports import port_list
from socaudit.errors import UsageError
from socaudit.inventory.clock import local_today
from socaudit.inventory.loader import load_inventory
from socaudit.inventory.models import Inventory, System
from socaudit.planning import Probe, ScanOptions, ScanPlan, TargetPlan, nmap_arguments, plan_scan
from socaudit.scope import AuthorizationResult, Refusal, authorize

INVENTORY_OPTION = click.option(
    "-i",
    "--inventory",
    "inventory_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Inventory file (YAML, schema_version 1).",
)
SYSTEM_OPTION = click.option(
    "--system", "system_ids", multiple=True, metavar="ID", help="Only this system (repeatable)."
)
AS_OF_OPTION = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Date checked against the authorisation window (default: today in the "
    "inventory's authorization.timezone).",
)
TOP_PORTS_OPTION = click.option(
    "--top-ports",
    type=click.IntRange(0, 1000),
    default=100,
    show_default=True,
    help="Also sweep nmap's N most common TCP ports, to find undeclared services "
    "(0: declared ports only).",
)


@dataclass(frozen=True, slots=True)
class Prepared:
    inventory: Inventory
    systems: tuple[System, ...]
    """The systems selected with ``--system`` (all by default)."""
    authorized: AuthorizationResult
    plan: ScanPlan


def prepare(
    inventory_path: Path,
    system_ids: tuple[str, ...],
    as_of: dt.date | None,
    options: ScanOptions,
) -> Prepared:
    """Load, authorise and plan (DNS only for hostname-only assets, no probe traffic).

    ``as_of`` None: today in the inventory's ``authorization.timezone``.
    """
    inventory = load_inventory(inventory_path)
    systems = select_systems(inventory, system_ids)
    day = as_of if as_of is not None else local_today(inventory)
    authorized = authorize(inventory, as_of=day, systems=systems)
    return Prepared(inventory, systems, authorized, plan_scan(authorized, options))


def select_systems(inventory: Inventory, system_ids: tuple[str, ...]) -> tuple[System, ...]:
    """The systems named by ``--system`` (all when none given); UsageError for unknown ids."""
    if not system_ids:
        return inventory.systems
    known = {s.id for s in inventory.systems}
    unknown = [s for s in system_ids if s not in known]
    if unknown:
        raise UsageError(
            f"unknown system id(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    return tuple(s for s in inventory.systems if s.id in system_ids)


def as_of_date(value: dt.datetime | None) -> dt.date | None:
    """The ``--as-of`` day; None (today in the inventory's zone, see ``prepare``) if not given."""
    return value.date() if value else None


@click.command("plan")
@INVENTORY_OPTION
@SYSTEM_OPTION
@AS_OF_OPTION
@TOP_PORTS_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def plan(
    inventory_path: Path,
    system_ids: tuple[str, ...],
    as_of: dt.datetime | None,
    top_ports: int,
    fmt: str,
) -> int:
    """Show exactly what `socaudit scan` would probe and what it would refuse, without
    sending a packet."""
    options = ScanOptions(top_ports=top_ports)
    prepared = prepare(inventory_path, system_ids, as_of_date(as_of), options)
    if fmt == "json":
        click.echo(json.dumps(plan_json(prepared), ensure_ascii=False, indent=2))
    else:
        click.echo(plan_text(prepared))
    return 0


def plan_json(prepared: Prepared) -> dict[str, Any]:
    """The plan as JSON-ready data."""
    plan_ = prepared.plan
    return {
        "authorization": plan_.reference,
        "as_of": prepared.authorized.as_of.isoformat(),
        "timezone": prepared.inventory.authorization.timezone,
        "options": {"profile": plan_.options.profile.value, "top_ports": plan_.options.top_ports},
        "targets": [_target_json(t, plan_.options) for t in plan_.targets],
        "refused": [_refusal_json(r) for r in plan_.refusals],
    }


def _target_json(target_plan: TargetPlan, options: ScanOptions) -> dict[str, Any]:
    t = target_plan.target
    return {
        "system": t.system_id,
        "asset": t.asset_id,
        "address": str(t.address),
        "hostname": t.hostname,
        "declared_ports": list(t.ports),
        "probes": [_probe_json(p, options) for p in target_plan.probes],
        "after_port_scan": [_probe_json(p, options) for p in target_plan.expected_followups],
    }


def _probe_json(probe: Probe, options: ScanOptions) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": probe.kind.value, "key": probe.key}
    if probe.port is not None:
        data["port"] = probe.port
    if probe.url is not None:
        data["url"] = probe.url
    if probe.kind.value == "ports":
        data["nmap_arguments"] = list(nmap_arguments(options, probe.target))
        data["ports"] = list(_scanned_ports(probe, options))
    return data


def _scanned_ports(probe: Probe, options: ScanOptions) -> tuple[int, ...]:
    """The ports nmap will be given (declared plus top N); declared only if nmap is absent."""
    try:
        return port_list(probe.target.ports, options)
    except ProbeFailure:
        return probe.target.ports


def _refusal_json(refusal: Refusal) -> dict[str, Any]:
    return {
        "system": refusal.system_id,
        "asset": refusal.asset_id,
        "address": str(refusal.address) if refusal.address else None,
        "hostname": refusal.hostname,
        "rule": refusal.rule,
        "reason": refusal.reason,
    }


def plan_text(prepared: Prepared) -> str:
    """The plan as lines a security officer can read and sign off."""
    plan_ = prepared.plan
    zone = prepared.inventory.authorization.timezone
    lines = [f"Authorisation: {plan_.reference} (as of {prepared.authorized.as_of}, {zone})"]
    for tp in plan_.targets:
        t = tp.target
        name = f" ({t.hostname})" if t.hostname else ""
        lines.append(f"{t.system_id}/{t.asset_id} {t.address}{name}")
        lines.extend(f"  {p.kind.value:<9} {_probe_text(p, plan_.options)}" for p in tp.probes)
        lines.extend(
            f"  {p.kind.value:<9} {_probe_text(p, plan_.options)} (if open)"
            for p in tp.expected_followups
        )
    for r in plan_.refusals:
        where = r.address or r.hostname or "-"
        lines.append(f"REFUSED {r.system_id}/{r.asset_id} {where}: {r.reason} [{r.rule}]")
    counts = f"{len(plan_.targets)} target(s), up to {plan_.probe_count} probe(s)"
    lines.append(f"{counts}, {len(plan_.refusals)} refused")
    return "\n".join(lines)


def _probe_text(probe: Probe, options: ScanOptions) -> str:
    if probe.kind.value == "ports":
        ports = ",".join(map(str, probe.target.ports)) or "-"
        extra = f" + top {options.top_ports}" if options.top_ports else ""
        count = len(_scanned_ports(probe, options))
        args = " ".join(nmap_arguments(options, probe.target))
        return f"ports {ports}{extra} ({count} ports): nmap {args}"
    if probe.url:
        return probe.url
    return f"port {probe.port}" if probe.port else str(probe.target.address)
