"""Host discovery on loopback: scapy ICMP/SYN as root, TCP connect otherwise (real packets)."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from socaudit.collect.discovery import connect_discovery, raw_discovery

pytestmark = pytest.mark.integration

ADDRESS = ipaddress.ip_address("127.0.30.91")


@pytest.fixture
def listener() -> Iterator[int]:
    with socket.create_server((str(ADDRESS), 0)) as server:
        yield server.getsockname()[1]


def test_icmp_echo_answers_on_loopback_as_root() -> None:
    assert os.geteuid() == 0, "the test suite runs as root (raw sockets)"
    result = raw_discovery(ADDRESS, (9,), timeout=2)
    assert (result.method, result.host_up) == ("icmp_echo", True)
    assert result.rtt_ms is not None and result.rtt_ms >= 0


def test_connect_discovery_counts_open_and_refused_ports(listener: int) -> None:
    open_port = connect_discovery(ADDRESS, (listener,), 2, "test")
    closed = connect_discovery(ADDRESS, (9,), 2, "test")
    assert open_port.host_up and closed.host_up
    assert open_port.method == closed.method == "tcp_connect"


@pytest.mark.netns
def test_unreachable_host_is_down_inside_a_namespace_without_loopback() -> None:
    name = f"sa-test-disc-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:  # lo stays down: every connect fails, nothing leaves the namespace
        code = (
            "import ipaddress;from socaudit.collect.discovery import connect_discovery as c;"
            "r=c(ipaddress.ip_address('127.0.30.92'),(80,),1,'t');print(r.host_up)"
        )
        out = subprocess.run(
            ["ip", "netns", "exec", name, sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        assert out.stdout.strip() == "False"
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)
