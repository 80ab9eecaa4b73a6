"""Reading ``openssl s_client`` output: renegotiation verdicts (recorded output shapes)."""

from __future__ import annotations

from socaudit.tls.probes.client_renegotiation import verdict

HEAD = "CONNECTED(00000003)\ndepth=0 CN = x\nverify return:1\n---\nSSL handshake has read 1 bytes\n"


def test_accepted_renegotiation_shows_a_second_verification() -> None:
    tail = "RENEGOTIATING\ndepth=1 CN = ca\nverify error:num=20:unable to get local issuer\n"
    assert verdict(HEAD + tail + "depth=0 CN = x\nverify return:1\n") is True


def test_refused_renegotiation() -> None:
    tail = "RENEGOTIATING\n4007A0F2:error:0A000153:SSL routines:ssl3_read_bytes:no renegotiation:\n"
    assert verdict(HEAD + tail) is False


def test_no_handshake_at_all() -> None:
    assert verdict("connect:errno=111\n") is None
