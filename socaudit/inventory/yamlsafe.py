"""Safe YAML reading with line numbers: plain data only, duplicate keys and bombs rejected.

The file is composed into nodes by yaml's safe composer (libyaml when present) and then
built into Python values here, so every mapping key and sequence item keeps its line and
nothing but plain scalars, lists and mappings can ever be constructed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from socaudit.errors import InputError, Problem
from socaudit.inventory.yamlbuild import Loc, NodeBuilder

MAX_BYTES = 10 * 1024 * 1024
"""Inventory and evidence files larger than this are refused."""
MAX_NODES = 500_000
"""Upper bound on YAML nodes (keys included) composed from one file, before any expansion."""

_PLAIN_WORDS = {
    "flow sequence": "'[' list",
    "flow mapping": "'{' mapping",
    "block mapping": "mapping",
    "block collection": "list",
    "quoted scalar": "quoted text",
}

_START_HINT = "an inventory starts with 'schema_version: 1'"

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TooManyNodes(Exception):
    """Raised from inside the composer once a file holds more nodes than ``MAX_VALUES``."""


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe composer (libyaml when present), stopping early on oversized node counts."""

    composed = 0

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        self.composed += 1
        if self.composed > MAX_NODES:
            raise _TooManyNodes
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML mapping with the line of every key and item, keyed by its path."""

    path: Path
    data: dict[str, Any]
    lines: dict[Loc, int]

    def line_for(self, loc: Loc) -> int | None:
        """The line of the deepest known prefix of ``loc`` (None if nothing matches)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None


def read_yaml(
    path: Path, builder_type: type[NodeBuilder] = NodeBuilder, start_hint: str = _START_HINT
) -> Document:
    """Read ``path`` as a YAML mapping; raise ``InputError`` with every problem found.

    ``builder_type`` may relax how keys are read (policy packs allow level numbers as keys);
    ``start_hint`` is the hint given for an empty file or a top level that is not a mapping.
    """
    text = _decode(path, _read_bytes(path), start_hint)
    _check_tabs(path, text)
    node = _compose(path, text, start_hint)
    builder = builder_type(path)
    data = builder.build(node)
    if builder.problems:
        raise InputError(builder.problems)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r:.40})"
        raise InputError(
            [
                Problem(
                    path,
                    node.start_mark.line + 1,
                    f"the top level must be a mapping of keys, found {kind}",
                    start_hint,
                )
            ]
        )
    return Document(path, data, builder.lines)


def _fail(path: Path, message: str, hint: str | None = None, line: int | None = None) -> InputError:
    return InputError([Problem(path, line, message, hint)])


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise _fail(path, "is a directory, not a file")
        if not path.is_file():
            what = "file not found" if not path.exists() else "not a regular file"
            raise _fail(path, what)
        with path.open("rb") as stream:  # bounded read: the size may change under us
            raw = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _fail(path, f"cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise _fail(path, "file is too large", f"the limit is {MAX_BYTES // (1024 * 1024)} MiB")
    return raw


def _decode(path: Path, raw: bytes, start_hint: str = _START_HINT) -> str:
    if b"\x00" in raw:
        raise _fail(path, "binary file: contains NUL bytes", "expected a UTF-8 YAML text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start]
        raise _fail(
            path, f"not valid UTF-8: unexpected byte 0x{bad:02x}", "save the file as UTF-8", line
        ) from None
    if not text.strip():
        raise _fail(path, "file is empty", start_hint)
    return text


def _check_tabs(path: Path, text: str) -> None:
    problems = [
        Problem(path, number, "tab character in indentation", "indent with spaces")
        for number, line in enumerate(text.splitlines(), start=1)
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    ]
    if problems:
        raise InputError(problems)


def _compose(path: Path, text: str, start_hint: str = _START_HINT) -> yaml.Node:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, exc) from None
    except yaml.YAMLError as exc:  # ReaderError: non-printable characters
        raise _fail(path, f"not a readable YAML file: {exc}") from None
    except _TooManyNodes:
        raise _fail(
            path, f"the file holds more than {MAX_NODES} YAML nodes", "is this really an inventory?"
        ) from None
    except RecursionError:
        raise _fail(path, "nesting is too deep", "inventories need a few levels only") from None
    finally:
        loader.dispose()
    if node is None:
        raise _fail(path, "file is empty", start_hint)
    return node  # type: ignore[no-any-return]


def _syntax_error(path: Path, exc: yaml.MarkedYAMLError) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
    hint = "check indentation, quoting and ':' near this line"
    start = exc.context_mark
    if exc.context and start is not None and start.line + 1 != line:
        what = exc.context.split(" ", 2)[-1].removeprefix("a ")
        what = _PLAIN_WORDS.get(what, what)
        hint = f"the {what} opened at line {start.line + 1} is not closed properly"
    return _fail(path, message, hint, line)
