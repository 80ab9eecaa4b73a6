"""Two real OpenSSH servers: one with a weak algorithm set, one modern (banners, KEXINIT)."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from socaudit.fsutil import private_dir, write_private
from socaudit.lab.targets import LabError, Target, require_loopback

SSHD = "/usr/sbin/sshd"

COMMON = (
    "UsePAM no",
    "PermitRootLogin no",
    "StrictModes no",
    "LoginGraceTime 10",
    "MaxStartups 30:50:100",
    "AuthorizedKeysFile none",
    "X11Forwarding no",
    "LogLevel ERROR",
)

WEAK = (
    "KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha1",
    "HostKeyAlgorithms +ssh-rsa",
    "Ciphers +aes128-cbc,aes256-cbc,3des-cbc",
    "MACs +hmac-sha1,hmac-md5",
    "PasswordAuthentication yes",
    "KbdInteractiveAuthentication yes",
)

MODERN = (
    "KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org",
    "HostKeyAlgorithms ssh-ed25519",
    "Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com",
    "MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "AuthenticationMethods publickey",
)


def _host_key(path: Path, weak: bool) -> None:
    """An OpenSSH private key file (a new 0600 file): RSA-1024 for the weak server, Ed25519 for
    the modern one."""
    if path.is_file():
        return
    weak_bits = 1024  # weak on purpose: the lab's RSA-1024 host key
    key = (
        rsa.generate_private_key(65537, weak_bits) if weak else ed25519.Ed25519PrivateKey.generate()
    )
    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    try:
        write_private(path, data)
    except FileExistsError as exc:  # a dangling symlink or other non-file planted there
        raise LabError(f"{path} exists but is not a key file (hint: remove it)") from exc


def render(target: Target, host_key: Path, pid_file: Path) -> str:
    """sshd_config for one SSH target (``ssh-weak`` or anything else = modern)."""
    require_loopback(target.address)
    host = f"[{target.address}]" if ":" in target.address else target.address
    algorithms = WEAK if target.name == "ssh-weak" else MODERN
    lines = (
        f"ListenAddress {host}:{target.port}",
        f"HostKey {host_key}",
        f"PidFile {pid_file}",
        *COMMON,
        *algorithms,
    )
    return "\n".join(lines) + "\n"


def write_config(lab_dir: Path, target: Target) -> tuple[str, ...]:
    """Write host key and config for ``target``; return the sshd argument list."""
    conf_dir = lab_dir / "ssh" / target.name
    private_dir(conf_dir)
    weak = target.name == "ssh-weak"
    host_key = conf_dir / ("ssh_host_rsa_key" if weak else "ssh_host_ed25519_key")
    _host_key(host_key, weak)
    conf = conf_dir / "sshd_config"
    conf.write_text(render(target, host_key, conf_dir / "sshd.pid"), encoding="utf-8")
    log = lab_dir / "logs" / f"{target.name}.log"
    return (SSHD, "-D", "-f", str(conf), "-E", str(log))
