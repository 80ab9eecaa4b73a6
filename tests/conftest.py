"""Session fixtures shared by every test module: the running lab.

Concurrent pytest sessions (parallel developers, CI jobs) share one lab through
``socaudit.lab.shared``; a healthy lab started elsewhere (``make demo``) is reused and left running.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from socaudit.lab import api
from socaudit.lab.shared import shared_lab
from socaudit.lab.targets import LabError


@pytest.fixture(scope="session")
def lab() -> Iterator[api.LabInfo]:
    """The running lab (started once per session, stopped by the last session using it)."""
    try:
        with shared_lab() as info:
            yield info
    except LabError as exc:
        pytest.fail(f"cannot start the lab: {exc}", pytrace=False)
