"""Shared base and enums of evidence models."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Persisted evidence: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class AttemptStatus(StrEnum):
    COMPLETED = "completed"
    ERROR = "error"
    SKIPPED = "skipped"
    REFUSED = "refused"


class ErrorReason(StrEnum):
    CONNECTIVITY = "connectivity"
    TIMEOUT = "timeout"
    OUT_OF_SCOPE = "out_of_scope"
    TOOL_MISSING = "tool_missing"
    PROTOCOL = "protocol"
    INTERRUPTED = "interrupted"
    BUG = "bug"


class EvidenceKind(StrEnum):
    DISCOVERY = "discovery"
    PORTS = "ports"
    NMAP_XML = "nmap_xml"
    TLS = "tls"
    HTTP = "http"
    SSH = "ssh"
    REFUSAL = "refusal"
