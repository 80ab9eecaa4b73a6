"""Text view of an evaluation: per system, the controls that need attention first (with clause
and reason), then the counts and the four layers; and the exit status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from socaudit.evaluation.model import AssessmentResult, ControlResult, Outcome, SystemResult
from socaudit.exitcodes import ExitCode
from socaudit.i18n import message

ORDER = (Outcome.FAIL, Outcome.PARTIAL, Outcome.ERROR, Outcome.WAIVED)
"""Outcomes listed control by control with their reason, in this order."""
LISTED = (Outcome.INSUFFICIENT_EVIDENCE, Outcome.MANUAL)
"""Outcomes listed as one line of control ids; passes and N/A are only counted."""
FINDINGS = frozenset({Outcome.FAIL, Outcome.PARTIAL})
INCOMPLETE = frozenset({Outcome.ERROR, Outcome.INSUFFICIENT_EVIDENCE, Outcome.MANUAL})


def exit_code(result: AssessmentResult) -> int:
    """1 any fail/partial; 4 no failure but insufficient, error or manual; 0 otherwise."""
    outcomes = {c.outcome for s in result.systems for c in s.controls}
    if outcomes & FINDINGS:
        return ExitCode.FINDINGS
    if outcomes & INCOMPLETE:
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def print_text(result: AssessmentResult, lang: str, out: TextIO) -> None:
    for line in text_lines(result, lang):
        out.write(line + "\n")


def text_lines(result: AssessmentResult, lang: str) -> Iterator[str]:
    def t(key: str, **args: object) -> str:
        return message(lang, f"evaluation.text.{key}", args)

    yield t(
        "header",
        run=result.run,
        pack=result.pack.id,
        version=result.pack.version,
        as_of=result.as_of.isoformat(),
        assessment=result.assessment if result.assessment is not None else "—",
    )
    totals = {o.value: 0 for o in Outcome}
    for system in result.systems:
        yield ""
        yield from _system_lines(system, lang)
        for word, n in system.counts.items():
            totals[word] = totals.get(word, 0) + n
    yield ""
    yield t("totals", systems=len(result.systems), counts=_counts(totals, lang))


def _system_lines(system: SystemResult, lang: str) -> Iterator[str]:
    def t(key: str, **args: object) -> str:
        return message(lang, f"evaluation.text.{key}", args)

    yield t(
        "system",
        id=system.id,
        name=system.name or system.id,
        level=system.level,
        outcome=_word(system.outcome, lang),
    )
    for outcome in ORDER:
        for control in system.controls:
            if control.outcome is outcome:
                yield from _control_lines(control, lang)
    for outcome in LISTED:
        ids = [c.id for c in system.controls if c.outcome is outcome]
        if ids:
            yield t("ids", outcome=_word(outcome, lang), n=len(ids), ids=", ".join(ids))
    yield t("counts", counts=_counts(system.counts, lang))
    layers = "; ".join(
        f"{message(lang, f'common.layer.{name}')}: "
        f"{message(lang, f'common.layer_status.{layer.status.value}')}"
        for name, layer in system.four_layer.items()
    )
    yield t("layers", layers=layers)


def _control_lines(control: ControlResult, lang: str) -> Iterator[str]:
    def t(key: str, **args: object) -> str:
        return message(lang, f"evaluation.text.{key}", args)

    title = getattr(control.title, lang) if control.title else ""
    clause = control.clause or t("clause_none")
    yield t(
        "control", outcome=_word(control.outcome, lang), id=control.id, clause=clause, title=title
    )
    yield t("reason", reason=getattr(control.reason, lang))
    if control.waiver is not None and control.waived_outcome is not None:
        yield t(
            "waiver",
            expires=control.waiver.expires.isoformat(),
            approved_by=control.waiver.approved_by,
            reason=control.waiver.reason,
            waived_outcome=_word(control.waived_outcome, lang),
        )
    if control.observed and control.declared:
        for part in ("observed", "declared"):
            checks = [c for c in control.checks if c.source == part]
            listed = ", ".join(f"{c.check} {_word(c.outcome, lang)}" for c in checks)
            yield t("hybrid", part=t(f"part_{part}"), checks=listed)


def _word(outcome: Outcome, lang: str) -> str:
    return message(lang, f"common.outcome.{outcome.value}")


def _counts(counts: dict[str, int], lang: str) -> str:
    return (
        ", ".join(
            f"{message(lang, f'common.outcome.{word}')} {n}" for word, n in counts.items() if n
        )
        or "—"
    )
