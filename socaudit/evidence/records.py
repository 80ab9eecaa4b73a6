"""The Attempt envelope: every probe result, persisted as it arrives."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, model_validator

from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind, Model
from socaudit.evidence.http import HttpResult
from socaudit.evidence.network import DiscoveryResult, NmapXml, PortScanResult, Refusal
from socaudit.evidence.ssh import SshResult
from socaudit.evidence.tls import TlsEndpointResult

Payload = Annotated[
    DiscoveryResult
    | PortScanResult
    | NmapXml
    | TlsEndpointResult
    | HttpResult
    | SshResult
    | Refusal,
    Field(discriminator="kind"),
]


class TargetRef(Model):
    """What a probe was aimed at."""

    system_id: str
    asset_id: str | None = None
    address: str | None = None
    port: int | None = None
    hostname: str | None = None

    def label(self) -> str:
        host = self.address or self.hostname or "?"
        host = f"[{host}]" if ":" in host else host
        return f"{host}:{self.port}" if self.port else host


class EvidenceRecord(Model):
    """One probe's outcome: status, error reason and (when completed) a typed payload."""

    kind: EvidenceKind
    probe_key: str
    """Stable identity of the probe within a run (resume skips keys already completed)."""
    collector: str
    target: TargetRef
    started_at: dt.datetime
    finished_at: dt.datetime
    status: AttemptStatus
    error_reason: ErrorReason | None = None
    detail: str | None = None
    payload: Payload | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EvidenceRecord:
        if self.status is AttemptStatus.COMPLETED and self.payload is None:
            raise ValueError("a completed attempt needs a payload")
        if self.status is AttemptStatus.ERROR and self.error_reason is None:
            raise ValueError("an errored attempt needs an error_reason")
        if self.payload is not None and self.payload.kind != self.kind.value:
            raise ValueError("payload kind differs from record kind")
        return self
