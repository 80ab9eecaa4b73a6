"""Text output of ``socaudit policy list|show`` (English labels; pack text in --lang)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from socaudit.checks import REGISTRY
from socaudit.policy.pack import Pack, PackControl, conditions_at


def pick(value: Any, lang: str) -> str:
    """The ``lang`` text of a ``{vi, en}`` value."""
    return str(value.vi if lang == "vi" else value.en)


def list_lines(
    pack: Pack, entries: list[PackControl], level: int | None, lang: str
) -> Iterator[str]:
    """One header per group, one line per control: id, clause, kind, severity, title."""
    info = pack.info
    scope = f"level {level}" if level is not None else "all levels"
    yield f"{info.id} {info.version} — {pick(info.title, lang)} ({scope}, {len(entries)} controls)"
    group = None
    for entry in entries:
        if entry.group != group:
            group = entry.group
            title = pack.groups.get(group)
            yield ""
            yield f"[{group}] {pick(title, lang) if title is not None else ''}".rstrip()
        control = entry.control
        if level is not None:
            clause = (control.clause or {}).get(level) or "—"
        else:
            clause = f"from L{control.applies_from}"
        condition = conditions_at(control, level or max(pack.levels))
        when = f" [if {' or '.join(condition)}]" if condition else ""
        yield (
            f"  {control.id:<10} {clause:<10} {control.kind.value:<9} "
            f"{control.severity.value:<8} {pick(control.title, lang)}{when}"
        )


def _defaults(name: str, given: set[str]) -> Iterator[str]:
    """The check's own defaults for parameters the pack leaves out."""
    spec = REGISTRY.get(name)
    if spec is None:
        return
    for key, info in spec.params.model_fields.items():
        if key not in given and not info.is_required():
            value = json.dumps(info.get_default(call_default_factory=True), ensure_ascii=False)
            yield f"        {key} = {value}  (check default)"


def show_lines(pack: Pack, entry: PackControl, level: int | None, lang: str) -> Iterator[str]:
    """The requirement, its clause per level, how it is judged, remediation."""
    control = entry.control
    yield f"{control.id} — {pick(control.title, lang)}"
    group_title = pack.groups.get(entry.group)
    yield f"Group: {entry.group}" + (f" ({pick(group_title, lang)})" if group_title else "")
    yield f"Pack: {pack.info.id} {pack.info.version}"
    yield f"Kind: {control.kind.value}    Severity: {control.severity.value}"
    yield f"Applies from level {control.applies_from}"
    yield "Clause per level (annex row):"
    for lvl in pack.levels:
        if lvl < control.applies_from:
            continue
        clause = (control.clause or {}).get(lvl, "no clause")
        row = (control.tt12_row or {}).get(lvl, "—")
        conditions = conditions_at(control, lvl)
        when = f"; applies if {' or '.join(conditions)}" if conditions else ""
        yield f"  L{lvl}: {clause}  (row {row}){when}"
    if control.basis is not None:
        yield f"Legal basis: {pick(control.basis, lang)}"
    levels = [level] if level is not None else [lvl for lvl in pack.levels if entry.applies(lvl)]
    yield "How it is judged:"
    for lvl in levels:
        if not entry.applies(lvl):
            yield f"  (does not apply at level {lvl})"
            continue
        resolved = pack.resolve(entry, lvl)
        yield f"  at level {lvl}:"
        for check in resolved.checks:
            spec = REGISTRY.get(check.name)
            source = "scanned evidence" if spec and spec.source == "observed" else "declared"
            yield f"    - {check.name} ({source})"
            for key, value in check.params.items():
                cited = check.sources.get(key)
                note = f"  [source: {pick(cited, lang)}]" if cited is not None else ""
                yield f"        {key} = {json.dumps(value, ensure_ascii=False)}{note}"
            yield from _defaults(check.name, set(check.params))
    if control.evidence is not None:
        yield f"Declared evidence: {pick(control.evidence, lang)}"
    yield f"Remediation: {pick(control.remediation, lang)}"
