"""STARTTLS and revocation on the real lab: full handshakes after the upgrade, a revoked
certificate (OCSP and CRL on loopback), nginx OCSP stapling, and the CLI end to end."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from cryptography import x509

from socaudit.cli.main import cli
from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.tls import TlsEndpointResult
from socaudit.lab import api
from socaudit.lab.targets import parse_network
from socaudit.tls.engine import TlsOptions, TlsTarget, assess
from socaudit.tls.gate import ConnectionGate
from socaudit.tls.probes import crl, httpget, revocation
from socaudit.tls.probes.base import EndpointFacts, ProbeContext

pytestmark = pytest.mark.integration
NETWORK = "127.0.32.0/24"
STARTTLS = {"smtp-starttls": "smtp", "imap-starttls": "imap", "pop3-starttls": "pop3",
            "ftp-starttls": "ftp", "smtp-plain": "smtp"}  # fmt: skip


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[api.LabInfo]:
    """A lab of this module's own on 127.0.32.0/24, started and stopped here (its STARTTLS and
    revocation services always run the code under test, whatever a shared lab runs)."""
    directory = tmp_path_factory.mktemp("lab-starttls")
    try:
        yield api.start(directory, parse_network(NETWORK), timeout=20.0)
    finally:
        api.stop(directory)


def _target(lab: Any, name: str, starttls: str | None = None) -> TlsTarget:
    endpoint = lab.endpoint(name)
    host = f"{name}.lab.socaudit.test"
    return TlsTarget(host, ip_address(endpoint.address), endpoint.port, starttls=starttls)


@pytest.fixture(scope="module")
def results(lab: Any) -> dict[str, TlsEndpointResult]:
    targets = [_target(lab, name, protocol) for name, protocol in STARTTLS.items()]
    targets += [_target(lab, n) for n in ("tls-revoked", "tls-ocsp-stapled", "tls-good")]
    options = TlsOptions(timeout=5.0, ca_files=(lab.ca_bundle,), http=False)
    return {r.target.split(".", 1)[0]: r for r in assess(targets, options)}


@pytest.mark.parametrize("name", ["smtp-starttls", "imap-starttls", "pop3-starttls",
                                  "ftp-starttls"])  # fmt: skip
def test_full_analysis_after_starttls(results: dict[str, TlsEndpointResult], name: str) -> None:
    result = results[name]
    assert result.status is AttemptStatus.COMPLETED, result.error
    assert result.starttls == STARTTLS[name]
    assert result.protocols == ("TLSv1.2", "TLSv1.3")
    assert "TLS_AES_256_GCM_SHA384" in result.cipher_suites["TLSv1.3"]
    # vsftpd's Debian default is a single TLS 1.2 suite; the others take OpenSSL's list
    must = "AES_256_GCM_SHA384" if name == "ftp-starttls" else "AES_128_GCM_SHA256"
    assert f"TLS_ECDHE_RSA_WITH_{must}" in result.cipher_suites["TLSv1.2"]
    cert = result.certificate
    assert cert is not None and cert.hostname_match and cert.chain_trusted and cert.chain_complete
    assert cert.subject.startswith(f"CN={name}.lab.socaudit.test")
    assert result.grade is not None and result.grade.letter in {"A", "A-", "A+"}
    assert result.hsts is None


def test_smtp_without_starttls_is_an_error_with_its_reason(
    results: dict[str, TlsEndpointResult],
) -> None:
    result = results["smtp-plain"]
    assert result.status is AttemptStatus.ERROR and result.error is not None
    assert "does not offer STARTTLS" in result.error.detail
    assert result.findings == ()


def test_revoked_certificate_is_found_through_ocsp(results: dict[str, TlsEndpointResult]) -> None:
    result = results["tls-revoked"]
    assert result.revocation.status == "revoked" and result.revocation.source == "ocsp"
    assert result.revocation.ocsp_stapled is False
    assert {f.id: f.severity for f in result.findings}["tls.cert.revoked"] == "critical"
    assert result.grade is not None and result.grade.letter == "T"


def test_stapled_good_response_and_certificates_without_revocation_info(
    results: dict[str, TlsEndpointResult],
) -> None:
    stapled = results["tls-ocsp-stapled"].revocation
    assert (stapled.ocsp_stapled, stapled.status, stapled.source) == (True, "good", "ocsp_stapled")
    good = results["tls-good"].revocation
    assert good.ocsp_stapled is False and good.status is None
    assert "no OCSP responder" in (good.detail or "")


def test_lab_crl_lists_the_revoked_leaf_and_not_the_good_one(lab: Any) -> None:
    """The CRL named in the certificate, fetched over HTTP on loopback and checked."""
    now = dt.datetime.now(dt.UTC)
    verdicts = {}
    for name in ("tls-revoked", "tls-ocsp-stapled"):
        pem = (lab.directory / "certs" / f"{name}.pem").read_bytes()
        leaf, issuer = x509.load_pem_x509_certificates(pem)
        (url,) = crl.distribution_points(leaf)
        address, _ = revocation.allowed_address(url, {})
        assert address is not None and str(address) == lab.endpoint("ocsp-responder").address
        verdicts[name] = crl.judge(httpget.fetch(url, address, 5.0), leaf, issuer, now).status
    assert verdicts == {"tls-revoked": "revoked", "tls-ocsp-stapled": "good"}


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli, ["tls", *args], catch_exceptions=False)


def test_cli_starttls_and_revocation_json(lab: Any) -> None:
    smtp = lab.endpoint("smtp-starttls")
    revoked = lab.endpoint("tls-revoked")
    done = _cli(
        f"smtp-starttls.lab.socaudit.test:{smtp.port}{{{smtp.address}}}", "--starttls", "auto",
        "--ca", str(lab.ca_bundle), "--format", "json",
    )  # fmt: skip
    (endpoint,) = json.loads(done.stdout)["endpoints"]
    assert endpoint["starttls"] == "smtp" and endpoint["status"] == "completed"
    done = _cli(
        f"tls-revoked.lab.socaudit.test:{revoked.port}{{{revoked.address}}}",
        "--ca", str(lab.ca_bundle), "--format", "json", "--no-http",
    )  # fmt: skip
    assert done.exit_code == 1
    (endpoint,) = json.loads(done.stdout)["endpoints"]
    assert endpoint["revocation"]["status"] == "revoked"
    assert set(endpoint["revocation"]) == {"ocsp_stapled", "status", "source", "detail"}


def _inventory(path: Path, scope: str, address: str) -> Path:
    today = dt.datetime.now(dt.UTC).date()
    data = {
        "schema_version": 1,
        "organization": {"name": "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"},
        "authorization": {
            "reference": "Quyết định số 77/QĐ-UBND (kiểm thử)",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": today - dt.timedelta(days=1), "to": today + dt.timedelta(days=1)},
            "scope": [scope],
        },
        "systems": [{
            "id": "web", "name": "Cổng thông tin", "level": 2,
            "level_approval": {"status": "approved"},
            "assets": [{"id": "web-1", "address": address,
                        "services": [{"port": 8443, "name": "https", "exposure": "public"}]}],
        }],
    }  # fmt: skip
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("wide", "status"), [(True, "revoked"), (False, None)])
def test_with_an_inventory_the_responder_must_be_inside_its_scope(
    lab: Any, tmp_path: Path, wide: bool, status: str | None
) -> None:
    revoked = lab.endpoint("tls-revoked")
    scope = NETWORK if wide else f"{revoked.address}/32"
    inventory = _inventory(tmp_path / "inv.yaml", scope, revoked.address)
    done = _cli(
        f"tls-revoked.lab.socaudit.test:{revoked.port}{{{revoked.address}}}", "-i", str(inventory),
        "--ca", str(lab.ca_bundle), "--format", "json", "--no-http",
    )  # fmt: skip
    (endpoint,) = json.loads(done.stdout)["endpoints"]
    assert endpoint["revocation"]["status"] == status
    if not wide:
        assert "outside the authorised scope" in endpoint["revocation"]["detail"]


def test_tls13_stapling_is_seen_through_openssl(lab: Any) -> None:
    """Where only TLS 1.3 is spoken the staple is encrypted; ``openssl s_client -status`` says
    whether nginx sends one."""
    seen = {}
    for name in ("tls-ocsp-stapled", "tls-revoked"):
        endpoint = lab.endpoint(name)
        address = ip_address(endpoint.address)
        facts = EndpointFacts(name, address, endpoint.port, f"{name}.lab.socaudit.test")
        ctx = ProbeContext(facts, 5.0, 1, ConnectionGate(5, 10).for_host(address))
        seen[name] = revocation.stapled_tls13(ctx)[0]
        assert ctx.connections == 1
    assert seen == {"tls-ocsp-stapled": True, "tls-revoked": False}
