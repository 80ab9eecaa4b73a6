"""The frozen view a check judges: one system, its declarations and the run's evidence of it.

Checks never see an errored attempt as evidence: completed records and failed attempts are
kept apart (``observed`` / ``failed``), so missing evidence reads as insufficient and an errored
probe as an error, never as a verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.records import EvidenceRecord
from socaudit.inventory.models import Inventory, System
from socaudit.runview import latest_per_probe


@dataclass(frozen=True, slots=True)
class CheckContext:
    system: System
    inventory: Inventory
    as_of: dt.date
    completed: Mapping[str, tuple[EvidenceRecord, ...]] = field(default_factory=dict)
    """Evidence kind -> the system's completed records (latest attempt of each probe)."""
    failed: Mapping[str, tuple[EvidenceRecord, ...]] = field(default_factory=dict)
    """Evidence kind -> attempts that errored or were refused (not evidence)."""
    last_assessed: dt.date | None = None
    """The latest stored socaudit assessment of the system, when the caller knows it."""
    control_id: str | None = None
    """The control being judged (declared checks look up its inventory entry)."""

    @classmethod
    def build(
        cls,
        system: System,
        inventory: Inventory,
        as_of: dt.date,
        records: Iterable[EvidenceRecord] = (),
        last_assessed: dt.date | None = None,
    ) -> CheckContext:
        """Index a system's records by kind (the last attempt of each probe wins)."""
        done: dict[str, list[EvidenceRecord]] = {}
        bad: dict[str, list[EvidenceRecord]] = {}
        for record in latest_per_probe(records):
            if record.status is AttemptStatus.COMPLETED:
                done.setdefault(record.kind.value, []).append(record)
            elif record.status in (AttemptStatus.ERROR, AttemptStatus.REFUSED):
                bad.setdefault(record.kind.value, []).append(record)
        return cls(
            system=system,
            inventory=inventory,
            as_of=as_of,
            completed={k: tuple(v) for k, v in done.items()},
            failed={k: tuple(v) for k, v in bad.items()},
            last_assessed=last_assessed,
        )

    def observed(self, kind: str) -> tuple[EvidenceRecord, ...]:
        return self.completed.get(kind, ())

    def errors(self, kind: str) -> tuple[EvidenceRecord, ...]:
        """Attempts of ``kind`` that errored (refusals excluded)."""
        return tuple(r for r in self.failed.get(kind, ()) if r.status is AttemptStatus.ERROR)

    def refused(self, kind: str) -> tuple[EvidenceRecord, ...]:
        return tuple(r for r in self.failed.get(kind, ()) if r.status is AttemptStatus.REFUSED)

    def for_control(self, control_id: str) -> CheckContext:
        return CheckContext(
            self.system,
            self.inventory,
            self.as_of,
            self.completed,
            self.failed,
            self.last_assessed,
            control_id,
        )
