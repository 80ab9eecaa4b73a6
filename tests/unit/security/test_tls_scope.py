"""``socaudit tls`` obeys scope: an inventory's authorisation, or loopback, or --unscoped."""

from __future__ import annotations

import datetime as dt
import json
import socket
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from socaudit.cli.main import cli
from socaudit.errors import UsageError
from socaudit.exitcodes import ExitCode
from socaudit.inventory.models import Authorization
from socaudit.lab.api import LabInfo
from socaudit.scope import check_endpoint

TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture
def no_traffic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails the test: refusals must come before the first packet."""

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a refused target was sent a packet")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, forbidden)


def _inventory(tmp_path: Path, scope: list[str], window: tuple[dt.date, dt.date]) -> Path:
    data: dict[str, Any] = {
        "schema_version": 1,
        "organization": {"name": "Sở Thông tin và Truyền thông"},
        "authorization": {
            "reference": "QĐ 77/QĐ-STTTT",
            "approved_by": "Giám đốc Sở",
            "window": {"from": window[0].isoformat(), "to": window[1].isoformat()},
            "scope": scope,
        },
        "systems": [
            {
                "id": "cong",
                "name": "Cổng thông tin",
                "level": 2,
                "level_approval": {"status": "approved"},
            }
        ],
    }
    path = tmp_path / "inv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


OPEN = (TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=10))
CLOSED = (TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=10))


def _tls(*args: str) -> Result:
    return CliRunner().invoke(cli, ["tls", "--no-http", *args], standalone_mode=False)


def _json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.usefixtures("no_traffic")
def test_a_target_outside_the_inventory_scope_is_refused(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path, ["127.0.10.0/24"], OPEN)
    result = _tls("127.0.99.1:8443", "-i", str(inventory), "--format", "json")
    assert result.return_value == ExitCode.INCOMPLETE, result.output
    document = _json(result)
    (endpoint,) = document["endpoints"]
    assert endpoint["status"] == "refused"
    assert endpoint["error"]["reason"] == "out_of_scope"
    assert "outside the authorised scope" in endpoint["error"]["detail"]
    assert document["authorization"]["recorded"] is True
    assert document["authorization"]["reference"] == "QĐ 77/QĐ-STTTT"


@pytest.mark.usefixtures("no_traffic")
def test_outside_the_window_is_refused_like_a_scan(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path, ["127.0.10.0/24"], CLOSED)
    result = _tls("127.0.10.10:8443", "-i", str(inventory))
    assert result.return_value == ExitCode.INCOMPLETE, result.output
    assert "refused" in result.stdout
    assert "outside the window" in result.stdout
    assert result.stdout.splitlines()[0].startswith("Authorisation: QĐ 77/QĐ-STTTT")


@pytest.mark.usefixtures("no_traffic")
def test_a_pinned_address_must_itself_be_in_scope(tmp_path: Path) -> None:
    """A host name in the scope does not let ``NAME:PORT{IP}`` aim at any address."""
    inventory = _inventory(tmp_path, ["cong.example.vn"], OPEN)
    result = _tls("cong.example.vn:443{127.0.99.7}", "-i", str(inventory), "--format", "json")
    (endpoint,) = _json(result)["endpoints"]
    assert endpoint["status"] == "refused"


@pytest.mark.usefixtures("no_traffic")
@pytest.mark.parametrize("target", ["192.0.2.10:443", "[2001:db8::1]:443", "10.1.2.3:8443"])
def test_without_inventory_outside_loopback_needs_unscoped(target: str) -> None:
    result = _tls(target)
    assert isinstance(result.exception, UsageError)
    assert "--unscoped" in str(result.exception)
    assert "-i INVENTORY" in str(result.exception)


@pytest.mark.usefixtures("no_traffic")
def test_unscoped_and_an_inventory_do_not_mix(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path, ["127.0.10.0/24"], OPEN)
    result = _tls("127.0.10.10:8443", "-i", str(inventory), "--unscoped")
    assert result.exception is not None and "cannot be combined" in str(result.exception)


def test_an_authorised_target_is_checked_and_the_report_says_on_what_authority(
    tmp_path: Path, lab: LabInfo
) -> None:
    good = lab.endpoint("tls-good")
    inventory = _inventory(tmp_path, ["127.0.10.0/24"], OPEN)
    result = _tls(f"{good.address}:{good.port}", "-i", str(inventory), "--format", "json")
    document = _json(result)
    (endpoint,) = document["endpoints"]
    assert endpoint["status"] == "completed"
    assert document["authorization"] == {
        "recorded": True,
        "basis": "inventory",
        "reference": "QĐ 77/QĐ-STTTT",
        "inventory": str(inventory),
        "as_of": document["authorization"]["as_of"],
    }
    assert document["authorization"]["as_of"].endswith("(Asia/Ho_Chi_Minh)")


def test_loopback_without_inventory_says_nothing_was_recorded(lab: LabInfo) -> None:
    good = lab.endpoint("tls-good")
    result = _tls(f"{good.address}:{good.port}", "--format", "json")
    assert _json(result)["authorization"] == {
        "recorded": False,
        "basis": "loopback",
        "reference": None,
        "inventory": None,
        "as_of": None,
    }
    text = _tls(f"{good.address}:{good.port}")
    assert text.stdout.splitlines()[0] == "no recorded authorisation needed: loopback targets only"


@pytest.mark.parametrize(
    ("scope", "host", "address", "pinned", "expected"),
    [
        (["127.0.10.0/24"], "127.0.10.10", "127.0.10.10", False, None),
        (["127.0.10.0/24"], "127.0.99.1", "127.0.99.1", False, "outside_scope"),
        (["cong.example.vn"], "cong.example.vn", "127.0.99.7", False, None),
        (["cong.example.vn"], "CONG.example.vn.", "127.0.99.7", False, None),
        (["cong.example.vn"], "cong.example.vn", "127.0.99.7", True, "resolved_outside_scope"),
        (["cong.example.vn"], "other.example.vn", "127.0.99.7", False, "resolved_outside_scope"),
        (["127.0.10.0/24"], "other.example.vn", "127.0.10.3", True, None),
    ],
)
def test_check_endpoint_applies_the_scan_rules(
    scope: list[str], host: str, address: str, pinned: bool, expected: str | None
) -> None:
    auth = Authorization.model_validate(
        {
            "reference": "QĐ 1",
            "approved_by": "x",
            "window": {"from": OPEN[0].isoformat(), "to": OPEN[1].isoformat()},
            "scope": scope,
        }
    )
    why = check_endpoint(auth, as_of=TODAY, host=host, address=ip_address(address), pinned=pinned)
    assert (why[0] if why else None) == expected
    closed = check_endpoint(auth, as_of=OPEN[1] + dt.timedelta(days=1), host=host,
                            address=ip_address(address), pinned=pinned)  # fmt: skip
    assert closed is not None and closed[0] == "outside_window"
