"""Text lines of ``socaudit evidence``. Every server-supplied string goes through ``clean``
(control characters escaped); on a terminal lines are styled as rich ``Text``, never parsed as
markup, so a banner like ``[bold red]x[/]`` prints literally."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from rich.console import Console
from rich.text import Text

from socaudit.runview import RunView, SystemView, TlsSummary
from socaudit.runview_details import CertificateView, HttpSummary, SshSummary
from socaudit.store.repository import RunSummary
from socaudit.tls.text import clean

DECLARED_MARK = {True: "declared", False: "UNDECLARED", None: "not compared"}
LINE_STYLES = (
    ("  [critical]", "bold red"),
    ("  [high]", "red"),
    ("  [medium]", "yellow"),
    ("  not assessed", "magenta"),
    ("  error", "magenta"),
    ("== ", "bold"),
)


def print_lines(lines: Iterable[str], stream: TextIO) -> None:
    """Plain lines off a terminal; on one, each line styled by its kind (no markup parsing)."""
    if not stream.isatty():
        for line in lines:
            stream.write(line + "\n")
        return
    console = Console(file=stream, highlight=False, soft_wrap=True)
    for line in lines:
        style = next((s for prefix, s in LINE_STYLES if line.startswith(prefix)), "")
        if "[UNDECLARED]" in line:
            style = "bold yellow"
        console.print(Text(line, style=style))


def _yes(flag: bool | None, yes: str, no: str) -> str:
    return "?" if flag is None else (yes if flag else no)


def run_text(run: RunSummary, view: RunView, note: str | None) -> Iterator[str]:
    """Header, one block per system, footer with the counts."""
    finished = run.finished_at.isoformat(timespec="seconds") if run.finished_at else "-"
    yield (
        f"run {run.id} ({run.status}, as of {run.as_of}) — {clean(run.inventory_path)} — "
        f"started {run.started_at.isoformat(timespec='seconds')}, finished {finished}"
    )
    if note:
        yield f"note: {clean(note)}"
    for system in view.systems:
        yield from _system_text(system)
    counts = ", ".join(f"{n} {sev}" for sev, n in view.severity_counts().items() if n)
    yield ""
    yield (
        f"systems: {len(view.systems)}; findings: {counts or 'none'}; "
        f"undeclared open ports: {view.undeclared_ports}; errors: {view.errors}; "
        f"refusals: {view.refusals}"
    )
    yield "Observed facts only; judging TCVN 11930 controls is the assessment's job."


def _system_text(system: SystemView) -> Iterator[str]:
    level = f", level {system.level}" if system.level else ""
    yield ""
    yield f"== {system.system_id}{level}: {clean(system.name or '(not in the inventory)')}"
    for asset in system.assets:
        state = "up" if asset.host_up else "DOWN"
        note = f" — {clean(asset.note)}" if asset.note else ""
        yield f"  asset {asset.asset_id or '-'} {asset.address}: {state} ({asset.method}){note}"
    for port in system.open_ports:
        service = clean(" ".join(x for x in (port.service, port.product) if x) or "?")
        tls = " (TLS)" if port.tls else ""
        yield f"  open {port.address}:{port.port} {service}{tls} [{DECLARED_MARK[port.declared]}]"
    for closed in system.closed_ports:
        yield (
            f"  declared but not open {closed.address}:{closed.port} {closed.name} ({closed.state})"
        )
    for tls_view in system.tls:
        yield from _tls_text(tls_view)
    for http in system.http:
        yield from _http_text(http)
    for ssh in system.ssh:
        yield from _ssh_text(ssh)
    for item in system.findings:
        finding = item.finding
        yield f"  [{finding.severity}] {finding.id} {clean(item.target)}: {clean(finding.message)}"
    for problem in system.problems:
        yield _problem_text(problem.status, problem.target, problem.reason, problem.detail)
    for target in system.unjudged:
        yield (
            f"  not judged {clean(target)}: findings were not stored at scan time "
            "(run made by an older socaudit); scan again to judge it"
        )


def _problem_text(status: str, target: str, reason: str | None, detail: str | None) -> str:
    if status == "refused":
        why = (reason or "refused").replace("_", " ")
        return f"  not assessed: {why} {clean(target)}: {clean(detail or '')}"
    return f"  {status} {clean(target)} ({reason or status}): {clean(detail or '')}"


def _tls_text(tls: TlsSummary) -> Iterator[str]:
    grade = tls.grade or "not graded"
    if tls.grade_if_trust_ignored and tls.grade_if_trust_ignored != tls.grade:
        grade += f" (if trust ignored: {tls.grade_if_trust_ignored})"
    yield f"  tls {clean(tls.target)}: {', '.join(tls.protocols) or '-'}; grade {grade}"
    for cap in tls.caps:
        yield f"      cap {clean(cap)}"
    if tls.mozilla:
        mozilla = ", ".join(f"{p} {_yes(ok, 'yes', 'no')}" for p, ok in tls.mozilla)
        yield f"      mozilla compliant: {mozilla}"
    if tls.cert is not None:
        yield from _cert_text(tls.cert)
    if tls.hsts:
        yield f"      hsts {tls.hsts}"


def _cert_text(cert: CertificateView) -> Iterator[str]:
    yield f"      certificate {clean(cert.subject)}"
    yield (
        f"        expires {cert.not_after} ({cert.days_remaining} days), key {clean(cert.key)}, "
        f"sig {clean(cert.signature_hash or '-')}, "
        f"{_yes(cert.trusted, 'trusted', 'NOT trusted')}, "
        f"chain {_yes(cert.complete, 'complete', 'INCOMPLETE')}, "
        f"hostname {_yes(cert.hostname_match, 'matches', 'MISMATCH')}"
        + (", self-signed" if cert.self_signed else "")
    )


def _http_text(http: HttpSummary) -> Iterator[str]:
    redirect = {True: "; redirects to https", False: "; NO redirect to https", None: ""}
    yield (
        f"  http {clean(http.url)}: status {http.status_code or '-'}"
        f"{redirect[http.redirects_to_https]}" + (f"; hsts {http.hsts}" if http.hsts else "")
    )
    if http.missing_headers:
        yield f"      missing headers: {', '.join(http.missing_headers)}"
    if http.server_banner:
        yield f"      server {clean(http.server_banner)}"


def _ssh_text(ssh: SshSummary) -> Iterator[str]:
    yield f"  ssh {clean(ssh.target)}: {clean(ssh.banner)}"
    if ssh.auth_methods is not None:
        yield f"      auth methods: {clean(', '.join(ssh.auth_methods)) or '-'}"
    for key in ssh.host_keys:
        yield f"      host key {clean(key)}"
    for gex in ssh.gex:
        yield f"      group exchange {clean(gex)}"
    if ssh.terrapin is not None:
        verdict = _yes(ssh.terrapin, "VULNERABLE", "not vulnerable")
        yield f"      terrapin (CVE-2023-48795): {verdict}"
    for weakness in ssh.weaknesses:
        yield f"      weak {clean(weakness)}"
