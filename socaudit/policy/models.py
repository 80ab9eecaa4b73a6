"""Policy pack v1 as frozen pydantic models: the files a pack author writes (docs/policy.md).

A pack is a folder: ``pack.yaml`` (header, named parameters, the list of control files) and
one file per requirement group. Per-level values are mappings keyed by level number; a
control's ``clause`` and ``tt12_row`` name the TCVN clause and the TT 12/2022 annex row at
each level it applies to. Cross-references (check names, parameter types, conditions, levels)
are checked by the loader, which knows the registries.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
"""A parameter or condition name: lower-case letters, digits and '_'."""
CheckName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")]
PackId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,62}$")]
ControlId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}(\.[0-9A-Za-z]+)+$")]
"""Same pattern as the inventory's ``evidence``/``waivers`` control ids."""
GroupName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")]
FileName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_./-]*\.yaml$")]
ClauseText = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z./()\- ]{0,40}$")]


class Model(BaseModel):
    """Base for pack files: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalText(Model):
    """Reader text in both report languages (both required)."""

    vi: Text
    en: Text


class Kind(StrEnum):
    AUTOMATED = "automated"
    """Judged from scanned evidence only."""
    DECLARED = "declared"
    """Judged from what the inventory and its evidence files declare."""
    HYBRID = "hybrid"
    """Both: scanned evidence and a declared part."""


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


class Parameter(Model):
    """A named number or setting with the source it comes from (never presented as TCVN's)."""

    title: LocalText
    values: dict[int, Any] = Field(min_length=1)
    """Level -> value; a level without an entry takes the nearest lower level's value."""
    source: LocalText
    """Where the number comes from, as the reader sees it (e.g. TT 39/2017/TT-BTTTT)."""
    unit: Text | None = None


class PackHeader(Model):
    id: PackId
    version: Text
    title: LocalText
    levels: tuple[int, ...] = Field(min_length=1)
    legal_basis: tuple[LocalText, ...] = Field(min_length=1)
    authority: LocalText | None = None
    """Who the annual report goes to under this regime."""


class PackFile(Model):
    """``pack.yaml``."""

    schema_version: Literal[1]
    pack: PackHeader
    files: tuple[FileName, ...] = Field(min_length=1)
    """The control files of the pack, relative to its folder, in reading order."""
    parameters: dict[Name, Parameter] = {}


class CheckRef(Model):
    """A registered check a control uses, with its parameters per level."""

    check: CheckName
    params_by_level: dict[int, dict[str, Any]] = {}
    """Level -> literal parameters; a higher level overrides a lower one key by key."""
    use_parameters: dict[str, Name] = {}
    """Check parameter -> named pack parameter (how numbers get in, with their source)."""


Condition = Name | tuple[Name, ...]
"""A condition name, or several (the control applies when any of them holds)."""


class Control(Model):
    id: ControlId
    title: LocalText
    kind: Kind
    severity: Severity
    applies_from: int = Field(ge=1)
    clause: dict[int, ClauseText] | None
    """Level -> TCVN clause; ``null`` for requirements without one (TT 12 rows 1.6, 1.7)."""
    tt12_row: dict[int, ClauseText] | None
    """Level -> TT 12/2022 annex row or item; ``null`` outside the annexes (four-layer)."""
    checks: tuple[CheckRef, ...] = Field(min_length=1)
    remediation: LocalText
    evidence: LocalText | None = None
    """What declared evidence shows the control (documents, records)."""
    condition: Condition | dict[int, Condition] | None = None
    """When the control applies; per level if a mapping (higher levels override lower)."""
    basis: LocalText | None = None
    """Other legal texts behind the control (e.g. TT 39/2017 for TLS 1.2)."""


class GroupFile(Model):
    """One requirement group's file (``management.yaml``, ``four_layer.yaml`` …)."""

    schema_version: Literal[1]
    group: GroupName
    title: LocalText
    controls: tuple[Control, ...] = Field(min_length=1)
