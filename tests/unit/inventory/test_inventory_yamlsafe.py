"""The safe YAML reader: plain data, line numbers, refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from socaudit.errors import InputError
from socaudit.inventory import yamlsafe
from socaudit.inventory.yamlsafe import read_yaml


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_yaml(path)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def test_lines_are_kept_for_keys_and_items(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "a: 1\nb:\n  - x\n  - c:\n      d: 2\n"))

    assert doc.data == {"a": 1, "b": ["x", {"c": {"d": 2}}]}
    assert doc.lines[("a",)] == 1
    assert doc.lines[("b", 1)] == 4
    assert doc.lines[("b", 1, "c", "d")] == 5
    assert doc.line_for(("b", 1, "c", "d", "missing", 3)) == 5


def test_dates_stay_text_and_vietnamese_text_is_kept(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "d: 2026-12-14\nn: Lạng Sơn\nb: true\nz: null\n"))

    assert doc.data == {"d": "2026-12-14", "n": "Lạng Sơn", "b": True, "z": None}


def test_small_aliases_and_merge_keys_work(tmp_path: Path) -> None:
    text = "base: &b {port: 443, name: https}\nsvc:\n  <<: *b\n  port: 8443\nlist: [*b, *b]\n"
    doc = read_yaml(write(tmp_path, text))

    assert doc.data["svc"] == {"port": 8443, "name": "https"}
    assert doc.data["list"] == [{"port": 443, "name": "https"}] * 2


def test_all_duplicate_keys_and_bad_tags_are_collected(tmp_path: Path) -> None:
    text = "a: 1\nb: !!set {x}\na: 2\nc: !!binary aGk=\n"

    assert messages(write(tmp_path, text)) == [
        "2: tag '!!set' is not allowed",
        "3: duplicate key 'a'",
        "4: tag '!!binary' is not allowed",
    ]


def test_tabs_are_reported_per_line(tmp_path: Path) -> None:
    text = "a:\n\tb: 1\nc: 'tab\tinside text is fine'\nd:\n \t e: 2\n"

    assert messages(write(tmp_path, text)) == [
        "2: tab character in indentation",
        "5: tab character in indentation",
    ]


def test_oversized_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 100)

    assert messages(write(tmp_path, "a: " + "x" * 200 + "\n")) == ["None: file is too large"]


def test_devices_and_pipes_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)

    assert messages(Path("/dev/zero")) == ["None: not a regular file"]
    assert messages(fifo) == ["None: not a regular file"]


def test_control_characters_and_deep_nesting_are_clear_errors(tmp_path: Path) -> None:
    assert messages(write(tmp_path, "a: \x07bell\n"))[0].startswith("None: not a readable YAML")
    assert messages(write(tmp_path, "a: " + "[" * 60 + "]" * 60 + "\n")) == [
        "1: nesting is too deep"
    ]
    very_deep = messages(write(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert very_deep[0].endswith("nesting depth") or very_deep[0].endswith("too deep")


def test_multiple_documents_and_missing_files(tmp_path: Path) -> None:
    assert messages(write(tmp_path, "a: 1\n---\nb: 2\n"))[0].startswith("2: YAML syntax error")
    assert messages(tmp_path / "absent.yaml") == ["None: file not found"]
    assert messages(tmp_path) == ["None: is a directory, not a file"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: Hà Nội\n".encode())

    assert read_yaml(path).data == {"a": "Hà Nội"}


def test_oversized_node_count_stops_while_composing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 10)

    assert messages(write(tmp_path, "a: [" + ",".join(["1"] * 20) + "]\n")) == [
        "None: the file holds more than 10 YAML nodes"
    ]
    assert read_yaml(write(tmp_path, "a: [1, 2]\n")).data == {"a": [1, 2]}
