"""Real Debian daemons behind two STARTTLS targets: Dovecot (IMAP STARTTLS and POP3 STLS) and
vsftpd (FTP AUTH TLS), configured for loopback only. Both start as root to drop to their own
system users (``dovenull``/``dovecot``, ``nobody``), like ``sshd``.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from socaudit.fsutil import private_dir
from socaudit.lab.pki import LeafFiles
from socaudit.lab.targets import Target, require_loopback

DOVECOT = "/usr/sbin/dovecot"
VSFTPD = "/usr/sbin/vsftpd"
RUN_ROOT = Path("/run/socaudit-lab")
"""Dovecot's base_dir must be reachable by its unprivileged login processes; the lab folder is
private (0700), so sockets live under /run, one folder per lab directory."""


def dovecot_base(lab_dir: Path) -> Path:
    digest = hashlib.sha256(str(lab_dir).encode()).hexdigest()[:12]
    return RUN_ROOT / f"dovecot-{digest}"


def remove_runtime(lab_dir: Path) -> None:
    """Remove Dovecot's runtime folder of ``lab_dir`` (after the lab stopped)."""
    shutil.rmtree(dovecot_base(lab_dir), ignore_errors=True)


def _listener(kind: str, target: Target) -> str:
    require_loopback(target.address)
    return (
        f"service {kind}-login {{\n  inet_listener {kind} {{\n    address = {target.address}\n"
        f"    port = {target.port}\n  }}\n  inet_listener {kind}s {{\n    port = 0\n  }}\n}}\n"
    )


def dovecot_config(
    lab_dir: Path, targets: Sequence[Target], leaves: dict[str, LeafFiles], dh: Path
) -> str:
    """dovecot.conf: each target's listener and, per local address, its own leaf."""
    base = dovecot_base(lab_dir)
    first = leaves[targets[0].name]
    lines = [
        f"base_dir = {base}", f"state_dir = {lab_dir / 'dovecot' / 'state'}",
        f"log_path = {lab_dir / 'logs' / 'dovecot.log'}",
        f"protocols = {' '.join(t.kind for t in targets)}",
        f"listen = {', '.join(t.address for t in targets)}",
        "ssl = yes", "ssl_min_protocol = TLSv1.2", f"ssl_dh = <{dh}",
        f"ssl_cert = <{first.chain}", f"ssl_key = <{first.key}",
        "disable_plaintext_auth = yes", "auth_mechanisms = plain",
        "passdb {\n  driver = static\n  args = password=\n}",
        f"userdb {{\n  driver = static\n  args = uid=nobody gid=nogroup home={base}/none\n}}",
        f"mail_location = maildir:{base}/none",
    ]  # fmt: skip
    for target in targets:
        leaf = leaves[target.name]
        lines.append(
            f"local {target.address} {{\n  ssl_cert = <{leaf.chain}\n  ssl_key = <{leaf.key}\n}}"
        )
        lines.append(_listener(target.kind, target))
    return "\n".join(lines) + "\n"


def write_dovecot(
    lab_dir: Path, targets: Sequence[Target], leaves: dict[str, LeafFiles]
) -> tuple[str, ...]:
    """Write the configuration; the argument list runs Dovecot in the foreground."""
    conf_dir = lab_dir / "dovecot"
    private_dir(conf_dir)
    (conf_dir / "state").mkdir(mode=0o700, exist_ok=True)
    RUN_ROOT.mkdir(mode=0o755, exist_ok=True)
    dovecot_base(lab_dir).mkdir(mode=0o755, exist_ok=True)
    dh = conf_dir / "ffdhe2048.pem"
    dh.write_bytes((resources.files("socaudit.lab") / "data" / "ffdhe2048.pem").read_bytes())
    conf = conf_dir / "dovecot.conf"
    conf.write_text(dovecot_config(lab_dir, targets, leaves, dh), encoding="utf-8")
    return (DOVECOT, "-F", "-c", str(conf))


def vsftpd_config(lab_dir: Path, target: Target, leaf: LeafFiles) -> str:
    """vsftpd.conf: AUTH TLS with the target's leaf; anonymous, read-only, empty, no data port."""
    require_loopback(target.address)
    empty = lab_dir / "vsftpd" / "empty"
    return "\n".join((
        "listen=YES", "listen_ipv6=NO", f"listen_address={target.address}",
        f"listen_port={target.port}", "background=NO", "anonymous_enable=YES",
        f"anon_root={empty}", "no_anon_password=YES", "allow_anon_ssl=YES", "local_enable=NO",
        "write_enable=NO", "ssl_enable=YES", f"rsa_cert_file={leaf.chain}",
        f"rsa_private_key_file={leaf.key}", "ssl_tlsv1=YES", "ssl_sslv2=NO", "ssl_sslv3=NO",
        "require_ssl_reuse=NO", f"secure_chroot_dir={empty}", "nopriv_user=nobody",
        "seccomp_sandbox=NO", "xferlog_enable=NO", "pasv_enable=NO", "port_enable=NO",
        f"vsftpd_log_file={lab_dir / 'logs' / 'vsftpd.log'}",
    )) + "\n"  # fmt: skip


def write_vsftpd(lab_dir: Path, target: Target, leaf: LeafFiles) -> tuple[str, ...]:
    """Write the configuration (and the root-owned empty chroot); the argument list."""
    conf_dir = lab_dir / "vsftpd"
    private_dir(conf_dir)
    (conf_dir / "empty").mkdir(mode=0o755, exist_ok=True)
    conf = conf_dir / "vsftpd.conf"
    conf.write_text(vsftpd_config(lab_dir, target, leaf), encoding="utf-8")
    return (VSFTPD, str(conf))
