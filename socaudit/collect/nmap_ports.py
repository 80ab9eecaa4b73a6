"""Ports and services with nmap (through python-nmap), read from nmap's own XML.

Arguments come from ``planning.nmap_arguments`` (constants and ints); the host is an
``ipaddress`` object and ports are ints. Every call has a process timeout on top of
``--host-timeout``. The raw XML is kept as an ``NmapXml`` record.
"""

from __future__ import annotations

import functools
import os
import signal
from pathlib import Path

from socaudit.collect.base import CollectContext, ProbeFailure, completed, skipped, utcnow
from socaudit.collect.nmap_xml import NmapXmlError, parse_nmap_xml
from socaudit.evidence.base import ErrorReason, EvidenceKind
from socaudit.evidence.network import NmapXml, PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.planning import Probe, ScanOptions, nmap_arguments, probe_key

NAME = "nmap"
NMAP_SERVICES = Path("/usr/share/nmap/nmap-services")
PROCESS_GRACE_S = 30


def collect_ports(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    """Scan the target's ports; yields the typed result and the raw XML."""
    started = utcnow()
    ports = port_list(probe.target.ports, ctx.options)
    if not ports:
        return [skipped(probe, "no declared TCP ports and no --top-ports sweep", collector=NAME)]
    address, args = str(probe.target.address), nmap_arguments(ctx.options, probe.target)
    timeout = ctx.options.host_timeout + PROCESS_GRACE_S
    xml = ctx.memo.once(
        (NAME, address, ports, args), lambda: run_nmap(address, ports, args, timeout)
    )
    try:
        run = parse_nmap_xml(xml)
    except NmapXmlError as exc:
        raise ProbeFailure(ErrorReason.PROTOCOL, f"unreadable nmap output: {exc}") from exc
    host = run.host(probe.target.address)
    if host is not None and host.timed_out:
        limit = ctx.options.host_timeout
        raise ProbeFailure(ErrorReason.TIMEOUT, f"nmap --host-timeout ({limit} s) expired")
    result = PortScanResult(
        scanner="nmap",
        scanner_version=run.version,
        profile=ctx.options.profile.value,
        ports_requested=_compact(ports),
        ports=host.ports if host else (),
    )
    raw_key = probe_key(EvidenceKind.NMAP_XML, probe.target)
    return [
        completed(probe, started, result, collector=NAME),
        completed(
            probe,
            started,
            NmapXml(xml=xml),
            kind=EvidenceKind.NMAP_XML,
            key=raw_key,
            collector=NAME,
        ),
    ]


def port_list(declared: tuple[int, ...], options: ScanOptions) -> tuple[int, ...]:
    """Declared ports, plus nmap's ``top_ports`` most frequent TCP ports when asked."""
    extra = top_tcp_ports(options.top_ports) if options.top_ports > 0 else ()
    return tuple(sorted(set(declared) | set(extra)))


@functools.cache
def top_tcp_ports(count: int, services: Path = NMAP_SERVICES) -> tuple[int, ...]:
    """The ``count`` most frequent TCP ports from nmap's own ``nmap-services`` table."""
    try:
        lines = services.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise ProbeFailure(ErrorReason.TOOL_MISSING, f"cannot read {services}: {exc}") from exc
    ranked: list[tuple[float, int]] = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 3 and not line.startswith("#") and fields[1].endswith("/tcp"):
            ranked.append((float(fields[2]), int(fields[1].split("/")[0])))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return tuple(port for _, port in ranked[:count])


def run_nmap(host: str, ports: tuple[int, ...], args: tuple[str, ...], timeout: int) -> str:
    """Run nmap via python-nmap and return its XML (raises ProbeFailure)."""
    import nmap  # lazy: only scanning needs it

    try:
        scanner = nmap.PortScanner()
        scanner.scan(hosts=host, ports=_compact(ports), arguments=" ".join(args), timeout=timeout)
    except nmap.PortScannerTimeout as exc:
        raise ProbeFailure(ErrorReason.TIMEOUT, f"nmap ran longer than {timeout} s") from exc
    except nmap.PortScannerError as exc:
        reason = ErrorReason.TOOL_MISSING if "not found" in str(exc) else ErrorReason.PROTOCOL
        raise ProbeFailure(reason, f"nmap failed: {str(exc)[:500]}") from exc
    output: str | bytes = scanner.get_nmap_last_output()
    return output.decode("utf-8", "replace") if isinstance(output, bytes) else output


def _compact(ports: tuple[int, ...]) -> str:
    return ",".join(str(p) for p in ports)


def kill_nmap_children() -> int:
    """SIGTERM every nmap process this process started (used on interrupt); returns the count."""
    killed = 0
    for pid in _child_pids():
        try:
            comm = Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()
            if comm == "nmap":
                os.kill(pid, signal.SIGTERM)
                killed += 1
        except (OSError, ProcessLookupError):
            continue
    return killed


def _child_pids() -> set[int]:
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
        try:
            pids.update(int(p) for p in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return pids
