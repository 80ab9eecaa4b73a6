"""The scope guard: CIDRs, IPv6, window edges, hostnames re-checked after resolution."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
from collections.abc import Sequence

import pytest

from socaudit.inventory.models import IpAddress
from socaudit.scope import AuthorizedTarget, authorize

from .factory import asset, inventory

TODAY = dt.date(2026, 6, 15)
WINDOW = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


def no_dns(name: str) -> Sequence[IpAddress]:
    raise AssertionError(f"DNS must not be used for {name}")


def test_address_inside_cidr_is_authorised_with_declared_ports() -> None:
    inv = inventory([asset("web", "127.0.30.5", hostname="cong.example.vn")], window=WINDOW)
    result = authorize(inv, as_of=TODAY, resolver=no_dns)
    assert result.refusals == ()
    (target,) = result.targets
    assert target.address == ipaddress.ip_address("127.0.30.5")
    assert target.ports == (8443,)
    assert target.hostname == "cong.example.vn"
    assert target.authorization == "Quyết định số 1234/QĐ-UBND"


def test_address_outside_cidr_is_refused_even_if_validation_was_skipped() -> None:
    inv = inventory([asset("web", "127.0.31.5")], window=WINDOW)
    result = authorize(inv, as_of=TODAY, resolver=no_dns)
    assert result.targets == ()
    (refusal,) = result.refusals
    assert refusal.rule == "outside_scope"
    assert "127.0.31.5" in refusal.reason


def test_ipv6_scope() -> None:
    inv = inventory(
        [asset("v6", "::1"), asset("v6-out", "2001:db8::1")], scope=["::1/128"], window=WINDOW
    )
    result = authorize(inv, as_of=TODAY, resolver=no_dns)
    assert [str(t.address) for t in result.targets] == ["::1"]
    assert [r.rule for r in result.refusals] == ["outside_scope"]


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (dt.date(2026, 5, 31), False),
        (dt.date(2026, 6, 1), True),
        (dt.date(2026, 6, 30), True),
        (dt.date(2026, 7, 1), False),
    ],
)
def test_window_edges_are_inclusive(day: dt.date, allowed: bool) -> None:
    inv = inventory([asset("web", "127.0.30.5")], window=WINDOW)
    result = authorize(inv, as_of=day, resolver=no_dns)
    assert bool(result.targets) is allowed
    assert [r.rule for r in result.refusals] == ([] if allowed else ["outside_window"])


def test_hostname_resolving_outside_scope_is_refused() -> None:
    inv = inventory([asset("named", hostname="portal.example.vn")], window=WINDOW)

    def resolver(name: str) -> Sequence[IpAddress]:
        assert name == "portal.example.vn"
        return (ipaddress.ip_address("127.0.30.9"), ipaddress.ip_address("10.1.2.3"))

    result = authorize(inv, as_of=TODAY, resolver=resolver)
    assert [str(t.address) for t in result.targets] == ["127.0.30.9"]
    (refusal,) = result.refusals
    assert refusal.rule == "resolved_outside_scope"
    assert refusal.address == ipaddress.ip_address("10.1.2.3")


def test_unresolvable_hostname_is_refused() -> None:
    inv = inventory([asset("named", hostname="khong-ton-tai.example.vn")], window=WINDOW)

    def resolver(name: str) -> Sequence[IpAddress]:
        raise OSError("Name or service not known")

    result = authorize(inv, as_of=TODAY, resolver=resolver)
    assert result.targets == ()
    assert [r.rule for r in result.refusals] == ["unresolvable"]


def test_hostname_named_in_scope_is_authorised_at_its_address() -> None:
    inv = inventory(
        [asset("named", hostname="portal.example.vn")],
        scope=["portal.example.vn"],
        window=WINDOW,
    )
    result = authorize(inv, as_of=TODAY, resolver=lambda _: (ipaddress.ip_address("127.0.30.7"),))
    assert [str(t.address) for t in result.targets] == ["127.0.30.7"]


def test_dns_is_not_used_when_the_asset_has_an_address() -> None:
    inv = inventory([asset("web", "127.0.30.5", hostname="x.example.vn")], window=WINDOW)
    assert len(authorize(inv, as_of=TODAY, resolver=no_dns).targets) == 1


def test_system_filter() -> None:
    inv = inventory([asset("web", "127.0.30.5")], window=WINDOW, systems=3)
    result = authorize(inv, as_of=TODAY, systems=inv.systems[1:2], resolver=no_dns)
    assert [t.system_id for t in result.targets] == ["he-thong-2"]


def test_authorized_target_cannot_be_built_outside_scope_module() -> None:
    address = ipaddress.ip_address("10.0.0.1")
    with pytest.raises(TypeError, match="only be created by"):
        AuthorizedTarget("s", "a", address, None, (), (), "ref", seal=b"x" * 32)
    with pytest.raises(TypeError):
        AuthorizedTarget("s", "a", address, None, (), (), "ref")  # type: ignore[call-arg]


def test_authorized_target_cannot_be_moved_to_another_address() -> None:
    inv = inventory([asset("web", "127.0.30.5")], window=WINDOW)
    (target,) = authorize(inv, as_of=TODAY, resolver=no_dns).targets
    other = ipaddress.ip_address("10.0.0.1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.address = other  # type: ignore[misc]
    with pytest.raises(TypeError, match="only be created by"):
        dataclasses.replace(target, address=other)
    with pytest.raises(TypeError, match="only be created by"):
        dataclasses.replace(target, address=other, seal=target.seal)


def test_copy_with_same_content_stays_valid() -> None:
    inv = inventory([asset("web", "127.0.30.5")], window=WINDOW)
    (target,) = authorize(inv, as_of=TODAY, resolver=no_dns).targets
    assert dataclasses.replace(target) == target
