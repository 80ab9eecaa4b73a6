"""ClientHello bytes: parsed back by an independent parser, and by scapy as an oracle."""

from __future__ import annotations

import pytest

from socaudit.tls.clienthello import MAX_SUITES, HelloSpec, build_client_hello
from socaudit.tls.enumerate import candidate_suites
from socaudit.tls.suites import GROUPS, SCSV_RENEGOTIATION, X25519
from socaudit.tls.versions import TlsVersion
from tls.serverbytes import parse_client_hello

LEGACY = (0x0005, 0x000A, 0x0003, 0x0018)  # RC4, 3DES, export RC4, anon RC4


@pytest.mark.parametrize("version", [TlsVersion.TLS10, TlsVersion.TLS11, TlsVersion.TLS12])
def test_tls12_and_older_hello_offers_exactly_the_given_suites(version: TlsVersion) -> None:
    hello = parse_client_hello(build_client_hello(HelloSpec(version, LEGACY, sni="a.example")))
    assert hello.version == version
    assert hello.record_version == 0x0301
    assert hello.suites == list(LEGACY)
    assert hello.extensions[0xFF01] == b"\x00"  # renegotiation_info, not the SCSV
    assert hello.compression == b"\x00"
    assert hello.sni == "a.example"
    assert 43 not in hello.extensions and 51 not in hello.extensions
    assert (13 in hello.extensions) is (version == TlsVersion.TLS12)


def test_tls12_groups_leave_out_ffdhe_and_hybrids() -> None:
    hello = parse_client_hello(build_client_hello(HelloSpec(TlsVersion.TLS12, (0xC02F,))))
    assert X25519 in hello.groups and 0x0017 in hello.groups
    assert not {0x0100, 0x11EC} & set(hello.groups)


def test_sslv3_hello_has_no_extensions() -> None:
    hello = parse_client_hello(build_client_hello(HelloSpec(TlsVersion.SSL3, LEGACY, sni="x.y")))
    assert (hello.record_version, hello.version) == (0x0300, 0x0300)
    assert hello.extensions == {}
    assert hello.suites == [*LEGACY, SCSV_RENEGOTIATION]


def test_tls13_hello_carries_versions_key_share_and_all_groups() -> None:
    spec = HelloSpec(TlsVersion.TLS13, (0x1301, 0x1302, 0x1303), sni="b.example")
    hello = parse_client_hello(build_client_hello(spec))
    assert hello.version == 0x0303
    assert hello.supported_versions == [0x0304]
    assert len(hello.session_id) == 32
    assert hello.suites == [0x1301, 0x1302, 0x1303]
    assert set(hello.groups) == set(GROUPS)
    assert 0x11EC in hello.groups
    assert list(hello.key_shares) == [X25519]
    assert len(hello.key_shares[X25519]) == 32


def test_group_probe_without_x25519_sends_no_key_share() -> None:
    spec = HelloSpec(TlsVersion.TLS13, (0x1301,), groups=(0x0017, 0x11EC))
    hello = parse_client_hello(build_client_hello(spec))
    assert hello.groups == [0x0017, 0x11EC]
    assert hello.key_shares == {}


def test_ip_literal_is_never_sent_as_sni() -> None:
    hello = parse_client_hello(build_client_hello(HelloSpec(TlsVersion.TLS12, (0x2F,), "10.1.2.3")))
    assert hello.sni is None


def test_every_candidate_suite_fits_in_one_hello() -> None:
    suites = candidate_suites(TlsVersion.TLS12)
    assert len(suites) > 300
    hello = parse_client_hello(build_client_hello(HelloSpec(TlsVersion.TLS12, suites)))
    assert hello.suites == list(suites)


@pytest.mark.parametrize("count", [0, MAX_SUITES + 1])
def test_suite_count_is_bounded(count: int) -> None:
    with pytest.raises(ValueError, match="suites"):
        build_client_hello(HelloSpec(TlsVersion.TLS12, tuple(range(count))))


def test_scapy_parses_our_hello_the_same_way() -> None:
    from scapy.layers.tls.record import TLS  # slow import: oracle only

    spec = HelloSpec(TlsVersion.TLS12, (0xC02F, 0x0005, 0x000A), sni="c.example")
    parsed = TLS(build_client_hello(spec))  # type: ignore[no-untyped-call]
    hello = parsed.msg[0]
    assert hello.version == 0x0303
    assert list(hello.ciphers) == [0xC02F, 0x0005, 0x000A]
    assert hello.ext[0].servernames[0].servername == b"c.example"


@pytest.mark.parametrize("suites", [1, 20, 60, 100, 130, 200])
@pytest.mark.parametrize("version", [TlsVersion.TLS10, TlsVersion.TLS12, TlsVersion.TLS13])
def test_hello_length_avoids_the_256_to_511_byte_window(version: TlsVersion, suites: int) -> None:
    offer = candidate_suites(version)[:suites]
    record = build_client_hello(HelloSpec(version, offer, groups=(0x0017,), sni="a.b"))
    assert not 0x100 <= len(record) - 5 < 0x200
    assert parse_client_hello(record).suites == list(offer)


def test_scapy_reads_our_tls13_extensions() -> None:
    from scapy.layers.tls.record import TLS  # slow import: oracle only

    spec = HelloSpec(TlsVersion.TLS13, (0x1301, 0x1302), sni="d.example")
    hello = TLS(build_client_hello(spec)).msg[0]  # type: ignore[no-untyped-call]
    by_name = {type(e).__name__: e for e in hello.ext}
    assert by_name["TLS_Ext_SupportedVersion_CH"].versions == [0x0304]
    shares = by_name["TLS_Ext_KeyShare_CH"].client_shares
    assert [(k.group, len(k.key_exchange)) for k in shares] == [(X25519, 32)]
    assert "TLS_Ext_PSKKeyExchangeModes" in by_name
