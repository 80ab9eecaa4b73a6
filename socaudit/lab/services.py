"""The lab's background services: which process serves which targets, and how to launch it."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from socaudit.lab import maildaemons, nginxconf, sshd
from socaudit.lab.pki import LeafFiles
from socaudit.lab.targets import Backend, LabError, Target

NGINX = "nginx"
PLAIN = "plain"
NGINX_PROBES = "nginx-probes"
REPLAY = "tlsreplay"
NGINX_REVOCATION = "nginx-revocation"
PYTLS = "tlsservices"
DOVECOT = "dovecot"
VSFTPD = "vsftpd"
UNPRIVILEGED = (NGINX, PLAIN, NGINX_PROBES, REPLAY, NGINX_REVOCATION, PYTLS)
"""Services that run without root (s_server targets too; only sshd needs root)."""
FLAWS = {"tls-heartbleed": "heartbleed", "tls-ccs": "ccs", "tls-robot": "robot",
         "tls-compression": "compression"}  # fmt: skip


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
    probes = tuple(t for t in targets if t.backend is Backend.NGINX_PROBES)
    replay = tuple(t for t in targets if t.backend is Backend.REPLAY)
    s_server = tuple(Service(t.name, (t,)) for t in targets if t.backend is Backend.OPENSSL)
    extra = (Service(NGINX_PROBES, probes), Service(REPLAY, replay), *s_server)
    revocation = tuple(t for t in targets if t.backend is Backend.NGINX_REVOCATION)
    real = os.geteuid() == 0  # Dovecot and vsftpd start as root; asyncio stand-ins otherwise
    daemons = (Backend.DOVECOT, Backend.VSFTPD)
    pytls = tuple(t for t in targets
                  if t.backend is Backend.PYTLS or (not real and t.backend in daemons))  # fmt: skip
    extra += (Service(NGINX_REVOCATION, revocation), Service(PYTLS, pytls))
    if real:
        dovecot = tuple(t for t in targets if t.backend is Backend.DOVECOT)
        vsftpd = tuple(t for t in targets if t.backend is Backend.VSFTPD)
        extra += (Service(DOVECOT, dovecot), Service(VSFTPD, vsftpd))
    return (Service(NGINX, web), *ssh, Service(PLAIN, plain), *extra)


def skip_reason(service: Service) -> str | None:
    """Why a service cannot run here (e.g. sshd needs root), or None."""
    s_server = all(t.backend is Backend.OPENSSL for t in service.targets)
    if service.name not in UNPRIVILEGED and not s_server and os.geteuid() != 0:
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
    if service.name in (NGINX_PROBES, NGINX_REVOCATION):
        conf = nginxconf.write_config(lab_dir, service.targets, leaves, name=service.name)
        env = {**os.environ, "OPENSSL_CONF": str(conf.parent / "openssl.cnf")}
        error_log = str(lab_dir / "logs" / f"{service.name}-error.log")
        return (_tool("nginx", "nginx"), "-c", str(conf), "-p", str(conf.parent),
                "-e", error_log), env  # fmt: skip
    if service.name == REPLAY:
        listens = [
            f"--listen={FLAWS[t.name]}@{t.address}:{t.port}:{leaves[t.name].chain}:"
            f"{leaves[t.name].key}"
            for t in service.targets
        ]
        return (sys.executable, "-m", "socaudit.lab.tlsreplay", *listens), None
    if service.targets and service.targets[0].backend is Backend.OPENSSL:
        return s_server_command(service.targets[0], leaves[service.targets[0].name]), None
    if service.name == DOVECOT:
        _tool(maildaemons.DOVECOT, "dovecot-imapd dovecot-pop3d")
        return maildaemons.write_dovecot(lab_dir, service.targets, leaves), None
    if service.name == VSFTPD:
        _tool(maildaemons.VSFTPD, "vsftpd")
        target = service.targets[0]
        return maildaemons.write_vsftpd(lab_dir, target, leaves[target.name]), None
    if service.name == PYTLS:
        listens = [f"--listen={t.kind}/{t.name}@{t.address}:{t.port}" for t in service.targets]
        dirs = ("--certs", str(lab_dir / "certs"), "--ca-dir", str(lab_dir / "ca"))
        return (sys.executable, "-m", "socaudit.lab.tlsservices", *dirs, *listens), None
    if service.name == PLAIN:
        listens = [f"--listen={t.kind}@{t.address}:{t.port}" for t in service.targets]
        return (sys.executable, "-m", "socaudit.lab.plainservices", *listens), None
    _tool(sshd.SSHD, "openssh-server")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    return sshd.write_config(lab_dir, service.targets[0]), None


def s_server_command(target: Target, leaf: LeafFiles) -> tuple[str, ...]:
    """``openssl s_server`` for ``tls-reneg``: client-initiated renegotiation allowed."""
    return (
        _tool("openssl", "openssl"), "s_server", "-accept", f"{target.address}:{target.port}",
        "-cert", str(leaf.chain), "-cert_chain", str(leaf.chain), "-key", str(leaf.key),
        "-client_renegotiation", "-www", "-quiet",
    )  # fmt: skip
