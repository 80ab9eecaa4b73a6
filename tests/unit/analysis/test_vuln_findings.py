"""Vulnerability findings and their grade caps (2009r), from probe results and enumeration."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.results import AS_OF, GOOD_12, GOOD_13, result
from socaudit.tls.findings import findings_for
from socaudit.tls.grading import grade


def _ids(**changes: Any) -> set[str]:
    return {f.id for f in findings_for(result(**changes), as_of=AS_OF)}


@pytest.mark.parametrize(
    ("vulns", "fid", "cap"),
    [
        ({"heartbleed": True}, "tls.vuln.heartbleed", "F"),
        ({"ccs_injection": True}, "tls.vuln.ccs_injection", "F"),
        ({"robot": "vulnerable"}, "tls.vuln.robot", "F"),
        ({"secure_renegotiation": False, "client_renegotiation": True},
         "tls.vuln.insecure_renegotiation", "F"),
        ({"compression": True}, "tls.vuln.compression", "C"),
        ({"secure_renegotiation": False}, "tls.vuln.no_secure_renegotiation", "A-"),
    ],
)  # fmt: skip
def test_probe_results_cap_the_grade(vulns: dict[str, object], fid: str, cap: str) -> None:
    endpoint = result(vulnerabilities=vulns)
    assert fid in {f.id for f in findings_for(endpoint, as_of=AS_OF)}
    graded = grade(endpoint, as_of=AS_OF)
    assert any(c.cap == cap for c in graded.caps)
    clean = grade(result(), as_of=AS_OF)
    assert clean.letter == "A+" and graded.letter != "A+"


def test_null_results_are_neither_findings_nor_caps() -> None:
    endpoint = result()  # every probe key null
    assert not {f.id for f in findings_for(endpoint, as_of=AS_OF)} & {
        "tls.vuln.heartbleed", "tls.vuln.no_fallback_scsv", "tls.resumption.none",
        "tls.vuln.no_secure_renegotiation", "tls.vuln.no_extended_master_secret",
    }  # fmt: skip
    assert grade(endpoint, as_of=AS_OF).letter == "A+"


def test_protections_present_give_no_findings() -> None:
    good = {
        "heartbleed": False, "ccs_injection": False, "robot": "not_vulnerable",
        "fallback_scsv": True, "secure_renegotiation": True, "client_renegotiation": False,
        "compression": False, "early_data": False, "extended_master_secret": True,
    }  # fmt: skip
    ids = _ids(vulnerabilities=good, resumption={"session_id": True, "session_ticket": True})
    assert not any(i.startswith(("tls.vuln.", "tls.resumption.")) for i in ids)


def test_derived_attacks_from_suites() -> None:
    suites = {
        "SSLv3": ("TLS_RSA_WITH_3DES_EDE_CBC_SHA",),
        "TLSv1.0": ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"),
        "TLSv1.2": GOOD_12,
    }
    ids = _ids(protocols=("SSLv3", "TLSv1.0", "TLSv1.2"), suites=suites)
    assert {"tls.vuln.poodle", "tls.vuln.sweet32", "tls.vuln.freak", "tls.vuln.logjam",
            "tls.vuln.beast", "tls.vuln.rc4", "tls.vuln.lucky13"} <= ids  # fmt: skip
    assert "tls.vuln.drown" not in ids
    assert "tls.vuln.drown" in _ids(
        protocols=("SSLv2", "TLSv1.2"),
        suites={"SSLv2": ("SSL_CK_RC4_128_WITH_MD5",), "TLSv1.2": GOOD_12},
    )
    modern = _ids(suites={"TLSv1.2": GOOD_12, "TLSv1.3": GOOD_13})
    assert not any(i.startswith("tls.vuln.") for i in modern)


def test_logjam_from_small_dh_alone() -> None:
    assert "tls.vuln.logjam" in _ids(dhe_min_bits=1024)
    assert "tls.vuln.logjam" not in _ids(dhe_min_bits=2048)


def test_poodle_caps_at_c() -> None:
    suites = {"SSLv3": ("TLS_RSA_WITH_AES_128_CBC_SHA",), "TLSv1.2": GOOD_12, "TLSv1.3": GOOD_13}
    graded = grade(result(protocols=("SSLv3", "TLSv1.2", "TLSv1.3"), suites=suites), as_of=AS_OF)
    assert any(c.cap == "C" and "POODLE" in c.reason for c in graded.caps)
