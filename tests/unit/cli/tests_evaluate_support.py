"""Recorded evidence for the evaluate CLI tests (the check fixtures' builders)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from checks.builders import good_ports, ports, ssh, system_data, tls

from socaudit.evidence.records import EvidenceRecord

__all__ = ["records", "system_data"]


def records(*, telnet: bool = False) -> list[EvidenceRecord]:
    found = [*good_ports(), tls(), ssh()]
    if telnet:
        found[1] = ports("admin", "127.0.10.41", (2222, "ssh"), (2323, "telnet"))
    return found
