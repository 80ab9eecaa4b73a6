"""``--starttls postgres`` against a real PostgreSQL server (a throwaway cluster with ssl=on,
listening on 127.0.35.1:5432 only), including ``auto`` from the usual port."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from ipaddress import ip_address
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pg_support import _as_postgres, _pg_bin
from scan_support import query, run_socaudit

from socaudit.evidence.base import AttemptStatus
from socaudit.tls.engine import TlsOptions, TlsTarget, assess

pytestmark = pytest.mark.integration
ADDRESS, PORT, NAME = "127.0.35.1", 5432, "db.lab.socaudit.test"


def _pki(base: Path) -> Path:
    """A CA and a leaf for ``NAME``; returns the CA file (server.crt/.key written in ``base``)."""
    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pg test CA")])
    ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)]))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    pem = serialization.Encoding.PEM
    (base / "server.crt").write_bytes(leaf.public_bytes(pem))
    (base / "server.key").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (base / "server.key").chmod(0o600)
    (base / "ca.pem").write_bytes(ca.public_bytes(pem))
    return base / "ca.pem"


@pytest.fixture(scope="module")
def postgres_tls() -> Iterator[Path]:
    """A PostgreSQL cluster with TLS on 127.0.35.1:5432; yields the CA file."""
    bindir = _pg_bin()
    base = Path(tempfile.mkdtemp(prefix="socaudit-pgtls-"))
    data = base / "data"
    data.mkdir()
    ca = _pki(base)
    if os.geteuid() == 0:
        for path in (base, data, base / "server.crt", base / "server.key"):
            shutil.chown(path, "postgres")
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
    subprocess.run(_as_postgres(initdb), check=True, capture_output=True, timeout=120)
    options = (
        f"-c listen_addresses={ADDRESS} -p {PORT} -k {base} -c ssl=on "
        f"-c ssl_cert_file={base / 'server.crt'} -c ssl_key_file={base / 'server.key'}"
    )
    pg_ctl = str(bindir / "pg_ctl")
    start = [pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"]
    subprocess.run(_as_postgres(start), check=True, capture_output=True, timeout=120)
    try:
        yield ca
    finally:
        stop = [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_postgres(stop), check=False, capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("mode", ["postgres", "auto"])
def test_real_postgresql_after_sslrequest(postgres_tls: Path, mode: str) -> None:
    target = TlsTarget(NAME, ip_address(ADDRESS), PORT, starttls=mode)
    options = TlsOptions(timeout=5.0, ca_files=(postgres_tls,), http=False)
    (result,) = assess([target], options)
    assert result.status is AttemptStatus.COMPLETED, result.error
    assert result.starttls == "postgres"
    assert result.protocols == ("TLSv1.2", "TLSv1.3")
    assert "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" in result.cipher_suites["TLSv1.2"]
    cert = result.certificate
    assert cert is not None and cert.key_type == "EC" and cert.chain_trusted and cert.hostname_match


def test_plain_postgresql_port_without_tls_is_an_error(postgres_tls: Path) -> None:
    """Direct TLS to a PostgreSQL port is not TLS: the endpoint says so instead of hanging."""
    target = TlsTarget(NAME, ip_address(ADDRESS), PORT)
    (result,) = assess([target], TlsOptions(timeout=3.0, http=False, probes=()))
    assert result.status is AttemptStatus.ERROR and result.error is not None


def test_scan_upgrades_postgresql_found_by_nmap_on_its_usual_port(
    postgres_tls: Path, tmp_path: Path
) -> None:
    """``socaudit scan``: nmap names postgresql on 5432, the TLS probe runs after SSLRequest."""
    today = dt.datetime.now(dt.UTC).date()
    data = {
        "schema_version": 1,
        "organization": {"name": "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"},
        "authorization": {
            "reference": "Quyết định số 77/QĐ-UBND (kiểm thử)",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": today - dt.timedelta(days=1), "to": today + dt.timedelta(days=1)},
            "scope": ["127.0.35.0/24"],
        },
        "trust": {"ca_bundles": [str(postgres_tls)]},
        "systems": [{
            "id": "csdl", "name": "Cơ sở dữ liệu dùng chung", "level": 2,
            "level_approval": {"status": "approved"},
            "assets": [{"id": "csdl-1", "address": ADDRESS, "hostname": NAME,
                        "services": [{"port": PORT, "name": "postgresql",
                                      "exposure": "internal"}]}],
        }],
    }  # fmt: skip
    inventory = tmp_path / "inv.yaml"
    inventory.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "run.db"
    done = run_socaudit(db, "scan", "-i", str(inventory), "--top-ports", "0", "--timeout", "5")
    assert done.returncode in (0, 1), done.stderr
    (row,) = query(db, "select status, payload from evidence where kind = 'tls'")
    assert row[0] == "completed"
    payload = json.loads(row[1])["payload"]
    assert payload["starttls"] == "postgres" and "TLSv1.3" in payload["protocols"]
