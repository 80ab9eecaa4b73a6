"""The address plan is a contract: exact names, kinds, addresses and ports; loopback only."""

from __future__ import annotations

import ipaddress

import pytest

from socaudit.lab.targets import (
    TARGETS,
    NotLoopbackError,
    parse_network,
    require_loopback,
    targets_for,
)

PLAN = {
    "tls-good": ("tls", "127.0.10.10", 8443),
    "http-redirect": ("http", "127.0.10.10", 8080),
    "tls-legacy": ("tls", "127.0.10.11", 8443),
    "tls-expired": ("tls", "127.0.10.12", 8443),
    "tls-notyet": ("tls", "127.0.10.13", 8443),
    "tls-selfsigned": ("tls", "127.0.10.14", 8443),
    "tls-rsa1024": ("tls", "127.0.10.15", 8443),
    "tls-sha1": ("tls", "127.0.10.16", 8443),
    "tls-mismatch": ("tls", "127.0.10.17", 8443),
    "tls-nochain": ("tls", "127.0.10.18", 8443),
    "tls-null-anon": ("tls", "127.0.10.19", 8443),
    "tls-dhe1024": ("tls", "127.0.10.20", 8443),
    "tls-nofs": ("tls", "127.0.10.21", 8443),
    "http-plain": ("http", "127.0.10.30", 8080),
    "ssh-weak": ("ssh", "127.0.10.40", 2222),
    "ssh-modern": ("ssh", "127.0.10.41", 2222),
    "telnet-admin": ("telnet", "127.0.10.50", 2323),
    "ftp-anon": ("ftp", "127.0.10.51", 2121),
    "smtp-plain": ("smtp", "127.0.10.52", 2525),
    "db-exposed": ("db", "127.0.10.60", 3306),
    "tls-heartbleed": ("tls", "127.0.10.70", 8443),
    "tls-ccs": ("tls", "127.0.10.71", 8443),
    "tls-robot": ("tls", "127.0.10.72", 8443),
    "tls-compression": ("tls", "127.0.10.73", 8443),
    "tls-reneg": ("tls", "127.0.10.74", 8443),
    "tls-0rtt": ("tls", "127.0.10.75", 8443),
    "tls-noresume": ("tls", "127.0.10.76", 8443),
    "smtp-starttls": ("smtp", "127.0.10.80", 2587),
    "imap-starttls": ("imap", "127.0.10.87", 2143),
    "pop3-starttls": ("pop3", "127.0.10.88", 2110),
    "ftp-starttls": ("ftp", "127.0.10.89", 2021),
    "tls-revoked": ("tls", "127.0.10.84", 8443),
    "tls-ocsp-stapled": ("tls", "127.0.10.85", 8443),
    "ocsp-responder": ("ocsp", "127.0.10.86", 8080),
}


def test_the_table_is_exactly_the_agreed_plan() -> None:
    assert {t.name: (t.kind, t.address, t.port) for t in TARGETS} == PLAN
    assert len({(t.address, t.port) for t in TARGETS}) == len(TARGETS)


def test_names_for_sni_and_certificates() -> None:
    by_name = {t.name: t for t in TARGETS}
    assert by_name["tls-good"].hostname == "tls-good.lab.socaudit.test"
    assert by_name["tls-good"].cert_name == "tls-good.lab.socaudit.test"
    assert by_name["tls-mismatch"].hostname == "tls-mismatch.lab.socaudit.test"
    assert by_name["tls-mismatch"].cert_name == "other-name.example.test"


@pytest.mark.parametrize("address", ["127.0.0.1", "127.255.255.254", "127.0.10.60", "::1"])
def test_loopback_addresses_are_accepted(address: str) -> None:
    require_loopback(address)


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "192.168.1.10", "0.0.0.0", "::", "8.8.8.8", "localhost", "-sV", ""],  # noqa: S104
)
def test_everything_else_is_refused(address: str) -> None:
    with pytest.raises(NotLoopbackError):
        require_loopback(address)


def test_plan_moves_to_another_loopback_24_keeping_last_octets() -> None:
    moved = targets_for(parse_network("127.0.11.0/24"))
    assert [t.address.rsplit(".", 1)[1] for t in moved] == [
        t.address.rsplit(".", 1)[1] for t in TARGETS
    ]
    assert all(ipaddress.ip_address(t.address) in parse_network("127.0.11.0/24") for t in moved)


@pytest.mark.parametrize(
    "text", ["10.0.0.0/24", "127.0.0.0/16", "127.0.10.0/25", "127.0.10.1/24", "::1/128", "x"]
)
def test_bad_networks_are_refused(text: str) -> None:
    with pytest.raises(NotLoopbackError):
        parse_network(text)
