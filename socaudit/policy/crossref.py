"""Cross-checks of a pack that its models cannot do alone: levels, registries, duplicates.

Every problem is located at the line of the offending key (``FILE:LINE: message (hint)``);
all are collected in one pass. Check names are looked up in ``socaudit.checks.REGISTRY``,
conditions in ``socaudit.checks.conditions.CONDITIONS``, and each check's parameters are
validated against its params model at every level the control applies to.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from socaudit.checks import CONDITIONS
from socaudit.errors import Problem
from socaudit.inventory.yamlbuild import Loc
from socaudit.inventory.yamlsafe import Document
from socaudit.policy.models import Control, PackFile
from socaudit.policy.paramcheck import check_params


def did_you_mean(word: str, choices: Iterable[str], fallback: str | None = None) -> str | None:
    """``did you mean 'x'?`` for a close match, else ``fallback``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else fallback


def level_list(levels: Iterable[int]) -> str:
    return ", ".join(str(level) for level in sorted(levels))


@dataclass
class Checker:
    """Collects problems about one pack."""

    header: PackFile | None
    levels: tuple[int, ...]
    """The pack's levels (empty when pack.yaml is invalid: level checks are skipped)."""
    problems: list[Problem] = field(default_factory=list)
    seen_ids: dict[str, str] = field(default_factory=dict)
    seen_groups: dict[str, str] = field(default_factory=dict)

    def add(self, doc: Document, loc: Loc, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(doc.path, doc.line_for(loc), message, hint))

    def where(self, doc: Document, loc: Loc) -> str:
        return f"{doc.path.name}:{doc.line_for(loc)}"

    def level_keys(self, doc: Document, loc: Loc, keys: Iterable[int]) -> None:
        if not self.levels:
            return
        for key in keys:
            if key not in self.levels:
                hint = f"this pack's levels: {level_list(self.levels)}"
                self.add(doc, (*loc, str(key)), f"level {key} is not a level of this pack", hint)


@dataclass(frozen=True, slots=True)
class GroupParts:
    """What validated in one control file: its group name and its valid controls by index."""

    doc: Document
    name: str | None
    controls: tuple[tuple[int, Control], ...]


def cross_check(
    header_doc: Document | None, header: PackFile | None, groups: list[GroupParts]
) -> list[Problem]:
    """Every cross-reference problem of the pack (controls that failed their model skipped)."""
    levels = tuple(sorted(header.pack.levels)) if header is not None else ()
    checker = Checker(header, levels)
    if header_doc is not None and header is not None:
        _check_header(checker, header_doc, header)
    for group in groups:
        _check_group(checker, group)
    return checker.problems


def _check_header(checker: Checker, doc: Document, header: PackFile) -> None:
    if len(set(header.pack.levels)) != len(header.pack.levels):
        checker.add(doc, ("pack", "levels"), "a level is listed twice")
    for name, parameter in header.parameters.items():
        checker.level_keys(doc, ("parameters", name, "values"), parameter.values)
    seen: dict[str, int] = {}
    for index, name in enumerate(header.files):
        if name in seen:
            hint = f"first listed at line {doc.line_for(('files', seen[name]))}"
            checker.add(doc, ("files", index), f"control file '{name}' is listed twice", hint)
        seen.setdefault(name, index)


def _check_group(checker: Checker, group: GroupParts) -> None:
    doc = group.doc
    if group.name is not None:
        first = checker.seen_groups.setdefault(group.name, checker.where(doc, ("group",)))
        if first != checker.where(doc, ("group",)):
            hint = f"first used in {first}; one file per requirement group"
            checker.add(doc, ("group",), f"group '{group.name}' is defined twice", hint)
    for index, control in group.controls:
        _check_control(checker, doc, ("controls", index), control)


def _check_control(checker: Checker, doc: Document, loc: Loc, control: Control) -> None:
    first = checker.seen_ids.setdefault(control.id, checker.where(doc, (*loc, "id")))
    if first != checker.where(doc, (*loc, "id")):
        checker.add(
            doc, (*loc, "id"), f"duplicate control id '{control.id}'", f"first defined at {first}"
        )
    if checker.levels and control.applies_from not in checker.levels:
        hint = f"this pack's levels: {level_list(checker.levels)}"
        checker.add(
            doc,
            (*loc, "applies_from"),
            f"level {control.applies_from} is not a level of this pack",
            hint,
        )
    applicable = tuple(level for level in checker.levels if level >= control.applies_from)
    _per_level(checker, doc, loc, control, "clause", "clause", applicable)
    _per_level(checker, doc, loc, control, "tt12_row", "annex row", applicable)
    _check_condition(checker, doc, (*loc, "condition"), control.condition)
    parameters = checker.header.parameters if checker.header is not None else None
    for index, ref in enumerate(control.checks):
        checker.problems += check_params(
            doc, (*loc, "checks", index), ref, control, applicable, checker.levels, parameters
        )


def _per_level(
    checker: Checker,
    doc: Document,
    loc: Loc,
    control: Control,
    key: str,
    what: str,
    applicable: tuple[int, ...],
) -> None:
    values: Mapping[int, str] | None = getattr(control, key)
    if values is None:
        return
    checker.level_keys(doc, (*loc, key), values)
    for level in values:
        if level in checker.levels and level < control.applies_from:
            message = (
                f"control '{control.id}': {key} given for level {level}, "
                f"below applies_from {control.applies_from}"
            )
            checker.add(doc, (*loc, key, str(level)), message, "remove it or lower applies_from")
    for level in applicable:
        if level not in values:
            message = f"control '{control.id}' applies at level {level} but has no {what} for it"
            hint = f'add {level}: "..." under {key}, or write {key}: null if there is none'
            checker.add(doc, (*loc, key), message, hint)


def _check_condition(checker: Checker, doc: Document, loc: Loc, condition: Any) -> None:
    if condition is None:
        return
    if isinstance(condition, dict):
        checker.level_keys(doc, loc, condition)
        for level, value in condition.items():
            _check_condition(checker, doc, (*loc, str(level)), value)
        return
    names = (condition,) if isinstance(condition, str) else condition
    for index, name in enumerate(names):
        if name not in CONDITIONS:
            hint = did_you_mean(name, CONDITIONS, "conditions: " + ", ".join(sorted(CONDITIONS)))
            where = loc if isinstance(condition, str) else (*loc, index)
            checker.add(doc, where, f"unknown condition '{name}'", hint)
