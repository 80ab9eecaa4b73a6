"""Cost of the pure analysis per endpoint: certificate facts, grade and findings.

Builds a root -> intermediate -> leaf chain in memory (no network) and times, over many runs,
``analyze_chain`` (system trust store plus one extra CA file), ``grade`` and ``findings_for``.

    .venv/bin/python benchmarks/analysis_speed.py [--runs 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.tls import HstsFacts, KeyExchange, TlsEndpointResult
from socaudit.tls.certificates import analyze_chain
from socaudit.tls.findings import findings_for
from socaudit.tls.grading import grade

NOW = dt.datetime.now(dt.UTC)
HOST = "cong.langson.gov.vn"


def _issue(name: str, key: rsa.RSAPrivateKey, signer: tuple[x509.Name, rsa.RSAPrivateKey] | None,
           ca: bool) -> x509.Certificate:  # fmt: skip
    issuer_name, issuer_key = signer or (
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]),
        key,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
    return builder.sign(issuer_key, hashes.SHA256())


def _chain(directory: Path) -> tuple[list[bytes], Path]:
    keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(3)]
    root = _issue("Bench Root", keys[0], None, True)
    inter = _issue("Bench Intermediate", keys[1], (root.subject, keys[0]), True)
    leaf = _issue(HOST, keys[2], (inter.subject, keys[1]), False)
    (directory / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    der = [c.public_bytes(serialization.Encoding.DER) for c in (leaf, inter)]
    return der, directory / "root.pem"


def _time(label: str, runs: int, action: Callable[[], object]) -> None:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"  {label:31} median {statistics.median(samples):7.3f} ms   max {max(samples):7.3f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        der, root = _chain(Path(tmp))
        started = time.perf_counter()
        facts = analyze_chain(der, HOST, [root], NOW)
        first_ms = (time.perf_counter() - started) * 1000
        print(f"first analyze_chain (reads the system bundle): {first_ms:.1f} ms")
        result = TlsEndpointResult(
            target=f"{HOST}:443", status=AttemptStatus.COMPLETED, protocols=("TLSv1.2", "TLSv1.3"),
            cipher_suites={"TLSv1.2": ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",),
                           "TLSv1.3": ("TLS_AES_128_GCM_SHA256",)},
            key_exchange=KeyExchange(ecdhe_groups=("x25519",)), certificate=facts,
            hsts=HstsFacts(present=True, max_age=63072000),
        )  # fmt: skip
        print(f"{runs} runs each:")
        _time("analyze_chain", runs, lambda: analyze_chain(der, HOST, [root], NOW))
        _time("grade (incl. 5 Mozilla checks)", runs, lambda: grade(result, as_of=NOW))
        _time("findings_for", runs, lambda: findings_for(result, as_of=NOW))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
