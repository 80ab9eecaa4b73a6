"""Compliance with Mozilla's Server Side TLS profiles (guidelines 5.7 and 6.0), as data.

Set comparisons in the manner of sslyze 6's checker: every accepted protocol, suite and ECDHE
group must be in the profile, DH/ECDH sizes at least the profile's, and the leaf must pass path
and hostname validation (strictly: valid at ``as_of`` and accepted by the strict verifier, so
SHA-1 fails), have an allowed key type, signature and RSA size, and a lifespan within the
maximum. Decided explicitly, as sslyze does: HSTS and OCSP stapling are **not** part of
compliance here (HSTS has its own findings); vulnerability probes (Heartbleed, ROBOT …) are not run
by socaudit, so they are not judged. Path validation uses the system store plus the extra CA
files; a name mismatch stays its own issue (sslyze 6 folds it into path validation).
``compliant`` is None when the evidence is incomplete.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.tls import CertificateFacts, TlsEndpointResult
from socaudit.tls.validity import validity_at

PROFILE_FILES = ("mozilla-5.7.json", "mozilla-6.0.json")
_VERSION_NAMES = {"TLSv1.0": "TLSv1"}
_GROUP_ALIASES = {"prime256v1": "secp256r1"}
_GROUP_BITS = {"x25519": 256, "x448": 448, "x25519mlkem768": 256, "secp256r1mlkem768": 256}
_GROUP_BITS |= {"prime256v1": 256, "secp384r1mlkem1024": 384, "x25519kyber768draft00": 256}


@dataclass(frozen=True, slots=True)
class MozillaProfile:
    """One configuration (modern / intermediate / old) of one guidelines version."""

    name: str
    """``<configuration>-<version>``, e.g. ``intermediate-5.7``."""
    tls_versions: frozenset[str]
    tls_curves: frozenset[str]
    """Lower-case IANA group names (prime256v1 spelled secp256r1)."""
    ciphersuites: frozenset[str]
    ciphers: frozenset[str]
    dh_param_size: int | None
    ecdh_param_size: int | None
    certificate_types: frozenset[str]
    certificate_signatures: frozenset[str]
    rsa_key_size: int | None
    maximum_certificate_lifespan: int
    hsts_min_age: int


@dataclass(frozen=True, slots=True)
class MozillaIssue:
    key: str
    """sslyze's issue keys: tls_versions, ciphers, ciphersuites, dh_param_size, …"""
    message: str


@dataclass(frozen=True, slots=True)
class ProfileCheck:
    profile: str
    compliant: bool | None
    issues: tuple[MozillaIssue, ...] = ()


def _profile(name: str, conf: dict[str, Any]) -> MozillaProfile:
    return MozillaProfile(
        name=name,
        tls_versions=frozenset(conf["tls_versions"]),
        tls_curves=frozenset(map(_group_name, conf["tls_curves"])),
        ciphersuites=frozenset(conf["ciphersuites"]),
        ciphers=frozenset(conf["ciphers"]["iana"]),
        dh_param_size=conf["dh_param_size"],
        ecdh_param_size=conf["ecdh_param_size"],
        certificate_types=frozenset(conf["certificate_types"]),
        certificate_signatures=frozenset(conf["certificate_signatures"]),
        rsa_key_size=conf["rsa_key_size"],
        maximum_certificate_lifespan=conf["maximum_certificate_lifespan"],
        hsts_min_age=conf["hsts_min_age"],
    )


@functools.cache
def profiles() -> tuple[MozillaProfile, ...]:
    """All packaged profiles, e.g. modern-5.7 … intermediate-6.0."""
    out = []
    for filename in PROFILE_FILES:
        text = resources.files("socaudit.tls").joinpath("profiles", filename).read_text("utf-8")
        data = json.loads(text)
        for conf_name, conf in data["configurations"].items():
            out.append(_profile(f"{conf_name}-{data['version']}", conf))
    return tuple(out)


def _group_name(name: str) -> str:
    return _GROUP_ALIASES.get(name.lower(), name.lower())


def group_bits(group: str) -> int | None:
    """Strength of an ECDH group in bits as sslyze counts it (X25519: 253 + 3)."""
    name = group.lower()
    if name in _GROUP_BITS:
        return _GROUP_BITS[name]
    match = re.fullmatch(r"(?:secp|sect|brainpoolp|prime)(\d+)\w*", name)
    return int(match.group(1)) if match else None


def signature_name(cert: CertificateFacts) -> str:
    """Mozilla's spelling of the leaf's signature algorithm (sha256WithRSAEncryption …)."""
    digest = cert.signature_hash or ""
    if cert.key_type == "EC":
        return f"ecdsa-with-{digest.upper()}"
    if cert.key_type == "RSA":
        return f"{digest}WithRSAEncryption"
    return cert.key_type.lower()


def _issue(key: str, message: str) -> list[MozillaIssue]:
    return [MozillaIssue(key, message)]


def _extra(what: str, key: str, offered: set[str], allowed: frozenset[str]) -> list[MozillaIssue]:
    extra = sorted(offered - allowed)
    return _issue(key, f"{what} {', '.join(extra)} accepted; should be rejected") if extra else []


