"""Revocation of the leaf: OCSP stapling (status_request), then the OCSP responder named in
AIA, then the CRL distribution point.

Responders and CRLs are fetched only inside the authorised scope: ``settings
["revocation_hosts"]`` maps the host names and addresses a scan may touch to the address to
use (no DNS), and addresses inside ``settings["revocation_networks"]`` (the scope's networks)
count too; without it (ad-hoc ``socaudit tls``) only loopback is fetched, unless
``settings["revocation_fetch"]`` is true. Not fetched → ``status`` null with the reason;
fetched without a usable answer → ``unknown``, never ``good``.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from datetime import UTC, datetime
from ipaddress import IPv4Address, IPv6Address
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

from socaudit.tls.clienthello import build_client_hello
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.probes import crl, httpget, ocsp, s_client
from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome
from socaudit.tls.probes.conversation import legacy_spec
from socaudit.tls.probes.ocsp import Verdict
from socaudit.tls.probes.stapling import STATUS_REQUEST, read_staple
from socaudit.tls.trust import load_anchors

KEYS = ("ocsp_stapled", "status", "source", "detail")
MAX_URLS = 2
"""Responders and distribution points tried per kind."""
Address = IPv4Address | IPv6Address


def run(ctx: ProbeContext) -> ProbeOutcome:
    """Stapled OCSP, fetched OCSP, CRL — the first usable answer wins."""
    if not ctx.facts.chain:
        return _outcome(None, None, None, "no certificate to check")
    try:
        leaf = x509.load_der_x509_certificate(ctx.facts.chain[0])
    except ValueError:
        return _outcome(None, None, None, "the leaf certificate does not parse")
    issuer = find_issuer(leaf, ctx.facts.chain[1:], ctx.ca_files)
    now = ctx.now or datetime.now(UTC)
    stapled, staple, staple_note = _stapled(ctx, leaf, issuer, now)
    if staple is not None and staple.status != "unknown":
        return _outcome(stapled, staple.status, "ocsp_stapled", staple.detail)
    tried: list[str] = [staple.detail] if staple is not None else []
    skipped: list[str] = [staple_note] if staple_note else []
    for source, verdict in _fetched(ctx, leaf, issuer, now, tried, skipped):
        if verdict.status != "unknown":
            return _outcome(stapled, verdict.status, source, verdict.detail)
    if tried:
        return _outcome(stapled, "unknown", None, "; ".join([*tried, *skipped]))
    if not ocsp.responder_urls(leaf) and not crl.distribution_points(leaf) and staple is None:
        skipped.append("the certificate names no OCSP responder and no CRL distribution point")
    return _outcome(stapled, None, None, "; ".join(skipped) or "not checked")


def _outcome(
    stapled: bool | None, status: str | None, source: str | None, detail: str | None
) -> ProbeOutcome:
    values = {"ocsp_stapled": stapled, "status": status, "source": source, "detail": detail}
    notes = () if status is not None else (f"revocation: status not checked: {detail}",)
    return ProbeOutcome(values, notes)


def find_issuer(
    leaf: x509.Certificate, served: tuple[bytes, ...], ca_files: Any
) -> x509.Certificate | None:
    """The leaf's issuer among the served certificates, else among the extra anchors."""
    candidates: list[x509.Certificate] = []
    for der in served:
        try:
            candidates.append(x509.load_der_x509_certificate(der))
        except ValueError:
            continue
    if ca_files:
        candidates += load_anchors(tuple(ca_files))
    return next((c for c in candidates if c.subject == leaf.issuer and _issued(leaf, c)), None)


