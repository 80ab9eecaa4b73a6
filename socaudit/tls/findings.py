"""Findings with stable ids (reports localise by id) from TLS and HTTP evidence (SSH:
``socaudit.probes.ssh_findings``).

Ids never change meaning; messages are English and carry the evidence. Errored results give no
findings: missing evidence is never a finding (evaluation reports it as insufficient).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.http import HttpResult
from socaudit.evidence.tls import CertificateFacts, Finding, HstsFacts, TlsEndpointResult
from socaudit.probes.ssh_findings import findings_for_ssh as findings_for_ssh  # moved there
from socaudit.tls.mozilla import check_all, group_bits
from socaudit.tls.revocation_findings import revocation_findings
from socaudit.tls.suite_props import SuiteProps, suite_props
from socaudit.tls.validity import WEAK_HASHES_F, max_lifespan, validity_at, weakest_hash
from socaudit.tls.vuln_findings import vulnerability_findings

EXPIRY_WARNING_DAYS = 30
HSTS_SHORT_SECONDS = 180 * 86400
TLS_RULESET = "socaudit-tls 2"
"""Version of the TLS rules (``findings_for``), stored with the findings; bump on any change."""
HTTP_RULESET = "socaudit-http 1"
"""Version of the HTTP rules (``findings_for_http``), stored with the findings they produce."""
MOZILLA_REPORTED = ("intermediate-5.7", "intermediate-6.0")
_PROTOCOLS = {
    "SSLv2": ("tls.protocol.sslv2", "critical"),
    "SSLv3": ("tls.protocol.sslv3", "high"),
    "TLSv1.0": ("tls.protocol.tls10", "medium"),
    "TLSv1.1": ("tls.protocol.tls11", "medium"),
}


def _f(fid: str, severity: str, message: str) -> Finding:
    return Finding.model_validate({"id": fid, "severity": severity, "message": message})


def _names(suites: Iterable[SuiteProps]) -> str:
    names = sorted({s.name for s in suites})
    return ", ".join(names[:5]) + (f" (+{len(names) - 5} more)" if len(names) > 5 else "")


def protocol_findings(protocols: Sequence[str]) -> list[Finding]:
    out = [_f(*_PROTOCOLS[v], f"{v} is accepted") for v in protocols if v in _PROTOCOLS]
    if not {"TLSv1.2", "TLSv1.3"} & set(protocols):
        out.append(_f("tls.no_tls12", "high", "TLS 1.2 is not supported (TT 39/2017 requires it)"))
    if "TLSv1.3" not in protocols:
        out.append(_f("tls.no_tls13", "low", "TLS 1.3 is not supported"))
    return out


def cipher_findings(suites: Sequence[SuiteProps]) -> list[Finding]:
    rules: list[tuple[str, str, str, Callable[[SuiteProps], bool]]] = [
        ("tls.cipher.null", "critical", "suites without encryption", lambda s: s.bits == 0),
        (
            "tls.cipher.anon",
            "critical",
            "anonymous (unauthenticated) suites",
            lambda s: s.anonymous,
        ),
        ("tls.cipher.export", "critical", "export-grade suites", lambda s: s.export),
        ("tls.cipher.des", "high", "single-DES suites", lambda s: s.cipher == "DES"),
        ("tls.cipher.rc4", "high", "RC4 suites", lambda s: s.cipher == "RC4"),
        ("tls.cipher.3des", "medium", "3DES suites (SWEET32)", lambda s: s.cipher == "3DES"),
    ]
    out = []
    for fid, severity, what, test in rules:
        hits = [s for s in suites if test(s)]
        if hits:
            out.append(_f(fid, severity, f"{what} accepted: {_names(hits)}"))
    authenticated_fs = [s for s in suites if s.forward_secrecy and not s.anonymous]
    if suites and not authenticated_fs:
        out.append(_f("tls.no_forward_secrecy", "medium", "no suite with forward secrecy"))
    elif static := [s for s in suites if not s.forward_secrecy]:
        out.append(_f("tls.cipher.static_kx", "low", f"suites without FS: {_names(static)}"))
    if suites and not any(s.aead for s in suites):
        out.append(_f("tls.no_aead", "medium", "no AEAD suite (GCM, CCM, ChaCha20-Poly1305)"))
    return out


def key_exchange_findings(result: TlsEndpointResult) -> list[Finding]:
    kx, out = result.key_exchange, []
    dh = [b for b in (kx.dhe_min_bits,) if b]
    if dh and min(dh) < 2048:
        severity = "high" if min(dh) < 1024 else "medium"
        out.append(_f("tls.dh.weak", severity, f"DH parameters of {min(dh)} bits (< 2048)"))
    weak_groups = [g for g in kx.ecdhe_groups if (group_bits(g) or 256) < 224]
    if weak_groups:
        out.append(_f("tls.ecdh.weak", "medium", f"weak ECDH groups: {', '.join(weak_groups)}"))
    return out


def _weak_key(cert: CertificateFacts) -> Finding | None:
    if cert.key_type in {"RSA", "DSA"} and cert.key_size < 2048:
        severity = "critical" if cert.key_size < 1024 else "high"
    elif cert.key_type == "EC" and cert.key_size < 256:
        severity = "medium"
    else:
        return None
    return _f("tls.cert.weak_key", severity, f"{cert.key_type} key of {cert.key_size} bits")


def certificate_findings(cert: CertificateFacts, as_of: dt.datetime) -> list[Finding]:
    validity = validity_at(cert, as_of)
    days_left = validity.days_left
    limit, rule = max_lifespan(cert)
    weakest = weakest_hash(cert)
    rules = [
        ("tls.cert.expired", "critical", validity.expired, f"expired on {cert.not_after}"),
        ("tls.cert.not_yet_valid", "high", validity.not_yet_valid, f"valid from {cert.not_before}"),
        (
            "tls.cert.expiring_soon",
            "medium",
            not (validity.expired or validity.not_yet_valid) and days_left <= EXPIRY_WARNING_DAYS,
            f"expires in {days_left} days ({cert.not_after})",
        ),
        (
            "tls.cert.self_signed",
            "info" if cert.chain_trusted else "high",
            cert.self_signed,
            f"self-signed certificate {cert.subject}"
            + (" (declared as a trust anchor)" if cert.chain_trusted else ""),
        ),
        (
            "tls.cert.untrusted",
            "high",
            not cert.chain_trusted and not cert.self_signed,
            f"no path to a trust anchor: {cert.trust_error or 'unknown issuer'}",
        ),
        (
            "tls.cert.incomplete_chain",
            "medium",
            not cert.chain_complete,
            f"intermediate certificate(s) not served (issuer: {cert.issuer})",
        ),
        (
            "tls.cert.hostname_mismatch",
            "high",
            cert.hostname_match is False,
            f"certificate names {', '.join(cert.san) or cert.subject} do not match",
        ),
        (
            "tls.cert.weak_signature",
            "critical" if weakest in WEAK_HASHES_F else "high",
            weakest in {*WEAK_HASHES_F, "sha1"},
            f"{cert.weakest_signature_subject or cert.subject} is signed with {weakest}",
        ),
        (
            "tls.cert.serial_not_positive",
            "low",
            bool(cert.non_positive_serials),
            "serial number not positive (RFC 5280 §4.1.2.2 violation): "
            + "; ".join(cert.non_positive_serials),
        ),
        (
            "tls.cert.long_lifespan",
            "low",
            cert.lifespan_days > limit,
            f"lifespan {cert.lifespan_days} days (> {limit}, {rule})",
        ),
    ]
    out = [_f(fid, severity, msg) for fid, severity, hit, msg in rules if hit]
    weak = _weak_key(cert)
    return [*out, weak] if weak else out


def hsts_findings(hsts: HstsFacts | None) -> list[Finding]:
    """Findings for an HTTPS answer's HSTS (None: not observed, no finding)."""
    if hsts is None:
        return []
    if not hsts.present:
        return [_f("http.hsts.missing", "medium", "no Strict-Transport-Security header")]
    if hsts.max_age is None:
        return [_f("http.hsts.malformed", "medium", "Strict-Transport-Security is malformed")]
    if hsts.max_age == 0:
        return [_f("http.hsts.disabled", "medium", "HSTS disabled with max-age=0")]
    if hsts.max_age < HSTS_SHORT_SECONDS:
        return [_f("http.hsts.short", "low", f"HSTS max-age {hsts.max_age} s (< 180 days)")]
    return []


