"""The closing lines of ``socaudit scan`` and its exit code."""

from __future__ import annotations

import collections

from socaudit.evidence.base import AttemptStatus, EvidenceKind
from socaudit.exitcodes import ExitCode
from socaudit.store.repository import Store
from socaudit.store.schema import RunStatus

Tally = collections.Counter[tuple[str, str]]
"""Records of this invocation by (kind, status)."""

MAX_REFUSALS_SHOWN = 20


def summary(store: Store, run_id: int, status: RunStatus, tally: Tally) -> str:
    """Systems, records by kind and status, and the targets not assessed (with reasons)."""
    run = store.run(run_id)
    systems = len(run.systems) if run else 0
    total = run.evidence if run else sum(tally.values())
    lines = [f"run {run_id} {status.value}: {systems} system(s), {total} evidence record(s) stored"]
    for kind in sorted({k for k, _ in tally}):
        parts = [f"{n} {s}" for (k, s), n in sorted(tally.items()) if k == kind]
        lines.append(f"  {kind:<10} {', '.join(parts)}")
    refused = tally[(EvidenceKind.REFUSAL.value, AttemptStatus.REFUSED.value)]
    if refused:
        lines.append(f"  not assessed (out of scope): {refused} target(s)")
        lines.extend(_refusal_lines(store, run_id))
    return "\n".join(lines)


def _refusal_lines(store: Store, run_id: int) -> list[str]:
    records = list(store.records(run_id, EvidenceKind.REFUSAL.value))
    lines = [
        f"    {r.target.system_id}/{r.target.asset_id or '-'} {r.target.label()}: {r.detail}"
        for r in records[:MAX_REFUSALS_SHOWN]
    ]
    if len(records) > MAX_REFUSALS_SHOWN:
        lines.append(f"    … and {len(records) - MAX_REFUSALS_SHOWN} more (see the store)")
    return lines


def exit_code(status: RunStatus, tally: Tally) -> int:
    """130 interrupted, 4 when a probe errored or a target was refused, else 0."""
    if status is RunStatus.INTERRUPTED:
        return ExitCode.INTERRUPTED
    bad = {AttemptStatus.ERROR.value, AttemptStatus.REFUSED.value}
    return ExitCode.INCOMPLETE if any(s in bad for _, s in tally) else ExitCode.OK
