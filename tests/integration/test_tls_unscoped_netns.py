"""``socaudit tls --unscoped`` beyond loopback, inside a private network namespace.

The namespace's only non-loopback address is its own (10.213.1.1, on a veth pair inside it),
so the check's packets never leave it; the output must say no authorisation was recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from socaudit.cli.tls_scope import UNSCOPED_NOTE
from socaudit.exitcodes import ExitCode

pytestmark = [pytest.mark.integration, pytest.mark.netns]

SOCAUDIT = Path(__file__).parents[2] / ".venv" / "bin" / "socaudit"
ADDRESS = "10.213.1.1"


@pytest.fixture
def netns() -> Iterator[str]:
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.fail("this test needs root and iproute2 (make setup installs them)")
    name = f"sa-tls-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        for args in (
            ["link", "set", "lo", "up"],
            ["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
            ["addr", "add", f"{ADDRESS}/24", "dev", "v0"],
            ["link", "set", "v0", "up"],
            ["link", "set", "v1", "up"],
        ):
            subprocess.run(["ip", "-n", name, *args], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)


def _tls(ns: str, *args: str) -> subprocess.CompletedProcess[str]:
    argv = ["ip", "netns", "exec", ns, str(SOCAUDIT), "tls", "--no-http", "--timeout", "2", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


def test_outside_loopback_is_refused_without_unscoped(netns: str) -> None:
    done = _tls(netns, f"{ADDRESS}:8443")
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert "--unscoped" in done.stderr


def test_unscoped_checks_and_says_no_authorisation_was_recorded(netns: str) -> None:
    done = _tls(netns, "--unscoped", "--format", "json", f"{ADDRESS}:8443")
    assert done.returncode == ExitCode.INCOMPLETE, done.stderr  # nothing listens there
    document = json.loads(done.stdout)
    assert document["authorization"]["recorded"] is False
    assert document["authorization"]["basis"] == "unscoped"
    (endpoint,) = document["endpoints"]
    assert endpoint["status"] == "error"
    text = _tls(netns, "--unscoped", f"{ADDRESS}:8443")
    assert text.stdout.splitlines()[0] == UNSCOPED_NOTE
