"""The four layers of Chỉ thị 14/CT-TTg (CV 1552/BTTTT-CATTT) judged from declarations.

Each layer is ``present``, ``partial``, ``stale`` (it was in place but has lapsed at ``as_of``)
or ``missing``. Layer 3 (independent inspection) must be independent of the layer-2 monitoring
provider: an inspection by that provider counts only as partial.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socaudit.checks.dates import older_than
from socaudit.checks.registry import Reason
from socaudit.evaluation.model import LayerResult, LayerStatus
from socaudit.i18n import both
from socaudit.inventory.models import FourLayer, System
from socaudit.inventory.schedule import assessment_interval_months

MIN_LOG_RETENTION_DAYS = 30
"""TT 31/2017/TT-BTTTT Art. 5.3.h: monitoring data kept 30 days on average."""


@dataclass(frozen=True, slots=True)
class LayerJudgement:
    status: LayerStatus
    reason: Reason
    evidence: tuple[str, ...] = ()
    declared_absent: bool = False
    """The owner declared the layer absent (e.g. ``connected: false``), not just silent."""

    def result(self) -> LayerResult:
        return LayerResult(
            status=self.status,
            reason=both(self.reason.key, self.reason.args),
            evidence=self.evidence,
        )


def _j(
    status: LayerStatus, key: str, ref: str = "", absent: bool = False, **args: str | int
) -> LayerJudgement:
    refs = (f"declared:four_layer.{ref}",) if ref else ()
    return LayerJudgement(status, Reason(f"checks.four_layer.{key}", args), refs, absent)


def _layers(system: System) -> FourLayer:
    return system.four_layer or FourLayer()


def on_site(system: System, as_of: dt.date) -> LayerJudgement:
    layer = _layers(system).on_site
    if layer is None or not layer.unit:
        return _j(LayerStatus.MISSING, "on_site_missing")
    gaps = [
        key
        for key, missing in (
            ("decision", not layer.decision),
            ("staff", not layer.staff),
            ("trained", layer.trained is not True),
        )
        if missing
    ]
    if gaps:
        return _j(LayerStatus.PARTIAL, f"on_site_no_{gaps[0]}", "on_site", unit=layer.unit)
    return _j(
        LayerStatus.PRESENT, "on_site_present", "on_site",
        unit=layer.unit, staff=layer.staff or 0, decision=layer.decision or "—",
    )  # fmt: skip


def monitoring(
    system: System, as_of: dt.date, min_log_retention_days: int = MIN_LOG_RETENTION_DAYS
) -> LayerJudgement:
    layer = _layers(system).monitoring
    if layer is None or not layer.provider:
        return _j(LayerStatus.MISSING, "monitoring_missing")
    provider = layer.provider
    if layer.valid_until is not None and layer.valid_until < as_of:
        return _j(
            LayerStatus.STALE, "monitoring_expired", "monitoring",
            provider=provider, date=str(layer.valid_until),
        )  # fmt: skip
    if not layer.contract:
        return _j(LayerStatus.PARTIAL, "monitoring_no_contract", "monitoring", provider=provider)
    days = layer.log_retention_days
    if days is None or days < min_log_retention_days:
        return _j(
            LayerStatus.PARTIAL, "monitoring_retention", "monitoring",
            provider=provider, days="—" if days is None else days, min_days=min_log_retention_days,
        )  # fmt: skip
    return _j(
        LayerStatus.PRESENT, "monitoring_present", "monitoring",
        provider=provider, contract=layer.contract, days=days,
    )  # fmt: skip


def independent_inspection(
    system: System, as_of: dt.date, max_age_months: int | None = None
) -> LayerJudgement:
    layers = _layers(system)
    layer = layers.independent_inspection
    if layer is None or layer.last_date is None or layer.last_date > as_of:
        return _j(LayerStatus.MISSING, "inspection_missing")
    org, date = layer.organization or "—", str(layer.last_date)
    months = max_age_months or assessment_interval_months(system)
    if older_than(layer.last_date, months, as_of):
        return _j(
            LayerStatus.STALE,
            "inspection_overdue",
            "independent_inspection",
            org=org,
            date=date,
            months=months,
        )
    provider = layers.monitoring.provider if layers.monitoring else None
    if provider and layer.organization and _same(provider, layer.organization):
        return _j(
            LayerStatus.PARTIAL, "inspection_not_independent", "independent_inspection", org=org
        )
    if not layer.report or not layer.organization:
        return _j(
            LayerStatus.PARTIAL,
            "inspection_no_report",
            "independent_inspection",
            org=org,
            date=date,
        )
    return _j(
        LayerStatus.PRESENT, "inspection_present", "independent_inspection",
        org=org, date=date, report=layer.report,
    )  # fmt: skip


def national_connection(system: System, as_of: dt.date) -> LayerJudgement:
    layer = _layers(system).national_connection
    if layer is None:
        return _j(LayerStatus.MISSING, "national_missing")
    if not layer.connected:
        return _j(LayerStatus.MISSING, "national_not_connected", "national_connection", absent=True)
    if layer.since is not None and layer.since > as_of:
        return _j(
            LayerStatus.MISSING, "national_not_yet", "national_connection", date=str(layer.since)
        )
    if not layer.reference:
        return _j(LayerStatus.PARTIAL, "national_no_reference", "national_connection")
    return _j(
        LayerStatus.PRESENT, "national_present", "national_connection", reference=layer.reference
    )


def _same(a: str, b: str) -> bool:
    return a.casefold().split() == b.casefold().split()
