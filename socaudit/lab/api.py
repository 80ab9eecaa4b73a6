"""The lab's Python API: ``start``, ``stop`` and ``status`` of a lab directory.

Used by ``socaudit lab`` and by the pytest fixture ``lab``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_state_path

from socaudit.fsutil import private_dir, write_private
from socaudit.lab import maildaemons, supervisor
from socaudit.lab.pki import LeafFiles, ensure_pki, is_fresh
from socaudit.lab.revocationpki import write_material
from socaudit.lab.services import Service, launch_spec, plan, skip_reason
from socaudit.lab.targets import LAB_NETWORK, LabError, Target, has_certificate, targets_for

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


def state_dir(name: str) -> Path:
    """``name`` in the user's private state folder (``~/.local/state/socaudit``), made 0700.

    Never a fixed path under /tmp: another user could create it first and own what the lab
    (possibly running as root) then reads and starts from.
    """
    return private_dir(user_state_path("socaudit", appauthor=False) / name)


def registry_dir() -> Path:
    """Per network, a pointer to the directory of the lab last started there (see
    ``running_lab``)."""
    return state_dir("labs")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One lab target as others see it."""

    name: str
    kind: str
    address: str
    port: int
    description: str
    hostname: str
    up: bool = False


@dataclass(frozen=True, slots=True)
class LabInfo:
    """A lab directory's endpoints, CA bundle and notes (e.g. skipped services)."""

    directory: Path
    endpoints: tuple[Endpoint, ...]
    ca_bundle: Path
    notes: tuple[str, ...] = ()

    @property
    def all_up(self) -> bool:
        """True if every endpoint accepts connections."""
        return all(e.up for e in self.endpoints)

    def endpoint(self, name: str) -> Endpoint:
        """The endpoint called ``name`` (KeyError if there is none)."""
        for item in self.endpoints:
            if item.name == name:
                return item
        raise KeyError(name)


def resolve_dir(directory: Path | str | None = None) -> Path:
    """``directory``, else ``$SOCAUDIT_LAB_DIR``, else ``.lab`` under the current directory."""
    chosen = directory or os.environ.get("SOCAUDIT_LAB_DIR") or Path.cwd() / ".lab"
    return Path(chosen).absolute()


def _network(lab_dir: Path) -> ipaddress.IPv4Network:
    try:
        data = json.loads((lab_dir / "lab.json").read_text(encoding="utf-8"))
        return ipaddress.IPv4Network(data["network"])
    except (OSError, ValueError, KeyError, TypeError):
        return LAB_NETWORK


def _run_dir(lab_dir: Path) -> Path:
    return lab_dir / "run"


def status(directory: Path | str | None = None) -> LabInfo:
    """Which endpoints of the lab in ``directory`` are served by its own running processes."""
    lab_dir = resolve_dir(directory)
    services = plan(targets_for(_network(lab_dir)))
    endpoints, notes = [], []
    for service in services:
        ours = supervisor.running(_run_dir(lab_dir), service.name) is not None
        reason = skip_reason(service)
        notes += [reason] if reason else []
        endpoints += [_endpoint(t, ours and supervisor.accepts(t.address, t.port))
                      for t in service.targets]  # fmt: skip
    order = {t.name: i for i, t in enumerate(targets_for())}
    endpoints.sort(key=lambda e: order[e.name])
    return LabInfo(lab_dir, tuple(endpoints), lab_dir / "ca" / "lab-root.pem", tuple(notes))


def _endpoint(t: Target, up: bool) -> Endpoint:
    return Endpoint(t.name, t.kind, t.address, t.port, t.description, t.hostname, up)


def _prepare(lab_dir: Path, network: ipaddress.IPv4Network) -> None:
    """Create the directory layout (0700, refusing a folder others own or can write); refuse to
    move a running lab to another network."""
    private_dir(lab_dir)
    for sub in ("run", "logs", "ca"):
        private_dir(lab_dir / sub)
    old = _network(lab_dir)
    if old != network and any(supervisor.running(_run_dir(lab_dir), s.name) for s in
                              plan(targets_for(old))):  # fmt: skip
        raise LabError(f"the lab in {lab_dir} runs on {old}; run `socaudit lab down` first")
    (lab_dir / "lab.json").write_text(json.dumps({"network": str(network)}), encoding="utf-8")


