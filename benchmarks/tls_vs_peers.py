"""socaudit tls vs sslyze (and optionally testssl.sh) on the lab's TLS endpoints, in one run.

Both tools do their full run: ``socaudit tls`` with every probe (and its HSTS request), sslyze
with its default scan commands plus ``--resum --early_data``. Prints wall time per tool, the
ratio (the target: socaudit ≤ 0.5 × sslyze), a findings-agreement table per endpoint
(protocols, accepted suites per version, DH size, EC groups, certificate facts) and a
vulnerability/resumption table refereed by nmap's NSE scripts where sslyze cannot connect
(``tls_vulns.py``). Loopback only: every address is checked before any tool runs.

    make peers && .venv/bin/python benchmarks/tls_vs_peers.py [--repeat 3] [--testssl]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import ipaddress
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tls_vulns  # sibling benchmark module

ROOT = Path(__file__).resolve().parents[1]
SOCAUDIT = ROOT / ".venv" / "bin" / "socaudit"
SSLYZE = ROOT / ".venv-peers" / "bin" / "sslyze"
SSLYZE_VERSIONS = {
    "ssl_2_0_cipher_suites": "SSLv2",
    "ssl_3_0_cipher_suites": "SSLv3",
    "tls_1_0_cipher_suites": "TLSv1.0",
    "tls_1_1_cipher_suites": "TLSv1.1",
    "tls_1_2_cipher_suites": "TLSv1.2",
    "tls_1_3_cipher_suites": "TLSv1.3",
}
Facts = dict[str, Any]


@contextlib.contextmanager
def lab_session(lab_dir: str | None) -> Iterator[Any]:
    """A running lab: ``--lab-dir``, one started elsewhere, or the one the test suite shares."""
    from socaudit.lab.shared import shared_lab
    from socaudit.lab.targets import LabError

    try:
        with shared_lab(lab_dir) as info:
            yield info
    except LabError as exc:
        sys.exit(f"cannot start the lab: {exc}")


def lab_targets(info: Any) -> tuple[list[tuple[str, str, int]], Path]:
    """(name, address, port) of every TLS endpoint of the lab, and its CA bundle."""
    tls = [e for e in info.endpoints if e.kind == "tls" and e.port == 8443]
    for endpoint in tls:
        if not ipaddress.ip_address(endpoint.address).is_loopback:
            sys.exit(f"refusing non-loopback address {endpoint.address}")
    return [(e.name, e.address, e.port) for e in tls], info.ca_bundle


def spec(name: str, address: str, port: int) -> str:
    return f"{name}.lab.socaudit.test:{port}{{{address}}}"


def timed(argv: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=900)
    return time.perf_counter() - started, done


def run_socaudit(targets: list[tuple[str, str, int]], ca: Path) -> tuple[float, dict[str, Facts]]:
    argv = [str(SOCAUDIT), "tls", "--format", "json", "--ca", str(ca)]
    seconds, done = timed(argv + [spec(*t) for t in targets])
    report = json.loads(done.stdout)
    facts = {e["target"].split(".", 1)[0]: socaudit_facts(e) for e in report["endpoints"]}
    return seconds, facts


def socaudit_facts(endpoint: dict[str, Any]) -> Facts:
    cert = endpoint.get("certificate") or {}
    return {
        "protocols": sorted(endpoint["protocols"]),
        "suites": {v: sorted(s) for v, s in endpoint["cipher_suites"].items()},
        "dh_bits": endpoint["key_exchange"]["dhe_min_bits"],
        "groups": sorted(g.lower() for g in endpoint["key_exchange"]["ecdhe_groups"]),
        "expired": cert.get("expired"),
        "not_yet_valid": cert.get("not_yet_valid"),
        "key_size": cert.get("key_size"),
        "sig_hash": cert.get("signature_hash"),
        "self_signed": cert.get("self_signed"),
        "hostname_match": cert.get("hostname_match"),
        "chain_served": cert.get("chain_length"),
        # sslyze's path validation also fails on time, name and SHA-1/MD5 signatures.
        "path_valid": bool(
            cert.get("chain_trusted")
            and cert.get("signature_hash") not in ("sha1", "md5")
            and not cert.get("expired")
            and not cert.get("not_yet_valid")
            and cert.get("hostname_match") is not False
        ),
        "handshakes": endpoint["handshakes"],
        "vulns": tls_vulns.socaudit_vulns(endpoint),
    }


def run_sslyze(targets: list[tuple[str, str, int]], ca: Path) -> tuple[float, dict[str, Facts]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sslyze.json"
        argv = [str(SSLYZE), *tls_vulns.SSLYZE_FLAGS, "--certinfo_ca_file", str(ca)]
        argv += ["--mozilla_config=disable", "--quiet", "--json_out", str(out)]
        seconds, _ = timed(argv + [spec(*t) for t in targets])
        report = json.loads(out.read_text(encoding="utf-8"))
    facts = {
        r["server_location"]["hostname"].split(".", 1)[0]: sslyze_facts(r)
        for r in report["server_scan_results"]
        if r.get("scan_result")  # None: sslyze could not connect (see tls_vulns.py)
    }
    return seconds, facts


def sslyze_facts(server: dict[str, Any]) -> Facts:
    scan = server["scan_result"]
    suites: dict[str, list[str]] = {}
    dh: list[int] = []
    for key, version in SSLYZE_VERSIONS.items():
        accepted = (scan[key].get("result") or {}).get("accepted_cipher_suites") or []
        if accepted:
            suites[version] = sorted(a["cipher_suite"]["name"] for a in accepted)
        dh += [
            a["ephemeral_key"]["size"]
            for a in accepted
            if (a.get("ephemeral_key") or {}).get("type_name") == "DH"
        ]
    curves = (scan["elliptic_curves"].get("result") or {}).get("supported_curves") or []
    return {
        "protocols": sorted(suites),
        "suites": suites,
        "dh_bits": min(dh) if dh else None,
        "groups": sorted(c["name"].lower() for c in curves),
        **sslyze_cert(scan["certificate_info"].get("result") or {}, server),
        "vulns": tls_vulns.sslyze_vulns(scan),
        "errored": [k for k, v in scan.items() if (v or {}).get("status") == "ERROR"],
    }


def sslyze_cert(info: dict[str, Any], server: dict[str, Any]) -> Facts:
    if not info.get("certificate_deployments"):  # certinfo errored (e.g. a timeout)
        keys = ("expired", "not_yet_valid", "key_size", "sig_hash", "self_signed")
        return dict.fromkeys((*keys, "hostname_match", "chain_served", "path_valid"))
    deployment = info["certificate_deployments"][0]
    chain = deployment["received_certificate_chain"]
    leaf = chain[0]
    now = dt.datetime.now(dt.UTC)
    before = dt.datetime.fromisoformat(leaf["not_valid_before"].replace("Z", "+00:00"))
    after = dt.datetime.fromisoformat(leaf["not_valid_after"].replace("Z", "+00:00"))
    hostname = server["server_location"]["hostname"]
    supplied = [
        p
        for p in deployment["path_validation_results"]
        if p["trust_store"]["name"].startswith("Supplied")
    ]
    return {
        "expired": now > after,
        "not_yet_valid": now < before,
        "key_size": leaf["public_key"]["key_size"],
        "sig_hash": (leaf.get("signature_hash_algorithm") or {}).get("name"),
        "self_signed": leaf["subject"]["rfc4514_string"] == leaf["issuer"]["rfc4514_string"],
        "hostname_match": hostname in leaf["subject_alternative_name"]["dns_names"],
        "chain_served": len(chain),
        "path_valid": bool(supplied and supplied[0]["was_validation_successful"]),
    }


TESTSSL_SUBSET = frozenset({"tls-legacy", "tls-dhe1024", "tls-null-anon", "tls-nofs", "tls-sha1"})
"""testssl.sh needs ~30 s per endpoint and fails under heavy parallel load: a subset."""
TESTSSL_VERSIONS = {"ssl3": "SSLv3", "tls1": "TLSv1.0", "tls1_1": "TLSv1.1"}
TESTSSL_VERSIONS |= {"tls1_2": "TLSv1.2", "tls1_3": "TLSv1.3"}
TESTSSL_PROTOCOLS = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLS1": "TLSv1.0", "TLS1_1": "TLSv1.1"}
TESTSSL_PROTOCOLS |= {"TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}


def run_testssl(
    targets: list[tuple[str, str, int]], ca: Path, workers: int
) -> tuple[float, dict[str, Facts]]:
    """testssl.sh ``-p -E -S`` (protocols, every suite per protocol, certificate) per endpoint,
    ``workers`` endpoints at a time: it is slow (~30 s per endpoint)."""

    def one(target: tuple[str, str, int]) -> tuple[str, Facts]:
        name, address, port = target
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "t.json"
            argv = ["testssl", "--nodns", "none", "--color", "0", "--warnings", "off"]
            argv += ["-p", "-E", "-S", "--add-ca", str(ca), "--ip", address, "--jsonfile", str(out)]
            timed([*argv, f"{name}.lab.socaudit.test:{port}"])
            items = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
        return name, testssl_facts({i["id"]: i["finding"] for i in items})

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        facts = dict(pool.map(one, targets))
    return time.perf_counter() - started, facts


def testssl_facts(found: dict[str, str]) -> Facts:
    suites: dict[str, list[str]] = {}
    dh: list[int] = []
    for key, finding in found.items():
        if key.startswith("cipher-") and "_x" in key:
            version = TESTSSL_VERSIONS.get(key[len("cipher-") :].rsplit("_x", 1)[0])
            if version:
                suites.setdefault(version, []).append(finding.split()[-1])
                words = finding.split()
                dh += [int(words[i + 1]) for i, w in enumerate(words[:-1]) if w == "DH"]
    offered = [v for k, v in TESTSSL_PROTOCOLS.items() if "not" not in found.get(k, "not")]
    key_size = found.get("cert_keySize", "").split()
    signature = found.get("cert_signatureAlgorithm", "").split()
    return {
        "protocols": sorted(offered),
        "suites": {v: sorted(s) for v, s in suites.items()},
        "dh_bits": min(dh) if dh else None,
        "key_size": int(key_size[1]) if len(key_size) > 1 else None,
        "sig_hash": signature[0].lower() if signature else None,
        "expired": "expired" in found.get("cert_expirationStatus", ""),
    }


OPENSSL_FLAGS = {"TLSv1.0": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2"}
OPENSSL_FLAGS["TLSv1.3"] = "-tls1_3"


def referee(target: tuple[str, str, int], version: str, suite: str) -> str:
    """Ask ``openssl s_client`` (SECLEVEL=0) whether the server accepts ``suite``."""
    from socaudit.tls.suites import cipher_suites

    names = {s.name: s.openssl for s in cipher_suites().values()}
    if version == "TLSv1.3":
        names[suite] = suite  # OpenSSL names TLS 1.3 suites the IANA way
    if version not in OPENSSL_FLAGS or suite not in names:
        return "no referee"
    name, address, port = target
    argv = ["openssl", "s_client", "-connect", f"{address}:{port}", OPENSSL_FLAGS[version]]
    argv += ["-servername", f"{name}.lab.socaudit.test"]
    pick = (
        ["-ciphersuites", suite]
        if version == "TLSv1.3"
        else ["-cipher", f"{names[suite]}:@SECLEVEL=0"]
    )
    done = subprocess.run(
        argv + pick, input="", capture_output=True, text=True, timeout=10, check=False
    )
    return "accepted" if f"Cipher is {names[suite]}" in done.stdout else "rejected"


def suite_referee(
    targets: list[tuple[str, str, int]], ours: dict[str, Facts], theirs: dict[str, Facts]
) -> int:
    """For every suite only one tool reported, say what OpenSSL sees; count socaudit errors."""
    wrong = 0
    for target in targets:
        name = target[0]
        mine, other = ours[name]["suites"], theirs.get(name, {}).get("suites", {})
        for version in sorted(set(mine) | set(other)):
            for suite in sorted(set(mine.get(version, [])) ^ set(other.get(version, []))):
                who = "socaudit" if suite in mine.get(version, []) else "peer"
                verdict = referee(target, version, suite)
                wrong += (verdict == "accepted") != (who == "socaudit")
                print(
                    f"  referee {name} {version} {suite}: only {who} reports it; openssl: {verdict}"
                )
    return wrong


def agreement(ours: dict[str, Facts], theirs: dict[str, Facts], peer: str) -> int:
    """Print one row per endpoint; return the number of disagreeing facts (suites excluded:
    the referee judges those)."""
    keys = [k for k in next(iter(theirs.values())) if k in next(iter(ours.values()))]
    keys = [k for k in keys if k not in ("vulns", "errored")]  # tls_vulns.table; sslyze errors
    print(f"\nagreement with {peer} ('=' same, 'x' differs):")
    print(f"{'endpoint':16} " + " ".join(f"{k[:12]:>12}" for k in keys))
    differences = 0
    notes = []
    for name in sorted(ours):
        row = []
        for key in keys:
            same = ours[name].get(key) == theirs.get(name, {}).get(key)
            row.append("=" if same else "x")
            if not same:
                errored = theirs.get(name, {}).get("errored") or []
                excuse = f" ({peer} errored: {', '.join(errored)})" if errored else ""
                differences += key != "suites" and not errored
                theirs_value = theirs.get(name, {}).get(key)
                notes.append(
                    f"  {name}.{key}: socaudit={ours[name].get(key)} {peer}={theirs_value}{excuse}"
                )
        print(f"{name:16} " + " ".join(f"{c:>12}" for c in row))
    print("\n".join(notes))
    return differences


def main() -> int:
    parser = argparse.ArgumentParser(description="socaudit tls vs sslyze on the lab")
    parser.add_argument("--lab-dir", default=None)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per tool (median)")
    parser.add_argument("--testssl", action="store_true", help="also run testssl.sh on a subset")
    parser.add_argument(
        "--scale", type=int, default=0, help="also assess the endpoints N times over, in process"
    )
    args = parser.parse_args()
    if not SSLYZE.exists():
        print(f"sslyze missing at {SSLYZE}: run `make peers`")
        return 2
    with lab_session(args.lab_dir) as info:
        targets, ca = lab_targets(info)
        differences = compare(targets, ca, args.repeat, testssl=args.testssl)
        if args.scale:
            scale(targets, ca, args.scale)
    return differences


def scale(targets: list[tuple[str, str, int]], ca: Path, copies: int) -> None:
    """Throughput of the engine on ``copies`` × the lab endpoints (10 endpoints at a time,
    5 connections per address, 50 in total: the defaults)."""
    from socaudit.tls.engine import TlsOptions, TlsTarget, assess

    many = [
        TlsTarget(f"{name}.lab.socaudit.test", ipaddress.ip_address(address), port)
        for _ in range(copies)
        for name, address, port in targets
    ]
    started = time.perf_counter()
    results = list(assess(many, TlsOptions(ca_files=(ca,), http=False)))
    seconds = time.perf_counter() - started
    errors = sum(r.status != "completed" for r in results)
    connections = sum(r.handshakes for r in results)
    print(f"\nscale: {len(many)} endpoint assessments in {seconds:.2f} s")
    print(f"  {len(many) / seconds:.0f} endpoints/s, {connections} connections, {errors} errors")


def compare(targets: list[tuple[str, str, int]], ca: Path, repeat: int, *, testssl: bool) -> int:
    """Time both tools, print the agreement tables; the number of unexplained differences."""
    ours_runs, theirs_runs = [], []
    for _ in range(repeat):  # interleaved: both tools see the same machine load
        ours_runs.append(run_socaudit(targets, ca))
        theirs_runs.append(run_sslyze(targets, ca))
    ours_s = statistics.median(t for t, _ in ours_runs)
    theirs_s = statistics.median(t for t, _ in theirs_runs)
    ours, theirs = ours_runs[0][1], theirs_runs[0][1]
    print(f"{len(targets)} lab TLS endpoints, median of {repeat} runs (wall time)")
    connections = sum(f["handshakes"] for f in ours.values())
    print(
        f"  socaudit tls (all probes, HSTS request): {ours_s:6.2f} s  ({connections} connections)"
    )
    print(f"  sslyze (default checks + --resum --early_data): {theirs_s:6.2f} s")
    ratio = ours_s / theirs_s
    verdict = "met" if ratio <= 0.5 else "NOT met"
    print(f"  ratio socaudit/sslyze: {ratio:.2f} (target <= 0.5: {verdict})")
    unreachable = sorted(set(ours) - set(theirs))
    if unreachable:
        print(f"  sslyze could not connect to: {', '.join(unreachable)} (scripted personas)")
    reached = {n: f for n, f in ours.items() if n in theirs}
    differences = agreement(reached, theirs, "sslyze")
    differences += suite_referee([t for t in targets if t[0] in theirs], reached, theirs)
    nmap = tls_vulns.nmap_referee(targets) if shutil.which("nmap") else {}
    explained, unexplained = tls_vulns.table(
        {n: f["vulns"] for n, f in ours.items()}, {n: f["vulns"] for n, f in theirs.items()}, nmap
    )
    print(f"vulnerability differences: {explained} explained, {unexplained} unexplained")
    differences += unexplained + (ratio > 0.5)
    if testssl:
        if shutil.which("testssl") is None:
            print("\ntestssl not installed: skipped (apt-get install testssl.sh)")
        else:
            subset = [t for t in targets if t[0] in TESTSSL_SUBSET]
            seconds, facts = run_testssl(subset, ca, workers=2)
            print(f"\ntestssl.sh -p -E -S on {len(subset)} endpoints, 2 at a time: {seconds:.1f} s")
            ours = {name: f for name, f in ours.items() if name in facts}
            differences += agreement(ours, facts, "testssl")
    print(f"\nunexplained differences: {differences}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
