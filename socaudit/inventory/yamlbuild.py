"""Build Python values from composed YAML nodes, keeping lines and refusing anything unsafe.

Only the YAML core types are built (mappings, sequences, text, numbers, booleans, null;
timestamps stay text so the models parse dates strictly). Any other tag is a problem and is
never constructed. Duplicate keys are problems. Aliases are expanded under a value budget,
so a "billion laughs" file stops after ``MAX_VALUES`` values instead of eating the memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from socaudit.errors import Problem

Loc = tuple[str | int, ...]
"""A path into the data, e.g. ``("systems", 0, "assets", 1, "address")``."""

MAX_VALUES = 200_000
"""Upper bound on values built from one file, aliases expanded (inventories need ~1,000)."""
MAX_DEPTH = 40

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_CORE + t for t in ("null", "bool", "int", "float", "str"))
_TEXT_TAGS = frozenset({_CORE + "str", _CORE + "timestamp"})
_PLAIN_DATA_HINT = "inventory files hold plain data only: mappings, lists, text, numbers, dates"


class _Abort(Exception):
    """Stop building at once (bomb, recursion, nesting)."""


def short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:python/object`` → ``!!python/object``."""
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


class NodeBuilder:
    """Turns one composed node tree into plain values, recording lines and problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self._count = 0
        self._active: set[int] = set()
        self._scalars = SafeConstructor()

    def build(self, node: yaml.Node) -> Any:
        """The value of ``node``; ``problems`` lists what was refused."""
        try:
            return self._build(node, ())
        except _Abort:
            return None

    def _problem(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, message, hint))

    def _abort(self, node: yaml.Node, message: str, hint: str) -> _Abort:
        self._problem(node, message, hint)
        return _Abort()

    def _build(self, node: yaml.Node, loc: Loc) -> Any:
        self._count += 1
        if self._count > MAX_VALUES:
            raise self._abort(
                node,
                f"the file expands to more than {MAX_VALUES} values",
                "a YAML bomb? aliases that expand into huge structures are refused",
            )
        if len(loc) > MAX_DEPTH:
            raise self._abort(node, "nesting is too deep", "inventories need a few levels only")
        if id(node) in self._active:
            raise self._abort(node, "an alias refers to itself", "remove the recursive anchor")
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode) and node.tag == _CORE + "map":
                return self._mapping(node, loc)
            if isinstance(node, yaml.SequenceNode) and node.tag == _CORE + "seq":
                return [self._build(item, (*loc, i)) for i, item in enumerate(node.value)]
        finally:
            self._active.discard(id(node))
        self._problem(node, f"tag '{short_tag(node.tag)}' is not allowed", _PLAIN_DATA_HINT)
        return None

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag in _TEXT_TAGS:
            return node.value
        if node.tag in _SCALAR_TAGS:
            return self._scalars.construct_object(node, deep=True)
        self._problem(node, f"tag '{short_tag(node.tag)}' is not allowed", _PLAIN_DATA_HINT)
        return None

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                merges.append(value_node)
                continue
            key = self._key(key_node)
            if key is None:
                continue
            line = key_node.start_mark.line + 1
            if key in result:
                hint = f"first defined at line {key_lines[key]}"
                self._problem(key_node, f"duplicate key '{key}'", hint)
                continue
            key_lines[key] = line
            self.lines[(*loc, key)] = line
            result[key] = self._build(value_node, (*loc, key))
        for merge in merges:
            self._merge(merge, loc, result)
        return result

    def _key(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self._problem(node, "a key must be plain text, not a list or mapping")
            return None
        key = self._scalar(node)
        if isinstance(key, str):
            return key
        hint = (
            "quote it; YAML reads yes/no/on/off as true/false"
            if isinstance(key, bool)
            else ("quote it")
        )
        self._problem(node, f"key {node.value!r} is not text", hint)
        return None

    def _merge(self, node: yaml.Node, loc: Loc, into: dict[str, Any]) -> None:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            value = self._build(source, (*loc, "<<"))
            if not isinstance(value, dict):
                self._problem(source, "'<<' must merge a mapping")
                continue
            for key, item in value.items():
                if key not in into:
                    into[key] = item
                    self.lines.setdefault((*loc, key), self.lines.get((*loc, "<<", key), 0))
