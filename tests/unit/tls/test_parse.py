"""The record reader and first-flight parser, fed crafted server bytes over a socketpair."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from socaudit.evidence.base import ErrorReason
from socaudit.tls import sslv2
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.handshake import MAX_FLIGHT, ServerFlight, read_flight
from socaudit.tls.parse import parse_key_exchange, parse_server_hello
from socaudit.tls.records import RecordReader
from tls import serverbytes as sb


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    with a, b:
        yield a, b


def flight(
    pair: tuple[socket.socket, socket.socket], data: bytes, close: bool = True
) -> ServerFlight:
    server, client = pair
    server.sendall(data)
    if close:
        server.shutdown(socket.SHUT_WR)
    reader = RecordReader(client, time.monotonic() + 1.0, MAX_FLIGHT)
    return read_flight(reader, MAX_FLIGHT)


def failure(
    pair: tuple[socket.socket, socket.socket], data: bytes, close: bool = True
) -> ProbeFailure:
    with pytest.raises(ProbeFailure) as caught:
        flight(pair, data, close)
    return caught.value


def test_tls12_flight_gives_suite_chain_and_dh_size(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    messages = sb.server_hello(0x0303, 0x009E) + sb.certificate((b"leaf", b"ca"))
    messages += sb.ske_dhe(1024) + sb.server_hello_done()
    result = flight(pair, sb.record(22, messages[:50]) + sb.record(22, messages[50:]))
    assert result.hello is not None
    assert (result.hello.version, result.hello.suite) == (0x0303, 0x009E)
    assert result.chain == (b"leaf", b"ca")
    assert result.kx.dh_bits == 1024


def test_ecdhe_flight_gives_named_curve(pair: tuple[socket.socket, socket.socket]) -> None:
    messages = sb.server_hello(0x0303, 0xC02F) + sb.certificate((b"leaf",)) + sb.ske_ecdhe(0x0018)
    result = flight(pair, sb.record(22, messages + sb.server_hello_done()))
    assert result.kx.curve == 0x0018 and result.kx.dh_bits is None


@pytest.mark.parametrize(
    ("version", "suite"),
    [(0x0300, 0x0005), (0x0300, 0x000A), (0x0301, 0x0003), (0x0301, 0x0004), (0x0302, 0x0014)],
    ids=["SSLv3-RC4", "SSLv3-3DES", "EXPORT-RC4-40", "RC4-MD5", "EXPORT-DHE-DES40"],
)
def test_legacy_server_hellos_parse(
    pair: tuple[socket.socket, socket.socket], version: int, suite: int
) -> None:
    data = sb.record(22, sb.server_hello(version, suite) + sb.server_hello_done(), version)
    hello = flight(pair, data).hello
    assert hello is not None and (hello.version, hello.suite) == (version, suite)


def test_tls13_server_hello_and_retry(pair: tuple[socket.socket, socket.socket]) -> None:
    hello = parse_server_hello(sb.server_hello(0x0304, 0x1302, group=0x0017)[4:])
    assert (hello.version, hello.suite, hello.group, hello.retry) == (0x0304, 0x1302, 0x0017, False)
    retry = parse_server_hello(sb.server_hello(0x0304, 0x1301, group=0x11EC, retry=True)[4:])
    assert retry.retry and retry.group == 0x11EC


def test_alert_is_a_refusal(pair: tuple[socket.socket, socket.socket]) -> None:
    result = flight(pair, sb.alert(40))
    assert not result.accepted and result.alert == 40


def test_clean_close_is_a_refusal(pair: tuple[socket.socket, socket.socket]) -> None:
    result = flight(pair, b"")
    assert not result.accepted and result.alert is None


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 400 Bad Request\r\n\r\n",
        b"\x16\x03\x03\xff\xff" + b"\x00" * 64,
        sb.record(23, b"application data first"),
        sb.record(22, sb.certificate((b"x",))),
        sb.record(22, sb.server_hello(0x0303, 0x2F)[:20]),
        sb.record(22, b"\x02\x00\x00\x05\x03\x03\x00\x00\x00"),
    ],
    ids=["http", "absurd-length", "appdata", "cert-first", "cut-in-message", "truncated-body"],
)
def test_malformed_replies_are_protocol_errors(
    pair: tuple[socket.socket, socket.socket], data: bytes
) -> None:
    assert failure(pair, data).reason is ErrorReason.PROTOCOL


def test_oversized_handshake_message_is_refused_before_reading_it(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    data = sb.record(22, sb.server_hello(0x0303, 0x2F) + b"\x0b\xff\xff\xff")
    caught = failure(pair, data, close=False)
    assert caught.reason is ErrorReason.PROTOCOL and "claims" in caught.detail


def test_silence_is_a_timeout(pair: tuple[socket.socket, socket.socket]) -> None:
    assert failure(pair, b"", close=False).reason is ErrorReason.TIMEOUT


def test_unknown_key_exchange_curve_type_is_rejected() -> None:
    with pytest.raises(ProbeFailure):
        parse_key_exchange(b"\x01\x00\x17", dhe=False, ecdhe=True)


def test_warning_alert_before_server_hello_is_not_a_refusal(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    warning = sb.record(21, bytes([1, 112]))  # warning: unrecognized_name
    hello = sb.server_hello(0x0303, 0x002F) + sb.certificate((b"c",)) + sb.server_hello_done()
    result = flight(pair, warning + sb.record(22, hello))
    assert result.accepted and result.chain == (b"c",)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x15\x03", b"\x80\x03\x04\x00\x00", sb.sslv2_server_hello((0x010080,))[:-20]],
    ids=["empty", "tls-alert", "short", "truncated"],
)
def test_non_sslv2_replies_mean_not_supported(data: bytes) -> None:
    assert sslv2.parse_server_hello(data) is None


def test_sslv2_client_hello_offers_every_cipher_kind() -> None:
    hello = sslv2.client_hello()
    assert hello[0] & 0x80 and ((hello[0] & 0x7F) << 8 | hello[1]) == len(hello) - 2
    assert hello[2] == 1 and hello[3:5] == b"\x00\x02"
    assert sslv2.parse_server_hello(sb.sslv2_server_hello(tuple(sslv2.CIPHER_KINDS))) == tuple(
        sslv2.CIPHER_KINDS.values()
    )
