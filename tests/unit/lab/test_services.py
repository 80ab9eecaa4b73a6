"""Which process serves which target, and what is skipped without root."""

from __future__ import annotations

import os

import pytest

from socaudit.lab import services
from socaudit.lab.targets import TARGETS


def test_plan_groups_every_target_exactly_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    plan = services.plan(TARGETS)
    assert [s.name for s in plan] == [
        "nginx", "ssh-weak", "ssh-modern", "plain", "nginx-probes", "tlsreplay", "tls-reneg",
        "nginx-revocation", "tlsservices", "dovecot", "vsftpd",
    ]  # fmt: skip
    by_name = {s.name: {t.name for t in s.targets} for s in plan}
    assert by_name["dovecot"] == {"imap-starttls", "pop3-starttls"}
    assert by_name["tlsservices"] == {"smtp-starttls", "ocsp-responder"}
    served = [t.name for s in plan for t in s.targets]
    assert sorted(served) == sorted(t.name for t in TARGETS)
    nginx = plan[0]
    assert {t.kind for t in nginx.targets} == {"tls", "http"}
    assert {t.kind for t in plan[3].targets} == {"telnet", "ftp", "smtp", "db"}


def test_without_root_only_sshd_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    reasons = {s.name: services.skip_reason(s) for s in services.plan(TARGETS)}
    assert reasons["nginx"] is None and reasons["plain"] is None
    assert reasons["tlsreplay"] is None and reasons["tls-reneg"] is None
    assert reasons["nginx-revocation"] is None and reasons["tlsservices"] is None
    assert "dovecot" not in reasons and "vsftpd" not in reasons  # asyncio stand-ins instead
    pytls = next(s for s in services.plan(TARGETS) if s.name == "tlsservices")
    assert {t.name for t in pytls.targets} >= {"imap-starttls", "pop3-starttls", "ftp-starttls"}
    assert reasons["ssh-weak"] == "ssh-weak skipped: a real sshd needs root"


def test_as_root_nothing_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert all(services.skip_reason(s) is None for s in services.plan(TARGETS))
