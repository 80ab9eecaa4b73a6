"""SSH evidence: banner and algorithm lists from the server's KEXINIT."""

from __future__ import annotations

from typing import Literal

from socaudit.evidence.base import Model

Severity = Literal["critical", "high", "medium", "low", "info"]


class SshWeakness(Model):
    algorithm: str
    """The algorithm name, or the banner / software version for protocol and software rules."""
    category: Literal["kex", "host_key", "cipher", "mac", "protocol", "auth", "software"]
    reason: str
    severity: Severity = "medium"


class SshResult(Model):
    kind: Literal["ssh"] = "ssh"
    banner: str
    """The server's identification line without CR LF (attacker-controlled, length-capped)."""
    protocol_version: str
    """``2.0``, ``1.99`` (SSH-1 and 2) or ``1.5`` (SSH-1 only)."""
    software: str | None = None
    kex: tuple[str, ...] = ()
    host_key: tuple[str, ...] = ()
    ciphers: tuple[str, ...] = ()
    """Union of the client-to-server and server-to-client lists, in the server's order."""
    macs: tuple[str, ...] = ()
    """Union of both directions, in the server's order."""
    compression: tuple[str, ...] = ()
    auth_methods: tuple[str, ...] | None = None
    """Methods listed for a ``none`` request; ``("none",)`` if the server let us in; None when
    not asked or the key exchange used algorithms the probe does not speak."""
    weaknesses: tuple[SshWeakness, ...] = ()
