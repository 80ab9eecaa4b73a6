"""Named applicability conditions: a control whose condition is false is ``not_applicable``
with the condition's reason. The pack names them (``condition: wireless``); the loader refuses
unknown names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from socaudit.inventory.models import (
    AssetRole,
    InformationType,
    Inventory,
    System,
    SystemFunction,
    Zone,
)

PERSONAL_DATA_USERS = 10_000
"""NĐ 85/2016 Art. 9.2.c: online services processing personal data of ≥ 10,000 users."""


@dataclass(frozen=True, slots=True)
class Condition:
    name: str
    predicate: Callable[[System, Inventory], bool]
    reason_key: str
    """Catalogue key of the reason given when the condition is false."""


CONDITIONS: dict[str, Condition] = {}


def condition(
    name: str,
) -> Callable[[Callable[[System, Inventory], bool]], Callable[[System, Inventory], bool]]:
    def wrap(func: Callable[[System, Inventory], bool]) -> Callable[[System, Inventory], bool]:
        if name in CONDITIONS:
            raise ValueError(f"condition {name!r} registered twice")
        CONDITIONS[name] = Condition(name, func, f"checks.condition.{name}")
        return func

    return wrap


def _info(system: System) -> set[InformationType]:
    return set(system.classification.information) if system.classification else set()


@condition("always")
def _always(system: System, inventory: Inventory) -> bool:
    return True


@condition("state_secret")
def _state_secret(system: System, inventory: Inventory) -> bool:
    return InformationType.STATE_SECRET in _info(system)


@condition("public_service")
def _public_service(system: System, inventory: Inventory) -> bool:
    """Serves citizens or businesses (NĐ 85 Art. 8.2 / 9.2)."""
    c = system.classification
    return c is not None and (
        c.function is SystemFunction.PUBLIC_SERVICE or c.public_service_level is not None
    )


@condition("personal_data_10k")
def _personal_data_10k(system: System, inventory: Inventory) -> bool:
    c = system.classification
    return (
        c is not None
        and InformationType.PERSONAL in c.information
        and (c.users or 0) >= PERSONAL_DATA_USERS
    )


@condition("shared_infrastructure")
def _shared_infrastructure(system: System, inventory: Inventory) -> bool:
    """Information infrastructure or a shared data-centre system (Art. 9.3 / 10.3)."""
    c = system.classification
    infrastructure = c is not None and c.function is SystemFunction.INFRASTRUCTURE
    return infrastructure or system.shared_datacenter


@condition("hosted_in_datacenter")
def _hosted_in_datacenter(system: System, inventory: Inventory) -> bool:
    return system.shared_datacenter


@condition("mail_system")
def _mail_system(system: System, inventory: Inventory) -> bool:
    return any(a.role is AssetRole.MAIL for a in system.assets)


@condition("wireless")
def _wireless(system: System, inventory: Inventory) -> bool:
    return any(a.zone is Zone.WIRELESS for a in system.assets)


@condition("database_present")
def _database_present(system: System, inventory: Inventory) -> bool:
    return any(a.role is AssetRole.DB or a.zone is Zone.DATABASE for a in system.assets)


@condition("web_application")
def _web_application(system: System, inventory: Inventory) -> bool:
    return any(a.role is AssetRole.WEB or a.urls for a in system.assets)


def applies(name: str | None, system: System, inventory: Inventory) -> bool:
    """Whether a control with condition ``name`` (None: always) applies (KeyError: unknown)."""
    return name is None or CONDITIONS[name].predicate(system, inventory)
