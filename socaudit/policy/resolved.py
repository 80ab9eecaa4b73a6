"""What the evaluation reads from a policy pack: the controls that apply at one level.

The pack loader (``socaudit.policy.loader``) turns the YAML pack into these; the evaluation
never sees YAML. Everything here is already resolved for one level (clause, parameters).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from socaudit.evaluation.model import LocalText


@dataclass(frozen=True, slots=True)
class ResolvedCheck:
    """A named check with its parameters at the level (a higher level overrides a lower one)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)
    sources: Mapping[str, LocalText] = field(default_factory=dict)
    """Parameter -> where its value comes from (named pack parameters and owner overrides)."""


@dataclass(frozen=True, slots=True)
class ResolvedControl:
    """One control of the pack as it applies to a system of one level."""

    id: str
    group: str
    level: int
    clause: str | None
    """The TCVN 11930 clause at this level; None for rows without one (TT 12 rows 1.6, 1.7)."""
    tt12_row: str | None
    title: LocalText
    kind: str
    """automated | declared | hybrid"""
    severity: str
    """critical | high | medium | low | info"""
    checks: tuple[ResolvedCheck, ...]
    remediation: LocalText
    condition: str | None = None
    """A named applicability condition (e.g. ``wireless``); None = always applies.

    When the pack gives several conditions at this level, this is the first of ``conditions``.
    """
    conditions: tuple[str, ...] = ()
    """Every condition at this level: the control applies when ANY holds; () = always."""
    evidence: LocalText | None = None
    """What declared evidence shows the control (for reports and ``policy show``)."""


@dataclass(frozen=True, slots=True)
class PackInfo:
    id: str
    version: str
    title: LocalText
    legal_basis: tuple[LocalText, ...] = ()
