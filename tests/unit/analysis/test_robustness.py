"""Hostile or damaged input never crashes the analysis: typed errors or partial facts only."""

from __future__ import annotations

import random

import pytest

from analysis.factory import NOW, make_pki
from analysis.results import AS_OF, cert, result
from socaudit.evidence.tls import CertificateFacts
from socaudit.probes.errors import ProbeError
from socaudit.probes.hsts import parse_hsts
from socaudit.probes.http import parse_head
from socaudit.probes.ssh import parse_kexinit
from socaudit.tls.certificates import CertificateError, analyze_chain
from socaudit.tls.findings import findings_for
from socaudit.tls.grading import grade


def _mutations(data: bytes, rng: random.Random, count: int) -> list[bytes]:
    out = []
    for _ in range(count):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        out.append(
            bytes(damaged[: rng.randint(1, len(damaged))] if rng.random() < 0.2 else damaged)
        )
    return out


def test_damaged_certificates_give_facts_or_a_typed_error() -> None:
    pki = make_pki()
    leaf, intermediate = pki.leaf("x.langson.gov.vn").der, pki.intermediate.der
    rng = random.Random(20261128)  # noqa: S311 - reproducible fuzzing
    outcomes = {"facts": 0, "error": 0}
    for damaged in _mutations(leaf, rng, 400):
        try:
            facts = analyze_chain([damaged, intermediate], "x.langson.gov.vn", [], NOW)
        except CertificateError:
            outcomes["error"] += 1
        else:
            assert isinstance(facts, CertificateFacts)
            assert not (facts.chain_trusted and facts.trust_error is None and damaged != leaf)
            outcomes["facts"] += 1
    assert outcomes["facts"] and outcomes["error"]  # both paths were exercised


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-45T00:00:00Z"])
def test_odd_stored_dates_do_not_break_grading_or_findings(text: str) -> None:
    r = result(certificate=cert(not_after=text, expired=True))
    assert grade(r, as_of=AS_OF).letter == "T"
    assert "tls.cert.expired" in {f.id for f in findings_for(r, as_of=AS_OF)}


def test_random_kexinit_payloads_raise_only_probe_errors() -> None:
    rng = random.Random(7)  # noqa: S311 - reproducible fuzzing
    for size in range(0, 400, 3):
        payload = b"\x14" + bytes(rng.randrange(256) for _ in range(size))
        try:
            lists = parse_kexinit(payload)
        except ProbeError:
            continue
        assert len(lists) == 10


def test_random_http_heads_raise_only_probe_errors() -> None:
    rng = random.Random(11)  # noqa: S311 - reproducible fuzzing
    for size in range(0, 300, 7):
        head = bytes(rng.randrange(256) for _ in range(size))
        try:
            parse_head(b"HTTP/1.1 200 OK\r\n" + head if size % 2 else head)
        except ProbeError:
            continue


def test_random_hsts_values_parse() -> None:
    rng = random.Random(3)  # noqa: S311 - reproducible fuzzing
    alphabet = 'max-age=0123456789;"includeSubDomains preload\t,'
    for _ in range(300):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        facts = parse_hsts(value)
        assert facts.present and (facts.max_age is None or facts.max_age >= 0)
