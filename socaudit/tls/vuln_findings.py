"""Findings and grade caps from the vulnerability probes, and attacks derived from what
enumeration already knows (POODLE, SWEET32, FREAK, Logjam, BEAST, RC4, DROWN, Lucky13).

A null probe result is never a finding (the endpoint's notes say why it is null).
"""

from __future__ import annotations

from collections.abc import Sequence

from socaudit.evidence.tls import Finding, GradeCap, TlsEndpointResult
from socaudit.tls.suite_props import SuiteProps, suite_props

_CBC = frozenset({"cbc"})


def _f(fid: str, severity: str, message: str) -> Finding:
    return Finding.model_validate({"id": fid, "severity": severity, "message": message})


def _in(result: TlsEndpointResult, *versions: str) -> list[SuiteProps]:
    return [suite_props(n) for v in versions for n in result.cipher_suites.get(v, ())]


def _names(suites: Sequence[SuiteProps]) -> str:
    names = sorted({s.name for s in suites})
    return ", ".join(names[:4]) + (f" (+{len(names) - 4} more)" if len(names) > 4 else "")


def insecure_renegotiation(result: TlsEndpointResult) -> bool:
    """Client-initiated renegotiation accepted without RFC 5746 protection."""
    vulns = result.vulnerabilities
    return vulns.secure_renegotiation is False and vulns.client_renegotiation is True


def probe_findings(result: TlsEndpointResult) -> list[Finding]:
    v, r = result.vulnerabilities, result.resumption
    rules = [
        ("tls.vuln.heartbleed", "critical", v.heartbleed is True,
         "Heartbleed (CVE-2014-0160): the server returned memory it was never sent"),
        ("tls.vuln.ccs_injection", "critical", v.ccs_injection is True,
         "OpenSSL CCS injection (CVE-2014-0224): an early ChangeCipherSpec was accepted"),
        ("tls.vuln.robot", "critical", v.robot == "vulnerable",
         "ROBOT: RSA key exchange answers reveal PKCS #1 v1.5 padding validity (an oracle)"),
        ("tls.vuln.insecure_renegotiation", "high", insecure_renegotiation(result),
         "client-initiated renegotiation accepted without RFC 5746 (CVE-2009-3555)"),
        ("tls.vuln.no_secure_renegotiation", "medium",
         v.secure_renegotiation is False and not insecure_renegotiation(result),
         "no secure renegotiation (RFC 5746 renegotiation_info not sent)"),
        ("tls.vuln.client_renegotiation", "low",
         v.client_renegotiation is True and not insecure_renegotiation(result),
         "client-initiated renegotiation accepted (a denial-of-service lever)"),
        ("tls.vuln.compression", "high", v.compression is True,
         "TLS compression (DEFLATE) accepted: CRIME (CVE-2012-4929)"),
        ("tls.vuln.no_fallback_scsv", "low", v.fallback_scsv is False,
         "TLS_FALLBACK_SCSV ignored: a downgraded fallback handshake was accepted (RFC 7507)"),
        ("tls.vuln.early_data", "low", v.early_data is True,
         "TLS 1.3 early data (0-RTT) accepted: the first request can be replayed"),
        ("tls.vuln.no_extended_master_secret", "low", v.extended_master_secret is False,
         "no extended master secret (RFC 7627): triple handshake attacks"),
        ("tls.resumption.none", "info", r.session_id is False and r.session_ticket is False,
         "no session resumption (neither session IDs nor tickets): every connection pays "
         "a full handshake"),
    ]  # fmt: skip
    return [_f(fid, severity, message) for fid, severity, hit, message in rules if hit]


def derived_findings(result: TlsEndpointResult) -> list[Finding]:
    """Known attacks that follow from the accepted protocols and suites."""
    everything = _in(result, *result.cipher_suites)
    ssl3_cbc = [s for s in _in(result, "SSLv3") if s.mode in _CBC]
    tls10_cbc = [s for s in _in(result, "SSLv3", "TLSv1.0") if s.mode in _CBC]
    export_rsa = [s for s in everything if s.export and s.key_exchange == "RSA"]
    export_dh = [s for s in everything if s.export and s.key_exchange in {"DHE", "DH"}]
    dh_bits = result.key_exchange.dhe_min_bits
    rc4 = [s for s in everything if s.cipher == "RC4"]
    tls_cbc = [s for s in _in(result, "TLSv1.0", "TLSv1.1", "TLSv1.2") if s.mode in _CBC]
    logjam = bool(export_dh) or (dh_bits is not None and dh_bits <= 1024)
    logjam_why = _names(export_dh) if export_dh else f"DH parameters of {dh_bits} bits"
    rules = [
        ("tls.vuln.poodle", "high", bool(ssl3_cbc),
         f"POODLE (CVE-2014-3566): SSL 3.0 with CBC suites: {_names(ssl3_cbc)}"),
        ("tls.vuln.sweet32", "medium", any(s.block_64 for s in everything),
         "SWEET32 (CVE-2016-2183): 64-bit block ciphers: "
         + _names([s for s in everything if s.block_64])),
        ("tls.vuln.freak", "critical", bool(export_rsa),
         f"FREAK (CVE-2015-0204): export RSA suites: {_names(export_rsa)}"),
        ("tls.vuln.logjam", "high", logjam, f"Logjam (CVE-2015-4000): {logjam_why}"),
        ("tls.vuln.beast", "low", bool(tls10_cbc),
         f"BEAST (CVE-2011-3389): CBC suites with SSL 3.0 / TLS 1.0: {_names(tls10_cbc)}"),
        ("tls.vuln.rc4", "high", bool(rc4),
         f"RC4 biases (CVE-2013-2566, CVE-2015-2808): {_names(rc4)}"),
        ("tls.vuln.drown", "critical", "SSLv2" in result.protocols,
         "DROWN (CVE-2016-0800): SSL 2.0 accepted with this endpoint's key"),
        ("tls.vuln.lucky13", "info", bool(tls_cbc),
         f"Lucky13 (CVE-2013-0169): CBC suites, safe only with constant-time MAC checks: "
         f"{_names(tls_cbc)}"),
    ]  # fmt: skip
    return [_f(fid, severity, message) for fid, severity, hit, message in rules if hit]


def vulnerability_findings(result: TlsEndpointResult) -> list[Finding]:
    return probe_findings(result) + derived_findings(result)


def vulnerability_caps(result: TlsEndpointResult) -> list[GradeCap]:
    """SSL Labs 2009r caps for probe results (the suite-derived ones are cipher caps)."""
    v = result.vulnerabilities
    ssl3_cbc = [s for s in _in(result, "SSLv3") if s.mode in _CBC]
    rules = [
        ("F", v.heartbleed is True, "vulnerable to Heartbleed"),
        ("F", v.ccs_injection is True, "vulnerable to OpenSSL CCS injection (CVE-2014-0224)"),
        ("F", v.robot == "vulnerable", "vulnerable to ROBOT (2018-03)"),
        ("F", insecure_renegotiation(result), "insecure client-initiated renegotiation"),
        ("C", v.compression is True, "TLS compression: CRIME (2009j)"),
        ("C", bool(ssl3_cbc), "POODLE: SSL 3.0 with CBC suites (2009g)"),
        (
            "A-",
            v.secure_renegotiation is False and not insecure_renegotiation(result),
            "secure renegotiation not supported (2009r warning)",
        ),
    ]
    return [GradeCap(cap=cap, reason=reason) for cap, hit, reason in rules if hit]
