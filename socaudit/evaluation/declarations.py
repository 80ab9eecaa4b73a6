"""Declarations from a newer inventory (``socaudit evaluate -i``) over a run's snapshot.

Observed evidence is judged against the run's own inventory (its assets and allowlists); only
what the owner declares — evidence, waivers, the four layers, endpoints, level approval,
security plan and regulation — is taken from the newer file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from socaudit.errors import InputError, Problem
from socaudit.inventory.models import Inventory

DECLARED_FIELDS = (
    "evidence",
    "waivers",
    "four_layer",
    "endpoints",
    "level_approval",
    "security_plan",
    "security_regulation",
)


def with_declarations(
    base: Inventory, newer: Inventory, newer_path: Path, system_ids: Iterable[str]
) -> Inventory:
    """``base`` with the declarations of ``newer`` for every system (``InputError`` when the
    newer inventory lacks one of ``system_ids``)."""
    known = {s.id: s for s in newer.systems}
    missing = [sid for sid in system_ids if sid not in known]
    if missing:
        hint = "-i must describe the same systems as the run"
        message = f"no system {', '.join(missing)} of the run in this inventory"
        raise InputError([Problem(newer_path, None, message, hint)])
    systems = tuple(
        s.model_copy(update={f: getattr(known[s.id], f) for f in DECLARED_FIELDS})
        if s.id in known
        else s
        for s in base.systems
    )
    return base.model_copy(update={"systems": systems})
