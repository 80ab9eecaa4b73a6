"""The four-layer scorecard of a system (Chỉ thị 14/CT-TTg): one status per layer."""

from __future__ import annotations

import datetime as dt

from socaudit.checks.layers import (
    MIN_LOG_RETENTION_DAYS,
    independent_inspection,
    monitoring,
    national_connection,
    on_site,
)
from socaudit.evaluation.model import Layer, LayerResult
from socaudit.inventory.models import System


def scorecard(
    system: System,
    as_of: dt.date,
    min_log_retention_days: int = MIN_LOG_RETENTION_DAYS,
    max_age_months: int | None = None,
) -> dict[str, LayerResult]:
    """Every layer's status, keyed by layer name (``on_site`` …)."""
    judged = {
        Layer.ON_SITE: on_site(system, as_of),
        Layer.MONITORING: monitoring(system, as_of, min_log_retention_days),
        Layer.INDEPENDENT_INSPECTION: independent_inspection(system, as_of, max_age_months),
        Layer.NATIONAL_CONNECTION: national_connection(system, as_of),
    }
    return {layer.value: j.result() for layer, j in judged.items()}
