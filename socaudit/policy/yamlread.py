"""Read a pack file with the inventory's safe YAML reader, allowing level numbers as keys.

Per-level mappings (``clause: {1: "5.1.1.1", 2: "6.1.1.1"}``) have whole numbers as keys;
the inventory reader refuses non-text keys, so pack files use a builder that reads such keys
as their digits. Everything else (safe tags only, duplicate keys, bombs, lines) is the same.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from socaudit.errors import InputError, Problem
from socaudit.inventory.yamlbuild import NodeBuilder
from socaudit.inventory.yamlsafe import Document, read_yaml

START_HINT = "a pack file starts with 'schema_version: 1'"
_WORDING = (
    ("inventory files hold", "pack files hold"),
    ("inventories need", "pack files need"),
    ("is this really an inventory?", "is this really a pack file?"),
)


_INT = "tag:yaml.org,2002:int"
_STR = "tag:yaml.org,2002:str"


class _PackBuilder(NodeBuilder):
    """Level numbers may be keys; they are kept as text (``"3"``) like every other key."""

    def _key(self, node: yaml.Node) -> str | None:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:  # the common case, without the general path's dispatch
                return str(node.value)
            if node.tag == _INT:
                value = self._scalar(node)
                if isinstance(value, int) and not isinstance(value, bool):
                    return str(value)
        return super()._key(node)


def read_pack_yaml(path: Path) -> Document:
    """``path`` as a YAML mapping with lines; ``InputError`` with every problem found."""
    try:
        return read_yaml(path, _PackBuilder, START_HINT)
    except InputError as exc:
        raise InputError([_reworded(problem) for problem in exc.problems]) from None


def _reworded(problem: Problem) -> Problem:
    """The reader's hints speak of inventories; say pack files instead."""
    hint = problem.hint
    for old, new in _WORDING:
        hint = hint.replace(old, new) if hint is not None else None
    return Problem(problem.file, problem.line, problem.message, hint, problem.severity)
