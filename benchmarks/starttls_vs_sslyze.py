"""socaudit tls --starttls vs sslyze --starttls on the lab's STARTTLS targets, and OCSP
stapling on the revocation targets, in one run on a private lab (its own folder and network,
started and stopped here, so it runs the code of this checkout).

Prints wall times (socaudit: the four endpoints together, every probe; sslyze: protocols,
suites and certificate info, one endpoint at a time, as its CLI runs them) and an agreement
table: protocols, accepted suites per version, leaf subject, trust with the lab CA, stapling.

    make peers && .venv/bin/python benchmarks/starttls_vs_sslyze.py [--network 127.0.36.0/24]
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOCAUDIT = ROOT / ".venv" / "bin" / "socaudit"
PEER_PYTHON = ROOT / ".venv-peers" / "bin" / "python"
STARTTLS = {"smtp-starttls": "smtp", "imap-starttls": "imap", "pop3-starttls": "pop3",
            "ftp-starttls": "ftp"}  # fmt: skip
STAPLING = ("tls-ocsp-stapled", "tls-revoked")
VERSIONS = {"ssl_2_0_cipher_suites": "SSLv2", "ssl_3_0_cipher_suites": "SSLv3",
            "tls_1_0_cipher_suites": "TLSv1.0", "tls_1_1_cipher_suites": "TLSv1.1",
            "tls_1_2_cipher_suites": "TLSv1.2", "tls_1_3_cipher_suites": "TLSv1.3"}  # fmt: skip


def target(lab: Any, name: str) -> str:
    endpoint = lab.endpoint(name)
    if not ipaddress.ip_address(endpoint.address).is_loopback:  # never anything else
        sys.exit(f"{name}: {endpoint.address} is not loopback")
    return f"{name}.lab.socaudit.test:{endpoint.port}{{{endpoint.address}}}"


def sslyze(lab: Any, name: str, out: Path) -> tuple[dict[str, Any], float]:
    args = ["--mozilla_config=disable", "--certinfo", f"--certinfo_ca_file={lab.ca_bundle}"]
    if name in STARTTLS:
        args += ["--starttls", STARTTLS[name], *(f"--{k}" for k in
                 ("sslv2", "sslv3", "tlsv1", "tlsv1_1", "tlsv1_2", "tlsv1_3"))]  # fmt: skip
    started = time.perf_counter()
    subprocess.run([str(PEER_PYTHON), "-m", "sslyze", *args, f"--json_out={out}",
                    target(lab, name)], capture_output=True, check=False, timeout=300)  # fmt: skip
    elapsed = time.perf_counter() - started
    return json.loads(out.read_text())["server_scan_results"][0]["scan_result"], elapsed


def sslyze_facts(result: dict[str, Any]) -> dict[str, Any]:
    suites = {}
    for key, version in VERSIONS.items():
        accepted = (result.get(key) or {}).get("result") or {}
        found = accepted.get("accepted_cipher_suites", [])
        names = sorted(c["cipher_suite"]["name"] for c in found)
        if names:
            suites[version] = names
    deployment = result["certificate_info"]["result"]["certificate_deployments"][0]
    staple = deployment.get("ocsp_response")
    return {
        "suites": suites,
        "leaf": deployment["received_certificate_chain"][0]["subject"]["rfc4514_string"],
        "trusted": any(
            p["was_validation_successful"] for p in deployment["path_validation_results"]
        ),
        "stapled": staple is not None,
    }


def socaudit_run(lab: Any, names: list[str], starttls: bool) -> tuple[list[dict[str, Any]], float]:
    mode = ["--starttls", "auto"] if starttls else ["--no-http"]
    argv = [str(SOCAUDIT), "tls", *(target(lab, n) for n in names), "--ca", str(lab.ca_bundle),
            "--format", "json", *mode]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=300)
    elapsed = time.perf_counter() - started
    return json.loads(done.stdout)["endpoints"], elapsed


def socaudit_facts(endpoint: dict[str, Any]) -> dict[str, Any]:
    cert = endpoint.get("certificate") or {}
    return {
        "suites": {v: sorted(s) for v, s in endpoint["cipher_suites"].items()},
        "leaf": cert.get("subject"),
        "trusted": cert.get("chain_trusted"),
        "stapled": endpoint["revocation"]["ocsp_stapled"],
    }


def compare(lab: Any, work: Path) -> int:
    endpoints, ours_time = socaudit_run(lab, list(STARTTLS), starttls=True)
    stapling, _ = socaudit_run(lab, list(STAPLING), starttls=False)
    ours = {e["target"].split(".", 1)[0]: socaudit_facts(e) for e in (*endpoints, *stapling)}
    theirs, times = {}, {}
    for name in (*STARTTLS, *STAPLING):
        result, times[name] = sslyze(lab, name, work / f"{name}.json")
        theirs[name] = sslyze_facts(result)
    starttls_time = sum(times[n] for n in STARTTLS)
    print(f"socaudit (4 STARTTLS endpoints, all probes): {ours_time:.2f} s")
    print(f"sslyze   (same endpoints, one at a time):    {starttls_time:.2f} s"
          f"  ratio {ours_time / starttls_time:.2f}")  # fmt: skip
    disagreements = 0
    print(f"\n{'endpoint':18} {'suites':>14} {'leaf':>6} {'trust':>6} {'stapled':>8}")
    for name in (*STARTTLS, *STAPLING):
        a, b = ours[name], theirs[name]
        keys = (
            ("suites", "leaf", "trusted", "stapled")
            if name in STARTTLS
            else ("leaf", "trusted", "stapled")
        )  # sslyze enumerates suites only on the STARTTLS rows
        cells = [a[k] == b[k] for k in keys]
        count = "/".join(str(len(v)) for v in a["suites"].values()) if name in STARTTLS else ""
        marks = ["agree" if c else "DIFFER" for c in cells]
        marks = marks if name in STARTTLS else ["-", *marks]
        print(f"{name:18} {count + ' ' + marks[0]:>14} {marks[1]:>6} {marks[2]:>6} {marks[3]:>8}")
        disagreements += cells.count(False)
    return 1 if disagreements else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--network", default="127.0.36.0/24")
    args = parser.parse_args()
    from socaudit.lab import api
    from socaudit.lab.targets import parse_network

    with tempfile.TemporaryDirectory(prefix="socaudit-starttls-bench-") as tmp:
        lab_dir = Path(tmp) / "lab"
        try:
            lab = api.start(lab_dir, parse_network(args.network), timeout=30.0)
            return compare(lab, Path(tmp))
        finally:
            api.stop(lab_dir)


if __name__ == "__main__":
    sys.exit(main())
