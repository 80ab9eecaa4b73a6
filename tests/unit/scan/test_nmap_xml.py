"""nmap XML parsing on output recorded from real nmap 7.93 runs against loopback listeners."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from socaudit.collect.nmap_xml import NmapXmlError, parse_nmap_xml

DATA = Path(__file__).parents[2] / "data" / "nmap"


def test_tls_tunnel_is_kept() -> None:
    run = parse_nmap_xml((DATA / "tls-http-127.0.30.1.xml").read_text())
    assert run.version == "7.93"
    host = run.host(ipaddress.ip_address("127.0.30.1"))
    assert host is not None
    assert host.state == "up"
    ports = {p.port: p for p in host.ports}
    assert set(ports) == {22, 8080, 8443}
    tls = ports[8443]
    assert (tls.state, tls.service, tls.tunnel, tls.tls) == ("open", "http", "ssl", True)
    assert tls.product == "OpenSSL s_server -www httpd"
    assert tls.cpe == ("cpe:/a:openssl:openssl",)
    plain = ports[8080]
    assert (plain.service, plain.tunnel, plain.tls) == ("http", None, False)
    assert plain.version == "0.6"
    assert not ports[22].is_open


def test_ipv6_host() -> None:
    run = parse_nmap_xml((DATA / "ipv6-loopback.xml").read_bytes())
    (host,) = run.hosts
    assert host.address == ipaddress.ip_address("::1")
    assert [p.port for p in host.ports if p.is_open] == [8081]


def test_host_absent_gives_none() -> None:
    run = parse_nmap_xml((DATA / "ipv6-loopback.xml").read_text())
    assert run.host(ipaddress.ip_address("127.0.0.1")) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not xml at all",
        "<nmaprun><host>",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><nmaprun>&a;</nmaprun>',
        "<html><body>nmap</body></html>",
    ],
)
def test_bad_input_is_an_nmap_xml_error(text: str) -> None:
    with pytest.raises(NmapXmlError):
        parse_nmap_xml(text)


def test_entity_declaration_hidden_in_utf16_is_refused() -> None:
    doc = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><nmaprun/>'
    with pytest.raises(NmapXmlError):
        parse_nmap_xml(doc.encode("utf-16"))


def test_hostile_values_are_skipped_not_crashing() -> None:
    doc = (
        "<nmaprun><host><address addr='999.1.1.1' addrtype='ipv4'/></host>"
        "<host><address addr='127.0.30.2' addrtype='ipv4'/><ports>"
        "<port protocol='tcp' portid='70000'><state state='open'/></port>"
        "<port protocol='sctp' portid='80'><state state='open'/></port>"
        "<port protocol='tcp' portid='x'><state state='open'/></port>"
        "<port protocol='tcp' portid='443'><state state='open'/></port>"
        "</ports></host></nmaprun>"
    )
    run = parse_nmap_xml(doc)
    (host,) = run.hosts
    assert [p.port for p in host.ports] == [443]
    assert host.state == "unknown"


def test_host_timeout_is_reported() -> None:
    run = parse_nmap_xml((DATA / "host-timeout.xml").read_text())
    (host,) = run.hosts
    assert host.timed_out
    assert host.ports == ()
    assert not parse_nmap_xml((DATA / "ipv6-loopback.xml").read_text()).hosts[0].timed_out
