"""``socaudit lab up|down|status``: local targets with known good and bad configurations.

Exit codes: 0 when every target is up (``status``/``up``) or the lab stopped (``down``);
4 (INCOMPLETE) when some targets are down or skipped; 2 for a bad option such as a
non-loopback ``--network``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from socaudit.exitcodes import ExitCode
from socaudit.lab import api
from socaudit.lab.targets import LAB_NETWORK, parse_network

_DIR_HELP = "Lab directory (default: $SOCAUDIT_LAB_DIR, else ./.lab)."


def _dir_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--dir", "directory", type=click.Path(file_okay=False, path_type=Path), help=_DIR_HELP
    )(func)


def _exit_code(info: api.LabInfo) -> int:
    return ExitCode.OK if info.all_up else ExitCode.INCOMPLETE


def _render_text(info: api.LabInfo) -> str:
    width = max(len(e.name) for e in info.endpoints)
    rows = [
        f"{'up  ' if e.up else 'down'}  {e.name:<{width}}  {e.kind:<6}  "
        f"{e.address}:{e.port:<5}  {e.description}"
        for e in info.endpoints
    ]
    notes = [f"note: {n}" for n in info.notes]
    return "\n".join([*rows, f"CA bundle: {info.ca_bundle}", *notes])


def render_json(info: api.LabInfo) -> str:
    """``{"endpoints": [...], "ca_bundle": ...}``; each endpoint with ``up`` and ``hostname``."""
    endpoints = [asdict(e) for e in info.endpoints]
    return json.dumps({"endpoints": endpoints, "ca_bundle": str(info.ca_bundle)}, indent=2)


@click.group()
def lab() -> None:
    """Local demo/test targets on loopback (127.0.10.0/24) with known weaknesses."""


@lab.command()
@_dir_option
@click.option(
    "--network",
    default=str(LAB_NETWORK),
    show_default=True,
    help="A /24 inside 127.0.0.0/8 to place the targets in (same last octets).",
)
@click.pass_context
def up(ctx: click.Context, directory: Path | None, network: str) -> None:
    """Start every target (idempotent) and wait until all accept connections."""
    info = api.start(directory, parse_network(network))
    click.echo(_render_text(info))
    ctx.exit(_exit_code(info))


@lab.command()
@_dir_option
def down(directory: Path | None) -> None:
    """Stop every target of the lab (fine if nothing runs)."""
    api.stop(directory)
    click.echo(f"lab in {api.resolve_dir(directory)} stopped")


@lab.command()
@_dir_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def status(ctx: click.Context, directory: Path | None, fmt: str) -> None:
    """List every target and whether it is up (exit 4 if any is down)."""
    info = api.status(directory)
    click.echo(render_json(info) if fmt == "json" else _render_text(info))
    ctx.exit(_exit_code(info))
