"""Revocation findings and the grade's T cap."""

from __future__ import annotations

from analysis.results import AS_OF, result
from analysis.revocation_results import revocation_results
from socaudit.evidence.tls import Revocation
from socaudit.tls.findings import findings_for
from socaudit.tls.grading import grade


def _ids(revocation: Revocation) -> dict[str, str]:
    found = findings_for(result(revocation=revocation), as_of=AS_OF)
    return {f.id: f.severity for f in found if "revoc" in f.id or "ocsp" in f.id}


def test_revoked_certificate_is_critical_and_caps_the_grade_at_t() -> None:
    revoked = revocation_results()[0]
    ids = {f.id: f.severity for f in findings_for(revoked, as_of=AS_OF)}
    assert ids["tls.cert.revoked"] == "critical"
    graded = grade(revoked, as_of=AS_OF)
    assert graded.letter == "T"
    assert any(c.cap == "T" and "revoked" in c.reason for c in graded.caps)
    assert grade(result(), as_of=AS_OF).letter != "T"


def test_unknown_status_is_never_good_and_not_stapled_is_info() -> None:
    assert _ids(Revocation(status="unknown", detail="x")) == {"tls.revocation.unknown": "low"}
    assert _ids(Revocation(ocsp_stapled=False, status="good")) == {"tls.ocsp.not_stapled": "info"}
    assert _ids(Revocation(ocsp_stapled=True, status="good")) == {}
    assert _ids(Revocation()) == {}  # not checked: no finding, missing evidence is not a finding


def test_text_output_shows_the_revocation_verdict() -> None:
    from socaudit.tls.text import render

    revoked, unknown, _ = revocation_results()
    assert "revocation: REVOKED (ocsp_stapled), OCSP stapled yes" in render(revoked)
    assert "revocation: unknown, OCSP stapled unknown\n    responder unreachable" in render(unknown)
    assert "revocation:" not in render(result())
