"""SSH evidence: banner and algorithm lists from the server's KEXINIT."""

from __future__ import annotations

from typing import Literal

from socaudit.evidence.base import Model


class SshWeakness(Model):
    algorithm: str
    category: Literal["kex", "host_key", "cipher", "mac", "protocol", "auth"]
    reason: str


class SshResult(Model):
    kind: Literal["ssh"] = "ssh"
    banner: str
    protocol_version: str
    software: str | None = None
    kex: tuple[str, ...] = ()
    host_key: tuple[str, ...] = ()
    ciphers: tuple[str, ...] = ()
    macs: tuple[str, ...] = ()
    compression: tuple[str, ...] = ()
    auth_methods: tuple[str, ...] | None = None
    """None when the server did not say (e.g. it closed before auth)."""
    weaknesses: tuple[SshWeakness, ...] = ()
