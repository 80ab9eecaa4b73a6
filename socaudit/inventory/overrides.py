"""``policy_overrides``: the owner's own values for a policy pack's named parameters.

A pack states where each of its numbers comes from (TT 39/2017, NĐ 85 Art. 20.2.c …); an owner
whose security regulation is stricter (or who has an approved reason to differ) sets its own
value here, with the reason. Reports show the override and its reason instead of the pack's
source. The pack checks the name and the value's type when it resolves its controls.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ParameterName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
OverrideText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class PolicyOverride(BaseModel):
    """One named parameter's value replaced for this inventory (all levels or some)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    parameter: ParameterName
    value: bool | int | float | OverrideText | tuple[OverrideText, ...]
    levels: tuple[Annotated[int, Field(ge=1, le=5)], ...] = ()
    """Levels the value applies at; empty = every level."""
    reason: OverrideText
    """Why, e.g. the owner's regulation that sets the stricter value."""
    approved_by: OverrideText | None = None
