"""Wave 2: inventory snapshots kept with each run, and assessments (judgements of a run).

Revision ID: 0002
Revises: 0001
Created: 2026-12-02

A store opened by a development build between the two waves may already have these tables
(made by ``create_all``); they are then left as they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _missing(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if _missing("inventory_snapshots"):
        op.create_table(
            "inventory_snapshots",
            sa.Column(
                "run_id",
                sa.Integer(),
                sa.ForeignKey("runs.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column("position", sa.Integer(), primary_key=True),
            sa.Column("path", sa.Text(), nullable=False),
            sa.Column("sha256", sa.String(64), nullable=False),
            sa.Column("content", sa.Text(), nullable=False),
        )
    if _missing("assessments"):
        op.create_table(
            "assessments",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column(
                "run_id",
                sa.Integer(),
                sa.ForeignKey("runs.id", ondelete="CASCADE"),
                nullable=False,
            ),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("as_of", sa.Date(), nullable=False),
            sa.Column("pack_id", sa.String(64), nullable=False),
            sa.Column("pack_version", sa.String(64), nullable=False),
            sa.Column("inventory_sha256", sa.String(64), nullable=False),
            sa.Column("inventory_source", sa.Text(), nullable=False),
            sa.Column("tool_version", sa.String(32), nullable=False),
            sa.Column("results", sa.JSON(), nullable=False),
        )
        op.create_index("ix_assessments_run_id", "assessments", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_assessments_run_id", table_name="assessments")
    op.drop_table("assessments")
    op.drop_table("inventory_snapshots")
