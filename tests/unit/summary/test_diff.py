"""diff: every control category, ports opened/closed, certificate changes."""

from __future__ import annotations

import datetime as dt

from socaudit.evaluation.model import AssessmentResult, Outcome, PackRef
from socaudit.summary.diff import diff_runs

from .evidence import certificate, ports, tls
from .fixtures import control, system_result, waived

F, P, NA, IE = Outcome.FAIL, Outcome.PASS, Outcome.NOT_APPLICABLE, Outcome.INSUFFICIENT_EVIDENCE


def assessment(as_of: dt.date, *systems: object) -> AssessmentResult:
    return AssessmentResult(
        run=1,
        assessment=1,
        pack=PackRef(id="tcvn11930", version="1"),
        as_of=as_of,
        systems=systems,  # type: ignore[arg-type]
    )


def test_each_control_lands_in_its_category() -> None:
    before = assessment(
        dt.date(2026, 3, 1),
        system_result(
            "ioc",
            3,
            control("KT.new1", NA),
            control("KT.fixed", F),
            control("KT.open", Outcome.PARTIAL),
            control("KT.regressed", P),
            waived("KT.expired", F, dt.date(2026, 6, 30)),
            control("KT.waived", F),
            waived("KT.still_waived", F, dt.date(2027, 12, 31)),
            control("KT.same", P),
        ),
    )
    after = assessment(
        dt.date(2026, 12, 1),
        system_result(
            "ioc",
            3,
            control("KT.new1", F),
            control("KT.new2", F),
            control("KT.fixed", P),
            control("KT.open", F),
            control("KT.regressed", Outcome.PARTIAL),
            control("KT.expired", F),
            waived("KT.waived", F, dt.date(2027, 12, 31)),
            waived("KT.still_waived", F, dt.date(2027, 12, 31)),
            control("KT.same", P),
        ),
    )
    (ioc,) = diff_runs(before, after, [], [])
    assert ioc.controls == {
        "new": ["KT.new1", "KT.new2"],
        "fixed": ["KT.fixed"],
        "still_open": ["KT.open"],
        "regressed": ["KT.regressed"],
        "waiver_expired": ["KT.expired"],
        "newly_waived": ["KT.waived"],
    }
    assert ioc.worse


def test_a_fixed_run_with_a_closed_port_is_not_worse() -> None:
    before = assessment(dt.date(2026, 3, 1), system_result("ioc", 3, control("KT.1", F)))
    after = assessment(dt.date(2026, 12, 1), system_result("ioc", 3, control("KT.1", P)))
    old = [ports("127.0.10.11", 8443, 3306), ports("127.0.10.60", 5432)]
    new = [ports("127.0.10.11", 8443)]  # 127.0.10.60 not scanned again: not compared
    (ioc,) = diff_runs(before, after, old, new)
    assert [(p.address, p.port) for p in ioc.ports_closed] == [("127.0.10.11", 3306)]
    assert ioc.ports_opened == [] and not ioc.worse
    assert ioc.controls["fixed"] == ["KT.1"]


def test_an_opened_port_and_a_renewed_certificate() -> None:
    old = [ports("127.0.10.11", 8443), tls("127.0.10.11", certificate("2026-12-31T00:00:00+00:00"))]
    new = [
        ports("127.0.10.11", 8443, 2323),
        tls("127.0.10.11", certificate("2027-12-31T00:00:00+00:00")),
    ]
    (ioc,) = diff_runs(None, None, old, new)
    assert [(p.port, p.asset_id) for p in ioc.ports_opened] == [(2323, "ioc-web")]
    (change,) = ioc.certificates
    assert change.target == "ioc.test (127.0.10.11:8443)"
    assert change.before is not None and change.before.not_after.startswith("2026-12-31")
    assert change.after is not None and change.after.not_after.startswith("2027-12-31")
    assert ioc.worse
    same = diff_runs(None, None, old, old)
    assert same[0].certificates == [] and same[0].ports_opened == []
