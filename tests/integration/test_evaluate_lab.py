"""End to end on the lab: scan demo systems with real nmap and handshakes, then evaluate.

The mix matches what the demo was built to show: telnet on the SOC switch (failed, under an
active waiver), the undeclared MySQL port and TLS 1.0/1.1 on the IOC, the portal's plain HTTP
(its waiver has expired), the SOC console's certificate for another name, the border-gate
platform's 1024-bit key and static-RSA API, and the LGSP whose observed and declared parts both
pass. (The pack judges certificates from level 3, so the level-2 portal's expired certificate
is not a control there.)
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from scan_support import REPO, run_socaudit

SYSTEMS = ("lgsp", "ioc", "portal", "soc", "cuakhau")


def _demo(folder: Path, lab: Any) -> Path:
    """The demo inventory on the running lab (its CA and network), its evidence file beside
    it."""
    demo = REPO / "inventories" / "demo.yaml"
    data = yaml.safe_load(demo.read_text(encoding="utf-8"))
    data["trust"]["ca_bundles"] = [str(lab.ca_bundle)]
    # the lab keeps each target's last octet on whatever /24 it runs
    prefix = lab.endpoint("tls-good").address.rsplit(".", 1)[0]
    for system in data["systems"]:
        for asset in system["assets"]:
            asset["address"] = f"{prefix}.{asset['address'].rsplit('.', 1)[1]}"
    network = ipaddress.ip_network(f"{prefix}.0/24")
    data["authorization"]["scope"] = [str(network)]
    for name in data["evidence_files"]:
        shutil.copy(demo.parent / name, folder / name)
    path = folder / "demo.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _controls(system: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in system["controls"]}


def _checks(control: dict[str, Any]) -> dict[str, str]:
    return {c["check"]: c["outcome"] for c in control["checks"]}


def test_the_demo_run_evaluates_as_designed(lab: Any, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    prefix = lab.endpoint("tls-good").address.rsplit(".", 1)[0]
    selected = [arg for s in SYSTEMS for arg in ("--system", s)]
    scan = run_socaudit(
        db, "scan", "-i", str(_demo(tmp_path, lab)), *selected, timeout=600,
    )  # fmt: skip
    assert scan.returncode in (0, 1, 4), scan.stdout + scan.stderr
    shown = run_socaudit(db, "evaluate", "latest", "--format", "json")
    assert shown.returncode == 1, shown.stderr
    result = json.loads(shown.stdout)
    # the lab's certificates are issued when it starts: judge them on the run's own date
    as_of = dt.date.fromisoformat(result["as_of"])
    assert result["assessment"] == 1
    systems = {s["id"]: s for s in result["systems"]}
    assert sorted(systems) == sorted(SYSTEMS)

    soc = _controls(systems["soc"])
    assert soc["KT.1.6"]["outcome"] == "waived" and soc["KT.1.6"]["waived_outcome"] == "fail"
    assert f"{prefix}.50:2323" in soc["KT.1.6"]["reason"]["en"]
    assert soc["KT.1.6"]["waiver"]["expires"] == "2027-03-31"

    ioc = _controls(systems["ioc"])
    assert _checks(ioc["KT.1.1"])["ports.only_declared_services"] == "fail"
    assert f"{prefix}.60:3306" in ioc["KT.1.1"]["reason"]["vi"]
    assert _checks(ioc["KT.3.4"])["tls.min_version"] == "fail"
    assert "TLSv1.0, TLSv1.1" in ioc["KT.3.4"]["reason"]["en"]
    assert ioc["QL.6"]["outcome"] == "insufficient_evidence"  # declared, but stale

    portal = _controls(systems["portal"])
    assert portal["KT.3.1"]["outcome"] == "fail" and portal["KT.3.1"]["waiver"] is None
    assert "http-plain.lab.socaudit.test:8080" in portal["KT.3.1"]["reason"]["en"]
    assert portal["TC.2"]["outcome"] == "fail"  # a public service without HTTPS redirect

    assert _checks(soc["KT.3.4"])["tls.certificate_hostname"] == "fail"
    cuakhau = _checks(_controls(systems["cuakhau"])["KT.3.4"])
    assert cuakhau["tls.certificate_key_size"] == cuakhau["tls.forward_secrecy"] == "fail"
    assert cuakhau["tls.certificate_validity"] == "pass"

    lgsp = _controls(systems["lgsp"])
    for cid in ("KT.1.1", "KT.1.6", "KT.2.1", "KT.3.2", "QL.1.1"):
        assert lgsp[cid]["outcome"] == "pass", (cid, lgsp[cid]["reason"]["en"])
    assert systems["lgsp"]["counts"]["fail"] == 0
    assert all(layer["status"] == "present" for layer in systems["lgsp"]["four_layer"].values())

    words = {c["outcome"] for s in systems.values() for c in s["controls"]}
    expected = {"pass", "fail", "partial", "insufficient_evidence", "not_applicable", "waived"}
    assert expected <= words

    # A year later: lgsp's fresh risk plan is stale and the soc waiver has expired.
    a_year_later = (as_of + dt.timedelta(days=366)).isoformat()
    later = run_socaudit(db, "evaluate", "latest", "--as-of", a_year_later, "--format", "json")
    again = {s["id"]: _controls(s) for s in json.loads(later.stdout)["systems"]}
    assert again["lgsp"]["QL.6"]["outcome"] == "insufficient_evidence"
    assert again["soc"]["KT.1.6"]["outcome"] == "fail" and again["soc"]["KT.1.6"]["waiver"] is None
    assert json.loads(later.stdout)["assessment"] == 2
