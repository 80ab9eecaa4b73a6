"""Validate one control's check reference: the name, its parameters at every level, its kind.

Numbers never appear as literals in a control: a number is a named parameter of the pack
(``pack.yaml`` ``parameters:``) with the source it comes from, referred to through
``use_parameters``. Each level's merged parameters are validated with the check's params
model, so a wrong type is reported at load time, not during an assessment.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from socaudit.checks import REGISTRY, CheckSpec
from socaudit.errors import Problem
from socaudit.inventory.yamlbuild import Loc
from socaudit.inventory.yamlsafe import Document
from socaudit.policy.models import CheckRef, Control, Kind, Parameter
from socaudit.policy.pack import at_level, literal_params

_NUMBER_HINT = (
    "declare it under 'parameters:' in pack.yaml with its source, "
    "then refer to it with use_parameters"
)


def _close(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def check_params(
    doc: Document,
    loc: Loc,
    ref: CheckRef,
    control: Control,
    applicable: tuple[int, ...],
    levels: tuple[int, ...],
    parameters: Mapping[str, Parameter] | None,
) -> list[Problem]:
    """Every problem with ``ref`` (one check entry of ``control``)."""
    problems: list[Problem] = []

    def add(where: Loc, message: str, hint: str | None = None) -> None:
        problems.append(Problem(doc.path, doc.line_for(where), message, hint))

    for level in ref.params_by_level:
        if levels and level not in levels:
            hint = "this pack's levels: " + ", ".join(map(str, levels))
            add(
                (*loc, "params_by_level", str(level)),
                f"level {level} is not a level of this pack",
                hint,
            )
        for key, value in ref.params_by_level[level].items():
            if _has_number(value):
                message = f"check '{ref.check}': '{key}' is a number written in the control"
                add((*loc, "params_by_level", str(level), key), message, _NUMBER_HINT)
    if parameters is not None:
        for key, name in ref.use_parameters.items():
            if name not in parameters:
                add(
                    (*loc, "use_parameters", key),
                    f"unknown parameter '{name}'",
                    _close(name, list(parameters)) or "named parameters live in pack.yaml",
                )
    spec = REGISTRY.get(ref.check)
    if spec is None:
        hint = _close(ref.check, list(REGISTRY)) or "socaudit policy checks lists them"
        add((*loc, "check"), f"unknown check '{ref.check}'", hint)
        return problems
    problems += _kind_problem(doc, loc, control, spec)
    if parameters is not None and not problems:
        problems += _validate_levels(doc, loc, ref, spec, applicable, parameters)
    return problems


def _has_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, list | tuple):
        return any(_has_number(item) for item in value)
    if isinstance(value, dict):
        return any(_has_number(item) for item in value.values())
    return False


def _kind_problem(doc: Document, loc: Loc, control: Control, spec: CheckSpec[Any]) -> list[Problem]:
    wanted = {Kind.AUTOMATED: "observed", Kind.DECLARED: "declared"}.get(control.kind)
    if wanted is None or spec.source == wanted:
        return []
    judged = "scanned" if spec.source == "observed" else "declared"
    message = (
        f"control '{control.id}' is kind '{control.kind.value}' but check '{spec.name}' "
        f"judges {judged} evidence"
    )
    return [Problem(doc.path, doc.line_for((*loc, "check")), message, "use kind: hybrid")]


def _validate_levels(
    doc: Document,
    loc: Loc,
    ref: CheckRef,
    spec: CheckSpec[Any],
    applicable: tuple[int, ...],
    parameters: Mapping[str, Parameter],
) -> list[Problem]:
    found: dict[tuple[str, str | None], list[int]] = {}
    for level in applicable:
        params = literal_params(ref, level)
        for key, name in ref.use_parameters.items():
            spec_param = parameters.get(name)
            if spec_param is None:
                continue
            value = at_level(spec_param.values, level)
            if value is None:
                found.setdefault((f"parameter '{name}' has no value for level {level}", None), [])
                continue
            params[key] = value
        try:
            spec.parse_params(params)
        except ValidationError as exc:
            for error in exc.errors():
                found.setdefault(_message(spec, error), []).append(level)
    problems = []
    for (message, hint), at in found.items():
        where = f" at level {', '.join(map(str, at))}" if at else ""
        line = doc.line_for((*loc, "check"))
        problems.append(Problem(doc.path, line, f"check '{spec.name}'{where}: {message}", hint))
    return problems


def _message(spec: CheckSpec[Any], error: Any) -> tuple[str, str | None]:
    field = ".".join(str(part) for part in error["loc"]) or "parameters"
    fields = list(spec.params.model_fields)
    if error["type"] == "extra_forbidden":
        hint = _close(field, fields) or (
            "its parameters: " + ", ".join(fields) if fields else "it takes no parameters"
        )
        return f"no parameter '{field}'", hint
    if error["type"] == "missing":
        return f"parameter '{field}' is missing", "give it in params_by_level or use_parameters"
    return f"parameter '{field}': {error['msg']}", None
