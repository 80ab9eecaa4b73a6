"""``socaudit scan --import-nmap FILE.xml``: store an office's nmap results in a new run.

Each host that is not imported is reported as ``FILE:LINE: warning: ...`` with its reason. A
file that gives nothing usable (no host imported, none refused, no asset refused) is an input
error (exit 3) and creates no run.
"""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import click

from socaudit.cli.plan import prepare
from socaudit.cli.scan import new_run
from socaudit.cli.scan_summary import exit_code, summary
from socaudit.collect.nmap_import import ImportOutcome, import_records
from socaudit.collect.nmap_xml import MAX_XML_BYTES, NmapXmlError, SkippedHost, parse_nmap_xml
from socaudit.collect.refusals import refusal_record
from socaudit.errors import InputError, Problem
from socaudit.planning import ScanOptions
from socaudit.scope import Refusal
from socaudit.store.repository import Store
from socaudit.store.schema import RunStatus


def run_import(
    store: Store,
    inventory_path: Path,
    xml_path: Path,
    system_ids: tuple[str, ...],
    as_of: dt.date | None,
) -> int:
    """Scope-check every host of ``xml_path`` and store what the authorisation covers."""
    xml = read_xml(xml_path)
    try:
        nmap_run = parse_nmap_xml(xml)
    except NmapXmlError as exc:
        raise InputError([Problem(xml_path, None, str(exc), "give nmap's -oX output")]) from exc
    prepared = prepare(inventory_path, system_ids, as_of, ScanOptions(discovery=False))
    auth = prepared.inventory.authorization
    outcome = import_records(nmap_run, xml, prepared.authorized, auth)
    skipped = [_skipped_problem(xml_path, host) for host in outcome.skipped]
    if not outcome.records and not prepared.plan.refusals:
        hint = "nothing usable: no host has an IP address of an authorised asset"
        raise InputError([*skipped, Problem(xml_path, None, "no host imported", hint)])
    for problem in skipped:
        click.echo(problem.render(), err=True)
    run_id = store.start_run(new_run(inventory_path, prepared, ScanOptions(discovery=False)))
    click.echo(f"run {run_id}: importing {xml_path}")
    tally = _store(store, run_id, prepared.plan.refusals, outcome)
    store.finish_run(run_id, RunStatus.COMPLETED)
    click.echo(summary(store, run_id, RunStatus.COMPLETED, tally))
    if skipped:
        click.echo(f"  not imported: {len(skipped)} host(s) of {xml_path} (reasons above)")
    return exit_code(RunStatus.COMPLETED, tally)


def _store(
    store: Store, run_id: int, refusals: tuple[Refusal, ...], outcome: ImportOutcome
) -> collections.Counter[tuple[str, str]]:
    tally: collections.Counter[tuple[str, str]] = collections.Counter()
    now = dt.datetime.now(dt.UTC)
    for record in [*(refusal_record(r, now) for r in refusals), *outcome.records]:
        store.add(run_id, record)
        tally[(record.kind.value, record.status.value)] += 1
    return tally


def _skipped_problem(xml_path: Path, host: SkippedHost) -> Problem:
    shown = repr(host.address) if host.address is not None else "without address"
    return Problem(xml_path, host.line, f"host {shown} not imported: {host.reason}",
                   severity="warning")  # fmt: skip


def read_xml(path: Path) -> str:
    """The file's text, refusing files too large to be one office's scan."""
    if path.stat().st_size > MAX_XML_BYTES:
        raise InputError([Problem(path, None, "file too large for an nmap XML import")])
    return path.read_text(encoding="utf-8", errors="replace")
