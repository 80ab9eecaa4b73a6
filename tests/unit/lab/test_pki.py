"""The lab PKI: a chain that verifies, and each weak leaf weak in exactly its own way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from socaudit.lab.pki import ensure_pki
from socaudit.lab.targets import TARGETS

NOW = dt.datetime.now(dt.UTC)
TLS = tuple(t for t in TARGETS if t.kind == "tls")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lab_dir = tmp_path_factory.mktemp("pki")
    ensure_pki(lab_dir, TLS, NOW)
    return lab_dir


def chain(pki: Path, name: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates((pki / "certs" / f"{name}.pem").read_bytes())


def verify(pki: Path, name: str, dns: str) -> None:
    root = x509.load_pem_x509_certificate((pki / "ca" / "lab-root.pem").read_bytes())
    leaf, *rest = chain(pki, name)
    verifier = (
        PolicyBuilder()
        .store(Store([root]))
        .time(dt.datetime.now(dt.UTC))
        .build_server_verifier(x509.DNSName(dns))
    )
    verifier.verify(leaf, rest)


def test_good_leaf_verifies_to_the_lab_root_with_its_served_intermediate(pki: Path) -> None:
    verify(pki, "tls-good", "tls-good.lab.socaudit.test")
    leaf = chain(pki, "tls-good")[0]
    assert isinstance(leaf.public_key(), rsa.RSAPublicKey)
    assert leaf.public_key().key_size == 2048  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "dns"),
    [
        ("tls-expired", "tls-expired.lab.socaudit.test"),
        ("tls-notyet", "tls-notyet.lab.socaudit.test"),
        ("tls-selfsigned", "tls-selfsigned.lab.socaudit.test"),
        ("tls-mismatch", "tls-mismatch.lab.socaudit.test"),
        ("tls-nochain", "tls-nochain.lab.socaudit.test"),
    ],
)
def test_each_broken_leaf_fails_verification(pki: Path, name: str, dns: str) -> None:
    with pytest.raises(VerificationError):
        verify(pki, name, dns)


def test_dates_are_relative_to_now(pki: Path) -> None:
    assert chain(pki, "tls-expired")[0].not_valid_after_utc < NOW
    assert chain(pki, "tls-notyet")[0].not_valid_before_utc > NOW
    good = chain(pki, "tls-good")[0]
    assert good.not_valid_before_utc < NOW < good.not_valid_after_utc


def test_weak_leaves_made_with_the_openssl_cli(pki: Path) -> None:
    sha1 = chain(pki, "tls-sha1")[0]
    assert sha1.signature_hash_algorithm is not None
    assert sha1.signature_hash_algorithm.name == "sha1"
    assert chain(pki, "tls-rsa1024")[0].public_key().key_size == 1024  # type: ignore[union-attr]
    verify(pki, "tls-rsa1024", "tls-rsa1024.lab.socaudit.test")  # otherwise a good chain


def test_served_chain_lengths(pki: Path) -> None:
    lengths = {t.name: len(chain(pki, t.name)) for t in TLS}
    assert lengths.pop("tls-nochain") == 1
    assert lengths.pop("tls-selfsigned") == 1
    assert set(lengths.values()) == {2}


def test_every_certificate_has_ski_and_aki(pki: Path) -> None:
    certs = [c for t in TLS for c in chain(pki, t.name)]
    certs.append(x509.load_pem_x509_certificate((pki / "ca" / "lab-root.pem").read_bytes()))
    for cert in certs:
        cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)


def test_private_keys_are_not_world_readable(pki: Path) -> None:
    for key in [*pki.glob("certs/*.key"), *pki.glob("ca/*.key")]:
        assert key.stat().st_mode & 0o077 == 0, key


def test_fresh_pki_is_reused_and_an_old_one_regenerated(tmp_path: Path) -> None:
    ensure_pki(tmp_path, TLS[:1], NOW)
    root = tmp_path / "ca" / "lab-root.pem"
    before = root.read_bytes()
    ensure_pki(tmp_path, TLS[:1], NOW + dt.timedelta(hours=1))
    assert root.read_bytes() == before
    ensure_pki(tmp_path, TLS[:1], NOW + dt.timedelta(days=10))
    assert root.read_bytes() != before


@pytest.mark.parametrize("name", ["tls-good", "tls-sha1", "tls-rsa1024"])
def test_valid_leaves_are_backdated_a_day(pki: Path, name: str) -> None:
    """A scan made on the lab's first day is judged at noon UTC of its date: a leaf issued
    in the afternoon must already be valid then (the openssl-made ones included)."""
    leaf = chain(pki, name)[0]
    assert leaf.not_valid_before_utc <= NOW - dt.timedelta(hours=23)
    assert leaf.not_valid_after_utc >= NOW + dt.timedelta(days=89)
    assert leaf.serial_number > 0