def _refuse_busy(services: list[Service], network: ipaddress.IPv4Network) -> None:
    """Fail before starting anything if another process holds one of our ports."""
    busy = [t for s in services for t in s.targets if supervisor.accepts(t.address, t.port)]
    if not busy:
        return
    where = ", ".join(f"{t.address}:{t.port}" for t in busy[:3]) + (", ..." if busy[3:] else "")
    try:
        other = f"`socaudit lab down --dir {_pointer(network).read_text(encoding='utf-8')}`"
    except OSError:
        other = "`socaudit lab down --dir DIR` (another lab?) or stop that process"
    raise LabError(f"{where} already in use by another process (hint: {other})")


def _launch(service: Service, lab_dir: Path, leaves: dict[str, LeafFiles]) -> int:
    argv, env = launch_spec(service, lab_dir, leaves)
    log = lab_dir / "logs" / f"{service.name}.out"
    return supervisor.spawn(_run_dir(lab_dir), service.name, argv, log, env)


def _log_tail(lab_dir: Path, service: str) -> str:
    for path in (lab_dir / "logs" / f"{service}.out", lab_dir / "logs" / f"{service}-error.log"):
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        if text.strip():
            return text.strip().splitlines()[-1][-300:]
    return "no log output"


def _wait(lab_dir: Path, services: list[Service], pids: list[int], timeout: float) -> None:
    ports = [(t.address, t.port) for s in services for t in s.targets]
    pending = set(supervisor.wait_until_accepting(ports, pids, timeout))
    failed = [s for s in services if any((t.address, t.port) in pending for t in s.targets)]
    if failed:
        detail = "; ".join(f"{s.name}: {_log_tail(lab_dir, s.name)}" for s in failed)
        raise LabError(f"lab did not come up in {timeout:.0f} s ({detail})")


def _pointer(network: ipaddress.IPv4Network) -> Path:
    return registry_dir() / f"{str(network).replace('/', '_')}.dir"


def _register(lab_dir: Path, network: ipaddress.IPv4Network) -> None:
    write_private(_pointer(network), str(lab_dir).encode(), replace=True)


def running_lab(network: ipaddress.IPv4Network = LAB_NETWORK) -> LabInfo | None:
    """The healthy lab last started on ``network`` (any directory), or None."""
    try:
        lab_dir = Path(_pointer(network).read_text(encoding="utf-8"))
    except OSError:
        return None
    info = status(lab_dir) if _network(lab_dir) == network else None
    return info if info is not None and info.all_up else None


def start(
    directory: Path | str | None = None,
    network: ipaddress.IPv4Network = LAB_NETWORK,
    timeout: float = START_TIMEOUT,
) -> LabInfo:
    """Start every service not yet running (idempotent) and wait until all ports accept."""
    lab_dir = resolve_dir(directory)
    _prepare(lab_dir, network)
    targets = targets_for(network)
    now = dt.datetime.now(dt.UTC)
    if not is_fresh(lab_dir / "ca" / "lab-root.pem", now):
        for service in plan(targets):  # they would serve stale certificates
            if any(has_certificate(t) for t in service.targets):
                supervisor.stop(_run_dir(lab_dir), service.name)
    leaves = ensure_pki(lab_dir, tuple(t for t in targets if has_certificate(t)), now)
    write_material(lab_dir, now)
    wanted = [s for s in plan(targets) if skip_reason(s) is None]
    missing = [s for s in wanted if supervisor.running(_run_dir(lab_dir), s.name) is None]
    for service in missing:  # orphans of a crashed service would look like foreign listeners
        supervisor.stop(_run_dir(lab_dir), service.name)
    _refuse_busy(missing, network)
    try:
        pids = [_launch(s, lab_dir, leaves) for s in missing]
        _wait(lab_dir, wanted, pids, timeout)
    except LabError:
        for service in missing:  # leave nothing half-started behind
            supervisor.stop(_run_dir(lab_dir), service.name)
        raise
    _register(lab_dir, network)
    return status(lab_dir)


def stop(directory: Path | str | None = None, timeout: float = STOP_TIMEOUT) -> None:
    """Stop every service of the lab in ``directory``; fine if nothing runs."""
    run_dir = _run_dir(resolve_dir(directory))
    if not run_dir.is_dir():
        return
    names = {p.name.removesuffix(".pid.json") for p in run_dir.glob("*.pid.json")}
    for name in sorted(names):
        supervisor.stop(run_dir, name, timeout)
    maildaemons.remove_runtime(run_dir.parent)
    pointer = _pointer(_network(run_dir.parent))
    with contextlib.suppress(OSError):
        if Path(pointer.read_text(encoding="utf-8")) == run_dir.parent:
            pointer.unlink()
