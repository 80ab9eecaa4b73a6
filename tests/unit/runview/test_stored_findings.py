"""One rule for every evidence kind: the view reads the findings stored at scan time.

A stored run must read the same after the rules change; a run stored before HTTP/SSH findings
were kept says that it was not judged instead of being judged with today's rules.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socaudit.collect.http_collector import judged
from socaudit.evidence.http import HttpResult
from socaudit.exitcodes import ExitCode
from socaudit.probes import ssh_findings
from socaudit.runview import build_run_view
from socaudit.store.schema import RunStatus
from socaudit.tls import findings as tls_findings
from socaudit.tls.findings import HTTP_RULESET

from .details import plain_http, weak_ssh
from .records import INVENTORY, http_without_hsts
from .test_evidence_cli import Invoke, invoke, store_run

__all__ = ["invoke"]  # the CLI fixture, used by name


def _change_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today's rules find nothing at all in HTTP or SSH evidence."""
    monkeypatch.setattr(tls_findings, "_header_findings", lambda headers: [])
    monkeypatch.setattr(tls_findings, "hsts_findings", lambda hsts: [])
    monkeypatch.setattr(ssh_findings, "_category_findings", lambda result: [])


def test_collection_stores_findings_with_their_ruleset() -> None:
    payload = plain_http().payload
    ssh = weak_ssh().payload
    assert payload is not None and ssh is not None
    assert payload.kind == "http" and payload.findings_ruleset == HTTP_RULESET
    assert {f.id for f in payload.findings or ()} >= {"http.no_https_redirect", "http.csp.missing"}
    assert ssh.kind == "ssh" and ssh.findings_ruleset == ssh_findings.RULESET
    assert [f.id for f in ssh.findings or ()] == ["ssh.kex.weak"]


def test_an_old_runs_view_does_not_change_when_rules_change(
    tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = store_run(tmp_path, [plain_http(), weak_ssh(), http_without_hsts()], RunStatus.COMPLETED)
    before = invoke(url, "latest", "--format", "json")
    _change_every_rule(monkeypatch)
    fresh = http_without_hsts().payload
    assert isinstance(fresh, HttpResult) and judged(fresh).findings == ()  # rules did change
    after = invoke(url, "latest", "--format", "json")
    assert after == before
    ids = {f["id"] for s in json.loads(after[1])["systems"] for f in s["findings"]}
    assert {"http.hsts.missing", "http.no_https_redirect", "ssh.kex.weak"} <= ids
    assert after[0] == ExitCode.FINDINGS


def test_a_run_stored_without_findings_says_it_was_not_judged(
    tmp_path: Path, invoke: Invoke
) -> None:
    old = [plain_http(stored=False), weak_ssh(stored=False)]
    (system,) = build_run_view(old, INVENTORY).systems
    assert system.findings == ()
    assert system.unjudged == ("127.0.30.1:8080", "127.0.30.1:22")
    url = store_run(tmp_path, old, RunStatus.COMPLETED)
    code, out = invoke(url)
    assert "not judged 127.0.30.1:22: findings were not stored at scan time" in out
    assert "ssh.kex.weak" not in out and "http.no_https_redirect" not in out
    assert code == ExitCode.OK
