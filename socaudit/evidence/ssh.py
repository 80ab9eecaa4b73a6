"""SSH evidence: banner and algorithm lists from the server's KEXINIT, host keys and DH
group-exchange sizes from key exchanges, and the findings judged when it was collected."""

from __future__ import annotations

from typing import Literal

from socaudit.evidence.base import Model
from socaudit.evidence.tls import Finding

Severity = Literal["critical", "high", "medium", "low", "info"]


class SshWeakness(Model):
    algorithm: str
    """The algorithm name, or the banner / software version for protocol and software rules."""
    category: Literal["kex", "host_key", "cipher", "mac", "protocol", "auth", "software"]
    reason: str
    severity: Severity = "medium"


class SshCertificate(Model):
    """An OpenSSH certificate (PROTOCOL.certkeys) served as host key."""

    cert_type: Literal["host", "user"] | None
    """None for a type number other than 1 (user) or 2 (host)."""
    key_id: str
    principals: tuple[str, ...] = ()
    valid_after: str | None = None
    """ISO-8601 UTC; None for "always"."""
    valid_before: str | None = None
    """ISO-8601 UTC; None for "forever"."""
    ca_key_type: str
    ca_bits: int | None = None
    ca_fingerprint: str
    """``SHA256:`` + unpadded base64, as ``ssh-keygen -l`` prints it."""


class SshHostKey(Model):
    """One host key, read from the server's key-exchange reply for one host key algorithm."""

    algorithms: tuple[str, ...]
    """Host key algorithms served by this key (the RSA family shares one key)."""
    key_type: str
    """The key blob's type: ``ssh-rsa``, ``ssh-ed25519``, ``ecdsa-sha2-nistp256`` … (for a
    certificate, the certified key's type)."""
    bits: int | None = None
    """RSA/DSA modulus size, curve size for EC keys; None when the blob is not understood."""
    fingerprint: str
    """``SHA256:`` + unpadded base64 of the blob (for a certificate: of the whole certificate)."""
    certificate: SshCertificate | None = None


class SshGexSizes(Model):
    """What a DH group-exchange algorithm hands out (RFC 4419 requests)."""

    algorithm: str
    min_bits: int | None = None
    """Smallest modulus the server gave for requests of 1024, 1536, 2048 bits (tried in that
    order, stopping at the first answer); None if it answered none of them."""
    preferred_bits: int | None = None
    """Modulus given for a modern client's request (min 2048, preferred 3072, max 8192)."""


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
    host_keys: tuple[SshHostKey, ...] = ()
    """One entry per distinct key read (empty when not probed, see ``notes``)."""
    gex: tuple[SshGexSizes, ...] = ()
    strict_kex: bool | None = None
    """``kex-strict-s-v00@openssh.com`` offered (the Terrapin countermeasure); None for SSH-1."""
    terrapin: bool | None = None
    """CVE-2023-48795: ChaCha20-Poly1305, or a CBC cipher with an EtM MAC, offered without
    strict key exchange. None when no KEXINIT was read."""
    notes: tuple[str, ...] = ()
    """Why a host key or group-exchange test gave no answer (each failure, in order)."""
    findings: tuple[Finding, ...] | None = None
    """Findings judged when the evidence was collected; None in runs made before they were
    stored (the view says so)."""
    findings_ruleset: str | None = None
    """Version of the rules that produced ``findings``."""
