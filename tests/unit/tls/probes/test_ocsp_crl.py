"""OCSP responses and CRLs generated here with cryptography, judged by socaudit."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp as x509_ocsp

from socaudit.tls.probes import crl, ocsp
from tls.probes.revpki import (
    DAY,
    NOW,
    delegated_responder,
    make_pki,
    ocsp_response,
)
from tls.probes.revpki import (
    crl as make_crl,
)

GOOD, REVOKED, UNKNOWN = (
    x509_ocsp.OCSPCertStatus.GOOD,
    x509_ocsp.OCSPCertStatus.REVOKED,
    x509_ocsp.OCSPCertStatus.UNKNOWN,
)


def test_urls_come_from_aia_and_cdp() -> None:
    pki = make_pki("http://127.0.21.9:81")
    assert ocsp.responder_urls(pki.leaf) == ("http://127.0.21.9:81/ocsp",)
    assert crl.distribution_points(pki.leaf) == ("http://127.0.21.9:81/ca.crl",)
    assert ocsp.responder_urls(pki.ca) == () and crl.distribution_points(pki.ca) == ()


@pytest.mark.parametrize(
    ("status", "word"), [(GOOD, "good"), (REVOKED, "revoked"), (UNKNOWN, "unknown")]
)
def test_ocsp_status_signed_by_the_issuer(status: x509_ocsp.OCSPCertStatus, word: str) -> None:
    pki = make_pki()
    assert ocsp.judge(ocsp_response(pki, status), pki.leaf, pki.ca, NOW).status == word


def test_ocsp_request_is_about_the_leaf() -> None:
    pki = make_pki()
    request = x509_ocsp.load_der_ocsp_request(ocsp.request_der(pki.leaf, pki.ca))
    assert request.serial_number == pki.leaf.serial_number


def test_delegated_responder_needs_the_ocsp_signing_eku() -> None:
    pki = make_pki()
    good = ocsp_response(pki, REVOKED, signer=delegated_responder(pki))
    assert ocsp.judge(good, pki.leaf, pki.ca, NOW).status == "revoked"
    no_eku = ocsp_response(pki, REVOKED, signer=delegated_responder(pki, eku=False))
    verdict = ocsp.judge(no_eku, pki.leaf, pki.ca, NOW)
    assert verdict.status == "unknown" and "signature" in verdict.detail


def test_forged_stale_future_or_foreign_answers_are_unknown_never_good() -> None:
    pki, other = make_pki(), make_pki()
    forged = ocsp_response(pki, GOOD, signer=(other.ca, other.ca_key))
    stale = ocsp_response(pki, GOOD, this_update=NOW - 3 * DAY, next_update=NOW - 2 * DAY)
    future = ocsp_response(pki, GOOD, this_update=NOW + DAY, next_update=NOW + 2 * DAY)
    foreign = ocsp_response(other, GOOD)
    details = []
    for der in (forged, stale, future, foreign, b"\x30\x03garbage", b""):
        verdict = ocsp.judge(der, pki.leaf, pki.ca, NOW)
        assert verdict.status == "unknown"
        details.append(verdict.detail)
    assert "signature" in details[0] and "stale" in details[1] and "future" in details[2]
    assert "not about this certificate" in details[3] and "parse" in details[4]


def test_unsuccessful_ocsp_status_is_unknown() -> None:
    pki = make_pki()
    der = x509_ocsp.OCSPResponseBuilder.build_unsuccessful(
        x509_ocsp.OCSPResponseStatus.TRY_LATER
    ).public_bytes(Encoding.DER)
    verdict = ocsp.judge(der, pki.leaf, pki.ca, NOW)
    assert verdict.status == "unknown" and "TRY_LATER" in verdict.detail


@pytest.mark.parametrize("pem", [False, True])
def test_crl_lists_the_serial_or_not(pem: bool) -> None:
    pki = make_pki()
    listed = make_crl(pki, (pki.leaf.serial_number, 12345), pem=pem)
    assert crl.judge(listed, pki.leaf, pki.ca, NOW).status == "revoked"
    assert crl.judge(make_crl(pki, (12345,), pem=pem), pki.leaf, pki.ca, NOW).status == "good"


def test_crl_forged_or_stale_is_unknown() -> None:
    pki = make_pki()
    forged = make_crl(pki, (), key=ec.generate_private_key(ec.SECP256R1()))
    stale = make_crl(pki, (), last_update=NOW - 3 * DAY, next_update=NOW - 2 * DAY)
    for data in (forged, stale, b"not a crl"):
        assert crl.judge(data, pki.leaf, pki.ca, NOW).status == "unknown"
