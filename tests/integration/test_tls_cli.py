"""``socaudit tls`` end to end: JSON contract, exit codes, usage errors, shipped schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from socaudit.cli.main import cli, main
from socaudit.tls.report import TlsReport, schema_text

pytestmark = pytest.mark.integration
SCHEMA = Path(__file__).parents[2] / "schemas" / "tls-result.schema.json"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["tls", *args], catch_exceptions=False)


def target(lab: Any, name: str) -> str:
    endpoint = lab.endpoint(name)
    return f"{name}.lab.socaudit.test:{endpoint.port}{{{endpoint.address}}}"


def test_json_output_follows_the_contract(lab: Any) -> None:
    names = ["tls-good", "tls-expired"]
    result = run(*(target(lab, n) for n in names), "--ca", str(lab.ca_bundle), "--format", "json")
    document = json.loads(result.stdout)
    report = TlsReport.model_validate(document)
    assert document["schema_version"] == 1 and document["tool"] == "socaudit"
    assert [e.target for e in report.endpoints] == [f"{n}.lab.socaudit.test:8443" for n in names]
    good, expired = report.endpoints
    assert good.protocols == ("TLSv1.2", "TLSv1.3")
    assert expired.certificate is not None and expired.certificate.expired
    assert result.exit_code == 1, "an expired certificate is a finding"
    assert "pinned to 127.0.10.10" in result.stderr
    assert good.address == "127.0.10.10"


def test_text_output_and_clean_exit_for_the_good_endpoint(lab: Any) -> None:
    result = run(target(lab, "tls-good"), "--ca", str(lab.ca_bundle), "--no-http")
    assert "protocols: TLSv1.2, TLSv1.3" in result.stdout
    assert "hostname match yes" in result.stdout
    assert result.exit_code == 0, result.stdout


def test_unreachable_endpoint_exits_4() -> None:
    result = run("127.0.20.40:9", "--format", "json", "--timeout", "1")
    (endpoint,) = json.loads(result.stdout)["endpoints"]
    assert endpoint["status"] == "error" and endpoint["error"]["reason"] == "connectivity"
    assert result.exit_code == 4


@pytest.mark.parametrize(
    "args",
    [["nohostport"], ["h:99999"], ["[::1:443"], ["h:443{not-an-ip}"], ["h:443", "--timeout", "0"]],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_bad_ca_file_is_invalid_input(tmp_path: Path) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:  # the entry point maps InputError to 3
        main(["tls", "127.0.20.40:9", "--ca", str(bogus)])
    assert exited.value.code == 3


def test_shipped_schema_is_current() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "regenerate: python -c 'from socaudit.tls.report import schema_text; "
        'print(schema_text(), end="")\' > schemas/tls-result.schema.json'
    )
