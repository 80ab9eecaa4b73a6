"""A passing and a failing fixture for every check (evidence in → expected outcome).

``test_fixtures.py`` runs them all and checks that every registered check has both (the
informational ``net.ipv6_reachable`` never fails: its second fixture is ``manual``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from socaudit.checks.context import CheckContext
from socaudit.evaluation.model import Outcome
from socaudit.evidence.base import EvidenceKind
from socaudit.evidence.ssh import SshWeakness
from socaudit.evidence.tls import HstsFacts

from .builders import cert, context, discovery, errored, good_ports, http, ports, ssh, tls

P, F = Outcome.PASS, Outcome.FAIL
GOOD_HSTS = HstsFacts(present=True, max_age=63072000, include_subdomains=True)
TWO_YEARS_AGO = "2024-10-01"


@dataclass(frozen=True)
class Fixture:
    name: str
    check: str
    expected: Outcome
    ctx: Callable[[], CheckContext]
    params: dict[str, Any] = field(default_factory=dict)


def _layers(**layers: Any) -> dict[str, Any]:
    return {"four_layer": layers}


FIXTURES: list[Fixture] = [
    # ports
    Fixture("allowlisted", "ports.only_declared_services", P, lambda: context(good_ports())),
    Fixture(
        "undeclared mysql",
        "ports.only_declared_services",
        F,
        lambda: context(
            [*good_ports(), ports("admin", "127.0.10.41", (2222, "ssh"), (3306, "mysql"))]
        ),
    ),
    Fixture("ssh only", "ports.no_cleartext_admin", P, lambda: context(good_ports())),
    Fixture(
        "telnet open",
        "ports.no_cleartext_admin",
        F,
        lambda: context([ports("admin", "127.0.10.41", (2323, "telnet"))]),
    ),
    Fixture("admin kept internal", "ports.admin_not_public", P, lambda: context(good_ports())),
    Fixture(
        "ssh on the public web asset",
        "ports.admin_not_public",
        F,
        lambda: context([ports("web", "127.0.10.10", (8443, "http", "ssl"), (22, "ssh"))]),
    ),
    # tls
    Fixture("1.2 and 1.3", "tls.min_version", P, lambda: context([tls()])),
    Fixture(
        "1.0 accepted",
        "tls.min_version",
        F,
        lambda: context([tls(protocols=("TLSv1.0", "TLSv1.1", "TLSv1.2"))]),
    ),
    Fixture("aead only", "tls.no_weak_suites", P, lambda: context([tls()])),
    Fixture(
        "null and anon",
        "tls.no_weak_suites",
        F,
        lambda: context(
            [
                tls(
                    suites={
                        "TLSv1.2": ("TLS_RSA_WITH_NULL_SHA256", "TLS_DH_anon_WITH_AES_128_CBC_SHA")
                    }
                )
            ]
        ),
    ),
    Fixture("ecdhe", "tls.forward_secrecy", P, lambda: context([tls()])),
    Fixture(
        "static rsa only",
        "tls.forward_secrecy",
        F,
        lambda: context(
            [tls(protocols=("TLSv1.2",), suites={"TLSv1.2": ("TLS_RSA_WITH_AES_128_CBC_SHA",)})]
        ),
    ),
    Fixture(
        "not vulnerable",
        "tls.vulnerabilities",
        P,
        lambda: context(
            [
                tls(
                    vulnerabilities={
                        "heartbleed": False,
                        "ccs_injection": False,
                        "robot": "not_vulnerable",
                        "compression": False,
                        "client_renegotiation": False,
                    }
                )
            ]
        ),
    ),
    Fixture(
        "heartbleed",
        "tls.vulnerabilities",
        F,
        lambda: context([tls(vulnerabilities={"heartbleed": True})]),
    ),
    Fixture("valid", "tls.certificate_validity", P, lambda: context([tls()])),
    Fixture(
        "expired",
        "tls.certificate_validity",
        F,
        lambda: context([tls(certificate=cert(not_after="2026-10-01T00:00:00Z"))]),
    ),
    Fixture(
        "revoked",
        "tls.certificate_validity",
        F,
        lambda: context([tls(revocation={"status": "revoked", "source": "ocsp"})]),
    ),
    Fixture(
        "good revocation status",
        "tls.certificate_validity",
        P,
        lambda: context([tls(revocation={"status": "good", "source": "ocsp_stapled"})]),
    ),
    Fixture(
        "undeclared plain-http port is not judged",
        "http.https_redirect",
        P,
        lambda: context(
            [
                http("http://web.example.test:8080/", redirects=True),
                http("http://other.example.test:8080/", redirects=False),
            ]
        ),
    ),
    Fixture(
        "one endpoint passes, another errored",
        "tls.min_version",
        Outcome.ERROR,
        lambda: context([tls(), errored(EvidenceKind.TLS, "web", "127.0.10.11", 8443)]),
    ),
    Fixture(
        "one ssh server passes, another errored",
        "ssh.algorithms",
        Outcome.ERROR,
        lambda: context([ssh(), errored(EvidenceKind.SSH, "web", "127.0.10.10", 22)]),
    ),
    Fixture(
        "a failure outweighs an errored endpoint",
        "tls.min_version",
        F,
        lambda: context(
            [
                tls(protocols=("TLSv1.0", "TLSv1.2")),
                errored(EvidenceKind.TLS, "web", "127.0.10.11", 8443),
            ]
        ),
    ),
    Fixture("trusted", "tls.certificate_trusted", P, lambda: context([tls()])),
    Fixture(
        "self-signed",
        "tls.certificate_trusted",
        F,
        lambda: context(
            [
                tls(
                    certificate=cert(
                        self_signed=True, chain_trusted=False, issuer="CN=web.example.test"
                    )
                )
            ]
        ),
    ),
    Fixture("name matches", "tls.certificate_hostname", P, lambda: context([tls()])),
    Fixture(
        "other name",
        "tls.certificate_hostname",
        F,
        lambda: context([tls(certificate=cert(hostname_match=False, san=("other.example.test",)))]),
    ),
    Fixture("rsa 2048", "tls.certificate_key_size", P, lambda: context([tls()])),
    Fixture(
        "rsa 1024",
        "tls.certificate_key_size",
        F,
        lambda: context([tls(certificate=cert(key_size=1024))]),
    ),
    Fixture("sha256", "tls.certificate_signature_hash", P, lambda: context([tls()])),
    Fixture(
        "sha1",
        "tls.certificate_signature_hash",
        F,
        lambda: context([tls(certificate=cert(signature_hash="sha1"))]),
    ),
    # http
    Fixture(
        "two years",
        "http.hsts",
        P,
        lambda: context([http("https://web.example.test:8443/", hsts=GOOD_HSTS)]),
    ),
    Fixture(
        "absent",
        "http.hsts",
        F,
        lambda: context([http("https://web.example.test:8443/", hsts=HstsFacts(present=False))]),
    ),
    Fixture(
        "one day",
        "http.hsts",
        F,
        lambda: context(
            [http("https://web.example.test:8443/", hsts=HstsFacts(present=True, max_age=86400))]
        ),
    ),
    Fixture(
        "redirects",
        "http.https_redirect",
        P,
        lambda: context([http("http://web.example.test:8080/", redirects=True)]),
    ),
    Fixture(
        "plain 200",
        "http.https_redirect",
        F,
        lambda: context([http("http://web.example.test:8080/", redirects=False)]),
    ),
    # ssh
    Fixture("modern", "ssh.algorithms", P, lambda: context([ssh()])),
    Fixture(
        "an old run stored no findings: not re-judged with today's rules",
        "ssh.algorithms",
        Outcome.INSUFFICIENT_EVIDENCE,
        lambda: context([ssh(judged=False)]),
    ),
    Fixture(
        "group1 sha1",
        "ssh.algorithms",
        F,
        lambda: context(
            [
                ssh(
                    weaknesses=(
                        SshWeakness(
                            algorithm="diffie-hellman-group1-sha1",
                            category="kex",
                            reason="1024-bit group",
                            severity="high",
                        ),
                    )
                )
            ]
        ),
    ),
    Fixture("publickey", "ssh.auth_methods", P, lambda: context([ssh()])),
    Fixture(
        "password", "ssh.auth_methods", F, lambda: context([ssh(auth=("publickey", "password"))])
    ),
    # net (informational: never fails)
    Fixture(
        "over ipv6",
        "net.ipv6_reachable",
        P,
        lambda: context(
            [discovery("v6", "::1")],
            assets=[{"id": "v6", "address": "::1", "services": [{"port": 8443, "name": "https"}]}],
        ),
    ),
    Fixture("no ipv6 address", "net.ipv6_reachable", Outcome.MANUAL, lambda: context(good_ports())),
    # declared
    Fixture(
        "implemented",
        "declared.document",
        P,
        lambda: context(
            evidence=[
                {
                    "control": "QL.1.1",
                    "status": "implemented",
                    "document": "QĐ 12/QĐ-UBND",
                    "date": "2026-02-01",
                }
            ]
        ),
        {"max_age_months": 12},
    ),
    Fixture(
        "not implemented",
        "declared.document",
        F,
        lambda: context(evidence=[{"control": "QL.1.1", "status": "not_implemented"}]),
    ),
    Fixture(
        "recent",
        "assessment.freshness",
        P,
        lambda: context(
            **_layers(
                independent_inspection={"organization": "Công ty X", "last_date": "2026-03-10"}
            )
        ),
    ),
    Fixture(
        "overdue",
        "assessment.freshness",
        F,
        lambda: context(
            **_layers(
                independent_inspection={"organization": "Công ty X", "last_date": "2025-08-15"}
            )
        ),
    ),
    Fixture(
        "95%",
        "endpoints.protection_coverage",
        P,
        lambda: context(endpoints={"total": 100, "protected": 95}),
        {"min_ratio": 0.9},
    ),
    Fixture(
        "80%",
        "endpoints.protection_coverage",
        F,
        lambda: context(endpoints={"total": 100, "protected": 80}),
        {"min_ratio": 0.9},
    ),
    Fixture(
        "designated unit",
        "four_layer.on_site",
        P,
        lambda: context(
            **_layers(
                on_site={"unit": "Phòng ATTT", "staff": 3, "decision": "QĐ 9", "trained": True}
            )
        ),
    ),
    Fixture(
        "monitoring contract",
        "four_layer.monitoring",
        P,
        lambda: context(
            **_layers(
                monitoring={
                    "provider": "VNPT",
                    "contract": "HĐ 15",
                    "valid_until": "2027-06-30",
                    "log_retention_days": 90,
                }
            )
        ),
    ),
    Fixture(
        "contract ended",
        "four_layer.monitoring",
        F,
        lambda: context(
            **_layers(
                monitoring={
                    "provider": "VNPT",
                    "contract": "HĐ 15",
                    "valid_until": "2026-06-30",
                    "log_retention_days": 90,
                }
            )
        ),
    ),
    Fixture(
        "independent",
        "four_layer.independent_inspection",
        P,
        lambda: context(
            **_layers(
                monitoring={"provider": "VNPT", "contract": "HĐ 15", "log_retention_days": 90},
                independent_inspection={
                    "organization": "Công ty X",
                    "last_date": "2026-03-10",
                    "report": "BC 22",
                },
            )
        ),
    ),
    Fixture(
        "two years old",
        "four_layer.independent_inspection",
        F,
        lambda: context(
            **_layers(
                independent_inspection={
                    "organization": "Công ty X",
                    "last_date": TWO_YEARS_AGO,
                    "report": "BC 22",
                }
            )
        ),
    ),
    Fixture(
        "connected",
        "four_layer.national_connection",
        P,
        lambda: context(
            **_layers(
                national_connection={
                    "connected": True,
                    "since": "2023-06-01",
                    "reference": "CV 310",
                }
            )
        ),
    ),
    Fixture(
        "not connected",
        "four_layer.national_connection",
        F,
        lambda: context(**_layers(national_connection={"connected": False})),
    ),
    Fixture(
        "level 3 zones",
        "design.zones",
        P,
        lambda: context(
            assets=[
                {"id": f"a{i}", "zone": z}
                for i, z in enumerate(
                    ["internal", "edge", "dmz", "internal_server", "database", "management"]
                )
            ]
        ),
    ),
    Fixture("approved", "inventory.level_approved", P, lambda: context()),
    Fixture(
        "drafting",
        "inventory.level_approved",
        F,
        lambda: context(level_approval={"status": "drafting"}),
    ),
    Fixture(
        "fully deployed",
        "inventory.security_plan_deployed",
        P,
        lambda: context(security_plan={"status": "fully_deployed"}),
    ),
    Fixture(
        "not deployed",
        "inventory.security_plan_deployed",
        F,
        lambda: context(security_plan={"status": "not_deployed"}),
    ),
]

NEVER_FAIL = {
    "net.ipv6_reachable": Outcome.MANUAL,
    "design.zones": Outcome.INSUFFICIENT_EVIDENCE,
    "four_layer.on_site": Outcome.PARTIAL,
}
"""Checks whose worst outcome is not ``fail`` (informational, or a gap that only a person can
confirm), with the outcome their second fixture must give."""

FIXTURES += [
    Fixture(
        "dmz only",
        "design.zones",
        Outcome.INSUFFICIENT_EVIDENCE,
        lambda: context(assets=[{"id": "a", "zone": "dmz"}]),
    ),
    Fixture(
        "untrained",
        "four_layer.on_site",
        Outcome.PARTIAL,
        lambda: context(
            **_layers(
                on_site={"unit": "Phòng ATTT", "staff": 1, "decision": "QĐ 9", "trained": False}
            )
        ),
    ),
]
