"""Load and validate an inventory file: every problem in one pass, each at ``FILE:LINE``.

Public API::

    load_inventory(path) -> Inventory                       # raises InputError
    validate_inventory(path) -> (Inventory, [warnings])     # raises InputError

Relative paths inside an inventory (``trust.ca_bundles``, ``evidence_files``) resolve
against the folder of the inventory file (see ``resolve_path``).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from socaudit.errors import InputError, Problem
from socaudit.inventory.checks import cross_check, system_ids
from socaudit.inventory.classification import minimum_level
from socaudit.inventory.evidence_files import apply_evidence, read_evidence_files, resolve
from socaudit.inventory.messages import validation_problems
from socaudit.inventory.models import Inventory
from socaudit.inventory.yamlsafe import Document, read_yaml

__all__ = ["load_inventory", "resolve_path", "validate_inventory"]

resolve_path = resolve


def load_inventory(path: Path) -> Inventory:
    """The validated inventory at ``path`` (evidence files merged); ``InputError`` if invalid."""
    return validate_inventory(path)[0]


def validate_inventory(path: Path) -> tuple[Inventory, list[Problem]]:
    """The inventory and its warnings; ``InputError`` listing every error otherwise."""
    doc = read_yaml(path)
    problems = cross_check(doc)
    extra, evidence_problems = read_evidence_files(doc, system_ids(doc.data))
    inventory: Inventory | None = None
    try:
        inventory = Inventory.model_validate(doc.data)
    except ValidationError as exc:
        problems = validation_problems(doc, exc, Inventory) + problems
    problems += evidence_problems
    if problems or inventory is None:
        raise InputError(_ordered(problems, path))
    inventory = apply_evidence(inventory, extra)
    return inventory, _ordered(level_warnings(doc, inventory), path)


def level_warnings(doc: Document, inventory: Inventory) -> list[Problem]:
    """A warning for each system declared below the minimum level of its classification."""
    warnings: list[Problem] = []
    for index, system in enumerate(inventory.systems):
        if system.classification is None:
            continue
        rule = minimum_level(system.classification)
        if system.level < rule.level:
            message = (
                f"system '{system.id}': declared level {system.level} "
                f"is below the minimum level {rule.level}"
            )
            line = doc.line_for(("systems", index, "level"))
            warnings.append(Problem(doc.path, line, message, rule.cite(), severity="warning"))
    return warnings


def _ordered(problems: list[Problem], inventory: Path) -> list[Problem]:
    """The inventory's own problems first, then each evidence file's, by line."""
    return sorted(problems, key=lambda p: (p.file != inventory, str(p.file), p.line or 0))