def mozilla_findings(result: TlsEndpointResult, as_of: dt.datetime) -> list[Finding]:
    out = []
    for check in check_all(result, as_of):
        if check.profile in MOZILLA_REPORTED and check.compliant is False:
            keys = ", ".join(issue.key for issue in check.issues)
            message = f"not compliant with Mozilla {check.profile}: {keys}"
            out.append(_f(f"tls.mozilla.{check.profile}", "info", message))
    return out


def findings_for(result: TlsEndpointResult, *, as_of: dt.datetime) -> tuple[Finding, ...]:
    """Every finding for one TLS endpoint, judged at ``as_of`` (expiry re-checked then)."""
    if result.status is not AttemptStatus.COMPLETED:
        return ()
    suites = [suite_props(n) for names in result.cipher_suites.values() for n in names]
    out = protocol_findings(result.protocols) if result.protocols else []
    out += cipher_findings(suites) + key_exchange_findings(result)
    if result.certificate is not None:
        out += certificate_findings(result.certificate, as_of)
    out += hsts_findings(result.hsts) + mozilla_findings(result, as_of)
    out += vulnerability_findings(result)
    out += revocation_findings(result)
    return tuple(out)


def _header_findings(headers: dict[str, str]) -> list[Finding]:
    csp = headers.get("content-security-policy", "")
    rules = [
        ("http.csp.missing", "low", not csp, "no Content-Security-Policy"),
        (
            "http.xfo.missing",
            "low",
            "x-frame-options" not in headers and "frame-ancestors" not in csp.lower(),
            "no X-Frame-Options (nor CSP frame-ancestors): clickjacking",
        ),
        (
            "http.xcto.missing",
            "low",
            headers.get("x-content-type-options", "").strip().lower() != "nosniff",
            "X-Content-Type-Options: nosniff missing",
        ),
        (
            "http.referrer_policy.missing",
            "info",
            "referrer-policy" not in headers,
            "no Referrer-Policy",
        ),
    ]
    return [_f(fid, severity, msg) for fid, severity, hit, msg in rules if hit]


def findings_for_http(result: HttpResult) -> tuple[Finding, ...]:
    """Redirect, HSTS, security-header and banner findings for one HTTP answer.

    Header findings apply to final answers (not 3xx): a redirect needs no CSP.
    """
    out: list[Finding] = []
    if result.redirects_to_https is False:
        out.append(
            _f("http.no_https_redirect", "medium", f"{result.url} does not redirect to HTTPS")
        )
    out += hsts_findings(result.hsts)
    status = result.status_code or 0
    if not 300 <= status < 400:
        out += _header_findings(result.headers)
    banner = result.server_banner or ""
    if any(ch.isdigit() for ch in banner):
        out.append(_f("http.server.version_disclosed", "low", f"Server header: {banner[:80]}"))
    return tuple(out)
