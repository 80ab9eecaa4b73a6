"""Weak SSH algorithms and versions, as data (after ssh-audit's public lists and RFC 9142).

Patterns are ``fnmatch`` globs; the first matching rule of a category wins. Version rules read
the software string only: distributions backport fixes, so an "outdated" finding asks for a
check of the package, it does not prove a vulnerability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from socaudit.evidence.ssh import Severity, SshResult, SshWeakness


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: str
    severity: Severity
    reason: str


KEX_RULES = (
    Rule("diffie-hellman-group1-sha1", "high", "1024-bit MODP group (Logjam range) with SHA-1"),
    Rule("diffie-hellman-group14-sha1", "medium", "SHA-1 hash (RFC 9142: SHOULD NOT)"),
    Rule("diffie-hellman-group-exchange-sha1", "medium", "SHA-1 hash and client-chosen group"),
    Rule("rsa1024-sha1", "high", "1024-bit RSA key exchange with SHA-1"),
    Rule("gss-*-sha1-*", "medium", "SHA-1 hash"),
    Rule("gss-gex-sha1-*", "medium", "SHA-1 hash"),
    Rule("ecdh-sha2-nistp*", "low", "NIST P-curves (ssh-audit: possibly weak constants)"),
)
HOST_KEY_RULES = (
    Rule("ssh-dss*", "high", "DSA keys are 1024-bit with SHA-1 (removed from OpenSSH)"),
    Rule("ssh-rsa", "medium", "RSA signatures with SHA-1 (disabled by default since OpenSSH 8.8)"),
    Rule("ssh-rsa-cert-v01@openssh.com", "medium", "certificate with SHA-1 signatures"),
    Rule("x509v3-sign-rsa", "medium", "SHA-1 signatures"),
    Rule("x509v3-sign-dss", "high", "DSA with SHA-1"),
    Rule("ecdsa-sha2-nistp*", "low", "NIST P-curves (ssh-audit: possibly weak constants)"),
)
CIPHER_RULES = (
    Rule("none", "critical", "no encryption"),
    Rule("des-cbc*", "high", "single DES (56-bit)"),
    Rule("des", "high", "single DES (56-bit)"),
    Rule("3des-*", "high", "3DES: 64-bit block (SWEET32), slow, CBC"),
    Rule("arcfour*", "high", "RC4 stream cipher is broken"),
    Rule("blowfish-*", "high", "64-bit block cipher"),
    Rule("cast128-*", "high", "64-bit block cipher"),
    Rule("idea-*", "high", "64-bit block cipher"),
    Rule("*-cbc*", "medium", "CBC mode (plaintext-recovery attacks, Terrapin with EtM)"),
    Rule("rijndael-cbc@lysator.liu.se", "medium", "CBC mode"),
)
MAC_RULES = (
    Rule("none", "critical", "no integrity protection"),
    Rule("hmac-md5*", "high", "MD5"),
    Rule("hmac-sha1-96*", "medium", "SHA-1, truncated to 96 bits"),
    Rule("hmac-sha1*", "medium", "SHA-1"),
    Rule("umac-64*", "medium", "64-bit tag"),
    Rule("hmac-ripemd160*", "medium", "RIPEMD-160, little analysed"),
    Rule("hmac-sha2-256", "low", "encrypt-and-MAC (prefer the -etm@openssh.com variant)"),
    Rule("hmac-sha2-512", "low", "encrypt-and-MAC (prefer the -etm@openssh.com variant)"),
    Rule("umac-128@openssh.com", "low", "encrypt-and-MAC (prefer the -etm@openssh.com variant)"),
)
AUTH_RULES = (
    Rule("none", "critical", "the server lets anyone in without authentication"),
    Rule("password", "medium", "password login offered (guessable, phishable)"),
    Rule("keyboard-interactive", "low", "keyboard-interactive, usually a password prompt"),
)
# (software regex, version below which it is outdated, severity, reason)
SOFTWARE_RULES = (
    (re.compile(r"OpenSSH_(\d+)\.(\d+)"), (7, 4), "high", "OpenSSH before 7.4 (2016): many CVEs"),
    (re.compile(r"OpenSSH_(\d+)\.(\d+)"), (8, 8), "low", "OpenSSH before 8.8 (2021)"),
    (re.compile(r"dropbear_(\d+)\.(\d+)"), (2020, 79), "medium", "Dropbear before 2020.79"),
)


def _match(category: str, names: tuple[str, ...], rules: tuple[Rule, ...]) -> list[SshWeakness]:
    out = []
    for name in names:
        rule = next((r for r in rules if fnmatchcase(name, r.pattern)), None)
        if rule is not None:
            out.append(
                SshWeakness.model_validate(
                    {
                        "algorithm": name,
                        "category": category,
                        "reason": rule.reason,
                        "severity": rule.severity,
                    }
                )
            )
    return out


def _protocol(result: SshResult) -> list[SshWeakness]:
    version = result.protocol_version
    if version == "1.99":
        reason, severity = "server also accepts the broken SSH-1 protocol", "high"
    elif version.startswith("1."):
        reason, severity = "SSH-1 only (broken protocol; TT 39/2017 requires SSH 2.0)", "critical"
    else:
        return []
    weakness = {"algorithm": f"SSH-{version}", "category": "protocol", "reason": reason}
    return [SshWeakness.model_validate(weakness | {"severity": severity})]


def _software(result: SshResult) -> list[SshWeakness]:
    for pattern, floor, severity, reason in SOFTWARE_RULES:
        match = pattern.search(result.software or "")
        if match and (int(match.group(1)), int(match.group(2))) < floor:
            weakness = {"algorithm": result.software, "category": "software", "reason": reason}
            return [SshWeakness.model_validate(weakness | {"severity": severity})]
    return []


STRICT_KEX = "kex-strict-s-v00@openssh.com"


def is_cbc(cipher: str) -> bool:
    return cipher.endswith(("-cbc", "-cbc@openssh.org", "-cbc@ssh.com")) or (
        cipher == "rijndael-cbc@lysator.liu.se"
    )


def terrapin(result: SshResult) -> bool | None:
    """CVE-2023-48795 (Bäumer et al. 2023): ChaCha20-Poly1305, or a CBC cipher together with
    an encrypt-then-MAC MAC, offered without the strict key exchange marker."""
    if not result.kex:
        return None
    if STRICT_KEX in result.kex:
        return False
    chacha = any(c.startswith("chacha20-poly1305") for c in result.ciphers)
    etm = any(m.endswith("-etm@openssh.com") for m in result.macs)
    return chacha or (etm and any(map(is_cbc, result.ciphers)))


def assess(result: SshResult) -> tuple[SshWeakness, ...]:
    """Every weakness in the server's banner and algorithm lists."""
    found = _protocol(result) + _software(result)
    found += _match("kex", result.kex, KEX_RULES)
    found += _match("host_key", result.host_key, HOST_KEY_RULES)
    found += _match("cipher", result.ciphers, CIPHER_RULES)
    found += _match("mac", result.macs, MAC_RULES)
    found += _match("auth", result.auth_methods or (), AUTH_RULES)
    return tuple(found)
