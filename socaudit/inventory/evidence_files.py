"""Evidence files: declared evidence and waivers kept apart from the inventory, merged in.

Format (paths in ``evidence_files`` are relative to the inventory file's folder)::

    schema_version: 1
    systems:
      lgsp:
        evidence: [{control: QL.1.1, status: implemented, document: "...", date: 2026-02-01}]
        waivers: []
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from socaudit.errors import InputError, Problem
from socaudit.inventory.messages import validation_problems
from socaudit.inventory.models import DeclaredEvidence, Identifier, Inventory, Model, Waiver
from socaudit.inventory.yamlsafe import Document, read_yaml


class SystemEvidence(Model):
    """What one evidence file declares for one system."""

    evidence: tuple[DeclaredEvidence, ...] = ()
    waivers: tuple[Waiver, ...] = ()


class EvidenceFile(Model):
    """A whole evidence file (schema_version 1)."""

    schema_version: Literal[1]
    systems: dict[Identifier, SystemEvidence]


def resolve(inventory_path: Path, relative: str) -> Path:
    """A path written in the inventory, resolved against the inventory file's folder."""
    return inventory_path.parent / relative


def read_evidence_files(
    doc: Document, known: list[str]
) -> tuple[dict[str, SystemEvidence], list[Problem]]:
    """Items per system id from every file in the inventory's ``evidence_files``, and problems.

    Works on the raw document, so these files are checked even when the inventory has errors.
    """
    problems: list[Problem] = []
    extra: dict[str, SystemEvidence] = {}
    refs = doc.data.get("evidence_files")
    for index, relative in enumerate(refs if isinstance(refs, list) else []):
        if not isinstance(relative, str) or not relative:
            continue  # the model reports it
        try:
            parsed = _read(_existing(doc, index, relative), known)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for system_id, items in parsed.systems.items():
            extra[system_id] = _join(extra.get(system_id, SystemEvidence()), items)
    return extra, problems


def _existing(doc: Document, index: int, relative: str) -> Path:
    path = resolve(doc.path, relative)
    if path.is_file():
        return path
    line = doc.line_for(("evidence_files", index))
    hint = f"looked for {path}; paths are relative to the inventory"
    raise InputError([Problem(doc.path, line, f"evidence file '{relative}' not found", hint)])


def _read(path: Path, known: list[str]) -> EvidenceFile:
    doc = read_yaml(path)
    try:
        parsed = EvidenceFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(validation_problems(doc, exc, EvidenceFile)) from None
    unknown = [
        _unknown_system(doc, system_id, known)
        for system_id in parsed.systems
        if system_id not in known
    ]
    if unknown:
        raise InputError(unknown)
    return parsed


def _unknown_system(doc: Document, system_id: str, known: list[str]) -> Problem:
    close = difflib.get_close_matches(system_id, known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "systems: " + ", ".join(known)
    line = doc.line_for(("systems", system_id))
    return Problem(doc.path, line, f"unknown system '{system_id}'", hint)


def _join(first: SystemEvidence, second: SystemEvidence) -> SystemEvidence:
    return SystemEvidence(
        evidence=first.evidence + second.evidence, waivers=first.waivers + second.waivers
    )


def apply_evidence(inventory: Inventory, extra: dict[str, SystemEvidence]) -> Inventory:
    """``inventory`` with the extra items appended to its systems' own."""
    if not extra:
        return inventory
    systems = tuple(
        system.model_copy(
            update={
                "evidence": system.evidence + extra[system.id].evidence,
                "waivers": system.waivers + extra[system.id].waivers,
            }
        )
        if system.id in extra
        else system
        for system in inventory.systems
    )
    return inventory.model_copy(update={"systems": systems})
