"""Run the selected probes of one endpoint concurrently; one failure never loses the others."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from socaudit.tls.errors import ProbeFailure
from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class ProbeResults:
    """Merged outcomes: section → key → value, the notes, and the connections spent."""

    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    connections: int = 0

    def add(self, probe: Probe, outcome: ProbeOutcome) -> None:
        values = {key: outcome.values.get(key) for key in probe.keys}
        self.sections.setdefault(probe.section, {}).update(values)
        self.notes.extend(outcome.notes)


def run_probes(
    probes: Sequence[Probe],
    context_for: Callable[[Probe], ProbeContext],
    workers: int,
) -> ProbeResults:
    """Run ``probes`` with at most ``workers`` at a time, in the order given."""
    results = ProbeResults()
    contexts = [context_for(p) for p in probes]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        outcomes = list(pool.map(_run_one, probes, contexts))
    for probe, context, outcome in zip(probes, contexts, outcomes, strict=True):
        results.add(probe, outcome)
        results.connections += context.connections
    return results


def _run_one(probe: Probe, context: ProbeContext) -> ProbeOutcome:
    """The probe's outcome; a failure or a bug becomes null keys with the reason noted."""
    try:
        return probe.run(context)
    except ProbeFailure as failure:
        reason = f"{failure.reason.value}: {failure.detail}"
    except Exception as exc:  # a bug in one probe: keep the endpoint's other results
        logger.exception("TLS probe %s failed", probe.name)
        reason = f"internal error: {type(exc).__name__}: {exc}"
    return ProbeOutcome(
        dict.fromkeys(probe.keys), tuple(f"{key}: not tested: {reason}" for key in probe.keys)
    )


def merged(current: Mapping[str, Any], section: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """``current`` (a result dumped to a dict) with ``values`` merged into ``section``."""
    data = dict(current)
    data[section] = {**(data.get(section) or {}), **values}
    return data
