"""socaudit's Mozilla "intermediate" 5.7 verdicts against sslyze's checker on the lab.

Runs ``socaudit tls --format json`` and ``sslyze --mozilla_config=intermediate`` on the same lab
TLS endpoints (loopback only) and prints, per endpoint, the issue keys each tool reports and
whether they agree. One documented difference: sslyze 6 folds the hostname check into path
validation, where socaudit keeps ``certificate_hostname_validation`` apart; the comparison maps
that key onto ``certificate_path_validation`` and then requires identical key sets.

    make peers && .venv/bin/python benchmarks/mozilla_vs_sslyze.py
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from socaudit.evidence.tls import TlsEndpointResult
from socaudit.tls.mozilla import check, profiles

ROOT = Path(__file__).resolve().parents[1]
SOCAUDIT = ROOT / ".venv" / "bin" / "socaudit"
SSLYZE = ROOT / ".venv-peers" / "bin" / "sslyze"
PROFILE = "intermediate-5.7"
FOLDED = {"certificate_hostname_validation": "certificate_path_validation"}
_VERDICT = re.compile(r"^\s+(\S+):(\d+): (OK|FAILED)")
_ISSUE = re.compile(r"^\s+\* (\w+):")


def lab_endpoints() -> tuple[list[tuple[str, str, int]], Path]:
    """(name, address, port) of the running lab's TLS endpoints and its CA bundle."""
    from socaudit.lab import api
    from socaudit.lab.shared import shared_dir

    shared = shared_dir()
    for candidate in (os.environ.get("SOCAUDIT_LAB_DIR"), shared):
        info = api.status(candidate)
        tls = [e for e in info.endpoints if e.kind == "tls"]
        if tls and all(e.up for e in tls):
            for e in tls:
                if not ipaddress.ip_address(e.address).is_loopback:
                    sys.exit(f"refusing non-loopback lab address {e.address}")
            return [(e.name, e.address, e.port) for e in tls], info.ca_bundle
    sys.exit("no running lab: start one with `socaudit lab up`")


def socaudit_issues(targets: list[str], ca: Path) -> dict[str, list[str]]:
    argv = [str(SOCAUDIT), "tls", *targets, "--ca", str(ca), "--format", "json", "--no-http"]
    run = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=600)
    profile = next(p for p in profiles() if p.name == PROFILE)
    out: dict[str, list[str]] = {}
    for endpoint in json.loads(run.stdout)["endpoints"]:
        result = TlsEndpointResult.model_validate(endpoint)
        name = result.target.split(".", 1)[0]
        out[name] = sorted({i.key for i in check(result, profile).issues})
    return out


def sslyze_issues(targets: list[str], ca: Path) -> dict[str, list[str]]:
    argv = [str(SSLYZE), "--certinfo_ca_file", str(ca), "--mozilla_config=intermediate", *targets]
    run = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=600)
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in run.stdout.splitlines():
        if verdict := _VERDICT.match(line):
            current = out.setdefault(verdict.group(1).split(".", 1)[0], [])
        elif (issue := _ISSUE.match(line)) and current is not None:
            current.append(issue.group(1))
    return {name: sorted(set(keys)) for name, keys in out.items()}


def main() -> int:
    endpoints, ca = lab_endpoints()
    targets = [f"{n}.lab.socaudit.test:{port}{{{addr}}}" for n, addr, port in endpoints]
    ours, theirs = socaudit_issues(targets, ca), sslyze_issues(targets, ca)
    print(f"Mozilla {PROFILE}: issue keys per endpoint ({len(endpoints)} lab endpoints)")
    unexplained = 0
    for name, *_ in sorted(endpoints):
        a, b = ours.get(name), theirs.get(name)
        same = a is not None and b is not None and {FOLDED.get(k, k) for k in a} == set(b)
        unexplained += not same
        mark = "=" if same else "x"
        print(f"  {mark} {name:15} socaudit={a}  sslyze={b}")
    print(f"endpoints whose issue keys differ (hostname folded into path): {unexplained}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
