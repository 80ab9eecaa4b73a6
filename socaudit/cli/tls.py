"""``socaudit tls HOST:PORT ...``: an ad-hoc TLS assessment of endpoints the user names."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from socaudit.cli.progress_bar import observer_for
from socaudit.cli.tls_scope import authorization_line, revocation_scope, scope_targets
from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.tls import EndpointError, TlsEndpointResult
from socaudit.exitcodes import ExitCode
from socaudit.tls.engine import TlsOptions, TlsTarget, assess
from socaudit.tls.probes.starttls import PROTOCOLS
from socaudit.tls.report import TlsReport
from socaudit.tls.targets import IPAddress, resolve, split_target
from socaudit.tls.text import render
from socaudit.tls.trust import load_anchors

_SERIOUS = frozenset({"critical", "high", "medium"})


def _endpoints(values: tuple[str, ...]) -> list[tuple[str, int, IPAddress | None]]:
    try:
        return [split_target(value) for value in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="HOST:PORT") from None


def _sni(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        value.encode("idna")
    except UnicodeError:
        raise click.BadParameter(f"{value!r} is not a valid DNS name", param_hint="--sni") from None
    return value


@click.command("tls")
@click.argument("endpoints", nargs=-1, required=True, metavar="HOST:PORT[{IP}]...")
@click.option(
    "--ca",
    "ca_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra trust anchors (PEM), e.g. a government CA. Repeatable.",
)
@click.option(
    "--sni", metavar="NAME", help="Server name to send and check the certificate against."
)
@click.option(
    "--timeout",
    metavar="SECONDS",
    type=click.FloatRange(0.1, 120),
    default=5.0,
    show_default=True,
    help="Seconds per handshake (connect and reply).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--max-connections-per-host",
    metavar="N",
    type=click.IntRange(1, 50),
    default=5,
    show_default=True,
    help="Parallel connections to one address.",
)
@click.option("--no-http", is_flag=True, help="Skip the HTTPS request that reads HSTS.")
@click.option(
    "--starttls",
    type=click.Choice([*PROTOCOLS, "auto"]),
    help="Upgrade a plain-text protocol with STARTTLS first (auto: from the port or greeting).",
)
@click.option(
    "--revocation-fetch",
    is_flag=True,
    help="Fetch OCSP responders and CRLs named in certificates from any host (default: loopback).",
)
@click.option(
    "-i",
    "--inventory",
    "inventory_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check the targets against this inventory's written authorisation (scope, window).",
)
@click.option(
    "--unscoped",
    is_flag=True,
    help="Allow targets outside loopback without an inventory (no authorisation is recorded).",
)
@click.pass_context
def tls(
    ctx: click.Context,
    endpoints: tuple[str, ...],
    ca_files: tuple[Path, ...],
    sni: str | None,
    timeout: float,
    fmt: str,
    max_connections_per_host: int,
    no_http: bool,
    starttls: str | None,
    revocation_fetch: bool,
    inventory_path: Path | None,
    unscoped: bool,
) -> None:
    """Enumerate protocols, cipher suites, key exchange and the certificate of each
    HOST:PORT (IPv6 as [ADDR]:PORT; HOST:PORT{IP} connects to IP and keeps HOST as the
    server name). Targets outside loopback need -i INVENTORY (checked against its written
    authorisation, like a scan) or --unscoped.

    Exit status: 0 no finding of medium severity or above, 1 findings, 4 an endpoint
    could not be assessed, 2 usage, 3 unreadable --ca file.
    """
    pairs = _endpoints(endpoints)
    server_name = _sni(sni)
    load_anchors(ca_files)  # a bad CA file is a user mistake: exit 3 before any traffic
    options = TlsOptions(
        timeout=timeout,
        max_connections_per_host=max_connections_per_host,
        ca_files=ca_files,
        http=not no_http,
        probe_settings={
            "revocation_fetch": revocation_fetch,
            **(revocation_scope(inventory_path) if inventory_path is not None else {}),
        },
    )
    targets, failed = _resolve_all(pairs, server_name)
    pinned = {_label(host, port) for host, port, ip in pairs if ip is not None}
    targets, refused, basis = scope_targets(targets, pinned, inventory_path, unscoped)
    targets = [replace(t, starttls=starttls) for t in targets]
    observer = observer_for(sys.stderr)
    results = {r.target: r for r in (*failed, *refused, *assess(targets, options, observer))}
    ordered = [results[_label(host, port)] for host, port, _ in pairs]
    if fmt == "json":
        report = TlsReport(authorization=basis, endpoints=tuple(ordered))
        click.echo(report.model_dump_json(indent=2))
    else:
        click.echo(authorization_line(basis))
        for result in ordered:
            click.echo(render(result))
    ctx.exit(_exit_code(ordered))


def _resolve_all(
    pairs: list[tuple[str, int, IPAddress | None]], sni: str | None
) -> tuple[list[TlsTarget], list[TlsEndpointResult]]:
    targets: list[TlsTarget] = []
    failed: list[TlsEndpointResult] = []
    seen: set[str] = set()
    for host, port, pinned in pairs:
        if _label(host, port) in seen:
            continue
        seen.add(_label(host, port))
        try:
            target = resolve(host, port, sni, pinned)
        except OSError as exc:
            error = EndpointError(reason=ErrorReason.CONNECTIVITY, detail=f"cannot resolve: {exc}")
            label = _label(host, port)
            failed.append(TlsEndpointResult(target=label, status=AttemptStatus.ERROR, error=error))
            continue
        how = "pinned" if pinned else "resolved"
        click.echo(f"{target.label}: {how} to {target.address}", err=True)
        targets.append(target)
    return targets, failed


def _label(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _exit_code(results: list[TlsEndpointResult]) -> ExitCode:
    if any(r.status is not AttemptStatus.COMPLETED for r in results):
        return ExitCode.INCOMPLETE
    if any(f.severity in _SERIOUS for r in results for f in r.findings):
        return ExitCode.FINDINGS
    return ExitCode.OK
