"""Scope for ad-hoc ``socaudit tls`` checks: an inventory's authorisation, or loopback only.

With ``-i INVENTORY`` every endpoint goes through ``socaudit.scope.check_endpoint`` (the same
window and scope rules as ``socaudit scan``); a refused endpoint gets no packet and is
reported ``refused``. Without an inventory, a target outside loopback needs ``--unscoped``,
and the output then says that no authorisation was recorded.
"""

from __future__ import annotations

from pathlib import Path

from socaudit.errors import UsageError
from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.tls import EndpointError, TlsEndpointResult
from socaudit.inventory.clock import local_today
from socaudit.inventory.loader import load_inventory
from socaudit.scope import check_endpoint
from socaudit.tls.engine import TlsTarget
from socaudit.tls.report import CheckAuthorization

UNSCOPED_NOTE = "no recorded authorisation: --unscoped, the user vouched for these targets"
LOOPBACK_NOTE = "no recorded authorisation needed: loopback targets only"


def revocation_scope(inventory_path: Path) -> dict[str, object]:
    """Probe settings that limit OCSP/CRL fetches to the inventory's authorised scope: its
    networks, and its assets' names and addresses (declared addresses, no DNS)."""
    inventory = load_inventory(inventory_path)
    hosts: dict[str, str] = {}
    for system in inventory.systems:
        for asset in system.assets:
            if asset.address is None:
                continue
            hosts.setdefault(str(asset.address), str(asset.address))
            if asset.hostname:
                hosts.setdefault(asset.hostname.lower().rstrip("."), str(asset.address))
    networks = tuple(str(n) for n in inventory.authorization.networks)
    return {"revocation_hosts": hosts, "revocation_networks": networks}


def scope_targets(
    targets: list[TlsTarget],
    pinned: set[str],
    inventory_path: Path | None,
    unscoped: bool,
) -> tuple[list[TlsTarget], list[TlsEndpointResult], CheckAuthorization]:
    """The targets that may be checked, refusals for the rest, and the basis of the check.

    ``pinned``: labels whose address the user chose with ``HOST:PORT{IP}``.
    """
    if inventory_path is not None:
        if unscoped:
            raise UsageError("--unscoped and -i/--inventory cannot be combined")
        return _by_inventory(targets, pinned, inventory_path)
    outside = [t for t in targets if not t.address.is_loopback]
    if outside and not unscoped:
        where = ", ".join(f"{t.label} ({t.address})" for t in outside[:3])
        raise UsageError(
            f"{where}: outside loopback, and no authorisation given (hint: -i INVENTORY checks "
            "the targets against its written authorisation; --unscoped if you are authorised "
            "to test them without one)"
        )
    basis = CheckAuthorization(recorded=False, basis="unscoped" if outside else "loopback")
    return targets, [], basis


def _by_inventory(
    targets: list[TlsTarget], pinned: set[str], inventory_path: Path
) -> tuple[list[TlsTarget], list[TlsEndpointResult], CheckAuthorization]:
    inventory = load_inventory(inventory_path)
    auth = inventory.authorization
    today = local_today(inventory)
    allowed: list[TlsTarget] = []
    refused: list[TlsEndpointResult] = []
    for target in targets:
        why = check_endpoint(
            auth, as_of=today, host=target.host, address=target.address,
            pinned=target.label in pinned,
        )  # fmt: skip
        if why is None:
            allowed.append(target)
            continue
        error = EndpointError(reason=ErrorReason.OUT_OF_SCOPE, detail=f"{why[1]} [{why[0]}]")
        refused.append(
            TlsEndpointResult(
                target=target.label,
                address=str(target.address),
                status=AttemptStatus.REFUSED,
                error=error,
            )
        )
    basis = CheckAuthorization(
        recorded=True,
        basis="inventory",
        reference=auth.reference,
        inventory=str(inventory_path),
        as_of=f"{today.isoformat()} ({auth.timezone})",
    )
    return allowed, refused, basis


def authorization_line(basis: CheckAuthorization) -> str:
    """The first line of the text output: on what authority the check ran."""
    if basis.basis == "inventory":
        return f"Authorisation: {basis.reference} ({basis.inventory}, as of {basis.as_of})"
    return UNSCOPED_NOTE if basis.basis == "unscoped" else LOOPBACK_NOTE
