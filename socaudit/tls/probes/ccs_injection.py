"""OpenSSL CCS injection (CVE-2014-0224): a ChangeCipherSpec before the key exchange.

A patched server answers the early CCS with ``unexpected_message``. A vulnerable one takes it
and switches to keys made from an empty master secret, so the next record (an alert we send
in the clear) fails its MAC check: ``bad_record_mac`` (or ``decryption_failed``).
"""

from __future__ import annotations

from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome, not_applicable
from socaudit.tls.probes.conversation import CHANGE_CIPHER_SPEC, conversation, legacy_spec, record
from socaudit.tls.records import ALERT

BAD_RECORD_MAC = 20
DECRYPTION_FAILED = 21
KEYS = ("ccs_injection",)


def run(ctx: ProbeContext) -> ProbeOutcome:
    """``True`` when the server accepted the early CCS."""
    spec = legacy_spec(ctx)
    if spec is None:
        return not_applicable(KEYS, "no SSL 3.0 … TLS 1.2 version accepted")
    with conversation(ctx) as talk:
        flight = talk.hello(spec)
        if flight.hello is None:
            return not_applicable(KEYS, f"hello refused (alert {flight.alert})")
        version = flight.hello.version
        talk.send(record(CHANGE_CIPHER_SPEC, version, b"\x01"))
        talk.send(record(ALERT, version, b"\x01\x00"))  # close_notify, sent unencrypted
        answer = talk.answer()
    vulnerable = answer in {f"alert:{BAD_RECORD_MAC}", f"alert:{DECRYPTION_FAILED}"}
    notes = () if answer.startswith("alert:") else (f"ccs_injection: server {answer} after CCS",)
    return ProbeOutcome({"ccs_injection": vulnerable}, notes)


PROBE = Probe(name="ccs_injection", section="vulnerabilities", keys=KEYS, run=run, budget=1)
