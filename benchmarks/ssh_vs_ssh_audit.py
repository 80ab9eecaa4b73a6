"""socaudit's SSH probe vs ssh-audit (``-j``) on the lab's two OpenSSH servers, in one run.

Prints an agreement table per server (algorithm lists, host key types, sizes and fingerprints,
group-exchange modulus, Terrapin, the failing 1024-bit RSA key) and whole-process wall times:
one process per server and tool, as an operator would run them. ssh-audit's default run
includes its DHEat connection-rate test (many extra connections); the ratio without it
(``--skip-rate-test``) is printed too. Loopback only.

    make peers && .venv/bin/python benchmarks/ssh_vs_ssh_audit.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
SSH_AUDIT = ROOT / ".venv-peers" / "bin" / "ssh-audit"
TIMEOUT = 10.0
PROBE = """
import json, sys
from concurrent.futures import ThreadPoolExecutor
from ipaddress import ip_address
from socaudit.probes.ssh import probe_ssh
from socaudit.probes.ssh_findings import judged
def one(target):
    address, port = target.rsplit(":", 1)
    return judged(probe_ssh(ip_address(address), int(port), float(sys.argv[1]))).model_dump()
with ThreadPoolExecutor(8) as pool:
    results = list(pool.map(one, sys.argv[2:]))
print(json.dumps(results[0] if len(results) == 1 else results))
"""
Facts = dict[str, Any]


@contextlib.contextmanager
def lab_session() -> Iterator[Any]:
    from socaudit.lab.shared import shared_lab
    from socaudit.lab.targets import LabError

    try:
        with shared_lab() as info:
            yield info
    except LabError as exc:
        sys.exit(f"cannot start the lab: {exc}")


def timed(argv: list[str]) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    elapsed = time.monotonic() - started
    if not done.stdout.strip().startswith(("{", "[")):
        sys.exit(f"{argv[0]} failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed, done.stdout


def socaudit_facts(address: str, port: int) -> tuple[float, Facts]:
    elapsed, out = timed([str(PYTHON), "-c", PROBE, str(TIMEOUT), f"{address}:{port}"])
    r = json.loads(out)
    sizes = {a: k["bits"] for k in r["host_keys"] for a in k["algorithms"]}
    prints = {k["key_type"]: k["fingerprint"] for k in r["host_keys"] if not k["certificate"]}
    fails = {f["id"] for f in r["findings"] if f["severity"] in {"critical", "high"}}
    return elapsed, {
        "kex": set(r["kex"]),
        "host key algorithms": set(r["host_key"]),
        "ciphers": set(r["ciphers"]),
        "macs": set(r["macs"]),
        "host key sizes": sizes,
        "fingerprints": prints,
        "gex modulus": {g["algorithm"]: _openssh_gex(g, r["software"]) for g in r["gex"]},
        "terrapin": bool(r["terrapin"]),
        "small host key fails": "ssh.host_key.small" in fails,
    }


def _openssh_gex(gex: Facts, software: str | None) -> int | None:
    """The size ssh-audit reports: the smallest, unless that is OpenSSH's 2048-bit fallback
    group (then what a modern client's request gets)."""
    if gex["min_bits"] == 2048 and (software or "").startswith("OpenSSH_"):
        return int(gex["preferred_bits"]) if gex["preferred_bits"] else None
    return int(gex["min_bits"]) if gex["min_bits"] else None


def ssh_audit_facts(address: str, port: int, *extra: str) -> tuple[float, Facts]:
    elapsed, out = timed([str(SSH_AUDIT), "-j", *extra, "-p", str(port), address])
    r = json.loads(out)

    def notes(item: Facts, level: str) -> list[str]:
        return list(item.get("notes", {}).get(level, []))

    terrapin = any(
        "Terrapin" in note for item in r["enc"] + r["mac"] for note in notes(item, "warn")
    )
    kex = {k["algorithm"] for k in r["kex"]}
    return elapsed, {
        "kex": kex,
        "host key algorithms": {k["algorithm"] for k in r["key"]},
        "ciphers": {c["algorithm"] for c in r["enc"]},
        "macs": {m["algorithm"] for m in r["mac"]},
        "host key sizes": {k["algorithm"]: k.get("keysize") for k in r["key"]},
        "fingerprints": {
            f["hostkey"]: f"SHA256:{f['hash']}"
            for f in r["fingerprints"]
            if f["hash_alg"] == "SHA256"
        },
        "gex modulus": {k["algorithm"]: k["keysize"] for k in r["kex"] if "keysize" in k},
        "terrapin": terrapin,
        "small host key fails": any("small" in note for k in r["key"] for note in notes(k, "fail")),
    }


EXPLAINED = {
    "host key sizes": "ssh-audit gives no keysize for fixed-size keys (Ed25519: socaudit 256)",
}


def compare(ours: Facts, theirs: Facts) -> list[tuple[str, str, str, str]]:
    rows = []
    for fact, mine in ours.items():
        peer = theirs[fact]
        if fact == "host key sizes":
            agree = all(peer.get(a) in (None, bits) for a, bits in mine.items())
            agree = agree and set(mine) == set(peer)
            note = EXPLAINED[fact] if agree and None in peer.values() else ""
        else:
            agree, note = mine == peer, ""
        if not agree and isinstance(mine, set):
            note = f"only socaudit: {sorted(mine - peer)}; only ssh-audit: {sorted(peer - mine)}"
        rows.append(
            (
                fact,
                _show(mine),
                _show(peer),
                ("yes" if agree else "NO") + (f" ({note})" if note else ""),
            )
        )
    return rows


def _show(value: Any) -> str:
    if isinstance(value, set):
        return f"{len(value)} names"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items())) or "-"
    return str(value)


