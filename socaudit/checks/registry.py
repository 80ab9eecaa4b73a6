"""The registry of named checks: the policy pack names them, the evaluation runs them.

A check is a pure function ``(context, params) -> CheckResult`` registered under a stable name
with the evidence kinds it reads and a pydantic model of its parameters. Importing
``socaudit.checks`` registers every built-in check (one module per family); nothing else has
import side effects. The pack loader refuses a check name that is not registered here and
parameters that its model rejects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from socaudit.evaluation.model import Outcome


class NoParams(BaseModel):
    """Parameters of a check that takes none."""

    model_config = ConfigDict(frozen=True, extra="forbid")


P = TypeVar("P", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a check gave its outcome: a message-catalogue key and its arguments.

    Reader text never lives in Python: the catalogues (vi, en) render ``key`` with ``args``.
    """

    key: str
    args: Mapping[str, str | int | float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckResult:
    outcome: Outcome
    reason: Reason
    evidence: tuple[str, ...] = ()
    """References to what was judged (``observed:tls:127.0.10.10:8443``, ``declared:QL.1.1``)."""


@dataclass(frozen=True, slots=True)
class CheckSpec(Generic[P]):
    name: str
    source: str
    """``observed`` (scanned evidence) or ``declared`` (inventory / evidence files)."""
    evidence_kinds: frozenset[str]
    """EvidenceKind values (or ``inventory``) the check reads."""
    params: type[P]
    run: Callable[[Any, P], CheckResult]
    """``(CheckContext, params) -> CheckResult``; pure."""

    def parse_params(self, raw: Mapping[str, Any]) -> P:
        """Validated parameters (pydantic ``ValidationError`` when they are wrong)."""
        return self.params.model_validate(dict(raw))


REGISTRY: dict[str, CheckSpec[Any]] = {}


def register(
    name: str, *, source: str, reads: frozenset[str] | set[str], params: type[P]
) -> Callable[[Callable[[Any, P], CheckResult]], Callable[[Any, P], CheckResult]]:
    """Decorator: register a check function under ``name`` (``params=NoParams`` for none)."""

    def wrap(func: Callable[[Any, P], CheckResult]) -> Callable[[Any, P], CheckResult]:
        if name in REGISTRY:
            raise ValueError(f"check {name!r} registered twice")
        REGISTRY[name] = CheckSpec(name, source, frozenset(reads), params, func)
        return func

    return wrap
