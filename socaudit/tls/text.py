"""Plain-text summary of TLS results; server-supplied strings are shown escaped, never styled."""

from __future__ import annotations

from collections.abc import Iterable

from socaudit.evidence.tls import CertificateFacts, Grade, TlsEndpointResult


def clean(text: str) -> str:
    """Escape control characters so a hostile certificate cannot drive the terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)


def render(result: TlsEndpointResult) -> str:
    """A few readable lines about one endpoint."""
    head = f"{clean(result.target)}"
    if result.address:
        head += f" ({result.address})"
    if result.sni:
        head += f" SNI {clean(result.sni)}"
    if result.starttls:
        head += f" after STARTTLS {result.starttls}"
    lines = [f"{head}: {result.status.value}, {result.handshakes} handshakes"]
    if result.error:
        lines.append(f"  error: {result.error.reason.value}: {clean(result.error.detail)}")
    lines.append(f"  protocols: {', '.join(result.protocols) or '-'}")
    for version, suites in result.cipher_suites.items():
        lines.append(f"  {version} suites ({len(suites)}): {', '.join(suites)}")
    lines.extend(_key_exchange(result))
    if result.certificate:
        lines.extend(_certificate(result.certificate))
    check = result.http_check
    if check is not None and check.error is not None:
        why = f"{check.error.reason.value}: {clean(check.error.detail)}"
        lines.append(f"  HTTP check failed ({clean(check.url)}): {why}; HSTS not observed")
    if result.hsts:
        hsts = result.hsts
        state = f"max-age={hsts.max_age}" if hsts.present else "absent"
        lines.append(f"  HSTS: {state}{'; includeSubDomains' if hsts.include_subdomains else ''}")
    lines.extend(_probes(result))
    if result.grade:
        lines.extend(_grade(result.grade))
    lines.extend(f"  [{f.severity}] {f.id}: {clean(f.message)}" for f in result.findings)
    return "\n".join(lines)


_PROTECTIONS = frozenset({"fallback_scsv", "secure_renegotiation", "extended_master_secret"})


def _probes(result: TlsEndpointResult) -> Iterable[str]:
    """``vulnerable``/``ok`` per probe key (protections: ``yes``/``no``), then the notes."""
    words = []
    for key, value in result.vulnerabilities.model_dump().items():
        if value is None:
            shown = "not tested"
        elif isinstance(value, str):
            shown = value.replace("_", " ")
        elif key in _PROTECTIONS:
            shown = "yes" if value else "NO"
        else:
            shown = "VULNERABLE" if value else "no"
        words.append(f"{key} {shown}")
    if any(v is not None for v in result.vulnerabilities.model_dump().values()):
        yield f"  vulnerabilities: {', '.join(words)}"
    resumption = result.resumption
    if resumption.session_id is not None or resumption.session_ticket is not None:
        yield (
            f"  resumption: session ID {_yes(resumption.session_id)}, "
            f"ticket {_yes(resumption.session_ticket)}"
        )
    rev = result.revocation
    if rev.status is not None or rev.ocsp_stapled is not None:
        status = rev.status.upper() if rev.status == "revoked" else rev.status or "not checked"
        source = f" ({rev.source})" if rev.source else ""
        yield f"  revocation: {status}{source}, OCSP stapled {_yes(rev.ocsp_stapled)}"
        if rev.detail and rev.status is not None:
            yield f"    {clean(rev.detail)}"
    yield from (f"  note: {clean(note)}" for note in result.notes)


def _key_exchange(result: TlsEndpointResult) -> Iterable[str]:
    kx = result.key_exchange
    if kx.ecdhe_groups or kx.ffdhe_groups:
        yield f"  groups: {', '.join((*kx.ecdhe_groups, *kx.ffdhe_groups))}"
    if kx.dhe_min_bits:
        yield f"  DHE minimum: {kx.dhe_min_bits} bits"


def _certificate(cert: CertificateFacts) -> Iterable[str]:
    yield f"  certificate: {clean(cert.subject)}"
    yield f"    issuer: {clean(cert.issuer)}"
    state = "EXPIRED" if cert.expired else "NOT YET VALID" if cert.not_yet_valid else "valid"
    yield f"    {state}, {cert.not_before} .. {cert.not_after} ({cert.days_remaining} days left)"
    yield (
        f"    key {cert.key_type} {cert.key_size}, signature {cert.signature_hash or '-'}, "
        f"self-signed {_yes(cert.self_signed)}, hostname match {_yes(cert.hostname_match)}"
    )
    trust = _yes(cert.chain_trusted)
    if cert.trust_error:
        label = "strict path validation at scan time: " if cert.chain_trusted else ""
        trust += f" ({label}{clean(cert.trust_error)})"
    yield f"    trusted {trust}, chain complete {_yes(cert.chain_complete)}"


def _grade(grade: Grade) -> Iterable[str]:
    letter = grade.letter or "not graded"
    ignored = f" (if trust ignored: {grade.letter_if_trust_ignored})"
    yield f"  grade: {letter}{ignored if grade.letter_if_trust_ignored else ''} [{grade.ruleset}]"
    yield from (f"    cap {cap.cap}: {clean(cap.reason)}" for cap in grade.caps)


def _yes(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"
