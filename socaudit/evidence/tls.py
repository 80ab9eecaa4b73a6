"""TLS endpoint evidence: the JSON contract of ``socaudit tls`` (schema_version 1)."""

from __future__ import annotations

from typing import Literal

from socaudit.evidence.base import AttemptStatus, ErrorReason, Model

TlsVersionName = Literal["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]


class EndpointError(Model):
    reason: ErrorReason
    detail: str


class KeyExchange(Model):
    dhe_min_bits: int | None = None
    ecdhe_groups: tuple[str, ...] = ()
    ffdhe_groups: tuple[str, ...] = ()
    """RFC 7919 finite-field groups accepted in TLS 1.3 (ffdhe2048 …)."""


class CertificateFacts(Model):
    subject: str
    issuer: str
    not_before: str
    """ISO-8601 UTC."""
    not_after: str
    days_remaining: int
    expired: bool
    not_yet_valid: bool
    key_type: str
    """RSA | EC | Ed25519 | Ed448 | DSA"""
    key_size: int
    signature_hash: str | None
    """sha256, sha1, md5 … (None for Ed25519/Ed448)."""
    self_signed: bool
    hostname_match: bool | None
    """None when no name was given to check against."""
    chain_trusted: bool
    chain_complete: bool
    lifespan_days: int
    san: tuple[str, ...] = ()
    chain_length: int = 1
    trust_error: str | None = None
    trust_anchor: Literal["system", "extra"] | None = None
    """Where the anchor came from: the system store (a public CA) or an extra CA file."""
    weakest_signature_hash: str | None = None
    """Weakest signature hash in the served chain (a served root's self-signature excluded)."""
    weakest_signature_subject: str | None = None
    """Subject of the certificate carrying that signature."""
    non_positive_serials: tuple[str, ...] = ()
    """Subjects of served certificates whose serial number is zero or negative (RFC 5280)."""


class HstsFacts(Model):
    present: bool
    max_age: int | None = None
    include_subdomains: bool = False
    preload: bool = False


class GradeCap(Model):
    cap: str
    reason: str


class Grade(Model):
    letter: str | None
    """None when evidence is incomplete (the grader refuses)."""
    letter_if_trust_ignored: str | None = None
    caps: tuple[GradeCap, ...] = ()
    ruleset: str
    mozilla: dict[str, bool | None] = {}
    """Profile name (e.g. ``intermediate-5.7``) → compliant (None: can't tell)."""


class Finding(Model):
    id: str
    severity: Literal["critical", "high", "medium", "low", "info"]
    message: str


RobotVerdict = Literal["vulnerable", "not_vulnerable", "not_applicable"]


class Vulnerabilities(Model):
    """Vulnerability probes. ``True`` for ``fallback_scsv``, ``secure_renegotiation`` and
    ``extended_master_secret`` means the server has the protection; for the others it means
    vulnerable / accepted. ``None``: not tested or not applicable (reason in ``notes``)."""

    heartbleed: bool | None = None
    ccs_injection: bool | None = None
    robot: RobotVerdict | None = None
    fallback_scsv: bool | None = None
    secure_renegotiation: bool | None = None
    client_renegotiation: bool | None = None
    compression: bool | None = None
    early_data: bool | None = None
    extended_master_secret: bool | None = None


class Resumption(Model):
    """Session resumption accepted by the server (``None``: not tested, reason in ``notes``)."""

    session_id: bool | None = None
    session_ticket: bool | None = None


class HttpCheck(Model):
    """The HTTP request behind ``hsts``: its URL and why it failed (``error``), if it did."""

    url: str
    status: AttemptStatus
    error: EndpointError | None = None


RevocationStatus = Literal["good", "revoked", "unknown"]


class Revocation(Model):
    """Revocation of the leaf certificate. ``status`` None: not checked (why: ``detail``);
    ``unknown``: checked but no usable answer (never read as good)."""

    ocsp_stapled: bool | None = None
    """The server staples an OCSP response when asked (status_request); None: not tested."""
    status: RevocationStatus | None = None
    source: Literal["ocsp_stapled", "ocsp", "crl"] | None = None
    """Where ``status`` came from."""
    detail: str | None = None
    """Why the status is null or unknown, or which responder / CRL answered."""


class TlsEndpointResult(Model):
    """Everything socaudit learned about one TLS endpoint."""

    kind: Literal["tls"] = "tls"
    target: str
    """``host:port`` as given."""
    status: AttemptStatus
    error: EndpointError | None = None
    address: str | None = None
    """The IP address connected to (resolved once, or pinned with ``host:port{ip}``)."""
    sni: str | None = None
    starttls: Literal["smtp", "imap", "pop3", "ftp", "ldap", "postgres"] | None = None
    """The plain-text protocol upgraded with STARTTLS before TLS, or None (direct TLS)."""
    protocols: tuple[TlsVersionName, ...] = ()
    cipher_suites: dict[str, tuple[str, ...]] = {}
    key_exchange: KeyExchange = KeyExchange()
    certificate: CertificateFacts | None = None
    hsts: HstsFacts | None = None
    http_check: HttpCheck | None = None
    """None: HTTP checks switched off (or the endpoint failed before them)."""
    vulnerabilities: Vulnerabilities = Vulnerabilities()
    resumption: Resumption = Resumption()
    notes: tuple[str, ...] = ()
    """Why a probe result is null, and other facts a reader needs to interpret the result."""
    revocation: Revocation = Revocation()
    grade: Grade | None = None
    findings: tuple[Finding, ...] = ()
    findings_ruleset: str | None = None
    """Version of the rules that produced ``findings`` (None in runs stored before it was kept)."""
    handshakes: int = 0
    """How many TCP connections the scan opened (politeness is measured)."""
