"""Findings with stable ids from SSH evidence: weak algorithms by category (``ssh_policy``),
host key and CA sizes, certificate validity, DH group-exchange moduli and Terrapin.

Judged once, when the evidence is collected; the result and ``RULESET`` are stored with it so
a stored run reads the same later. Change ``RULESET`` whenever a rule's meaning changes.
"""

from __future__ import annotations

import datetime as dt

from socaudit.evidence.ssh import SshCertificate, SshHostKey, SshResult
from socaudit.evidence.tls import Finding

RULESET = "socaudit-ssh 2"
_SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")
_CATEGORY_IDS = {
    "protocol": "ssh.protocol.ssh1",
    "software": "ssh.software.outdated",
    "auth": "ssh.auth.password",
}
_VARIABLE_SIZE = {"ssh-rsa", "ssh-dss"}


def _f(fid: str, severity: str, message: str) -> Finding:
    return Finding.model_validate({"id": fid, "severity": severity, "message": message})


def _size_severity(key_type: str, bits: int | None) -> str | None:
    """ssh-audit's thresholds: RSA/DSA < 2048 fails, < 3072 warns; EC/EdDSA < 224 fails."""
    if bits is None:
        return None
    if key_type in _VARIABLE_SIZE:
        return (
            "critical" if bits < 1024 else "high" if bits < 2048 else "low" if bits < 3072 else None
        )
    return "high" if bits < 224 else None


def _category_findings(result: SshResult) -> list[Finding]:
    """One finding per weakness category, at the worst severity found in it."""
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for w in result.weaknesses:
        grouped.setdefault(w.category, []).append((w.algorithm, w.reason, w.severity))
    out = []
    for category, items in grouped.items():
        severity = max((s for _, _, s in items), key=_SEVERITY_ORDER.index)
        listed = "; ".join(f"{algorithm}: {reason}" for algorithm, reason, _ in items)
        out.append(_f(_CATEGORY_IDS.get(category, f"ssh.{category}.weak"), severity, listed))
    return out


def _worst(hits: list[tuple[str, str]], fid: str) -> list[Finding]:
    if not hits:
        return []
    severity = max((s for s, _ in hits), key=_SEVERITY_ORDER.index)
    return [_f(fid, severity, "; ".join(message for _, message in hits))]


def _certificate_hits(
    key: SshHostKey, cert: SshCertificate, as_of: dt.datetime
) -> list[tuple[str, str]]:
    name, out = key.algorithms[0], []
    if cert.cert_type != "host":
        out.append(("high", f"{name}: a {cert.cert_type or 'unknown'}-type certificate"))
    if cert.valid_before and dt.datetime.fromisoformat(cert.valid_before) <= as_of:
        out.append(("high", f"{name}: certificate expired on {cert.valid_before}"))
    if cert.valid_after and dt.datetime.fromisoformat(cert.valid_after) > as_of:
        out.append(("high", f"{name}: certificate valid only from {cert.valid_after}"))
    return out


def host_key_findings(result: SshResult, as_of: dt.datetime) -> list[Finding]:
    """Small host keys, small CA keys, certificates that are not valid host certificates."""
    small, small_ca, cert_hits = [], [], []
    for key in result.host_keys:
        if severity := _size_severity(key.key_type, key.bits):
            small.append((severity, f"{'/'.join(key.algorithms)}: {key.bits}-bit {key.key_type}"))
        cert = key.certificate
        if cert is None:
            continue
        if severity := _size_severity(cert.ca_key_type, cert.ca_bits):
            what = f"{cert.ca_bits}-bit {cert.ca_key_type} CA key"
            small_ca.append((severity, f"{key.algorithms[0]}: {what}"))
        cert_hits += _certificate_hits(key, cert, as_of)
    return (
        _worst(small, "ssh.host_key.small")
        + _worst(small_ca, "ssh.host_key.ca_small")
        + _worst(cert_hits, "ssh.host_key.cert_invalid")
    )


def gex_findings(result: SshResult) -> list[Finding]:
    hits = [
        ("critical" if g.min_bits < 1024 else "high", f"{g.algorithm}: {g.min_bits}-bit modulus")
        for g in result.gex
        if g.min_bits is not None and g.min_bits < 2048
    ]
    return _worst(hits, "ssh.kex.gex_small_modulus")


def terrapin_finding(result: SshResult) -> list[Finding]:
    if not result.terrapin:
        return []
    chacha = [c for c in result.ciphers if c.startswith("chacha20-poly1305")]
    offered = ", ".join(chacha) or "CBC ciphers with encrypt-then-MAC MACs"
    message = f"Terrapin (CVE-2023-48795): {offered} offered without strict key exchange"
    return [_f("ssh.terrapin", "medium", message)]


def findings_for_ssh(result: SshResult, *, as_of: dt.datetime | None = None) -> tuple[Finding, ...]:
    """Every finding for one SSH server, with certificate validity judged at ``as_of``."""
    when = as_of or dt.datetime.now(dt.UTC)
    out = _category_findings(result) + host_key_findings(result, when)
    return tuple(out + gex_findings(result) + terrapin_finding(result))


def judged(result: SshResult, as_of: dt.datetime | None = None) -> SshResult:
    """``result`` with its findings and the ruleset that produced them."""
    update = {"findings": findings_for_ssh(result, as_of=as_of), "findings_ruleset": RULESET}
    return result.model_copy(update=update)