def one_process_each(
    servers: list[tuple[str, str, int]], show: bool
) -> tuple[dict[str, float], int]:
    """Every tool once per server; prints the agreement table when ``show``."""
    totals = {"socaudit": 0.0, "ssh-audit -j": 0.0, "ssh-audit -j --skip-rate-test": 0.0}
    disagreements = 0
    for name, address, port in servers:
        t_ours, ours = socaudit_facts(address, port)
        t_peer, theirs = ssh_audit_facts(address, port)
        t_norate, _ = ssh_audit_facts(address, port, "--skip-rate-test")
        totals["socaudit"] += t_ours
        totals["ssh-audit -j"] += t_peer
        totals["ssh-audit -j --skip-rate-test"] += t_norate
        if show:
            print(f"\n{name} ({address}:{port})")
            print(f"  {'fact':<22} {'socaudit':<40} {'ssh-audit':<40} agree")
            for fact, mine, peer, agree in compare(ours, theirs):
                disagreements += agree.startswith("NO")
                print(f"  {fact:<22} {mine[:40]:<40} {peer[:40]:<40} {agree}")
    return totals, disagreements


def one_process_for_all(servers: list[tuple[str, str, int]], targets: Path) -> dict[str, float]:
    """Each tool once for all servers (socaudit: concurrent probes; ssh-audit: ``-T``)."""
    listed = [f"{address}:{port}" for _, address, port in servers]
    targets.write_text("\n".join(listed) + "\n", encoding="utf-8")
    audit = [str(SSH_AUDIT), "-j", "-T", str(targets)]
    return {
        "socaudit": timed([str(PYTHON), "-c", PROBE, str(TIMEOUT), *listed])[0],
        "ssh-audit -j": timed(audit)[0],
        "ssh-audit -j --skip-rate-test": timed([*audit, "--skip-rate-test"])[0],
    }


def report(title: str, rounds: list[dict[str, float]]) -> None:
    median = {tool: statistics.median(r[tool] for r in rounds) for tool in rounds[0]}
    print(f"\n{title} (wall time, median of {len(rounds)}):")
    for tool, value in median.items():
        ratio = (
            "" if tool == "socaudit" else f"   socaudit / this = {median['socaudit'] / value:.2f}"
        )
        print(f"  {tool:<30} {value:6.2f} s{ratio}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (median reported)")
    args = parser.parse_args()
    if not SSH_AUDIT.exists():
        sys.exit(f"{SSH_AUDIT} missing: run `make peers`")
    with lab_session() as info, tempfile.TemporaryDirectory() as scratch:
        servers = [(e.name, e.address, e.port) for e in info.endpoints if e.kind == "ssh"]
        for _, address, _ in servers:
            if not ipaddress.ip_address(address).is_loopback:
                sys.exit(f"refusing non-loopback address {address}")
        each, together, disagreements = [], [], 0
        for round_no in range(args.repeat):
            totals, disagreed = one_process_each(servers, show=round_no == 0)
            each.append(totals)
            disagreements += disagreed
            together.append(one_process_for_all(servers, Path(scratch) / "targets.txt"))
    report("one process per server, summed", each)
    report("one process for both servers", together)
    print(f"\ndisagreements: {disagreements}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
