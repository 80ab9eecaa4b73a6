"""SSL Labs-style grading (guide 2009r): one test per cap, trust kept apart, refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.results import AS_OF, GOOD_12, GOOD_13, cert, result
from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.tls import EndpointError, HstsFacts, TlsEndpointResult
from socaudit.tls.grading import RULESET, grade


def caps_of(r: TlsEndpointResult) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in grade(r, as_of=AS_OF).caps:
        out.setdefault(c.cap, []).append(c.reason)
    return out


def test_good_endpoint_gets_a_plus_with_no_caps() -> None:
    g = grade(result(), as_of=AS_OF)
    assert (g.letter, g.letter_if_trust_ignored, g.caps) == ("A+", "A+", ())
    assert g.ruleset == RULESET
    assert g.mozilla["intermediate-5.7"] is True
    assert g.mozilla["intermediate-6.0"] is True
    assert g.mozilla["modern-6.0"] is False


V12 = ("TLSv1.2",)


@pytest.mark.parametrize(
    ("protocols", "suites", "letter", "evidence"),
    [
        (("SSLv2", "TLSv1.2"), {"SSLv2": ("SSL_CK_RC4_128_WITH_MD5",)}, "F", "SSL 2.0"),
        (("SSLv3",), {"SSLv3": ("TLS_RSA_WITH_AES_128_CBC_SHA",)}, "F", "best protocol"),
        (("SSLv3", "TLSv1.2"), {"SSLv3": ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",)}, "C", "POODLE"),
        (
            ("TLSv1.0", "TLSv1.2"),
            {"TLSv1.0": ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",)},
            "B",
            "TLSv1.0",
        ),
        (("TLSv1.0",), {"TLSv1.0": ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",)}, "C", "no TLS 1.2"),
        (V12, {"TLSv1.2": ("TLS_RSA_WITH_RC4_128_SHA",)}, "F", "only RC4"),
        (V12, {"TLSv1.2": ("TLS_RSA_EXPORT_WITH_RC4_40_MD5",)}, "F", "export"),
        (V12, {"TLSv1.2": ("TLS_ECDHE_RSA_WITH_NULL_SHA",)}, "F", "under 112 bits"),
        (V12, {"TLSv1.2": ("TLS_DH_anon_WITH_AES_128_GCM_SHA256",)}, "F", "anonymous"),
        (V12, {"TLSv1.2": ("TLS_RSA_WITH_DES_CBC_SHA",)}, "F", "under 112 bits"),
        (V12, {"TLSv1.2": ("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",)}, "C", "SWEET32"),
        (V12, {"TLSv1.2": ("TLS_RSA_WITH_AES_128_GCM_SHA256",)}, "B", "forward secrecy"),
        (V12, {"TLSv1.2": ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",)}, "B", "AEAD"),
    ],
)
def test_protocol_and_cipher_caps(
    protocols: tuple[str, ...], suites: dict[str, tuple[str, ...]], letter: str, evidence: str
) -> None:
    merged = {"TLSv1.2": GOOD_12} if "TLSv1.2" in protocols and "TLSv1.2" not in suites else {}
    r = result(protocols=protocols, suites=suites | merged)
    g = grade(r, as_of=AS_OF)
    assert g.letter == letter
    assert any(evidence in c.reason for c in g.caps if c.cap == letter)


def test_rc4_with_tls12_caps_at_c_and_rc4_at_all_at_b() -> None:
    r = result(suites={"TLSv1.2": (*GOOD_12, "TLS_RSA_WITH_RC4_128_SHA"), "TLSv1.3": ()})
    caps = caps_of(r)
    assert any("RC4 with TLS 1.1+" in reason for reason in caps["C"])
    assert any("RC4 accepted" in reason for reason in caps["B"])
    assert grade(r, as_of=AS_OF).letter == "C"


def test_the_whole_cap_list_is_kept_and_lowest_wins() -> None:
    r = result(
        protocols=("TLSv1.0", "TLSv1.2"),
        suites={"TLSv1.0": ("TLS_RSA_WITH_3DES_EDE_CBC_SHA",), "TLSv1.2": GOOD_12},
        dhe_min_bits=1024,
    )
    caps = caps_of(r)
    assert {"B", "A-"} <= set(caps)
    assert any("1024" in reason for reason in caps["B"])
    assert grade(r, as_of=AS_OF).letter == "B"


@pytest.mark.parametrize(("bits", "letter"), [(512, "F"), (1024, "B"), (2048, "A+")])
def test_dh_parameter_caps(bits: int, letter: str) -> None:
    dhe = (*GOOD_12, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
    r = result(suites={"TLSv1.2": dhe, "TLSv1.3": GOOD_13}, dhe_min_bits=bits)
    assert grade(r, as_of=AS_OF).letter == letter


@pytest.mark.parametrize(
    ("key_type", "size", "letter"), [("RSA", 768, "F"), ("RSA", 1024, "B"), ("EC", 256, "A+")]
)
def test_certificate_key_caps(key_type: str, size: int, letter: str) -> None:
    r = result(certificate=cert(key_type=key_type, key_size=size))
    assert grade(r, as_of=AS_OF).letter == letter


@pytest.mark.parametrize(
    ("changes", "evidence"),
    [
        ({"not_after": "2026-05-20T00:00:00Z", "expired": True}, "expired"),
        ({"not_before": "2026-06-10T00:00:00Z", "not_yet_valid": True}, "not valid before"),
        ({"self_signed": True, "chain_trusted": False}, "self-signed"),
        ({"chain_trusted": False, "trust_error": "issuer not found"}, "issuer not found"),
        ({"signature_hash": "sha1"}, "SHA-1"),
    ],
)
def test_trust_problems_give_t_and_keep_the_other_letter(
    changes: dict[str, object], evidence: str
) -> None:
    g = grade(result(certificate=cert(**changes)), as_of=AS_OF)
    assert (g.letter, g.letter_if_trust_ignored) == ("T", "A+")
    assert any(evidence in c.reason for c in g.caps if c.cap == "T")


def test_expiry_is_judged_at_as_of_not_at_scan_time() -> None:
    r = result()
    assert grade(r, as_of=AS_OF).letter == "A+"
    assert grade(r, as_of=AS_OF + dt.timedelta(days=90)).letter == "T"


def test_mismatch_gives_m() -> None:
    g = grade(result(certificate=cert(hostname_match=False)), as_of=AS_OF)
    assert (g.letter, g.letter_if_trust_ignored) == ("M", "A+")


def test_md5_signature_is_f() -> None:
    assert grade(result(certificate=cert(signature_hash="md5")), as_of=AS_OF).letter == "F"


def test_incomplete_chain_caps_at_b() -> None:
    g = grade(result(certificate=cert(chain_complete=False)), as_of=AS_OF)
    assert g.letter == "B"


def test_no_tls13_is_a_minus() -> None:
    assert grade(result(protocols=("TLSv1.2",)), as_of=AS_OF).letter == "A-"


@pytest.mark.parametrize(
    ("hsts", "letter"),
    [
        (HstsFacts(present=False), "A-"),
        (HstsFacts(present=True, max_age=None), "A-"),
        (HstsFacts(present=True, max_age=0), "A-"),
        (HstsFacts(present=True, max_age=86400), "A-"),
        (HstsFacts(present=True, max_age=15552000), "A+"),
    ],
)
def test_hsts_decides_a_plus(hsts: HstsFacts, letter: str) -> None:
    assert grade(result(hsts=hsts), as_of=AS_OF).letter == letter


def test_hsts_not_observed_caps_at_a() -> None:
    r = result().model_copy(update={"hsts": None})
    assert grade(r, as_of=AS_OF).letter == "A"


@pytest.mark.parametrize(
    "update",
    [
        {
            "status": AttemptStatus.ERROR,
            "error": EndpointError(reason=ErrorReason.TIMEOUT, detail="x"),
        },
        {"protocols": ()},
        {"certificate": None},
        {"cipher_suites": {}},
        {"certificate": cert(key_type="unknown", key_size=0)},
    ],
)
def test_incomplete_evidence_is_refused(update: dict[str, object]) -> None:
    g = grade(result().model_copy(update=update), as_of=AS_OF)
    assert g.letter is None and g.letter_if_trust_ignored is None
    assert [c.cap for c in g.caps] == ["incomplete"]
    assert set(g.mozilla.values()) == {None}
