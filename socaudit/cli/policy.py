"""``socaudit policy list|show|validate``: what a policy pack requires at each level."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.policy_text import list_lines, show_lines
from socaudit.errors import UsageError
from socaudit.policy.loader import DEFAULT_PACK, load_pack, validate_pack
from socaudit.policy.pack import Pack, PackControl

_PACK_HELP = f"Bundled pack id or a pack folder (default: {DEFAULT_PACK})."


@click.group()
def policy() -> None:
    """Inspect and validate policy packs (docs/policy.md)."""


@policy.command("list")
@click.option("--pack", "pack_ref", default=DEFAULT_PACK, metavar="ID|PATH", help=_PACK_HELP)
@click.option("--level", type=int, default=None, help="Only what applies at this level.")
@click.option("--group", default=None, metavar="G", help="Only this group (or its prefix).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def list_(app: AppContext, pack_ref: str, level: int | None, group: str | None, fmt: str) -> None:
    """The controls of a pack, clause by clause."""
    pack = load_pack(pack_ref)
    _check_level(pack, level)
    entries = [e for e in pack.controls if level is None or e.applies(level)]
    if group is not None:
        entries = _in_group(pack, entries, group)
    if fmt == "json":
        click.echo(json.dumps(list_json(pack, entries, level), ensure_ascii=False, indent=2))
        return
    for line in list_lines(pack, entries, level, app.lang):
        click.echo(line)


@policy.command()
@click.argument("control_id")
@click.option("--pack", "pack_ref", default=DEFAULT_PACK, metavar="ID|PATH", help=_PACK_HELP)
@click.option("--level", type=int, default=None, help="Resolve clause and parameters here.")
@pass_app
def show(app: AppContext, control_id: str, pack_ref: str, level: int | None) -> None:
    """A control: its clause per level, how it is judged, remediation."""
    pack = load_pack(pack_ref)
    _check_level(pack, level)
    try:
        entry = pack.control(control_id)
    except KeyError:
        ids = [e.control.id for e in pack.controls]
        close = difflib.get_close_matches(control_id, ids, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UsageError(f"pack {pack.info.id} has no control '{control_id}'{hint}") from None
    for line in show_lines(pack, entry, level, app.lang):
        click.echo(line)


@policy.command()
@click.argument("path", type=click.Path(path_type=Path))
def validate(path: Path) -> None:
    """Check the pack folder PATH (exit 3 with every problem if invalid)."""
    folder = path.parent if path.name == "pack.yaml" else path
    pack = validate_pack(folder)
    groups = len({e.group for e in pack.controls})
    levels = ", ".join(map(str, pack.levels))
    click.echo(
        f"{folder}: valid — pack {pack.info.id} {pack.info.version}, "
        f"{len(pack.controls)} controls in {groups} groups, levels {levels}"
    )


def _check_level(pack: Pack, level: int | None) -> None:
    if level is not None and level not in pack.levels:
        levels = ", ".join(map(str, pack.levels))
        raise UsageError(f"pack {pack.info.id} has no level {level} (levels: {levels})")


def _in_group(pack: Pack, entries: list[PackControl], group: str) -> list[PackControl]:
    chosen = [e for e in entries if e.group == group or e.group.startswith(group + ".")]
    if chosen or any(g == group or g.startswith(group + ".") for g in pack.groups):
        return chosen
    close = difflib.get_close_matches(group, list(pack.groups), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "groups: " + ", ".join(pack.groups)
    raise UsageError(f"pack {pack.info.id} has no group '{group}' ({hint})")


def list_json(pack: Pack, entries: list[PackControl], level: int | None) -> dict[str, object]:
    """The ``policy list --format json`` document (keys are a contract)."""
    info = pack.info
    return {
        "pack": {
            "id": info.id,
            "version": info.version,
            "title": info.title.model_dump(),
            "legal_basis": [item.model_dump() for item in info.legal_basis],
        },
        "controls": [_control_json(entry, level) for entry in entries],
    }


def _control_json(entry: PackControl, level: int | None) -> dict[str, object]:
    control = entry.control
    clause: object
    if control.clause is None:
        clause = None
    elif level is not None:
        clause = control.clause.get(level)
    else:
        clause = {str(k): v for k, v in sorted(control.clause.items())}
    return {
        "id": control.id,
        "group": entry.group,
        "clause": clause,
        "title": control.title.model_dump(),
        "kind": control.kind.value,
        "severity": control.severity.value,
        "checks": [ref.check for ref in control.checks],
        "applies": True,
    }
