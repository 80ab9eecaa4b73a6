"""The lab's background services: which process serves which targets, and how to launch it."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from socaudit.lab import nginxconf, sshd
from socaudit.lab.pki import LeafFiles
from socaudit.lab.targets import Backend, LabError, Target

NGINX = "nginx"
PLAIN = "plain"


@dataclass(frozen=True, slots=True)
class Service:
    """One process of the lab and the targets it serves."""

    name: str
    targets: tuple[Target, ...]


def plan(targets: tuple[Target, ...]) -> tuple[Service, ...]:
    """Group targets into services: nginx, one sshd per SSH target, the plain-services process."""
    web = tuple(t for t in targets if t.backend is Backend.NGINX)
    plain = tuple(t for t in targets if t.backend is Backend.PLAIN)
    ssh = tuple(Service(t.name, (t,)) for t in targets if t.backend is Backend.SSHD)
    return (Service(NGINX, web), *ssh, Service(PLAIN, plain))


def skip_reason(service: Service) -> str | None:
    """Why a service cannot run here (e.g. sshd needs root), or None."""
    if service.name not in (NGINX, PLAIN) and os.geteuid() != 0:
        return f"{service.name} skipped: a real sshd needs root"
    return None


def _tool(name: str, package: str) -> str:
    path = shutil.which(name) or (name if Path(name).is_file() else None)
    if path is None:
        raise LabError(f"{name} not found (hint: apt-get install {package}, or run `make setup`)")
    return path


def launch_spec(
    service: Service, lab_dir: Path, leaves: dict[str, LeafFiles]
) -> tuple[tuple[str, ...], dict[str, str] | None]:
    """Write the service's configuration; return its argument list and environment."""
    if service.name == NGINX:
        conf = nginxconf.write_config(lab_dir, service.targets, leaves)
        env = {**os.environ, "OPENSSL_CONF": str(conf.parent / "openssl.cnf")}
        error_log = str(lab_dir / "logs" / "nginx-error.log")
        return (_tool("nginx", "nginx"), "-c", str(conf), "-p", str(conf.parent),
                "-e", error_log), env  # fmt: skip
    if service.name == PLAIN:
        listens = [f"--listen={t.kind}@{t.address}:{t.port}" for t in service.targets]
        return (sys.executable, "-m", "socaudit.lab.plainservices", *listens), None
    _tool(sshd.SSHD, "openssh-server")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    return sshd.write_config(lab_dir, service.targets[0]), None
