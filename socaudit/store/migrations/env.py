"""Alembic environment: runs on the connection (and transaction) ``socaudit.store.migrate``
hands over, so the whole upgrade is one transaction under the store's migration lock."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from socaudit.store.schema import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):  # pragma: no cover - only reachable by misuse
    raise RuntimeError("socaudit migrations run through socaudit.store.migrate, online only")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only ALTER through table copies
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
