"""A five-system province whose targets were counted by hand (see test_kpis.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socaudit.evaluation.model import ControlResult, LocalText, Outcome, SystemResult, WaiverRef
from socaudit.inventory.models import Inventory
from socaudit.summary.stored import StoredSystem, SystemJudgement

AS_OF = dt.date(2026, 12, 1)


def _system(sid: str, level: int, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": sid,
        "name": f"Hệ thống {sid.upper()} — Sở Nội vụ",
        "level": level,
        "level_approval": {"status": status},
        **extra,
    }


def province() -> Inventory:
    layers_a = {
        "on_site": {"unit": "Phòng ATTT", "staff": 4, "staff_trained": 3, "trained": True},
        "monitoring": {"provider": "VNPT", "valid_until": "2027-01-01"},
        "independent_inspection": {"last_date": "2026-03-01"},
        "national_connection": {"connected": True},
    }
    layers_b = {
        "on_site": {"staff": 2, "trained": True},
        "monitoring": {"provider": "Viettel", "valid_until": "2026-11-30"},
        "independent_inspection": {"last_date": "2025-11-15"},
        "national_connection": {"connected": True},
    }
    systems = [
        _system(
            "a",
            3,
            "approved",
            shared_datacenter=True,
            security_plan={"status": "fully_deployed"},
            endpoints={"total": 100, "protected": 95},
            four_layer=layers_a,
            awareness={"staff": 50, "informed": 50},
            drills=[{"date": "2026-05-01", "kind": "live_fire"}],
        ),
        _system(
            "b",
            3,
            "submitted",
            shared_datacenter=True,
            security_plan={
                "status": "partially_deployed",
                "expected_full_deployment": "2027-06-30",
            },
            endpoints={"total": 10, "protected": 8},
            four_layer=layers_b,
            awareness={"staff": 20, "informed": 10},
            drills=[{"date": "2026-06-01", "kind": "tabletop"}],
        )
        | {"level_approval": {"status": "submitted", "expected_date": "2027-02-01"}},
        _system(
            "c",
            2,
            "approved",
            security_regulation={"decision": "Quyết định số 5/QĐ-SNV"},
            four_layer={"on_site": {"staff": 1, "trained": False}},
        ),
        _system(
            "d",
            4,
            "drafting",
            shared_datacenter=True,
            security_plan={"status": "not_deployed"},
            endpoints={"total": 30, "protected": 30},
            four_layer={
                "monitoring": {"valid_until": "2027-06-30"},
                "national_connection": {"connected": False},
            },
            drills=[{"date": "2025-11-30", "kind": "live_fire"}],
        ),
        _system(
            "e",
            5,
            "approved",
            security_plan={"status": "fully_deployed"},
            endpoints={"total": 0, "protected": 0},
            four_layer={"independent_inspection": {"last_date": "2026-07-01"}},
            drills=[{"date": "2026-12-01", "kind": "live_fire"}],
            pre_operation_assessment={"date": "2025-01-01"},
        ),
    ]
    return Inventory.model_validate(
        {
            "schema_version": 1,
            "organization": {"name": "UBND tỉnh Thử Nghiệm", "province": "Thử Nghiệm"},
            "authorization": {
                "reference": "QĐ 1/QĐ-UBND",
                "approved_by": "Chủ tịch UBND tỉnh",
                "window": {"from": "2026-01-01", "to": "2026-12-31"},
                "scope": ["127.0.10.0/24"],
            },
            "systems": systems,
        }
    )


def control(cid: str, outcome: Outcome, **extra: Any) -> ControlResult:
    text = LocalText(vi=f"lý do {cid}", en=f"reason {cid}")
    return ControlResult(
        id=cid, group="KT", clause=None, kind="automated", outcome=outcome, reason=text, **extra
    )


def waived(cid: str, underlying: Outcome, expires: dt.date) -> ControlResult:
    waiver = WaiverRef(reason="thay thế quý I", approved_by="Giám đốc Sở", expires=expires)
    return control(cid, Outcome.WAIVED, waived_outcome=underlying, waiver=waiver)


def system_result(sid: str, level: int, *controls: ControlResult) -> SystemResult:
    counts = {o.value: sum(c.outcome is o for c in controls) for o in Outcome}
    worst = Outcome.FAIL if counts["fail"] else Outcome.PASS
    return SystemResult(
        id=sid, level=level, outcome=worst, counts=counts, controls=controls, four_layer={}
    )


def judgement(
    result: SystemResult, assessed_on: dt.date, run: int = 1, assessment: int = 1
) -> SystemJudgement:
    stored = StoredSystem(result.model_dump(mode="json"))
    return SystemJudgement(assessment, run, assessed_on, assessed_on, "tcvn11930@1", stored)
