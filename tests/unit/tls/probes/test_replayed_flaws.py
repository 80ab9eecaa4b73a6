"""Each vulnerability probe against the scripted persona that has its flaw and against one that
does not (the lab serves the same personas, see socaudit/lab/tlsreplay.py)."""

from __future__ import annotations

import pytest

from socaudit.tls.probes import ccs_injection, compression, extensions, heartbleed, robot
from socaudit.tls.probes.base import ProbeOutcome
from socaudit.tls.versions import TlsVersion
from tls.fakeserver import serve
from tls.probes.personas import SUITES, persona, rsa_identity
from tls.probes.support import context

ADDRESS = "127.0.20.64"


def _run(flaw: str, probe: object, budget: int = 10) -> tuple[ProbeOutcome, int]:
    der, _ = rsa_identity()
    with serve(ADDRESS, persona(flaw)) as port:
        ctx = context(ADDRESS, port, suites=dict(SUITES), budget=budget, chain=(der,))
        outcome = probe.run(ctx)  # type: ignore[attr-defined]
    return outcome, ctx.connections


@pytest.mark.parametrize(
    ("module", "key", "flaw", "vulnerable", "patched"),
    [
        (heartbleed, "heartbleed", "heartbleed", True, False),
        (ccs_injection, "ccs_injection", "ccs", True, False),
        (compression, "compression", "compression", True, False),
        (robot, "robot", "robot", "vulnerable", "not_vulnerable"),
    ],
)
def test_flaw_found_only_where_it_is(
    module: object, key: str, flaw: str, vulnerable: object, patched: object
) -> None:
    found, _ = _run(flaw, module)
    assert found.values[key] == vulnerable
    clean, _ = _run("none", module)
    assert clean.values[key] == patched


def test_heartbleed_costs_one_connection_and_no_wait_without_the_extension() -> None:
    outcome, connections = _run("none", heartbleed)
    assert outcome.values == {"heartbleed": False} and connections == 1


def test_robot_repeats_to_confirm_an_oracle() -> None:
    outcome, connections = _run("robot", robot)
    assert connections == 10  # two rounds of five paddings
    assert outcome.notes and "wrong_first_bytes=alert:51" in outcome.notes[0]
    _, clean_connections = _run("none", robot)
    assert clean_connections == 5


def test_robot_not_applicable_without_rsa_key_exchange() -> None:
    ctx = context(ADDRESS, 1, suites={TlsVersion.TLS12: (0xC02F,)})
    assert robot.run(ctx).values == {"robot": "not_applicable"}
    assert ctx.connections == 0


def test_extensions_are_read_from_the_server_hello() -> None:
    for module, key in (
        (extensions.SECURE_RENEGOTIATION, "secure_renegotiation"),
        (extensions.EXTENDED_MASTER_SECRET_PROBE, "extended_master_secret"),
    ):
        outcome, _ = _run("none", module)
        assert outcome.values == {key: True}
