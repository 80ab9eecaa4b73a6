"""Every broken inventory in tests/data/inventories/invalid exits 3 with the exact message.

Each ``NAME.yaml`` (or ``NAME.bin``) has a ``NAME.expected`` next to it holding the first
line socaudit must print; ``{file}`` stands for the path given on the command line and
``{dir}`` for its folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .inventory_clirun import run_cli

INVALID = Path(__file__).parents[2] / "data" / "inventories" / "invalid"
CASES = sorted(p for p in INVALID.iterdir() if p.suffix in {".yaml", ".bin"})
EXECUTED_MARKER = Path("/tmp/socaudit-yaml-tag-executed")


def test_there_is_a_case_per_rule() -> None:
    names = {case.stem for case in CASES}
    required = {
        "syntax-error", "tab-indentation", "unknown-key", "wrong-type", "bad-enum",
        "duplicate-key", "python-tag", "yaml-bomb", "binary", "empty", "top-level-list",
        "option-host", "out-of-scope", "bad-date", "duplicate-system-id", "non-utf8",
    }  # fmt: skip
    assert required <= names
    assert all(case.with_suffix(".expected").is_file() for case in CASES)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_invalid_inventory_exits_3_with_exact_message(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").strip()
    expected = expected.replace("{file}", str(case)).replace("{dir}", str(case.parent))

    code, out, err = run_cli(capsys, "inventory", "validate", str(case))

    assert code == 3
    assert out == ""
    assert err.splitlines()[0] == expected
    assert "Traceback" not in err


def test_python_tag_is_never_executed(capsys: pytest.CaptureFixture[str]) -> None:
    EXECUTED_MARKER.unlink(missing_ok=True)
    case = INVALID / "python-tag.yaml"
    assert "touch /tmp/socaudit-yaml-tag-executed" in case.read_text(encoding="utf-8")

    code, _out, _err = run_cli(capsys, "inventory", "validate", str(case))

    assert code == 3
    assert not EXECUTED_MARKER.exists()


def test_every_problem_is_reported_in_one_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = (INVALID / "unknown-key.yaml").read_text(encoding="utf-8")
    broken = broken.replace("level: 2", "level: 9").replace("127.0.10.30", "192.0.2.1")
    path = tmp_path / "many.yaml"
    path.write_text(broken, encoding="utf-8")

    code, _out, err = run_cli(capsys, "inventory", "validate", str(path))

    assert code == 3
    assert err.splitlines() == [
        f"{path}:10: error: unknown key 'nmae' (did you mean 'name'?)",
        f"{path}:11: error: 'level' must be at most 5, got 9",
        f"{path}:15: error: asset 'portal-web' address 192.0.2.1 is outside the authorised "
        "scope [127.0.10.0/24] (authorization.scope must cover it; extend it only if the "
        "written authorisation does)",
    ]


def test_documented_error_examples_are_real_messages() -> None:
    docs = (Path(__file__).parents[3] / "docs" / "inventory.md").read_text(encoding="utf-8")
    examples = [
        re.sub(r"^(inv|ev)\.(yaml|bin)", "", line)
        for line in docs.splitlines()
        if re.match(r"^(inv|ev)\.(yaml|bin)[:]", line)
    ]
    real = {
        re.sub(r"^\{(file|dir)\}[^:]*", "", case.with_suffix(".expected").read_text().strip())
        for case in CASES
    }

    assert len(examples) >= 15
    assert [e for e in examples if e not in real] == []