def _issued(leaf: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        leaf.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _stapled(
    ctx: ProbeContext, leaf: x509.Certificate, issuer: x509.Certificate | None, now: datetime
) -> tuple[bool | None, Verdict | None, str | None]:
    """(stapled?, what the staple says, why stapling was not tested)."""
    spec = legacy_spec(ctx, extra_extensions=((STATUS_REQUEST, b"\x01\x00\x00\x00\x00"),))
    if spec is None:
        return stapled_tls13(ctx)
    try:
        accepted, staple = ctx.prober().exchange(build_client_hello(spec), read_staple)
    except ProbeFailure as failure:
        return None, None, f"OCSP stapling not tested: {failure}"
    if not accepted:
        return None, None, "OCSP stapling not tested: the server refused the hello"
    if staple is None:
        return False, None, None
    if issuer is None:
        return True, Verdict("unknown", "stapled OCSP: issuer certificate not available"), None
    verdict = ocsp.judge(staple, leaf, issuer, now)
    return True, Verdict(verdict.status, f"stapled {verdict.detail}"), None


def stapled_tls13(ctx: ProbeContext) -> tuple[bool | None, Verdict | None, str | None]:
    """TLS 1.3 encrypts the staple: ask ``openssl s_client -status`` whether one is sent. Its
    text is not a verified response, so the status still comes from the responder or the CRL."""
    try:
        output = s_client.converse(
            ctx, s_client.base_command(ctx, "-status", "-tls1_3"), b"",
            lambda text: "Verify return code" in text,
        )  # fmt: skip
    except ProbeFailure as failure:
        return None, None, f"OCSP stapling not tested: {failure}"
    if "OCSP response: no response sent" in output:
        return False, None, None
    if "OCSP Response Data:" in output:
        return True, None, "stapled OCSP response (TLS 1.3) seen by openssl, not verified here"
    return None, None, "OCSP stapling not tested: the TLS 1.3 handshake with openssl failed"


def _fetched(
    ctx: ProbeContext,
    leaf: x509.Certificate,
    issuer: x509.Certificate | None,
    now: datetime,
    tried: list[str],
    skipped: list[str],
) -> Any:
    """Yield (source, verdict) for each responder / CRL fetched, recording why others were not."""
    kinds = (("ocsp", ocsp.responder_urls(leaf)), ("crl", crl.distribution_points(leaf)))
    for source, urls in kinds:
        for url in urls[:MAX_URLS]:
            if issuer is None:
                skipped.append(f"{url}: issuer certificate not available to check the answer")
                continue
            address, why = allowed_address(url, ctx.settings)
            if address is None:
                skipped.append(f"{url} not fetched: {why}")
                continue
            ctx.connections += 1
            verdict = _ask(source, url, address, ctx.timeout, leaf, issuer, now)
            tried.append(f"{url}: {verdict.detail}")
            yield source, verdict


def _ask(
    source: str,
    url: str,
    address: Address,
    timeout: float,
    leaf: x509.Certificate,
    issuer: x509.Certificate,
    now: datetime,
) -> Verdict:
    try:
        if source == "ocsp":
            body = httpget.fetch(url, address, timeout, ocsp.request_der(leaf, issuer))
            return ocsp.judge(body, leaf, issuer, now)
        return crl.judge(httpget.fetch(url, address, timeout), leaf, issuer, now)
    except ProbeFailure as failure:
        return Verdict("unknown", f"unreachable ({failure})")


def allowed_address(url: str, settings: Mapping[str, Any]) -> tuple[Address | None, str]:
    """Where to fetch ``url`` under the scope rules, or (None, why not)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None, "malformed URL"
    if not url.lower().startswith("http://") or not host:
        return None, "only http:// URLs are fetched"
    scope: Mapping[str, str] | None = settings.get("revocation_hosts")
    if scope is not None and host in scope:
        return ipaddress.ip_address(scope[host]), ""
    literal = _literal(host)
    networks = [ipaddress.ip_network(n) for n in settings.get("revocation_networks", ())]
    if (
        scope is not None
        and literal is not None
        and any(literal.version == n.version and literal in n for n in networks)
    ):
        return literal, ""
    if scope is None and literal is not None and literal.is_loopback:
        return literal, ""
    if scope is None and host == "localhost":
        return ipaddress.ip_address("127.0.0.1"), ""
    if settings.get("revocation_fetch"):
        return literal or _resolve(host), ""
    where = "the authorised scope" if scope is not None else "loopback"
    return None, f"{host} is outside {where} (hint: --revocation-fetch)"


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _resolve(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(socket.getaddrinfo(host, 80, type=socket.SOCK_STREAM)[0][4][0])
    except (OSError, ValueError, IndexError):
        return None


PROBE = Probe(name="revocation", section="revocation", keys=KEYS, run=run, budget=2)
"""One handshake to the endpoint (the status_request hello, or openssl for TLS 1.3 only);
responder and CRL fetches go to other hosts and are counted too."""
