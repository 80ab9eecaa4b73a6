"""ROBOT (Return Of Bleichenbacher's Oracle Threat, CVE-2017-13099 …): does the server answer
differently to RSA key exchanges whose PKCS #1 v1.5 padding is correct or broken?

Five ClientKeyExchange messages (the ROBOT paper's: a correct one, wrong first bytes, a 0x00
in the wrong place, no 0x00 separator, a wrong version in the premaster secret), each on its
own connection and followed by ChangeCipherSpec and a garbage Finished. A server without an
oracle answers all five alike; any difference is an oracle, and a difference seen again when
repeated is reported ``vulnerable``. No RSA key exchange accepted: ``not_applicable``.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from socaudit.tls.clienthello import HelloSpec
from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome
from socaudit.tls.probes.conversation import CHANGE_CIPHER_SPEC, conversation, record
from socaudit.tls.records import HANDSHAKE
from socaudit.tls.serials import silence_parse_warning
from socaudit.tls.suite_props import suite_props
from socaudit.tls.suites import suite_name
from socaudit.tls.versions import TlsVersion

KEYS = ("robot",)
VARIANTS = ("valid", "wrong_first_bytes", "wrong_00_position", "no_00", "wrong_version")


def _nonzero(count: int) -> bytes:
    return bytes(b % 255 + 1 for b in os.urandom(count))


def padded(variant: str, size: int, version: int) -> bytes:
    """A ``size``-byte encryption block for ``variant`` (premaster = version + 46 bytes)."""
    ver, secret = version.to_bytes(2, "big"), _nonzero(46)
    pad = _nonzero(size - 3 - 48)
    blocks = {
        "valid": b"\x00\x02" + pad + b"\x00" + ver + secret,
        "wrong_first_bytes": b"\x41\x17" + pad + b"\x00" + ver + secret,
        "wrong_00_position": b"\x00\x02" + pad + b"\x11" + ver + secret[:-2] + b"\x00\x11",
        "no_00": b"\x00\x02" + pad + b"\x11" + ver + secret,
        "wrong_version": b"\x00\x02" + pad + b"\x00" + b"\x02\x02" + secret,
    }
    return blocks[variant]


def client_key_exchange(key: rsa.RSAPublicKey, block: bytes) -> bytes:
    numbers = key.public_numbers()
    size = (key.key_size + 7) // 8
    encrypted = pow(int.from_bytes(block, "big"), numbers.e, numbers.n).to_bytes(size, "big")
    body = len(encrypted).to_bytes(2, "big") + encrypted
    return b"\x10" + len(body).to_bytes(3, "big") + body


def _rsa_setup(ctx: ProbeContext) -> tuple[TlsVersion, tuple[int, ...]] | None:
    """The highest TLS 1.0 … 1.2 version with RSA key-exchange suites, and those suites."""
    for version in reversed(ctx.facts.legacy_versions):
        if version is TlsVersion.SSL3:
            continue
        rsa_suites = tuple(
            s for s in ctx.facts.suites[version] if suite_props(suite_name(s)).key_exchange == "RSA"
        )
        if rsa_suites:
            return version, rsa_suites
    return None


def _public_key(chain: tuple[bytes, ...]) -> rsa.RSAPublicKey | None:
    if not chain:
        return None
    silence_parse_warning()
    try:
        key = x509.load_der_x509_certificate(chain[0]).public_key()
    except ValueError:
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None


def _attempt(ctx: ProbeContext, spec: HelloSpec, key: rsa.RSAPublicKey, variant: str) -> str:
    with conversation(ctx) as talk:
        flight = talk.hello(spec)
        if flight.hello is None:
            return f"refused:{flight.alert}"
        version = flight.hello.version
        block = padded(variant, (key.key_size + 7) // 8, spec.version)
        finished = record(HANDSHAKE, version, os.urandom(48))
        talk.send(
            record(HANDSHAKE, version, client_key_exchange(key, block))
            + record(CHANGE_CIPHER_SPEC, version, b"\x01")
            + finished
        )
        return talk.answer()


def _round(ctx: ProbeContext, spec: HelloSpec, key: rsa.RSAPublicKey) -> dict[str, str]:
    with ThreadPoolExecutor(max_workers=len(VARIANTS)) as pool:
        answers = pool.map(lambda v: _attempt(ctx, spec, key, v), VARIANTS)
        return dict(zip(VARIANTS, answers, strict=True))


def run(ctx: ProbeContext) -> ProbeOutcome:
    setup = _rsa_setup(ctx)
    if setup is None:
        return ProbeOutcome({"robot": "not_applicable"})
    key = _public_key(ctx.facts.chain)
    if key is None:
        note = "robot: not tested: RSA key exchange accepted but the leaf key is not RSA"
        return ProbeOutcome({"robot": None}, (note,))
    version, suites = setup
    spec = HelloSpec(version, suites, sni=ctx.facts.sni)
    first = _round(ctx, spec, key)
    if len(set(first.values())) == 1:
        return ProbeOutcome({"robot": "not_vulnerable"})
    second = _round(ctx, spec, key)
    if second == first:
        detail = ", ".join(f"{v}={a}" for v, a in first.items())
        return ProbeOutcome({"robot": "vulnerable"}, (f"robot: oracle answers {detail}",))
    note = "robot: answers differed but not consistently (network noise?), reported not vulnerable"
    return ProbeOutcome({"robot": "not_vulnerable"}, (note,))


PROBE = Probe(name="robot", section="vulnerabilities", keys=KEYS, run=run, budget=10)
