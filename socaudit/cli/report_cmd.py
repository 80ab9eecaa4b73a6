"""``socaudit report``: per-system reports of a run's latest stored assessment, written as a
signed bundle (no network). Also the bundle step of ``socaudit assess``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from socaudit import __version__
from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.stored_support import find_run, run_inventory
from socaudit.errors import SocauditError, UsageError
from socaudit.evaluation.model import AssessmentResult, LocalText
from socaudit.report.bundle import write_bundle
from socaudit.report.findings import Remediation
from socaudit.report.model import SystemReport, build_system_report
from socaudit.report.pdf import PdfRenderer
from socaudit.report.produce import FORMATS, evidence_files, report_files, tool_versions
from socaudit.report.signing import Signer, default_signer, load_signer
from socaudit.store.repository import RunSummary, Store

DEFAULT_FORMATS = "html,pdf,json"


def formats_option(value: str) -> tuple[str, ...]:
    chosen = tuple(f.strip() for f in value.split(",") if f.strip())
    unknown = sorted(set(chosen) - set(FORMATS))
    if unknown or not chosen:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {','.join(FORMATS)}"
        )
    return chosen


REPORT_OPTIONS = [
    click.option("--system", "systems", multiple=True, metavar="ID", help="Only this system."),
    click.option(
        "--format",
        "formats",
        default=DEFAULT_FORMATS,
        show_default=True,
        metavar="LIST",
        help=f"Comma-separated formats: {','.join(FORMATS)}.",
    ),
    click.option(
        "--out", "out", type=click.Path(path_type=Path, file_okay=False), help="Bundle folder."
    ),
    click.option("--lang", "lang", type=click.Choice(["vi", "en"]), help="Report language."),
    click.option(
        "--sign-cert",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Signing certificate (PEM); default: a self-signed one in the user data folder.",
    ),
    click.option(
        "--sign-key",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Private key (PEM, unencrypted) of --sign-cert.",
    ),
]


def report_options(func: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(REPORT_OPTIONS):
        func = option(func)
    return func


@click.command("report")
@click.argument("run_ref", default="latest", metavar="[RUN_ID|latest]")
@report_options
@pass_app
def report(
    app: AppContext,
    run_ref: str,
    systems: tuple[str, ...],
    formats: str,
    out: Path | None,
    lang: str | None,
    sign_cert: Path | None,
    sign_key: Path | None,
) -> int:
    """Write the assessment report of each system (from the run's latest stored assessment)
    with the run's evidence into a signed bundle folder. Exit 0 when written; 2 unknown run,
    system or a run without an assessment."""
    chosen = formats_option(formats)
    signer = signer_from(sign_cert, sign_key)
    store = Store(app.db_url)
    try:
        run = find_run(store, run_ref)
        folder = write_reports(store, run, systems, chosen, out, lang or app.lang, signer)
    finally:
        store.close()
    click.echo(f"bundle: {folder}")
    return 0


def signer_from(cert: Path | None, key: Path | None) -> Signer:
    if (cert is None) != (key is None):
        raise UsageError("give both --sign-cert and --sign-key, or neither")
    if cert is not None and key is not None:
        return load_signer(cert, key)
    return default_signer()


def write_reports(
    store: Store,
    run: RunSummary,
    systems: Sequence[str],
    formats: Sequence[str],
    out: Path | None,
    lang: str,
    signer: Signer,
) -> Path:
    """Build, render and bundle the reports of ``run``'s latest assessment; the bundle folder."""
    stored = store.latest_assessment(run.id)
    if stored is None:
        raise UsageError(f"run {run.id} has no assessment yet (run `socaudit evaluate {run.id}`)")
    result = AssessmentResult.model_validate(stored.results)
    result = result.model_copy(update={"assessment": stored.id})
    judged = [s.id for s in result.systems]
    unknown = sorted(set(systems) - set(judged))
    if unknown:
        raise UsageError(f"assessment {stored.id} has no system {', '.join(unknown)}")
    wanted = list(systems or judged)
    # PDF workers start first: they import WeasyPrint while the reports are built.
    with PdfRenderer(len(wanted) if "pdf" in formats else 0) as renderer:
        inventory = run_inventory(store, run)
        records = list(store.records(run.id))
        remediation, titles = pack_texts(stored.pack_id, result)
        reports: list[SystemReport] = []
        for system_id in wanted:
            click.echo(f"report: {system_id}", err=True)
            reports.append(
                build_system_report(
                    result, system_id, inventory, records, remediation, run.status, titles
                )
            )
        files = report_files(reports, formats, lang, __version__, renderer)
    files.update(evidence_files(store.snapshot(run.id), records, stored.results))
    meta = {
        "run": run.id,
        "assessment": stored.id,
        "as_of": result.as_of.isoformat(),
        "pack": {"id": stored.pack_id, "version": stored.pack_version},
        "inventory_sha256": stored.inventory_sha256,
        "systems": [r.identity.id for r in reports],
        "lang": lang,
        "tools": tool_versions(records, __version__),
    }
    folder = out or Path(f"socaudit-report-run{run.id}-a{stored.id}")
    return write_bundle(folder, files, meta, signer)


def pack_texts(pack_id: str, result: AssessmentResult) -> tuple[Remediation, dict[str, LocalText]]:
    """Control id -> the pack's remediation text, and group -> title (none if the pack cannot
    be loaded: the report then shows no remediation rather than failing)."""
    texts: dict[str, LocalText] = {}
    titles: dict[str, LocalText] = {}
    try:
        from socaudit.policy.loader import load_pack

        pack = load_pack(pack_id)
        titles.update({k: LocalText(vi=v.vi, en=v.en) for k, v in pack.groups.items()})
        for level in sorted({s.level for s in result.systems}):
            for control in pack.controls_for_level(level):
                texts.setdefault(control.id, control.remediation)
    except (SocauditError, OSError, ValueError, KeyError):
        pass
    return texts.get, titles
