"""The evidence store: runs and their evidence, through SQLAlchemy (SQLite by default)."""
