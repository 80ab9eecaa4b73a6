"""Where the data that ships with socaudit lives: policy packs and report templates.

In a checkout they are the top-level ``policies/`` and ``reports/`` folders; in an installed
wheel the same folders are packaged under ``socaudit/_data/`` (pyproject's force-include).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The shipped data folder ``name`` (``policies`` or ``reports``)."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def policies_dir() -> Path:
    """The folder holding the bundled policy packs (one sub-folder per pack id)."""
    return data_dir("policies")


def templates_dir() -> Path:
    """The folder holding the report templates (``reports/templates``)."""
    return data_dir("reports") / "templates"
