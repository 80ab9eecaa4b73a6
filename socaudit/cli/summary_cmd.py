"""``socaudit summary``: the subcommittee summary of every system (Mẫu 08, targets, gaps)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.stored_support import find_run, inventory_arg, needed_judgements, today
from socaudit.errors import UsageError
from socaudit.inventory.models import Inventory
from socaudit.store.repository import RunSummary, Store
from socaudit.summary.as_json import summary_json
from socaudit.summary.model import Summary, build_summary

FORMATS = ("text", "json", "html", "pdf", "md", "docx", "csv")
_BINARY = {"pdf", "docx"}


@click.command("summary")
@click.argument("run_ref", default="latest", metavar="[RUN_ID|latest]")
@click.option(
    "-i",
    "--inventory",
    "path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Inventory to summarise (default: the run's inventory snapshot).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Report date (default: today in the inventory's time zone).",
)
@click.option(
    "--format",
    "formats",
    default="text",
    show_default=True,
    metavar="LIST",
    help=f"Comma-separated formats: {', '.join(FORMATS)}.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write summary.<format> files into this folder (needed for pdf, docx, several).",
)
@click.option("--lang", type=click.Choice(["vi", "en"]), help="Report language (default vi).")
@pass_app
def summary(
    app: AppContext,
    run_ref: str,
    path: Path | None,
    as_of: dt.datetime | None,
    formats: str,
    out: Path | None,
    lang: str | None,
) -> int:
    """The subcommittee summary: every system in one NĐ 331/2026 Mẫu 08 table with its last
    assessment, due date and verdict; the totals; the province's targets measured; systemic
    gaps; overdue systems. Verdicts come from each system's latest stored assessment (of runs
    up to RUN_ID). Without any run, -i summarises the inventory alone."""
    chosen = _formats(formats, out)
    language = lang or app.lang
    store = Store(app.db_url)
    try:
        run = _run(store, run_ref, path)
        inventory = inventory_arg(path, store, run)
        day = as_of.date() if as_of else today(inventory)
        up_to = run.id if run else None
        found = needed_judgements(store, [s.id for s in inventory.systems], day, up_to)
    finally:
        store.close()
    result = build_summary(inventory, day, found, up_to)
    for fmt in chosen:
        data = _WRITERS[fmt](result, inventory, language)
        if out is None:
            click.echo(data if isinstance(data, str) else data.decode(), nl=False)
            continue
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"summary.{fmt if fmt != 'text' else 'txt'}"
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
        click.echo(f"wrote {target}")
    return 0


def _formats(value: str, out: Path | None) -> list[str]:
    chosen = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--format {value!r}: choose from {', '.join(FORMATS)}")
    if out is None and (len(chosen) > 1 or _BINARY & set(chosen)):
        raise UsageError("--out DIR is needed for pdf, docx or several formats")
    return list(dict.fromkeys(chosen))


def _run(store: Store, ref: str, path: Path | None) -> RunSummary | None:
    """The chosen run; None when the store has no run and an inventory was given."""
    if ref == "latest" and path is not None and not store.runs():
        return None
    return find_run(store, ref)


def _text(s: Summary, _inv: Inventory, lang: str) -> str:
    from socaudit.summary.table_out import summary_text

    return summary_text(s, lang) + "\n"


def _json(s: Summary, _inv: Inventory, _lang: str) -> str:
    return json.dumps(summary_json(s), ensure_ascii=False, indent=2) + "\n"


def _html(s: Summary, inv: Inventory, lang: str) -> str:
    from socaudit.summary.render import summary_html

    return summary_html(s, inv, lang)


def _pdf(s: Summary, inv: Inventory, lang: str) -> bytes:
    from socaudit.summary.render import summary_pdf

    return summary_pdf(s, inv, lang)


def _md(s: Summary, inv: Inventory, lang: str) -> str:
    from socaudit.summary.render import summary_md

    return summary_md(s, inv, lang)


def _docx(s: Summary, inv: Inventory, lang: str) -> bytes:
    from socaudit.summary.docx_out import summary_docx

    return summary_docx(s, inv, lang)


def _csv(s: Summary, _inv: Inventory, lang: str) -> str:
    from socaudit.summary.table_out import summary_csv

    return summary_csv(s, lang)


_WRITERS: dict[str, Callable[[Summary, Inventory, str], str | bytes]] = {
    "text": _text,
    "json": _json,
    "html": _html,
    "pdf": _pdf,
    "md": _md,
    "docx": _docx,
    "csv": _csv,
}
