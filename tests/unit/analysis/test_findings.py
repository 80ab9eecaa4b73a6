"""Findings: stable ids and severities for TLS, HTTP and SSH evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.results import AS_OF, GOOD_12, GOOD_13, cert, result, vulnerable_results
from analysis.revocation_results import revocation_results
from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.http import HttpResult
from socaudit.evidence.ssh import SshResult, SshWeakness
from socaudit.evidence.tls import EndpointError, HstsFacts, TlsEndpointResult
from socaudit.probes.ssh_findings import findings_for_ssh
from socaudit.tls.findings import findings_for, findings_for_http


def ids(r: TlsEndpointResult, as_of: dt.datetime = AS_OF) -> set[str]:
    return {f.id for f in findings_for(r, as_of=as_of)}


def test_good_endpoint_has_no_findings() -> None:
    assert findings_for(result(), as_of=AS_OF) == ()


def test_errored_result_has_no_findings() -> None:
    error = EndpointError(reason=ErrorReason.TIMEOUT, detail="stalled")
    r = result().model_copy(update={"status": AttemptStatus.ERROR, "error": error})
    assert findings_for(r, as_of=AS_OF) == ()


@pytest.mark.parametrize(
    ("protocols", "suites", "expected"),
    [
        (("SSLv3", "TLSv1.2"), ("TLS_RSA_WITH_AES_128_CBC_SHA",), {"tls.protocol.sslv3"}),
        (("TLSv1.0", "TLSv1.2"), ("TLS_RSA_WITH_AES_128_CBC_SHA",), {"tls.protocol.tls10"}),
        (("TLSv1.1", "TLSv1.2"), ("TLS_RSA_WITH_AES_128_CBC_SHA",), {"tls.protocol.tls11"}),
        (("TLSv1.2",), ("TLS_RSA_WITH_NULL_SHA256",), {"tls.cipher.null"}),
        (("TLSv1.2",), ("TLS_DH_anon_WITH_AES_128_CBC_SHA",), {"tls.cipher.anon"}),
        (
            ("TLSv1.2",),
            ("TLS_RSA_EXPORT_WITH_RC4_40_MD5",),
            {"tls.cipher.export", "tls.cipher.rc4"},
        ),
        (("TLSv1.2",), ("TLS_RSA_WITH_RC4_128_SHA",), {"tls.cipher.rc4"}),
        (("TLSv1.2",), ("TLS_RSA_WITH_3DES_EDE_CBC_SHA",), {"tls.cipher.3des"}),
        (("TLSv1.2",), ("TLS_RSA_WITH_DES_CBC_SHA",), {"tls.cipher.des"}),
    ],
)
def test_protocol_and_cipher_findings(
    protocols: tuple[str, ...], suites: tuple[str, ...], expected: set[str]
) -> None:
    by_version: dict[str, tuple[str, ...]] = {v: GOOD_12 for v in protocols if v == "TLSv1.2"}
    by_version[protocols[0]] = by_version.get(protocols[0], ()) + suites
    found = ids(result(protocols=protocols, suites=by_version))
    assert expected <= found


def test_static_rsa_only_means_no_forward_secrecy_and_no_aead() -> None:
    r = result(protocols=("TLSv1.2",), suites={"TLSv1.2": ("TLS_RSA_WITH_AES_128_CBC_SHA",)})
    found = ids(r)
    assert {"tls.no_forward_secrecy", "tls.no_aead", "tls.no_tls13"} <= found
    assert "tls.cipher.static_kx" not in found


def test_mixed_static_suites_are_low() -> None:
    r = result(
        suites={"TLSv1.2": (*GOOD_12, "TLS_RSA_WITH_AES_128_GCM_SHA256"), "TLSv1.3": GOOD_13}
    )
    found = {f.id: f.severity for f in findings_for(r, as_of=AS_OF)}
    assert found["tls.cipher.static_kx"] == "low"
    assert "tls.no_forward_secrecy" not in found


def test_no_tls12() -> None:
    r = result(protocols=("TLSv1.0",), suites={"TLSv1.0": ("TLS_RSA_WITH_AES_128_CBC_SHA",)})
    assert "tls.no_tls12" in ids(r)


@pytest.mark.parametrize(("bits", "severity"), [(1024, "medium"), (512, "high")])
def test_weak_dh(bits: int, severity: str) -> None:
    found = {f.id: f.severity for f in findings_for(result(dhe_min_bits=bits), as_of=AS_OF)}
    assert found["tls.dh.weak"] == severity


@pytest.mark.parametrize(
    ("changes", "fid", "severity"),
    [
        ({"not_after": "2026-05-30T00:00:00Z"}, "tls.cert.expired", "critical"),
        ({"not_before": "2026-06-02T00:00:00Z"}, "tls.cert.not_yet_valid", "high"),
        ({"not_after": "2026-06-20T00:00:00Z"}, "tls.cert.expiring_soon", "medium"),
        ({"self_signed": True, "chain_trusted": False}, "tls.cert.self_signed", "high"),
        ({"self_signed": True}, "tls.cert.self_signed", "info"),
        ({"chain_trusted": False}, "tls.cert.untrusted", "high"),
        ({"chain_complete": False}, "tls.cert.incomplete_chain", "medium"),
        ({"hostname_match": False}, "tls.cert.hostname_mismatch", "high"),
        ({"key_size": 1024}, "tls.cert.weak_key", "high"),
        ({"key_size": 768}, "tls.cert.weak_key", "critical"),
        ({"key_type": "EC", "key_size": 224}, "tls.cert.weak_key", "medium"),
        ({"signature_hash": "sha1"}, "tls.cert.weak_signature", "high"),
        ({"signature_hash": "md5"}, "tls.cert.weak_signature", "critical"),
        ({"lifespan_days": 825}, "tls.cert.long_lifespan", "low"),
    ],
)
def test_certificate_findings(changes: dict[str, object], fid: str, severity: str) -> None:
    found = {
        f.id: f.severity for f in findings_for(result(certificate=cert(**changes)), as_of=AS_OF)
    }
    assert found[fid] == severity


@pytest.mark.parametrize(
    ("anchor", "not_before", "lifespan", "expected"),
    [
        ("system", "2026-04-01T00:00:00Z", 250, True),  # > 200 days after 2026-03-15
        ("system", "2026-01-01T00:00:00Z", 250, False),  # 398 days before 2026-03-15
        ("system", "2027-06-01T00:00:00Z", 150, True),  # > 100 days after 2027-03-15
        ("extra", "2026-04-01T00:00:00Z", 250, False),  # private CA: Mozilla's 366 days
        ("extra", "2026-04-01T00:00:00Z", 400, True),
        (None, "2026-04-01T00:00:00Z", 400, True),
    ],
)
def test_lifespan_limit_depends_on_public_or_private_ca(
    anchor: str | None, not_before: str, lifespan: int, expected: bool
) -> None:
    facts = cert(trust_anchor=anchor, not_before=not_before, lifespan_days=lifespan)
    found = ids(result(certificate=facts), as_of=dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
    assert ("tls.cert.long_lifespan" in found) is expected


def test_self_signed_is_not_also_reported_untrusted() -> None:
    r = result(certificate=cert(self_signed=True, chain_trusted=False))
    assert "tls.cert.untrusted" not in ids(r)


def test_findings_use_as_of_for_expiry() -> None:
    assert "tls.cert.expired" in ids(result(), AS_OF + dt.timedelta(days=200))


def test_mozilla_non_compliance_is_an_info_finding() -> None:
    r = result(certificate=cert(chain_trusted=False))
    found = {f.id: f for f in findings_for(r, as_of=AS_OF)}
    assert found["tls.mozilla.intermediate-5.7"].severity == "info"
    assert "certificate_path_validation" in found["tls.mozilla.intermediate-5.7"].message


@pytest.mark.parametrize(
    ("hsts", "fid"),
    [
        (HstsFacts(present=False), "http.hsts.missing"),
        (HstsFacts(present=True), "http.hsts.malformed"),
        (HstsFacts(present=True, max_age=0), "http.hsts.disabled"),
        (HstsFacts(present=True, max_age=3600), "http.hsts.short"),
    ],
)
def test_hsts_findings(hsts: HstsFacts, fid: str) -> None:
    assert fid in ids(result(hsts=hsts))


def test_http_plain_page_findings() -> None:
    r = HttpResult(
        url="http://127.0.10.30:8080/",
        status_code=200,
        redirects_to_https=False,
        server_banner="nginx/1.22.1",
    )
    found = {f.id for f in findings_for_http(r)}
    assert found == {
        "http.no_https_redirect",
        "http.csp.missing",
        "http.xfo.missing",
        "http.xcto.missing",
        "http.referrer_policy.missing",
        "http.server.version_disclosed",
    }


def test_http_good_headers_and_redirect() -> None:
    good = HttpResult(
        url="https://tls-good.lab.socaudit.test:8443/",
        status_code=200,
        hsts=HstsFacts(present=True, max_age=63072000, include_subdomains=True),
        headers={
            "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
        },
        server_banner="nginx",
    )
    assert findings_for_http(good) == ()
    redirect = HttpResult(url="http://x:8080/", status_code=301, redirects_to_https=True)
    assert findings_for_http(redirect) == ()


def test_ssh_findings_group_by_category_with_worst_severity() -> None:
    r = SshResult(
        banner="SSH-2.0-OpenSSH_9.2p1",
        protocol_version="2.0",
        weaknesses=(
            SshWeakness(algorithm="hmac-sha1", category="mac", reason="SHA-1", severity="medium"),
            SshWeakness(algorithm="hmac-md5", category="mac", reason="MD5", severity="high"),
            SshWeakness(
                algorithm="ssh-rsa", category="host_key", reason="SHA-1", severity="medium"
            ),
        ),
    )
    found = {f.id: f for f in findings_for_ssh(r)}
    assert set(found) == {"ssh.mac.weak", "ssh.host_key.weak"}
    assert found["ssh.mac.weak"].severity == "high"
    assert "hmac-md5" in found["ssh.mac.weak"].message


def _worst_results() -> list[TlsEndpointResult]:
    bad_cert = cert(
        not_after="2026-06-10T00:00:00Z",
        chain_trusted=False,
        chain_complete=False,
        hostname_match=False,
        key_size=768,
        signature_hash="md5",
        lifespan_days=900,
        non_positive_serials=("CN=Old Intermediate",),
    )
    legacy = {
        "SSLv2": ("SSL_CK_RC4_128_WITH_MD5",),
        "SSLv3": ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_DES_CBC_SHA"),
        "TLSv1.0": ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "TLS_DH_anon_WITH_AES_128_CBC_SHA"),
        "TLSv1.1": ("TLS_RSA_WITH_NULL_SHA",),
    }
    return [
        result(
            protocols=("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1"),
            suites=legacy,
            certificate=bad_cert,
            hsts=HstsFacts(present=False),
            dhe_min_bits=512,
            groups=("sect163k1",),
        ),
        result(
            suites={"TLSv1.2": (*GOOD_12, "TLS_RSA_WITH_AES_128_GCM_SHA256"), "TLSv1.3": GOOD_13},
            certificate=cert(self_signed=True, not_before="2026-06-02T00:00:00Z"),
        ),
        result(
            certificate=cert(not_before="2026-01-01T00:00:00Z", not_after="2026-05-01T00:00:00Z")
        ),
        result(hsts=HstsFacts(present=True)),
        result(hsts=HstsFacts(present=True, max_age=0)),
        result(hsts=HstsFacts(present=True, max_age=60)),
        *revocation_results(),
        *vulnerable_results(),
    ]


def test_every_emitted_id_is_catalogued_and_documented() -> None:
    from pathlib import Path

    from socaudit.evidence.ssh import SshResult as Ssh
    from socaudit.probes.ssh_policy import assess
    from socaudit.tls.catalogue import FINDING_TITLES

    emitted = {f.id for r in _worst_results() for f in findings_for(r, as_of=AS_OF)}
    emitted |= {
        f.id
        for f in findings_for_http(
            HttpResult(
                url="http://x/",
                status_code=200,
                redirects_to_https=False,
                server_banner="Apache/2.4.1",
            )
        )
    }
    ssh = Ssh(
        banner="SSH-1.99-OpenSSH_5.3",
        protocol_version="1.99",
        software="OpenSSH_5.3",
        kex=("diffie-hellman-group1-sha1",),
        host_key=("ssh-dss",),
        ciphers=("arcfour",),
        macs=("hmac-md5",),
        auth_methods=("password",),
    )
    ssh = ssh.model_copy(update={"weaknesses": assess(ssh)})
    emitted |= {f.id for f in findings_for_ssh(ssh)}
    emitted |= {f.id for f in findings_for_ssh(_worst_ssh_depth())}
    assert emitted == set(FINDING_TITLES)  # every id can be produced, and only those
    doc = (Path(__file__).parents[3] / "docs" / "tls-analysis.md").read_text(encoding="utf-8")
    assert [fid for fid in FINDING_TITLES if f"`{fid}`" not in doc] == []


def _worst_ssh_depth() -> SshResult:
    """Host keys, certificate, group exchange and Terrapin facts that trigger every rule."""
    from socaudit.evidence.ssh import SshCertificate, SshGexSizes, SshHostKey

    cert = SshCertificate(
        cert_type="user",
        key_id="x",
        valid_before="2020-01-01T00:00:00Z",
        ca_key_type="ssh-rsa",
        ca_bits=1024,
        ca_fingerprint="SHA256:x",
    )
    keys = (
        SshHostKey(algorithms=("ssh-rsa",), key_type="ssh-rsa", bits=1024, fingerprint="SHA256:y"),
        SshHostKey(
            algorithms=("ssh-ed25519-cert-v01@openssh.com",),
            key_type="ssh-ed25519",
            bits=256,
            fingerprint="SHA256:z",
            certificate=cert,
        ),
    )
    return SshResult(
        banner="SSH-2.0-OpenSSH_9.2",
        protocol_version="2.0",
        kex=("curve25519-sha256",),
        ciphers=("chacha20-poly1305@openssh.com",),
        host_keys=keys,
        gex=(SshGexSizes(algorithm="diffie-hellman-group-exchange-sha1", min_bits=1024),),
        terrapin=True,
    )
