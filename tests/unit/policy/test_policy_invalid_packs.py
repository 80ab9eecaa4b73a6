"""Every broken pack in tests/data/policies/invalid exits 3 with the exact message.

Each folder ``NAME/`` is a pack broken in one way; ``NAME.expected`` next to it holds the first
line socaudit must print, ``{dir}`` standing for the folder given on the command line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .policy_clirun import run_cli

DATA = Path(__file__).parents[2] / "data" / "policies"
INVALID = DATA / "invalid"
CASES = sorted(p for p in INVALID.iterdir() if p.is_dir())
TAG_MARKER = Path("/tmp/socaudit-pack-tag-executed")


def test_there_is_a_case_per_rule() -> None:
    names = {case.name for case in CASES}
    required = {
        "unknown-key", "unknown-check", "bad-param-value", "unknown-check-param",
        "number-in-control", "unknown-parameter", "unknown-condition", "duplicate-id",
        "missing-clause", "missing-vi", "missing-en", "unknown-level", "kind-mismatch",
        "python-tag", "syntax-error", "missing-control-file", "not-a-pack",
    }  # fmt: skip
    assert required <= names
    assert all(case.with_suffix(".expected").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_broken_pack_exits_3_with_exact_message(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").strip()

    code, out, err = run_cli(capsys, "policy", "validate", str(case))

    assert code == 3
    assert out == ""
    assert err.splitlines()[0] == expected.replace("{dir}", str(case))
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["list", "show"])
def test_list_and_show_refuse_a_broken_pack_the_same_way(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = INVALID / "unknown-check"
    args = ["policy", command, "--pack", str(case)] + (["TX.1"] if command == "show" else [])

    code, out, err = run_cli(capsys, *args)

    assert (code, out) == (3, "")
    assert err.splitlines()[0] == f"{case}/controls.yaml:13: error: unknown check " + (
        "'tls.min_versoin' (did you mean 'tls.min_version'?)"
    )


def test_python_tag_is_never_executed(capsys: pytest.CaptureFixture[str]) -> None:
    TAG_MARKER.unlink(missing_ok=True)
    case = INVALID / "python-tag"
    assert "touch /tmp/socaudit-pack-tag-executed" in (case / "controls.yaml").read_text()

    code, _out, _err = run_cli(capsys, "policy", "validate", str(case))

    assert code == 3
    assert not TAG_MARKER.exists()


def test_every_problem_is_reported_in_one_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "many"
    shutil.copytree(DATA / "tiny", pack)
    text = (pack / "baseline.yaml").read_text(encoding="utf-8")
    text = text.replace("check: declared.document", "check: declared.documnt")
    text = text.replace('clause: {2: "B.3"}', 'clause: {1: "A.3"}')
    text = text.replace("id: TD.3", "id: TD.1")
    text = text.replace('en: "Disable old TLS versions."', 'en: ""')
    (pack / "baseline.yaml").write_text(text, encoding="utf-8")

    code, _out, err = run_cli(capsys, "policy", "validate", str(pack))

    file = pack / "baseline.yaml"
    assert code == 3
    assert err.splitlines() == [
        f"{file}:13: error: unknown check 'declared.documnt' (did you mean 'declared.document'?)",
        f"{file}:25: error: 'en' must not be empty",
        f"{file}:26: error: duplicate control id 'TD.1' (first defined at baseline.yaml:5)",
        f"{file}:31: error: control 'TD.1': clause given for level 1, below applies_from 2 "
        "(remove it or lower applies_from)",
        f"{file}:31: error: control 'TD.1' applies at level 2 but has no clause for it "
        '(add 2: "..." under clause, or write clause: null if there is none)',
    ]


def test_documented_error_examples_are_real_messages() -> None:
    docs = (Path(__file__).parents[3] / "docs" / "policy.md").read_text(encoding="utf-8")
    examples = [line.removeprefix("pack") for line in docs.splitlines() if line.startswith("pack/")]
    real = {
        case.with_suffix(".expected").read_text().strip().removeprefix("{dir}") for case in CASES
    }

    assert len(examples) >= 10
    assert [e for e in examples if e not in real] == []
