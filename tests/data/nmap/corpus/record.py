"""Record the nmap XML corpus: real nmap runs against the loopback lab and a private netns.

Run as root from the repository root (``.venv/bin/python tests/data/nmap/corpus/record.py``);
it holds the shared lab while nmap runs and writes ``nmap-<version>-<case>.xml`` here. Only
loopback addresses and a network namespace made (and removed) by this script are scanned.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from socaudit.lab.shared import shared_lab

HERE = Path(__file__).parent
NETNS_A, NETNS_B = "socaudit-corpus-a", "socaudit-corpus-b"
LAN = ("10.213.0.1", "10.213.0.2")
"""A two-namespace veth LAN: A scans B (MAC address, ARP) and an empty address (down)."""

CASES: dict[str, list[str]] = {
    "scripts-tls": ["-sV", "--script", "ssl-cert,http-title", "-p", "8443,8080", "127.0.10.10"],
    "os-detection": ["-O", "--osscan-guess", "-p", "22,2222,8080", "127.0.10.40"],
    "extra-ports": ["--top-ports", "200", "127.0.10.30", "127.0.10.60"],
    "udp-and-tcp": ["-sU", "-sS", "-p", "U:53,161,T:2121,2525", "127.0.10.51", "127.0.10.52"],
    "traceroute-hostname": ["--traceroute", "-p", "2222", "localhost"],
    "ipv6": ["-6", "-sV", "-p", "22,8443,9", "::1"],
}


def nmap(args: list[str], out: Path, netns: str | None = None) -> None:
    prefix = ["ip", "netns", "exec", netns] if netns else []
    argv = [*prefix, "nmap", "-n", "-oX", str(out), *args]
    subprocess.run(argv, check=True, capture_output=True, timeout=600)


def version() -> str:
    done = subprocess.run(["nmap", "--version"], check=True, capture_output=True, text=True)
    return done.stdout.split()[2]


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


def lan_cases(tag: str) -> None:
    """Down hosts and a MAC address, from a LAN of two namespaces (removed afterwards)."""
    ip("netns", "add", NETNS_A)
    ip("netns", "add", NETNS_B)
    try:
        ip("link", "add", "sc-corpus-a", "netns", NETNS_A, "type", "veth",
           "peer", "name", "sc-corpus-b", "netns", NETNS_B)  # fmt: skip
        for ns, dev, addr in ((NETNS_A, "sc-corpus-a", LAN[0]), (NETNS_B, "sc-corpus-b", LAN[1])):
            ip("-n", ns, "addr", "add", f"{addr}/24", "dev", dev)
            ip("-n", ns, "link", "set", dev, "up")
            ip("-n", ns, "link", "set", "lo", "up")
        nmap(["-sn", "-v", "10.213.0.2-5"], HERE / f"nmap-{tag}-lan-ping-down-hosts.xml", NETNS_A)
        nmap(["-sS", "-v", "-p", "22,80", "10.213.0.2", "10.213.0.9"],
             HERE / f"nmap-{tag}-lan-mac-and-down.xml", NETNS_A)  # fmt: skip
    finally:
        ip("netns", "del", NETNS_A)
        ip("netns", "del", NETNS_B)


def main() -> None:
    if shutil.which("nmap") is None:
        raise SystemExit("nmap is not installed")
    tag = version()
    with shared_lab():
        for name, args in CASES.items():
            nmap(args, HERE / f"nmap-{tag}-{name}.xml")
    lan_cases(tag)


if __name__ == "__main__":
    main()
