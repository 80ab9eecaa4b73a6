"""Alembic migrations of the evidence store, shipped inside the package (see README.md)."""