def _protocol_issues(result: TlsEndpointResult, p: MozillaProfile) -> list[MozillaIssue]:
    versions = {_VERSION_NAMES.get(v, v) for v in result.protocols}
    tls13 = set(result.cipher_suites.get("TLSv1.3", ()))
    older = {s for v, names in result.cipher_suites.items() if v != "TLSv1.3" for s in names}
    groups = set(map(_group_name, result.key_exchange.ecdhe_groups))
    issues = _extra("protocols", "tls_versions", versions, p.tls_versions)
    issues += _extra("groups", "tls_curves", groups, p.tls_curves)
    issues += _extra("TLS 1.3 suites", "ciphersuites", tls13, p.ciphersuites)
    issues += _extra("suites", "ciphers", older, p.ciphers)
    return issues


def _key_exchange_issues(result: TlsEndpointResult, p: MozillaProfile) -> list[MozillaIssue]:
    issues: list[MozillaIssue] = []
    kx = result.key_exchange
    dh = [b for b in (kx.dhe_min_bits, *(_ffdhe(g) for g in kx.ffdhe_groups)) if b is not None]
    if p.dh_param_size and dh and min(dh) < p.dh_param_size:
        issues += _issue("dh_param_size", f"DH size {min(dh)} < {p.dh_param_size}")
    ecdh = [b for b in map(group_bits, kx.ecdhe_groups) if b is not None]
    if p.ecdh_param_size and ecdh and min(ecdh) < p.ecdh_param_size:
        issues += _issue("ecdh_param_size", f"ECDH size {min(ecdh)} < {p.ecdh_param_size}")
    return issues


def _ffdhe(group: str) -> int | None:
    digits = group.lower().removeprefix("ffdhe")
    return int(digits) if digits.isdigit() else None


def _path_problem(cert: CertificateFacts, as_of: dt.datetime | None) -> str | None:
    """Why strict path validation fails at ``as_of`` (None: it passes)."""
    validity = validity_at(cert, as_of) if as_of else None
    expired = validity.expired if validity else cert.expired
    not_yet_valid = validity.not_yet_valid if validity else cert.not_yet_valid
    if expired or not_yet_valid:
        return "certificate outside its validity period"
    if not cert.chain_trusted or cert.trust_error:
        return cert.trust_error or "no path to a trust anchor"
    return None


def _certificate_issues(
    cert: CertificateFacts, p: MozillaProfile, as_of: dt.datetime | None
) -> list[MozillaIssue]:
    issues: list[MozillaIssue] = []
    if cert.hostname_match is False:
        issues += _issue("certificate_hostname_validation", f"name mismatch for {cert.subject}")
    if problem := _path_problem(cert, as_of):
        issues += _issue("certificate_path_validation", f"path validation failed: {problem}")
    cert_type = {"EC": "ecdsa", "RSA": "rsa"}.get(cert.key_type, cert.key_type)
    if cert_type not in p.certificate_types:
        issues += _issue("certificate_types", f"certificate type {cert_type} not allowed")
    if cert.key_type == "RSA" and p.rsa_key_size and cert.key_size < p.rsa_key_size:
        issues += _issue("rsa_key_size", f"RSA key {cert.key_size} < {p.rsa_key_size}")
    if signature_name(cert) not in p.certificate_signatures:
        issues += _issue("certificate_signatures", f"signature {signature_name(cert)} not allowed")
    if cert.lifespan_days > p.maximum_certificate_lifespan:
        limit = p.maximum_certificate_lifespan
        issues += _issue("maximum_certificate_lifespan", f"lifespan {cert.lifespan_days} > {limit}")
    return issues


def complete_enough(result: TlsEndpointResult) -> bool:
    """Evidence a verdict needs: a completed scan with protocols, suites and a certificate
    whose public key could be read."""
    return (
        result.status is AttemptStatus.COMPLETED
        and bool(result.protocols)
        and any(result.cipher_suites.values())
        and result.certificate is not None
        and result.certificate.key_type != "unknown"
    )


def check(
    result: TlsEndpointResult, profile: MozillaProfile, as_of: dt.datetime | None = None
) -> ProfileCheck:
    """Judge ``result`` against one profile (validity at ``as_of``, else at scan time)."""
    if not complete_enough(result) or result.certificate is None:
        return ProfileCheck(profile.name, None)
    issues = _protocol_issues(result, profile) + _key_exchange_issues(result, profile)
    issues += _certificate_issues(result.certificate, profile, as_of)
    return ProfileCheck(profile.name, not issues, tuple(issues))


def check_all(
    result: TlsEndpointResult, as_of: dt.datetime | None = None
) -> tuple[ProfileCheck, ...]:
    return tuple(check(result, profile, as_of) for profile in profiles())


def compliance(
    result: TlsEndpointResult, as_of: dt.datetime | None = None
) -> dict[str, bool | None]:
    """``{"intermediate-5.7": True, "modern-6.0": False, …}`` (None: can't tell)."""
    return {c.profile: c.compliant for c in check_all(result, as_of)}
