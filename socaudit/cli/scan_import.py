"""``socaudit scan --import-nmap FILE.xml``: store an office's nmap results in a new run."""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import click

from socaudit.cli.plan import prepare
from socaudit.cli.scan import new_run
from socaudit.cli.scan_summary import exit_code, summary
from socaudit.collect.nmap_import import import_records
from socaudit.collect.nmap_xml import MAX_XML_BYTES, NmapXmlError, parse_nmap_xml
from socaudit.collect.refusals import refusal_record
from socaudit.errors import InputError, Problem
from socaudit.planning import ScanOptions
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
    run_id = store.start_run(new_run(inventory_path, prepared, ScanOptions(discovery=False)))
    click.echo(f"run {run_id}: importing {xml_path}")
    tally: collections.Counter[tuple[str, str]] = collections.Counter()
    now = dt.datetime.now(dt.UTC)
    records = [refusal_record(r, now) for r in prepared.plan.refusals]
    auth = prepared.inventory.authorization
    records += import_records(nmap_run, xml, prepared.authorized, auth)
    for record in records:
        store.add(run_id, record)
        tally[(record.kind.value, record.status.value)] += 1
    store.finish_run(run_id, RunStatus.COMPLETED)
    click.echo(summary(store, run_id, RunStatus.COMPLETED, tally))
    return exit_code(RunStatus.COMPLETED, tally)


def read_xml(path: Path) -> str:
    """The file's text, refusing files too large to be one office's scan."""
    if path.stat().st_size > MAX_XML_BYTES:
        raise InputError([Problem(path, None, "file too large for an nmap XML import")])
    return path.read_text(encoding="utf-8", errors="replace")
