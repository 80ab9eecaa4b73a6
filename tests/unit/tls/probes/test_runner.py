"""The probe runner: failures stay inside their probe, budgets hold, registry is explicit."""

from __future__ import annotations

import pytest

from socaudit.tls.errors import ProbeFailure
from socaudit.tls.probes import registry
from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome
from socaudit.tls.probes.runner import run_probes
from tls.probes.support import context


def _good(ctx: ProbeContext) -> ProbeOutcome:
    return ProbeOutcome({"heartbleed": False})


def _crash(ctx: ProbeContext) -> ProbeOutcome:
    raise RuntimeError("boom")


def _greedy(ctx: ProbeContext) -> ProbeOutcome:
    for _ in range(10):
        with ctx.slot():
            pass
    return ProbeOutcome({"compression": True})


def test_a_failing_probe_keeps_the_others() -> None:
    probes = (
        Probe("good", "vulnerabilities", ("heartbleed",), _good, budget=1),
        Probe("crash", "vulnerabilities", ("robot",), _crash, budget=1),
        Probe("greedy", "vulnerabilities", ("compression",), _greedy, budget=2),
    )
    done = run_probes(probes, lambda p: context("127.0.20.61", 1, budget=p.budget), workers=3)
    assert done.sections["vulnerabilities"] == {
        "heartbleed": False,
        "robot": None,
        "compression": None,
    }
    assert any(n.startswith("robot: not tested: internal error: RuntimeError") for n in done.notes)
    assert any("budget of 2 exhausted" in n for n in done.notes)
    assert done.connections == 2


def test_budget_is_enforced_by_slot() -> None:
    ctx = context("127.0.20.61", 1, budget=1)
    with ctx.slot():
        pass
    with pytest.raises(ProbeFailure, match="budget"), ctx.slot():
        pass


def test_registry_select() -> None:
    assert registry.select(()) == ()
    assert [p.name for p in registry.select()] == list(registry.PROBES)
    with pytest.raises(KeyError):
        registry.select(["no-such-probe"])
    for name, probe in registry.PROBES.items():
        assert probe.name == name and probe.keys and probe.budget >= 1
