"""analyze_chain on chains generated in the test (cryptography, and openssl for legacy leaves)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from analysis.factory import DAY, NOW, Pki, issue, make_pki, openssl_leaf
from socaudit.errors import InputError
from socaudit.tls.certificates import CertificateError, analyze_chain

HOST = "cong-dich-vu.langson.gov.vn"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture(scope="module")
def root_file(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pki.write_root(tmp_path_factory.mktemp("ca"))


def test_valid_chain_is_trusted_complete_and_matching(pki: Pki, root_file: Path) -> None:
    leaf = pki.leaf(HOST)
    facts = analyze_chain([leaf.der, pki.intermediate.der], HOST, [root_file], NOW)
    assert facts.chain_trusted and facts.chain_complete and facts.hostname_match
    assert facts.trust_error is None
    assert facts.trust_anchor == "extra"  # our test root came from a CA file
    assert (facts.key_type, facts.key_size, facts.signature_hash) == ("RSA", 2048, "sha256")
    assert not facts.expired and not facts.not_yet_valid and not facts.self_signed
    assert facts.days_remaining in (89, 90)
    assert facts.lifespan_days == 91
    assert facts.chain_length == 2
    assert facts.san == (HOST,)
    assert f"CN={HOST}" in facts.subject and "Lạng Sơn" in facts.subject
    assert facts.not_after.endswith("Z")


def test_without_the_ca_file_the_chain_is_untrusted_but_complete(pki: Pki) -> None:
    leaf = pki.leaf(HOST)
    facts = analyze_chain([leaf.der, pki.intermediate.der], HOST, [], NOW)
    assert not facts.chain_trusted
    assert facts.chain_complete
    assert facts.trust_error
    assert facts.trust_anchor is None


def test_expired_leaf_stays_trusted(pki: Pki, root_file: Path) -> None:
    leaf = pki.leaf(HOST, not_before=NOW - 400 * DAY, not_after=NOW - 10 * DAY)
    facts = analyze_chain([leaf.der, pki.intermediate.der], HOST, [root_file], NOW)
    assert facts.expired and not facts.not_yet_valid
    assert facts.days_remaining == -10
    assert facts.chain_trusted


def test_not_yet_valid_leaf_stays_trusted(pki: Pki, root_file: Path) -> None:
    leaf = pki.leaf(HOST, not_before=NOW + 5 * DAY, not_after=NOW + 50 * DAY)
    facts = analyze_chain([leaf.der, pki.intermediate.der], HOST, [root_file], NOW)
    assert facts.not_yet_valid and not facts.expired
    assert facts.chain_trusted


def test_self_signed_leaf(root_file: Path) -> None:
    leaf = issue(HOST, names=(HOST,))
    facts = analyze_chain([leaf.der], HOST, [root_file], NOW)
    assert facts.self_signed and not facts.chain_trusted
    assert facts.chain_complete
    assert facts.issuer == facts.subject


def test_self_signed_leaf_given_as_anchor_is_trusted(tmp_path: Path) -> None:
    leaf = issue(HOST, names=(HOST,))
    (tmp_path / "leaf.pem").write_bytes(leaf.pem)
    facts = analyze_chain([leaf.der], HOST, [tmp_path / "leaf.pem"], NOW)
    assert facts.self_signed and facts.chain_trusted


def test_wrong_hostname(pki: Pki, root_file: Path) -> None:
    leaf = pki.leaf("other-name.example.test")
    facts = analyze_chain([leaf.der, pki.intermediate.der], HOST, [root_file], NOW)
    assert facts.hostname_match is False
    assert facts.chain_trusted  # trust and name are separate facts


def test_no_hostname_gives_none(pki: Pki, root_file: Path) -> None:
    facts = analyze_chain([pki.leaf(HOST).der, pki.intermediate.der], None, [root_file], NOW)
    assert facts.hostname_match is None


@pytest.mark.parametrize(
    ("hostname", "expected"),
    [
        ("www.langson.gov.vn", True),
        ("WWW.LangSon.gov.vn.", True),
        ("langson.gov.vn", False),
        ("a.b.langson.gov.vn", False),
    ],
)
def test_wildcard(pki: Pki, root_file: Path, hostname: str, expected: bool) -> None:
    leaf = pki.leaf("*.langson.gov.vn")
    facts = analyze_chain([leaf.der, pki.intermediate.der], hostname, [root_file], NOW)
    assert facts.hostname_match is expected


def test_ip_san(pki: Pki, root_file: Path) -> None:
    leaf = pki.leaf("127.0.21.7")
    chain = [leaf.der, pki.intermediate.der]
    assert analyze_chain(chain, "127.0.21.7", [root_file], NOW).hostname_match is True
    assert analyze_chain(chain, "127.0.21.8", [root_file], NOW).hostname_match is False
    assert analyze_chain(chain, "127.0.21.7", [root_file], NOW).chain_trusted


def test_missing_intermediate(pki: Pki, root_file: Path) -> None:
    facts = analyze_chain([pki.leaf(HOST).der], HOST, [root_file], NOW)
    assert not facts.chain_complete and not facts.chain_trusted
    assert facts.trust_error and "issuer not found" in facts.trust_error


def test_ec_p256_key(pki: Pki, root_file: Path) -> None:
    leaf = pki.leaf(HOST, key=ec.generate_private_key(ec.SECP256R1()))
    facts = analyze_chain([leaf.der, pki.intermediate.der], HOST, [root_file], NOW)
    assert (facts.key_type, facts.key_size) == ("EC", 256)
    assert facts.chain_trusted


def test_ed25519_self_signed() -> None:
    leaf = issue(HOST, key=ed25519.Ed25519PrivateKey.generate(), names=(HOST,))
    facts = analyze_chain([leaf.der], HOST, [], NOW)
    assert (facts.key_type, facts.key_size, facts.signature_hash) == ("Ed25519", 256, None)
    assert facts.self_signed


def test_rsa_1024_leaf(pki: Pki, root_file: Path, tmp_path: Path) -> None:
    der = openssl_leaf(pki, tmp_path, bits=1024, digest="sha256", name=HOST)
    facts = analyze_chain([der, pki.intermediate.der], HOST, [root_file], NOW)
    assert (facts.key_type, facts.key_size) == ("RSA", 1024)
    assert facts.chain_trusted  # weak, but signed by the anchor: judged by findings


def test_sha1_leaf_trusted_by_signature_with_strict_error(
    pki: Pki, root_file: Path, tmp_path: Path
) -> None:
    der = openssl_leaf(pki, tmp_path, bits=2048, digest="sha1", name=HOST)
    facts = analyze_chain([der, pki.intermediate.der], HOST, [root_file], NOW)
    assert facts.signature_hash == "sha1"
    assert facts.chain_trusted
    assert facts.trust_error  # the strict verifier's complaint is recorded


def test_malformed_intermediate_is_ignored(pki: Pki, root_file: Path) -> None:
    facts = analyze_chain([pki.leaf(HOST).der, b"\x30\x03garbage"], HOST, [root_file], NOW)
    assert not facts.chain_complete
    assert facts.trust_error and "malformed" in facts.trust_error


@pytest.mark.parametrize("chain", [[], [b"not a certificate"], [b"\x30\x82\xff\xff"]])
def test_unusable_leaf_raises_typed_error(chain: list[bytes]) -> None:
    with pytest.raises(CertificateError):
        analyze_chain(chain, HOST, [], NOW)


def test_bad_ca_file_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("hello")
    with pytest.raises(InputError) as info:
        analyze_chain([issue(HOST).der], HOST, [bad], NOW)
    assert str(bad) in str(info.value)
    with pytest.raises(InputError):
        analyze_chain([issue(HOST).der], HOST, [tmp_path / "missing.pem"], NOW)


def test_anchor_from_the_system_store_is_marked_system(
    pki: Pki, root_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("socaudit.tls.trust.SYSTEM_BUNDLE", root_file)
    facts = analyze_chain([pki.leaf(HOST).der, pki.intermediate.der], HOST, [], NOW)
    assert facts.chain_trusted and facts.trust_anchor == "system"
