"""The scope guard: the only place that turns inventory assets into targets a collector may touch.

``authorize()`` checks each asset against ``authorization.scope`` and ``authorization.window``.
Only this module can construct an ``AuthorizedTarget`` (each carries an HMAC seal of its
content under a per-process key, so neither a constructor call nor ``dataclasses.replace``
elsewhere yields a valid one); everything it refuses becomes a
``Refusal`` with a reason, so reports can say "not assessed: out of scope".
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import logging
import secrets
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from socaudit.inventory.models import Asset, Authorization, Inventory, IpAddress, System

log = logging.getLogger(__name__)

RefusalRule = Literal["outside_scope", "outside_window", "unresolvable", "resolved_outside_scope"]
Resolver = Callable[[str], Sequence[IpAddress]]

_KEY = secrets.token_bytes(32)
"""Per-process key sealing each ``AuthorizedTarget`` to its exact content."""


@dataclass(frozen=True, slots=True)
class DeclaredService:
    """A service the inventory allows on an asset (port and name, as ints and plain text)."""

    port: int
    protocol: str
    name: str
    starttls: bool = False
    """Declared as upgrading to TLS with STARTTLS (on a port other than its usual one)."""


@dataclass(frozen=True, slots=True)
class AuthorizedTarget:
    """One address of one asset that the written authorisation covers on ``as_of``."""

    system_id: str
    asset_id: str
    address: IpAddress
    hostname: str | None
    services: tuple[DeclaredService, ...]
    urls: tuple[str, ...]
    authorization: str
    seal: bytes = field(repr=False, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        if not hmac.compare_digest(self.seal, _seal(self)):
            raise TypeError("AuthorizedTarget can only be created by socaudit.scope.authorize()")

    @property
    def ports(self) -> tuple[int, ...]:
        """Declared TCP ports, sorted and unique."""
        return tuple(sorted({s.port for s in self.services if s.protocol == "tcp"}))

    @property
    def label(self) -> str:
        """``system/asset@address`` for messages and probe keys."""
        return f"{self.system_id}/{self.asset_id}@{self.address}"


@dataclass(frozen=True, slots=True)
class Refusal:
    """A target socaudit will not touch, and why."""

    system_id: str
    asset_id: str
    rule: RefusalRule
    reason: str
    address: IpAddress | None = None
    hostname: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorizationResult:
    """What may be probed, and what was refused."""

    targets: tuple[AuthorizedTarget, ...]
    refusals: tuple[Refusal, ...]
    reference: str
    as_of: dt.date


def system_resolver(hostname: str) -> Sequence[IpAddress]:
    """Resolve a host name with the system resolver (TCP addresses, unique, in order)."""
    infos = socket.getaddrinfo(hostname, None, proto=socket.IPPROTO_TCP)
    seen: dict[IpAddress, None] = {}
    for info in infos:
        seen.setdefault(ipaddress.ip_address(info[4][0]), None)
    return tuple(seen)


def authorize(
    inventory: Inventory,
    *,
    as_of: dt.date,
    systems: Iterable[System] | None = None,
    resolver: Resolver = system_resolver,
) -> AuthorizationResult:
    """Split the assets of ``systems`` (default: all) into authorised targets and refusals."""
    auth = inventory.authorization
    targets: list[AuthorizedTarget] = []
    refusals: list[Refusal] = []
    for system in inventory.systems if systems is None else systems:
        for asset in system.assets:
            found, refused = _authorize_asset(auth, system.id, asset, as_of, resolver)
            targets.extend(found)
            refusals.extend(refused)
    for refusal in refusals:
        log.warning("refused %s/%s: %s", refusal.system_id, refusal.asset_id, refusal.reason)
    return AuthorizationResult(tuple(targets), tuple(refusals), auth.reference, as_of)


def _authorize_asset(
    auth: Authorization, system_id: str, asset: Asset, as_of: dt.date, resolver: Resolver
) -> tuple[list[AuthorizedTarget], list[Refusal]]:
    refuse = _refuser(system_id, asset)
    if not auth.window.contains(as_of):
        window = f"{auth.window.start}..{auth.window.end}"
        return [], [refuse("outside_window", f"{as_of} is outside the window {window}")]
    if asset.address is not None:
        if not auth.covers_address(asset.address):
            reason = f"{asset.address} is outside the authorised scope"
            return [], [refuse("outside_scope", reason, asset.address)]
        return [_target(auth, system_id, asset, asset.address)], []
    return _authorize_by_name(auth, system_id, asset, resolver)


def _authorize_by_name(
    auth: Authorization, system_id: str, asset: Asset, resolver: Resolver
) -> tuple[list[AuthorizedTarget], list[Refusal]]:
    """A hostname-only asset: resolve it, then re-check every address against the scope."""
    refuse = _refuser(system_id, asset)
    if asset.hostname is None:
        return [], [refuse("unresolvable", "the asset has neither address nor hostname")]
    named = auth.covers_hostname(asset.hostname)
    if not named and not auth.networks:
        return [], [refuse("outside_scope", f"{asset.hostname} is not in the authorised scope")]
    try:
        addresses = tuple(resolver(asset.hostname))
    except (OSError, UnicodeError, ValueError) as exc:
        return [], [refuse("unresolvable", f"{asset.hostname} does not resolve: {exc}")]
    if not addresses:
        return [], [refuse("unresolvable", f"{asset.hostname} resolves to no address")]
    targets: list[AuthorizedTarget] = []
    refusals: list[Refusal] = []
    for address in addresses:
        if named or auth.covers_address(address):
            targets.append(_target(auth, system_id, asset, address))
        else:
            reason = f"{asset.hostname} resolves to {address}, outside the authorised scope"
            refusals.append(refuse("resolved_outside_scope", reason, address))
    return targets, refusals


def check_endpoint(
    auth: Authorization, *, as_of: dt.date, host: str, address: IpAddress, pinned: bool = False
) -> tuple[RefusalRule, str] | None:
    """Why an ad-hoc check of ``host`` at ``address`` is outside ``auth`` (None: inside).

    The rules of ``authorize``: the day must be in the window; the address must lie in a scope
    network, or the host name be listed in the scope. A ``pinned`` address (the user chose it,
    not DNS) must itself lie in a scope network.
    """
    if not auth.window.contains(as_of):
        return (
            "outside_window",
            f"{as_of} is outside the window {auth.window.start}..{auth.window.end}",
        )
    if auth.covers_address(address):
        return None
    if not pinned and not _looks_like_ip(host) and auth.covers_hostname(host):
        return None
    if host == str(address) or _looks_like_ip(host.strip("[]")):
        return "outside_scope", f"{address} is outside the authorised scope"
    return "resolved_outside_scope", f"{host} is at {address}, outside the authorised scope"


def _looks_like_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _refuser(system_id: str, asset: Asset) -> Callable[..., Refusal]:
    def refuse(rule: RefusalRule, reason: str, address: IpAddress | None = None) -> Refusal:
        return Refusal(system_id, asset.id, rule, reason, address or asset.address, asset.hostname)

    return refuse


def _target(
    auth: Authorization, system_id: str, asset: Asset, address: IpAddress
) -> AuthorizedTarget:
    services = tuple(
        DeclaredService(s.port, s.protocol, s.name, s.starttls) for s in asset.services
    )
    fields = (system_id, asset.id, address, asset.hostname, services, tuple(asset.urls))
    return AuthorizedTarget(*fields, auth.reference, seal=_seal_fields((*fields, auth.reference)))


def _seal(target: AuthorizedTarget) -> bytes:
    """The seal of a target's content; ``dataclasses.replace`` cannot carry it over."""
    return _seal_fields(
        (
            target.system_id,
            target.asset_id,
            target.address,
            target.hostname,
            target.services,
            target.urls,
            target.authorization,
        )
    )


def _seal_fields(fields: tuple[object, ...]) -> bytes:
    return hmac.digest(_KEY, repr(fields).encode(), "sha256")
