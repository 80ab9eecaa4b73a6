"""``socaudit diff RUN_A RUN_B``: what changed per system between two runs."""

from __future__ import annotations

import json
from typing import Any

import click
from pydantic import ValidationError

from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.stored_support import find_run
from socaudit.errors import UsageError
from socaudit.evaluation.model import AssessmentResult
from socaudit.evidence.tls import CertificateFacts
from socaudit.exitcodes import ExitCode
from socaudit.store.repository import RunSummary, Store
from socaudit.summary.diff import CATEGORIES, PortChange, SystemDiff, diff_runs


@click.command(
    "diff", short_help="What changed per system between two runs: controls, ports, certificates."
)
@click.argument("run_a", metavar="RUN_A")
@click.argument("run_b", metavar="RUN_B")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def diff(app: AppContext, run_a: str, run_b: str, fmt: str) -> int:
    """Per system, what changed from RUN_A to RUN_B (run ids or `latest`): controls new,
    fixed, still open, regressed, waiver expired, newly waived (each run's latest assessment),
    ports opened/closed and certificate changes (each run's evidence).

    Exit status: 1 something got worse (new, regressed, waiver expired, port opened); 0 not."""
    store = Store(app.db_url)
    try:
        a, b = find_run(store, run_a), find_run(store, run_b)
        results = [_latest(store, r) for r in (a, b)]
        diffs = diff_runs(results[0], results[1], store.records(a.id), store.records(b.id))
    finally:
        store.close()
    notes = [
        f"run {r.id} has no stored assessment: controls not compared (run `socaudit evaluate`)"
        for r, res in zip((a, b), results, strict=True)
        if res is None
    ]
    if fmt == "json":
        click.echo(json.dumps(diff_json(a, b, results, diffs, notes), ensure_ascii=False, indent=2))
    else:
        click.echo(diff_text(a, b, diffs, notes))
    return ExitCode.FINDINGS if any(d.worse for d in diffs) else ExitCode.OK


def _latest(store: Store, run: RunSummary) -> AssessmentResult | None:
    stored = store.latest_assessment(run.id)
    if stored is None:
        return None
    try:
        return AssessmentResult.model_validate(stored.results)
    except ValidationError as exc:
        raise UsageError(
            f"stored assessment {stored.id} of run {run.id} is not readable "
            f"({exc.error_count()} problem(s)); evaluate the run again"
        ) from None


def diff_json(
    a: RunSummary,
    b: RunSummary,
    results: list[AssessmentResult | None],
    diffs: list[SystemDiff],
    notes: list[str],
) -> dict[str, Any]:
    return {
        "run_a": a.id,
        "run_b": b.id,
        "assessment_a": results[0].assessment if results[0] else None,
        "assessment_b": results[1].assessment if results[1] else None,
        "notes": notes,
        "systems": [_system_json(d) for d in diffs],
    }


def _system_json(d: SystemDiff) -> dict[str, Any]:
    return {
        "id": d.id,
        **{c: list(d.controls[c]) for c in CATEGORIES},
        "ports_opened": [_port(p) for p in d.ports_opened],
        "ports_closed": [_port(p) for p in d.ports_closed],
        "certificates": [
            {"target": c.target, "before": _cert(c.before), "after": _cert(c.after)}
            for c in d.certificates
        ],
    }


def _port(p: PortChange) -> dict[str, Any]:
    return {"asset": p.asset_id, "address": p.address, "port": p.port, "protocol": p.protocol}


def _cert(cert: CertificateFacts | None) -> dict[str, Any] | None:
    if cert is None:
        return None
    keys = ("subject", "issuer", "not_after", "key_type", "key_size", "signature_hash")
    return {k: getattr(cert, k) for k in keys}


def diff_text(a: RunSummary, b: RunSummary, diffs: list[SystemDiff], notes: list[str]) -> str:
    lines = [f"run {a.id} -> run {b.id}", *notes]
    for d in diffs:
        parts = [
            f"  {c.replace('_', ' ')}: {', '.join(d.controls[c])}"
            for c in CATEGORIES
            if d.controls[c]
        ]
        parts += [f"  port opened: {p.address}:{p.port}/{p.protocol}" for p in d.ports_opened]
        parts += [f"  port closed: {p.address}:{p.port}/{p.protocol}" for p in d.ports_closed]
        for c in d.certificates:
            before = c.before.subject + " until " + c.before.not_after if c.before else "none"
            after = c.after.subject + " until " + c.after.not_after if c.after else "none"
            parts.append(f"  certificate {c.target}: {before} -> {after}")
        lines.append(f"{d.id}: {'no change' if not parts else ''}".rstrip())
        lines += parts
    return "\n".join(lines)
