"""Mozilla profile compliance (5.7 and 6.0) by set comparison, incomplete kept apart."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.results import AS_OF, GOOD_12, GOOD_13, cert, result
from socaudit.tls.mozilla import MozillaProfile, check, compliance, group_bits, profiles

DHE = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"


def by_name(name: str) -> MozillaProfile:
    return next(p for p in profiles() if p.name == name)


def test_packaged_profiles() -> None:
    names = {p.name for p in profiles()}
    assert names == {"modern-5.7", "intermediate-5.7", "old-5.7", "modern-6.0", "intermediate-6.0"}
    assert len(by_name("old-5.7").ciphers) == 26
    assert DHE in by_name("intermediate-5.7").ciphers
    assert DHE not in by_name("intermediate-6.0").ciphers


def test_dhe_suite_is_fine_in_57_but_not_in_60() -> None:
    r = result(suites={"TLSv1.2": (*GOOD_12, DHE), "TLSv1.3": GOOD_13}, dhe_min_bits=2048)
    verdict = compliance(r)
    assert verdict["intermediate-5.7"] is True
    assert verdict["intermediate-6.0"] is False
    issues = check(r, by_name("intermediate-6.0")).issues
    assert [i.key for i in issues] == ["ciphers"] and DHE in issues[0].message


def test_modern_needs_tls13_only_and_ecdsa() -> None:
    r = result(protocols=("TLSv1.3",), certificate=cert(key_type="EC", key_size=256))
    assert compliance(r)["modern-5.7"] is True
    keys = {i.key for i in check(result(), by_name("modern-5.7")).issues}
    assert {"tls_versions", "ciphers", "certificate_types", "certificate_signatures"} <= keys


def test_legacy_endpoint_meets_old_57_only() -> None:
    r = result(
        protocols=("TLSv1.0", "TLSv1.1", "TLSv1.2"),
        suites={
            "TLSv1.0": ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
            "TLSv1.1": ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",),
            "TLSv1.2": GOOD_12,
        },
    )
    assert {k for k, v in compliance(r).items() if v} == {"old-5.7"}


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"chain_trusted": False}, "certificate_path_validation"),
        ({"trust_error": "Forbidden signature algorithm"}, "certificate_path_validation"),
        ({"expired": True}, "certificate_path_validation"),
        ({"hostname_match": False}, "certificate_hostname_validation"),
        ({"key_size": 1024}, "rsa_key_size"),
        ({"signature_hash": "sha1"}, "certificate_signatures"),
        ({"lifespan_days": 400}, "maximum_certificate_lifespan"),
    ],
)
def test_certificate_issues(changes: dict[str, object], key: str) -> None:
    issues = check(result(certificate=cert(**changes)), by_name("intermediate-5.7")).issues
    assert [i.key for i in issues] == [key]


def test_key_exchange_sizes() -> None:
    r = result(suites={"TLSv1.2": (*GOOD_12, DHE), "TLSv1.3": GOOD_13}, dhe_min_bits=1024)
    assert [i.key for i in check(r, by_name("intermediate-5.7")).issues] == ["dh_param_size"]
    assert check(r, by_name("old-5.7")).compliant is True
    weak_curve = result(groups=("secp224r1", "x25519"))
    keys = [i.key for i in check(weak_curve, by_name("intermediate-5.7")).issues]
    assert keys == ["tls_curves", "ecdh_param_size"]


def test_groups_outside_the_profile() -> None:
    nginx_default = result(groups=("x25519", "secp256r1", "x448", "secp521r1", "secp384r1"))
    issues = check(nginx_default, by_name("intermediate-5.7")).issues
    assert [i.key for i in issues] == ["tls_curves"]
    assert "x448" in issues[0].message and "secp521r1" in issues[0].message
    hybrid = result(groups=("X25519MLKEM768", "x25519", "secp256r1"))
    assert compliance(hybrid)["intermediate-6.0"] is True
    assert compliance(hybrid)["intermediate-5.7"] is False


def test_group_bits() -> None:
    assert group_bits("x25519") == 256
    assert group_bits("X25519MLKEM768") == 256
    assert group_bits("secp384r1") == 384
    assert group_bits("brainpoolP512r1tls13") == 512
    assert group_bits("GC256A") is None


def test_incomplete_is_none_not_false() -> None:
    r = result().model_copy(update={"certificate": None})
    assert set(compliance(r).values()) == {None}


def test_validity_is_judged_at_as_of() -> None:
    r = result()  # valid 2026-05-01 .. 2026-07-30
    later = AS_OF + dt.timedelta(days=120)
    assert check(r, by_name("intermediate-5.7"), AS_OF).compliant is True
    keys = [i.key for i in check(r, by_name("intermediate-5.7"), later).issues]
    assert keys == ["certificate_path_validation"]
