"""Reachable services against the inventory's allowlist (nmap port evidence)."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from socaudit.checks.context import CheckContext
from socaudit.checks.registry import CheckResult, NoParams, register
from socaudit.checks.results import listing, missing_or_error, ref, result
from socaudit.evaluation.model import Outcome
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.inventory.models import Exposure, Service, System

CLEARTEXT_ADMIN = ["telnet", "ftp", "rlogin", "rsh", "rexec", "tftp", "vnc", "http"]
ADMIN_SERVICES = [
    "ssh", "telnet", "rdp", "ms-wbt-server", "vnc", "snmp", "mysql", "postgresql",
    "ms-sql-s", "oracle", "mongodb", "redis", "ldap", "microsoft-ds", "netbios-ssn",
]  # fmt: skip
_ALIASES = {"login": "rlogin", "shell": "rsh", "exec": "rexec", "ms-wbt-server": "rdp"}


class CleartextAdminParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    services: list[str] = CLEARTEXT_ADMIN
    """Plain-text protocols refused at every level; ``http`` counts on admin-exposure ports."""


class AdminExposureParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    admin_services: list[str] = ADMIN_SERVICES


def _scans(ctx: CheckContext) -> Iterator[tuple[EvidenceRecord, PortScanResult]]:
    for record in ctx.observed("ports"):
        if isinstance(record.payload, PortScanResult):
            yield record, record.payload


def _declared(system: System, asset_id: str | None, port: PortObservation) -> Service | None:
    for asset in system.assets:
        if asset.id == asset_id:
            for service in asset.services:
                if service.port == port.port and service.protocol == port.protocol:
                    return service
    return None


def _names(port: PortObservation, declared: Service | None) -> set[str]:
    names = {port.service or "", declared.name if declared else ""} - {""}
    return names | {_ALIASES[n] for n in names if n in _ALIASES}


def _where(record: EvidenceRecord, port: PortObservation) -> str:
    host = record.target.address or record.target.hostname or "?"
    return f"{host}:{port.port} ({port.service or '?'})"


def _coverage(ctx: CheckContext, pass_key: str, **args: str | int) -> CheckResult:
    """Pass only when every scannable asset has a port scan; else error or insufficient."""
    scanned = {r.target.asset_id for r, _ in _scans(ctx)}
    missing = [a.id for a in ctx.system.assets if (a.address or a.hostname) and a.id not in scanned]
    if not missing:
        return result(Outcome.PASS, pass_key, (ref(r) for r, _ in _scans(ctx)), **args)
    if any(r.target.asset_id in missing for r in ctx.errors("ports")):
        return missing_or_error(ctx, ("ports",), "ports")
    return result(
        Outcome.INSUFFICIENT_EVIDENCE, "ports.assets_not_scanned", assets=listing(missing)
    )


@register("ports.only_declared_services", source="observed", reads={"ports"}, params=NoParams)
def only_declared_services(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Every open port is listed in its asset's ``services`` (an allowlist)."""
    if not any(True for _ in _scans(ctx)):
        return missing_or_error(ctx, ("ports",), "ports")
    found = [
        (record, port)
        for record, scan in _scans(ctx)
        for port in scan.open_ports
        if _declared(ctx.system, record.target.asset_id, port) is None
    ]
    if found:
        where = listing(_where(r, p) for r, p in found)
        return result(Outcome.FAIL, "ports.undeclared", (ref(r) for r, _ in found), ports=where)
    opened = sum(len(scan.open_ports) for _, scan in _scans(ctx))
    return _coverage(ctx, "ports.all_declared", count=opened)


@register(
    "ports.no_cleartext_admin", source="observed", reads={"ports"}, params=CleartextAdminParams
)
def no_cleartext_admin(ctx: CheckContext, params: CleartextAdminParams) -> CheckResult:
    """No plain-text administration protocol is reachable (``http`` only on admin ports)."""
    if not any(True for _ in _scans(ctx)):
        return missing_or_error(ctx, ("ports",), "ports")
    banned = set(params.services)
    found = []
    for record, scan in _scans(ctx):
        for port in scan.open_ports:
            declared = _declared(ctx.system, record.target.asset_id, port)
            names = _names(port, declared) & banned
            if "http" in names and (
                port.tls or not declared or declared.exposure != Exposure.ADMIN
            ):
                names.discard("http")
            if names:
                found.append((record, port))
    if found:
        where = listing(_where(r, p) for r, p in found)
        return result(
            Outcome.FAIL, "ports.cleartext_admin", (ref(r) for r, _ in found), ports=where
        )
    return _coverage(ctx, "ports.no_cleartext")


@register("ports.admin_not_public", source="observed", reads={"ports"}, params=AdminExposureParams)
def admin_not_public(ctx: CheckContext, params: AdminExposureParams) -> CheckResult:
    """Administration services are not reachable with public exposure (declared public, or
    undeclared on an asset that serves the public)."""
    if not any(True for _ in _scans(ctx)):
        return missing_or_error(ctx, ("ports",), "ports")
    admin = set(params.admin_services) | {_ALIASES.get(n, n) for n in params.admin_services}
    public_assets = {
        a.id for a in ctx.system.assets if any(s.exposure == Exposure.PUBLIC for s in a.services)
    }
    found = []
    for record, scan in _scans(ctx):
        for port in scan.open_ports:
            declared = _declared(ctx.system, record.target.asset_id, port)
            if not _names(port, declared) & admin:
                continue
            public = declared.exposure == Exposure.PUBLIC if declared else None
            if public or (public is None and record.target.asset_id in public_assets):
                found.append((record, port))
    if found:
        where = listing(_where(r, p) for r, p in found)
        return result(Outcome.FAIL, "ports.admin_public", (ref(r) for r, _ in found), ports=where)
    return _coverage(ctx, "ports.admin_not_public")
