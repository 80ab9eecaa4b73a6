"""The store's tables, as SQLAlchemy 2 typed ORM classes.

Every change here needs a migration revision (socaudit/store/migrations/README.md); a test
fails until the migrated schema equals these classes.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class Run(Base):
    """One invocation of ``socaudit scan`` (resumed runs keep their id)."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    inventory_path: Mapped[str] = mapped_column(Text)
    inventory_sha256: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[dt.date]
    options: Mapped[dict[str, Any]]
    tool_version: Mapped[str] = mapped_column(String(32))
    authorization: Mapped[str | None] = mapped_column(Text)

    systems: Mapped[list[RunSystem]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="RunSystem.system_id"
    )


class RunSystem(Base):
    """A system assessed in a run (as the inventory described it then)."""

    __tablename__ = "run_systems"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    system_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[int]

    run: Mapped[Run] = relationship(back_populates="systems")


class Evidence(Base):
    """One EvidenceRecord; ``payload`` holds the whole record as JSON, the rest is for queries."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    probe_key: Mapped[str] = mapped_column(Text)
    system_id: Mapped[str] = mapped_column(String(64))
    asset_id: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    error_reason: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime]
    payload: Mapped[dict[str, Any]]


class InventorySnapshot(Base):
    """The text of an inventory file (and of each evidence file it names) as a run used it.

    Kept so that an assessment can be reproduced and bundled even after the file changed.
    """

    __tablename__ = "inventory_snapshots"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    """0 = the inventory itself, 1.. = its evidence files in the order it lists them."""
    path: Mapped[str] = mapped_column(Text)
    """As written: the inventory's path at scan time; evidence files relative to it."""
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)


class AssessmentRow(Base):
    """One judgement of a run against a policy pack (a run can be judged many times)."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime]
    as_of: Mapped[dt.date]
    pack_id: Mapped[str] = mapped_column(String(64))
    pack_version: Mapped[str] = mapped_column(String(64))
    inventory_sha256: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the inventory text the declarations came from (the run's, or ``-i``'s)."""
    inventory_source: Mapped[str] = mapped_column(Text)
    """``run`` (the run's snapshot) or the path given with ``-i``."""
    tool_version: Mapped[str] = mapped_column(String(32))
    results: Mapped[dict[str, Any]]
    """The evaluation's JSON (socaudit.evaluation.model.AssessmentResult, mode="json")."""
