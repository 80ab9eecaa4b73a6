"""``socaudit plan``/``scan``/``runs`` end to end against the lab (real nmap, real handshakes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scan_support import REPO, demo_copy, lab_inventory, query, run_socaudit

pytestmark = pytest.mark.integration


def test_scan_stores_every_kind_of_evidence_and_a_second_scan_is_a_second_run(
    lab: Any, tmp_path: Path
) -> None:
    inventory = lab_inventory(
        tmp_path / "inv.yaml",
        lab,
        {"cong-web": ["tls-good", "http-redirect"], "quan-tri": ["ssh-modern"]},
    )
    db = tmp_path / "store" / "socaudit.db"
    first = run_socaudit(db, "scan", "-i", str(inventory), "--top-ports", "0", "--timeout", "5")
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.startswith("run 1: started")
    assert "run 1 completed: 2 system(s)" in first.stdout

    rows = query(db, "select kind, status, probe_key from evidence where run_id = 1")
    kinds = {kind for kind, status, _ in rows if status == "completed"}
    assert kinds == {"discovery", "ports", "nmap_xml", "tls", "http", "ssh"}
    assert all(status == "completed" for _, status, _ in rows)

    (payload,) = query(
        db, "select payload from evidence where kind = 'ports' and system_id = 'cong-web'"
    )
    ports = {p["port"]: p for p in json.loads(payload[0])["payload"]["ports"]}
    assert ports[8443]["state"] == "open" and ports[8443]["tunnel"] == "ssl"
    assert ports[8080]["state"] == "open" and ports[8080]["tunnel"] is None

    (tls,) = query(db, "select payload from evidence where kind = 'tls'")
    assert json.loads(tls[0])["payload"]["protocols"] == ["TLSv1.2", "TLSv1.3"]
    (discovery,) = query(
        db, "select payload from evidence where kind = 'discovery' and system_id = 'quan-tri'"
    )
    assert json.loads(discovery[0])["payload"]["method"] in {"icmp_echo", "tcp_syn"}  # root

    second = run_socaudit(
        db,
        "scan",
        "-i",
        str(inventory),
        "--system",
        "quan-tri",
        "--top-ports",
        "0",
        "--no-discovery",
    )
    assert second.returncode == 0, second.stdout + second.stderr
    listing = run_socaudit(db, "runs", "--format", "json")
    runs = json.loads(listing.stdout)
    assert [(r["id"], r["status"]) for r in runs] == [(1, "completed"), (2, "completed")]
    assert runs[0]["evidence"] == len(rows)
    assert runs[1]["systems"] == ["quan-tri"]
    assert runs[1]["evidence"] == 3  # ports, nmap_xml, ssh


def test_plan_of_the_demo_inventory(tmp_path: Path) -> None:
    demo = REPO / "inventories" / "demo.yaml"
    inside = run_socaudit(
        tmp_path / "db", "plan", "-i", str(demo), "--as-of", "2026-11-01", "--format", "json"
    )
    assert inside.returncode == 0, inside.stderr
    plan = json.loads(inside.stdout)
    assert plan["refused"] == []
    assert len(plan["targets"]) >= 10
    assert all(t["address"].startswith("127.0.10.") for t in plan["targets"])
    outside = run_socaudit(
        tmp_path / "db", "plan", "-i", str(demo), "--as-of", "2031-01-01", "--format", "json"
    )
    refused = json.loads(outside.stdout)["refused"]
    assert len(refused) == len(plan["targets"])
    assert {r["rule"] for r in refused} == {"outside_window"}
    assert not (tmp_path / "db").exists()  # plan never opens the store


def test_systems_sharing_an_address_share_one_probe_of_it(lab: Any, tmp_path: Path) -> None:
    inventory = lab_inventory(
        tmp_path / "inv.yaml", lab, {"he-a": ["ssh-modern"], "he-b": ["ssh-modern"]}
    )
    db = tmp_path / "socaudit.db"
    result = run_socaudit(db, "scan", "-i", str(inventory), "--top-ports", "0", "--no-discovery")
    assert result.returncode == 0, result.stdout + result.stderr
    xml = query(db, "select system_id, payload from evidence where kind = 'nmap_xml'")
    assert sorted(system for system, _ in xml) == ["he-a", "he-b"]
    first, second = (json.loads(payload)["payload"]["xml"] for _, payload in xml)
    assert first == second  # same nmap start time and output: one scan served both systems
    ssh = query(db, "select count(*) from evidence where kind = 'ssh' and status = 'completed'")
    assert ssh == [(2,)]


def test_scan_of_demo_systems_on_the_lab(lab: Any, tmp_path: Path) -> None:
    demo = demo_copy(tmp_path, lab)
    db = tmp_path / "demo.db"
    args = ["scan", "-i", str(demo), "--system", "lgsp", "--system", "qlvb", "--top-ports", "0"]
    result = run_socaudit(db, *args, "--as-of", "2026-11-01")
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(db, "select status, as_of from runs") == [("completed", "2026-11-01")]
    assert query(db, "select system_id from run_systems order by 1") == [("lgsp",), ("qlvb",)]
    counts = dict(query(db, "select kind, count(*) from evidence group by kind"))
    assert counts["ports"] == counts["nmap_xml"] == counts["discovery"] == 4
    assert counts["tls"] == 2 and counts["ssh"] == 2
    (weak,) = query(db, "select payload from evidence where kind = 'ssh' and target like '%.40:%'")
    assert "diffie-hellman-group1-sha1" in json.loads(weak[0])["payload"]["kex"]


def test_evidence_view_of_a_scanned_demo_system(lab: Any, tmp_path: Path) -> None:
    demo = demo_copy(tmp_path, lab)
    db = tmp_path / "demo.db"
    scan = run_socaudit(db, "scan", "-i", str(demo), "--system", "ioc", "--system", "lgsp")
    assert scan.returncode in (0, 1), scan.stdout + scan.stderr
    shown = run_socaudit(db, "evidence", "latest", "--format", "json")
    assert shown.returncode == 1, shown.stderr  # findings
    ioc, lgsp = json.loads(shown.stdout)["systems"]
    assert [t["grade"] for t in lgsp["tls"]] == ["A+"]
    assert {p["declared"] for p in lgsp["open_ports"]} == {True}
    text = run_socaudit(db, "evidence", "latest", "--system", "lgsp")
    assert "tls tls-good.lab.socaudit.test:8443" in text.stdout, text.stderr
    assert "max-age=63072000; includeSubDomains" in text.stdout
    undeclared = [(p["address"], p["port"]) for p in ioc["open_ports"] if p["declared"] is False]
    assert undeclared == [("127.0.10.60", 3306)]
    ids = {f["id"] for f in ioc["findings"]}
    assert {"ports.undeclared", "tls.protocol.tls10", "tls.protocol.tls11"} <= ids
    assert [t["grade"] for t in ioc["tls"]] == ["B"]
