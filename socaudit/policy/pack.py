"""A loaded policy pack: its controls, named parameters, and the controls of one level.

Resolution for a level ``L``: a control applies when ``applies_from <= L``; its clause and
TT 12 row are the ones given for ``L``; each check's parameters are its ``params_by_level``
entries up to ``L`` (a higher level overrides a lower one, key by key), then its named
parameters at ``L`` (the pack's value for the nearest level at or below ``L``, unless the
inventory's ``policy_overrides`` replaces it). Nothing here reads files.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import ValidationError

from socaudit.checks import REGISTRY
from socaudit.errors import SocauditError
from socaudit.evaluation.model import LocalText as ResultText
from socaudit.exitcodes import ExitCode
from socaudit.i18n import both
from socaudit.policy.models import CheckRef, Control, LocalText, Parameter
from socaudit.policy.resolved import PackInfo, ResolvedCheck, ResolvedControl

T = TypeVar("T")


class Override(Protocol):
    """What a parameter override needs (the inventory's ``PolicyOverride`` has these)."""

    @property
    def parameter(self) -> str: ...
    @property
    def value(self) -> Any: ...
    @property
    def levels(self) -> tuple[int, ...]: ...
    @property
    def reason(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ParameterValue:
    """A named parameter's value at one level, and where the value comes from."""

    name: str
    level: int
    value: Any
    source: ResultText
    title: ResultText
    unit: str | None = None
    overridden: bool = False


@dataclass(frozen=True, slots=True)
class PackControl:
    """A control as written, with the group (file) it belongs to."""

    group: str
    control: Control
    file: Path
    line: int | None

    def applies(self, level: int) -> bool:
        return self.control.applies_from <= level


def at_level(values: Mapping[int, T], level: int) -> T | None:
    """The value for the nearest level at or below ``level`` (None if there is none)."""
    below = [key for key in values if key <= level]
    return values[max(below)] if below else None


def text(value: LocalText) -> ResultText:
    return ResultText(vi=value.vi, en=value.en)


@dataclass(frozen=True, slots=True)
class Pack:
    """A validated pack (``socaudit.policy.loader.load_pack`` builds it)."""

    path: Path
    info: PackInfo
    levels: tuple[int, ...]
    parameters: Mapping[str, Parameter]
    groups: Mapping[str, LocalText]
    controls: tuple[PackControl, ...]

    def control(self, control_id: str) -> PackControl:
        """The control with this id (KeyError if the pack has none)."""
        for entry in self.controls:
            if entry.control.id == control_id:
                return entry
        raise KeyError(control_id)

    def parameter(
        self, name: str, level: int, overrides: Sequence[Override] = ()
    ) -> ParameterValue:
        """Named parameter ``name`` at ``level`` (KeyError for an unknown name)."""
        spec = self.parameters[name]
        for override in overrides:
            if override.parameter == name and (not override.levels or level in override.levels):
                source = both("policy.override_source", {"reason": override.reason})
                return ParameterValue(
                    name, level, override.value, source, text(spec.title), spec.unit, True
                )
        value = at_level(spec.values, level)
        return ParameterValue(name, level, value, text(spec.source), text(spec.title), spec.unit)

    def controls_for_level(
        self, level: int, overrides: Sequence[Override] = ()
    ) -> tuple[ResolvedControl, ...]:
        """Every control that applies at ``level``, resolved (in pack order).

        ``overrides`` (the inventory's ``policy_overrides``) replace named parameters; an
        unknown name or a value a check refuses raises ``OverrideError`` (exit 3).
        """
        if overrides:
            problems = override_problems(self, overrides)
            if problems:
                raise OverrideError("\n".join(problems))
        return tuple(
            self.resolve(entry, level, overrides) for entry in self.controls if entry.applies(level)
        )

    def resolve(
        self, entry: PackControl, level: int, overrides: Sequence[Override] = ()
    ) -> ResolvedControl:
        """``entry`` as it applies at ``level``."""
        control = entry.control
        conditions = conditions_at(control, level)
        return ResolvedControl(
            id=control.id,
            group=entry.group,
            level=level,
            clause=control.clause.get(level) if control.clause is not None else None,
            tt12_row=control.tt12_row.get(level) if control.tt12_row is not None else None,
            title=text(control.title),
            kind=control.kind.value,
            severity=control.severity.value,
            checks=tuple(self.resolve_check(ref, level, overrides) for ref in control.checks),
            remediation=text(control.remediation),
            condition=conditions[0] if conditions else None,
            conditions=conditions,
            evidence=text(control.evidence) if control.evidence is not None else None,
        )

    def resolve_check(
        self, ref: CheckRef, level: int, overrides: Sequence[Override] = ()
    ) -> ResolvedCheck:
        """The check's parameters at ``level`` and the source of each named one."""
        params = literal_params(ref, level)
        sources: dict[str, ResultText] = {}
        for field, name in ref.use_parameters.items():
            value = self.parameter(name, level, overrides)
            params[field] = value.value
            sources[field] = value.source
        return ResolvedCheck(ref.check, params, sources)


class OverrideError(SocauditError):
    """The inventory's ``policy_overrides`` do not fit the pack."""

    exit_code = ExitCode.INVALID_INPUT


def override_problems(pack: Pack, overrides: Sequence[Override]) -> list[str]:
    """What is wrong with ``overrides`` for ``pack`` (names, levels, value types)."""
    problems: list[str] = []
    for override in overrides:
        where = f"policy_overrides: parameter '{override.parameter}'"
        if override.parameter not in pack.parameters:
            close = difflib.get_close_matches(override.parameter, list(pack.parameters), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "socaudit policy show lists them"
            problems.append(f"{where} is not a parameter of pack {pack.info.id} ({hint})")
            continue
        problems += [
            f"{where}: level {level} is not a level of pack {pack.info.id}"
            for level in override.levels
            if level not in pack.levels
        ]
        problems += _type_problems(pack, override, where)
    return problems


def _type_problems(pack: Pack, override: Override, where: str) -> list[str]:
    for entry in pack.controls:
        for ref in entry.control.checks:
            if override.parameter not in ref.use_parameters.values():
                continue
            for level in override.levels or pack.levels:
                if not entry.applies(level):
                    continue
                resolved = pack.resolve_check(ref, level, (override,))
                try:
                    REGISTRY[ref.check].parse_params(resolved.params)
                except ValidationError as exc:
                    error = exc.errors()[0]
                    return [
                        f"{where}: value {override.value!r} refused by {ref.check}: {error['msg']}"
                    ]
    return []


def literal_params(ref: CheckRef, level: int) -> dict[str, Any]:
    """``params_by_level`` merged up to ``level``, a higher level overriding key by key."""
    merged: dict[str, Any] = {}
    for key in sorted(k for k in ref.params_by_level if k <= level):
        merged.update(ref.params_by_level[key])
    return merged


def conditions_at(control: Control, level: int) -> tuple[str, ...]:
    """The condition names at ``level`` (() = always applies)."""
    raw = control.condition
    if isinstance(raw, dict):
        raw = at_level(raw, level)
    if raw is None:
        return ()
    names = (raw,) if isinstance(raw, str) else tuple(raw)
    return () if names == ("always",) else names
