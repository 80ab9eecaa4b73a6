"""``socaudit assess``: the yearly job and the cron job in one command —
scan -> evaluate -> reports -> signed bundle, with progress on stderr.

Exit status as ``socaudit evaluate``'s (0 pass, 1 findings, 4 incomplete evidence); 130 when
interrupted while scanning (what was collected is kept; finish with ``--resume RUN_ID``).
"""

from __future__ import annotations

from pathlib import Path

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.evaluate import evaluate
from socaudit.cli.plan import TOP_PORTS_OPTION
from socaudit.cli.report_cmd import formats_option, report_options, signer_from, write_reports
from socaudit.cli.scan import _scan
from socaudit.errors import UsageError
from socaudit.exitcodes import ExitCode
from socaudit.planning import ScanOptions
from socaudit.policy.loader import DEFAULT_PACK
from socaudit.report.verify import verify_bundle
from socaudit.store.repository import Store


@click.command("assess")
@click.option(
    "-i",
    "--inventory",
    "inventory_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Inventory file (with --resume: default is the run's own inventory).",
)
@TOP_PORTS_OPTION
@click.option(
    "--resume", "resume_id", type=int, metavar="RUN_ID", help="Finish an interrupted run."
)
@click.option("--pack", "pack_ref", default=DEFAULT_PACK, show_default=True, metavar="ID|PATH")
@report_options
@pass_app
@click.pass_context
def assess(
    ctx: click.Context,
    app: AppContext,
    inventory_path: Path | None,
    top_ports: int,
    resume_id: int | None,
    pack_ref: str,
    systems: tuple[str, ...],
    formats: str,
    out: Path | None,
    lang: str | None,
    sign_cert: Path | None,
    sign_key: Path | None,
) -> int:
    """Scan the inventory's systems, judge them against the policy pack, and write each
    system's report with the evidence into a signed bundle."""
    if inventory_path is None and resume_id is None:
        raise UsageError("give the inventory with -i/--inventory (or --resume RUN_ID)")
    chosen = formats_option(formats)
    signer = signer_from(sign_cert, sign_key)
    wanted = tuple(dict.fromkeys(systems))
    click.echo("assess: 1/3 scan", err=True)
    store = Store(app.db_url)
    try:
        before = max((r.id for r in store.runs()), default=0)
        options = ScanOptions(top_ports=top_ports)
        code = _scan(store, inventory_path, wanted, None, options, resume_id, ())
        if code == ExitCode.INTERRUPTED:
            return code
        run_id = resume_id if resume_id is not None else max(r.id for r in store.runs())
        if run_id <= before and resume_id is None:  # pragma: no cover - _scan always starts one
            raise UsageError("the scan did not start a run")
    finally:
        store.close()
    click.echo("assess: 2/3 evaluate", err=True)
    verdict = ctx.invoke(
        evaluate,
        run_ref=str(run_id),
        inventory_path=None,
        pack_ref=pack_ref,
        as_of=None,
        systems=wanted,
        fmt="text",
    )
    click.echo("assess: 3/3 reports and bundle", err=True)
    store = Store(app.db_url)
    try:
        run = next(r for r in store.runs() if r.id == run_id)
        folder = write_reports(store, run, wanted, chosen, out, lang or app.lang, signer)
    finally:
        store.close()
    checked = verify_bundle(folder)
    state = "verified" if checked.valid else "NOT VALID: " + "; ".join(checked.problems)
    click.echo(f"bundle: {folder} ({checked.files} files, {state})")
    return int(verdict)
