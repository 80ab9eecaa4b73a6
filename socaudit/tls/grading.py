"""SSL Labs-style letter grade, rating guide 2009r as documented in domain/tls.md §2.

Score = 30 % protocol + 30 % key exchange + 40 % cipher strength (a zero category makes 0), then
every applicable cap, each listed with its reason and evidence. Trust problems give **T** and a
name mismatch **M**, with ``letter_if_trust_ignored`` kept apart. Incomplete evidence gives no
letter at all (cap ``incomplete``).

Approximations (SSL Labs simulates 60+ browsers; socaudit only enumerates):
* forward secrecy and AEAD are judged from the accepted suites: the cap applies when *no*
  authenticated FS suite (resp. no AEAD suite) is accepted;
* the probe caps (Heartbleed, CCS injection, ROBOT, insecure renegotiation: F; compression:
  C; no secure renegotiation: A-) apply only to a probe result, never to a null one;
* a SHA-1 signature on the leaf or a served intermediate is a trust problem (T), as in
  browsers since 2017; MD5/MD2 anywhere in the served chain caps at F (a served root's
  self-signature is not judged);
* HSTS not observed (no HTTP probe) caps at A, since A+ needs HSTS >= 180 days (testssl.sh);
* 3DES scores as 168 bits in the cipher category (the guide's table) but counts as a 64-bit
  block cipher for the SWEET32 cap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from socaudit.evidence.tls import CertificateFacts, Grade, GradeCap, TlsEndpointResult
from socaudit.tls.mozilla import complete_enough, compliance, group_bits
from socaudit.tls.revocation_findings import revocation_caps
from socaudit.tls.suite_props import SuiteProps, suite_props
from socaudit.tls.validity import WEAK_HASHES_F, validity_at, weakest_hash
from socaudit.tls.vuln_findings import vulnerability_caps

RULESET = "ssllabs-2009r (socaudit implementation 2)"
LETTERS = ("A+", "A", "A-", "B", "C", "D", "E", "F")
"""Best to worst; T and M are not on this scale."""
HSTS_A_PLUS_SECONDS = 180 * 86400
_PROTOCOL_SCORE = {"SSLv2": 0, "SSLv3": 80, "TLSv1.0": 90, "TLSv1.1": 95, "TLSv1.2": 100}
_PROTOCOL_SCORE["TLSv1.3"] = 100
_MODERN = ("TLSv1.1", "TLSv1.2")
"""Versions where RC4 / 64-bit block ciphers cap at C (TLS 1.3 has neither)."""


def _key_score(bits: int) -> int:
    """RSA / DSA / DH modulus bits -> key exchange score."""
    for limit, score in ((512, 20), (1024, 40), (2048, 80), (4096, 90)):
        if bits < limit:
            return score
    return 100


def _ec_score(bits: int) -> int:
    """EC key / ECDH group bits -> score (testssl.sh's mapping onto the same buckets)."""
    for limit, score in ((110, 20), (123, 40), (163, 80), (225, 90)):
        if bits < limit:
            return score
    return 100


def _cipher_score(bits: int) -> int:
    return 0 if bits == 0 else 20 if bits < 128 else 80 if bits < 256 else 100


def _rsa_equivalent(cert: CertificateFacts) -> int:
    """Certificate key score: RSA/DSA by modulus, EC/EdDSA by curve size."""
    if cert.key_type in {"RSA", "DSA"}:
        return _key_score(cert.key_size)
    return _ec_score(cert.key_size)


def _dh_sizes(result: TlsEndpointResult) -> list[int]:
    kx = result.key_exchange
    ffdhe = [int(g[5:]) for g in kx.ffdhe_groups if g.lower()[5:].isdigit()]
    return [b for b in (kx.dhe_min_bits, *ffdhe) if b]


def _kx_score(
    result: TlsEndpointResult, cert: CertificateFacts, suites: Sequence[SuiteProps]
) -> int:
    scores = [_rsa_equivalent(cert)]
    scores += [_key_score(bits) for bits in _dh_sizes(result)]
    scores += [_ec_score(b) for b in map(group_bits, result.key_exchange.ecdhe_groups) if b]
    if any(s.export for s in suites):
        scores.append(40)
    if any(s.anonymous for s in suites):
        scores.append(0)
    return min(scores)


def _half_range(values: Iterable[int]) -> float:
    values = list(values)
    return (max(values) + min(values)) / 2 if values else 0.0


def score(result: TlsEndpointResult, cert: CertificateFacts, suites: Sequence[SuiteProps]) -> float:
    """Numeric score 0-100 (guide step 2); 0 when any category is 0."""
    protocol = _half_range(_PROTOCOL_SCORE[v] for v in result.protocols)
    kx = _kx_score(result, cert, suites)
    nominal = [168 if s.cipher == "3DES" else s.bits for s in suites if s.bits is not None]
    cipher = _half_range(_cipher_score(bits) for bits in nominal)
    if 0 in (protocol, kx, cipher):
        return 0.0
    return 0.3 * protocol + 0.3 * kx + 0.4 * cipher


def letter_for(total: float) -> str:
    for limit, letter in ((80, "A+"), (65, "B"), (50, "C"), (35, "D"), (20, "E")):
        if total >= limit:
            return letter
    return "F"


def _worst(letters: Iterable[str]) -> str:
    return max(letters, key=LETTERS.index)


def _suites_in(result: TlsEndpointResult, versions: Sequence[str]) -> list[SuiteProps]:
    return [suite_props(n) for v in versions for n in result.cipher_suites.get(v, ())]


def _protocol_caps(protocols: Sequence[str]) -> list[GradeCap]:
    offered = ", ".join(protocols)
    caps = []
    if "SSLv2" in protocols:
        caps.append(GradeCap(cap="F", reason=f"SSL 2.0 supported (protocols: {offered})"))
    if protocols and max(protocols, key=list(_PROTOCOL_SCORE).index) == "SSLv3":
        caps.append(GradeCap(cap="F", reason="SSL 3.0 is the best protocol offered"))
    if "SSLv3" in protocols:
        caps.append(GradeCap(cap="B", reason=f"SSL 3.0 supported (protocols: {offered})"))
    old = [v for v in protocols if v in {"TLSv1.0", "TLSv1.1"}]
    if old:
        caps.append(GradeCap(cap="B", reason=f"{' and '.join(old)} supported (guide 2009q)"))
    if not {"TLSv1.2", "TLSv1.3"} & set(protocols):
        caps.append(GradeCap(cap="C", reason=f"no TLS 1.2 or 1.3 (protocols: {offered})"))
    if "TLSv1.3" not in protocols:
        caps.append(GradeCap(cap="A-", reason="TLS 1.3 not supported (2009r warning)"))
    return caps


def _names(suites: Iterable[SuiteProps]) -> str:
    names = sorted({s.name for s in suites})
    shown = ", ".join(names[:4])
    return shown + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def _cipher_caps(result: TlsEndpointResult, suites: Sequence[SuiteProps]) -> list[GradeCap]:
    rules: list[tuple[str, str, list[SuiteProps]]] = [
        ("F", "export suites accepted", [s for s in suites if s.export]),
        ("F", "anonymous suites accepted", [s for s in suites if s.anonymous]),
        ("F", "suites under 112 bits", [s for s in suites if s.bits is not None and s.bits < 112]),
        ("B", "RC4 accepted", [s for s in suites if s.cipher == "RC4"]),
        ("C", "RC4 with TLS 1.1+", [s for s in _suites_in(result, _MODERN) if s.cipher == "RC4"]),
        ("C", "64-bit block cipher with TLS 1.1+ (SWEET32)", [
            s for s in _suites_in(result, _MODERN) if s.block_64
        ]),
    ]  # fmt: skip
    caps = [GradeCap(cap=cap, reason=f"{why}: {_names(hits)}") for cap, why, hits in rules if hits]
    if suites and all(s.cipher == "RC4" for s in suites):
        caps.append(GradeCap(cap="F", reason="only RC4 suites accepted"))
    if not any(s.forward_secrecy and not s.anonymous for s in suites):
        caps.append(GradeCap(cap="B", reason="no forward secrecy: no (EC)DHE suite accepted"))
    if not any(s.aead for s in suites):
        caps.append(GradeCap(cap="B", reason="no AEAD suite accepted (GCM, CCM, ChaCha20)"))
    return caps


def _key_caps(result: TlsEndpointResult, cert: CertificateFacts) -> list[GradeCap]:
    caps = []
    equivalent = _rsa_equivalent(cert)
    key = f"{cert.key_type} {cert.key_size} bits"
    if equivalent <= 40:
        caps.append(GradeCap(cap="F", reason=f"certificate key below 1024-bit strength ({key})"))
    elif equivalent <= 80:
        caps.append(GradeCap(cap="B", reason=f"certificate key below 2048-bit strength ({key})"))
    dh = min(_dh_sizes(result), default=None)
    if dh is not None and dh < 1024:
        caps.append(GradeCap(cap="F", reason=f"DH parameters of {dh} bits (< 1024)"))
    elif dh is not None and dh < 2048:
        caps.append(GradeCap(cap="B", reason=f"DH parameters of {dh} bits (< 2048)"))
    return caps


def _cert_caps(cert: CertificateFacts, as_of: dt.datetime) -> list[GradeCap]:
    validity = validity_at(cert, as_of)
    weakest, signed_by = weakest_hash(cert), cert.weakest_signature_subject or cert.subject
    rules = [
        ("F", weakest in WEAK_HASHES_F, f"{weakest} signature in the chain ({signed_by})"),
        ("T", weakest == "sha1", f"SHA-1 signature in the chain, distrusted ({signed_by})"),
        ("T", validity.expired, f"certificate expired on {cert.not_after}"),
        ("T", validity.not_yet_valid, f"certificate not valid before {cert.not_before}"),
        ("T", cert.self_signed and not cert.chain_trusted, f"self-signed: {cert.subject}"),
        (
            "T",
            not cert.chain_trusted and not cert.self_signed,
            f"chain not trusted ({cert.trust_error or 'no path to a trust anchor'})",
        ),
        ("B", not cert.chain_complete, "incomplete chain: intermediate certificate(s) not served"),
        ("M", cert.hostname_match is False, f"name mismatch (SAN: {', '.join(cert.san) or '-'})"),
    ]
    return [GradeCap(cap=cap, reason=reason) for cap, hit, reason in rules if hit]


def _hsts_caps(result: TlsEndpointResult) -> list[GradeCap]:
    hsts = result.hsts
    check = result.http_check
    if hsts is None and check is not None and check.error is not None:
        failed = f"HTTP request failed: {check.error.reason.value}: {check.error.detail}"
        return [GradeCap(cap="A", reason=f"HSTS not observed ({failed}): A+ needs HSTS")]
    if hsts is None:
        return [GradeCap(cap="A", reason="HSTS not observed (no HTTP check): A+ needs HSTS")]
    if not hsts.present:
        problem = "HSTS missing"
    elif hsts.max_age is None:
        problem = "HSTS header malformed"
    elif hsts.max_age == 0:
        problem = "HSTS disabled (max-age=0)"
    elif hsts.max_age < HSTS_A_PLUS_SECONDS:
        problem = f"HSTS max-age {hsts.max_age} s below 180 days"
    else:
        return []
    return [GradeCap(cap="A-", reason=f"{problem} (2009r warning)")]


def _refusal(result: TlsEndpointResult) -> Grade:
    missing = [
        what
        for what, absent in (
            (f"scan status {result.status.value}", result.status.value != "completed"),
            ("no protocol accepted", not result.protocols),
            ("no cipher suite recorded", not any(result.cipher_suites.values())),
            ("no certificate", result.certificate is None),
            (
                "certificate key unreadable",
                result.certificate is not None and result.certificate.key_type == "unknown",
            ),
        )
        if absent
    ]
    reason = "evidence incomplete, not graded: " + "; ".join(missing)
    caps = (GradeCap(cap="incomplete", reason=reason),)
    return Grade(letter=None, caps=caps, ruleset=RULESET, mozilla=compliance(result))


def grade(result: TlsEndpointResult, *, as_of: dt.datetime) -> Grade:
    """The letter for ``result`` judged at ``as_of`` (expiry is re-checked at that moment)."""
    cert = result.certificate
    if not complete_enough(result) or cert is None:
        return _refusal(result)
    suites = _suites_in(result, tuple(result.cipher_suites))
    caps = _protocol_caps(result.protocols) + _cipher_caps(result, suites)
    caps += _key_caps(result, cert) + _hsts_caps(result) + _cert_caps(cert, as_of)
    caps += revocation_caps(result)
    caps += vulnerability_caps(result)
    on_scale = [c.cap for c in caps if c.cap in LETTERS]
    ignoring_trust = _worst([letter_for(score(result, cert, suites)), *on_scale])
    trust = [c.cap for c in caps if c.cap in {"T", "M"}]
    letter = "T" if "T" in trust else "M" if trust else ignoring_trust
    return Grade(
        letter=letter,
        letter_if_trust_ignored=ignoring_trust,
        caps=tuple(caps),
        ruleset=RULESET,
        mozilla=compliance(result, as_of),
    )
