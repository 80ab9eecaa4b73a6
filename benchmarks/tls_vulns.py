"""Vulnerability and resumption columns of ``benchmarks/tls_vs_peers.py``: socaudit vs sslyze,
with nmap's NSE scripts as the third method where sslyze cannot connect.

sslyze first completes a full handshake with OpenSSL (nassl) before any check; the lab's scripted
personas (Heartbleed, CCS injection, ROBOT oracle, compression) never complete one, so sslyze
reports them unreachable. ``ssl-heartbleed``, ``ssl-ccs-injection`` and ``ssl-enum-ciphers``
(its ``compressors`` list) work from raw hellos, like socaudit, and referee those columns.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as ET

KEYS = (
    "heartbleed", "ccs_injection", "robot", "fallback_scsv", "secure_renegotiation",
    "client_renegotiation", "compression", "early_data", "extended_master_secret",
    "session_id", "session_ticket",
)  # fmt: skip
SHORT = {
    "heartbleed": "hb", "ccs_injection": "ccs", "robot": "robot", "fallback_scsv": "scsv",
    "secure_renegotiation": "sreneg", "client_renegotiation": "creneg", "compression": "crime",
    "early_data": "0rtt", "extended_master_secret": "ems", "session_id": "resid",
    "session_ticket": "ticket",
}  # fmt: skip
SSLYZE_FLAGS = [
    "--certinfo", "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2", "--tlsv1_3",
    "--compression", "--openssl_ccs", "--fallback", "--heartbleed", "--robot", "--reneg",
    "--elliptic_curves", "--ems", "--resum", "--early_data",
]  # fmt: skip
"""sslyze's default scan commands (what it runs when none is named) plus --resum --early_data."""
_ROBOT = {
    "VULNERABLE_STRONG_ORACLE": "vulnerable",
    "VULNERABLE_WEAK_ORACLE": "vulnerable",
    "NOT_VULNERABLE_NO_ORACLE": "not_vulnerable",
    "NOT_VULNERABLE_RSA_NOT_SUPPORTED": "not_applicable",
}
Facts = dict[str, Any]


def socaudit_vulns(endpoint: dict[str, Any]) -> Facts:
    return {**endpoint["vulnerabilities"], **endpoint["resumption"]}


def _result(scan: dict[str, Any], command: str) -> dict[str, Any]:
    entry = scan.get(command) or {}
    return entry.get("result") or {} if entry.get("status") == "COMPLETED" else {}


def sslyze_vulns(scan: dict[str, Any]) -> Facts:
    """The same keys from one sslyze server result (None where its command errored)."""
    reneg = _result(scan, "session_renegotiation")
    resum = _result(scan, "session_resumption")
    robot = _result(scan, "robot").get("robot_result")
    session_id = resum.get("session_id_resumption_result")
    ticket = resum.get("tls_ticket_resumption_result")
    return {
        "heartbleed": _result(scan, "heartbleed").get("is_vulnerable_to_heartbleed"),
        "ccs_injection": _result(scan, "openssl_ccs_injection").get(
            "is_vulnerable_to_ccs_injection"
        ),
        "robot": _ROBOT.get(robot) if robot else None,
        "fallback_scsv": _result(scan, "tls_fallback_scsv").get("supports_fallback_scsv"),
        "secure_renegotiation": reneg.get("supports_secure_renegotiation"),
        "client_renegotiation": reneg.get("is_vulnerable_to_client_renegotiation_dos"),
        "compression": _result(scan, "tls_compression").get("supports_compression"),
        "early_data": _result(scan, "tls_1_3_early_data").get("supports_early_data"),
        "extended_master_secret": _result(scan, "tls_extended_master_secret").get(
            "supports_ems_extension"
        ),
        "session_id": None if session_id is None else session_id != "NOT_SUPPORTED",
        "session_ticket": None if ticket is None else ticket == "FULLY_SUPPORTED",
    }


def nmap_referee(targets: list[tuple[str, str, int]]) -> dict[str, Facts]:
    """Heartbleed, CCS injection and compression per endpoint from nmap's NSE scripts."""
    by_address = {(address, port): name for name, address, port in targets}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "nmap.xml"
        ports = ",".join(sorted({str(port) for _, _, port in targets}))
        argv = ["nmap", "-n", "-Pn", "-p", ports, "-oX", str(out),
                "--script", "ssl-heartbleed,ssl-ccs-injection,ssl-enum-ciphers",
                *sorted({address for _, address, _ in targets})]  # fmt: skip
        subprocess.run(argv, capture_output=True, check=False, timeout=600)
        root = ET.parse(out).getroot()
    if root is None:
        return {}
    facts: dict[str, Facts] = {}
    for host in root.iter("host"):
        address = host.find("address").get("addr")  # type: ignore[union-attr]
        for port in host.iter("port"):
            name = by_address.get((str(address), int(port.get("portid", 0))))
            if name is None:
                continue
            scripts = {s.get("id"): s.get("output", "") for s in port.iter("script")}
            enum = scripts.get("ssl-enum-ciphers")
            facts[name] = {
                "heartbleed": "VULNERABLE" in scripts.get("ssl-heartbleed", ""),
                "ccs_injection": "VULNERABLE" in scripts.get("ssl-ccs-injection", ""),
                "compression": None if enum is None else "DEFLATE" in enum,
            }
    return facts


def explain(name: str, key: str, ours: Any, theirs: Any, nmap: Facts | None) -> str | None:
    """Why socaudit and sslyze differ here, if a documented reason covers it (else None)."""
    if nmap is not None and key in nmap and nmap[key] == ours:
        return f"nmap agrees with socaudit ({nmap[key]})"
    if theirs is None and ours is not None:
        return "sslyze has no result here (its command errored or it could not connect)"
    if ours is None and key in {"fallback_scsv", "early_data", "client_renegotiation"}:
        return "socaudit: not applicable (see the endpoint's notes); sslyze answers anyway"
    if ours is None and key in {"session_id", "session_ticket"}:
        return "socaudit: Python's ssl could not complete a handshake with this server"
    if ours is None and key == "robot":
        return "socaudit: not tested (see notes)"
    return None


def table(
    ours: dict[str, Facts], theirs: dict[str, Facts], nmap: dict[str, Facts]
) -> tuple[int, int]:
    """Print the vulnerability/resumption agreement; (explained, unexplained) differences."""
    print("\nvulnerabilities and resumption vs sslyze ('=' same, 'x' differs, '~' explained):")
    print(f"{'endpoint':16} " + " ".join(f"{SHORT[k]:>6}" for k in KEYS))
    explained, unexplained, notes = 0, 0, []
    for name in sorted(ours):
        row = []
        for key in KEYS:
            mine, other = ours[name].get(key), theirs.get(name, {}).get(key)
            if mine == other:
                row.append("=")
                continue
            why = explain(name, key, mine, other, nmap.get(name))
            row.append("~" if why else "x")
            explained += why is not None
            unexplained += why is None
            notes.append(f"  {name}.{key}: socaudit={mine} sslyze={other}: {why or 'UNEXPLAINED'}")
        print(f"{name:16} " + " ".join(f"{c:>6}" for c in row))
    print("\n".join(notes))
    return explained, unexplained
