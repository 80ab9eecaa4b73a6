"""Heartbleed (CVE-2014-0160): a heartbeat request claiming more payload than it carries; a
vulnerable server answers with that much of its memory.

A server that does not echo the heartbeat extension cannot be vulnerable (one hello). One
that does gets the malformed request after its first flight; silence until the timeout, an
alert or a close all mean the request was refused.
"""

from __future__ import annotations

import struct

from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome, not_applicable
from socaudit.tls.probes.conversation import HEARTBEAT, conversation, legacy_spec, record

HEARTBEAT_EXTENSION = 15
PEER_ALLOWED_TO_SEND = b"\x01"
CLAIMED = 0x4000
KEYS = ("heartbleed",)


def malformed_request(version: int) -> bytes:
    """A heartbeat_request with payload_length 16384 and no payload or padding."""
    return record(HEARTBEAT, version, struct.pack("!BH", 1, CLAIMED))


def run(ctx: ProbeContext) -> ProbeOutcome:
    """``True`` when the server returns heartbeat data it was never sent."""
    spec = legacy_spec(ctx, extra_extensions=((HEARTBEAT_EXTENSION, PEER_ALLOWED_TO_SEND),))
    if spec is None:
        return not_applicable(KEYS, "no SSL 3.0 … TLS 1.2 version accepted")
    with conversation(ctx) as talk:
        flight = talk.hello(spec)
        if flight.hello is None:
            return not_applicable(
                KEYS, f"hello with the heartbeat extension refused ({flight.alert})"
            )
        if HEARTBEAT_EXTENSION not in flight.hello.extensions:
            return ProbeOutcome({"heartbleed": False})
        talk.send(malformed_request(flight.hello.version))
        while True:
            answer = talk.answer()
            if answer != f"record:{HEARTBEAT}" and answer.startswith("record:"):
                continue  # e.g. a late handshake record: keep reading until the deadline
            break
    if answer == f"record:{HEARTBEAT}":
        return ProbeOutcome({"heartbleed": True})
    return ProbeOutcome({"heartbleed": False})


PROBE = Probe(name="heartbleed", section="vulnerabilities", keys=KEYS, run=run, budget=1)
