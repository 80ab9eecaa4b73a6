"""Turn pydantic validation errors into short ``FILE:LINE: message (hint)`` problems."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from socaudit.errors import Problem
from socaudit.inventory.modelpath import allowed_keys, model_at
from socaudit.inventory.yamlbuild import Loc
from socaudit.inventory.yamlsafe import Document

Message = tuple[str, str | None]

_PATTERN_HINTS = {
    "id": "use lower-case letters, digits and '-', e.g. 'lgsp-web'",
    "hostname": "a DNS name such as portal.langson.gov.vn",
    "control": "a control id such as QL.1.1 or KT.1.2",
    "urls": "an http:// or https:// address without spaces",
    "name": "a lower-case service name such as https or ssh",
    "scope": "a CIDR such as 127.0.10.0/24 or a DNS name",
}


def validation_problems(
    doc: Document, exc: ValidationError, root: type[BaseModel]
) -> list[Problem]:
    """One problem per distinct error, located at the line of the offending key or item."""
    located = [(e, *_resolve(doc.data, e)) for e in _significant(exc.errors())]
    typos = {
        (loc[:-1], _suggest(field, loc[:-1], root))
        for error, loc, field in located
        if error["type"] == "extra_forbidden"
    }
    problems: list[Problem] = []
    seen: set[tuple[Loc, str]] = set()
    for error, loc, field in located:
        if error["type"] == "missing" and (loc, field) in typos:
            continue  # reported as the misspelt key instead
        message, hint = _translate(error, field, loc, root)
        union_member = len(loc) < len(error["loc"]) and error["type"] != "missing"
        if (loc, message) in seen or (union_member and (loc, "") in seen):
            continue  # one message per value, however many union members rejected it
        seen.update({(loc, message), (loc, "")})
        problems.append(Problem(doc.path, doc.line_for(loc), message, hint))
    return problems


def _significant(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop errors about a container when an error inside it explains them (e.g. too_short)."""
    locs = [tuple(e["loc"]) for e in errors]
    return [
        e
        for e in errors
        if not any(len(o) > len(e["loc"]) and o[: len(e["loc"])] == tuple(e["loc"]) for o in locs)
    ]


def _suggest(key: str, parent: Loc, root: type[BaseModel]) -> str | None:
    model = model_at(root, parent)
    allowed = allowed_keys(model) if model is not None else []
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _resolve(data: Any, error: ErrorDetails) -> tuple[Loc, str]:
    """The part of the error's loc present in the data, and the field the error is about."""
    found: list[str | int] = []
    field = ""
    node = data
    for part in error["loc"]:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            found.append(part)
            node, field = node[part], part
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            found.append(part)
            node, field = node[part], f"{field.split('[')[0]}[{part}]"
        elif isinstance(node, dict) and isinstance(part, str) and "[" not in part:
            field = part  # a missing key
            break
    return (*found, *_item_named(node, error)), field


def _item_named(node: Any, error: ErrorDetails) -> Loc:
    """For a validator that rejected a whole list, the index of the item its message names."""
    text = str((error.get("ctx") or {}).get("error", ""))
    if error["type"] != "value_error" or not isinstance(node, list):
        return ()
    named = [i for i, item in enumerate(node) if isinstance(item, str) and item and item in text]
    return (named[0],) if named else ()


def _translate(error: ErrorDetails, field: str, loc: Loc, root: type[BaseModel]) -> Message:
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return _unknown_key(field, loc, root)
    if isinstance(value, str) and value.startswith("-") and kind in _OPTION_PRONE:
        return (
            f"'{field}' value {value!r} looks like a command-line option",
            "values must not start with '-'",
        )
    handler = _HANDLERS.get(kind)
    if handler is not None:
        return handler(error, field, value)
    return f"'{field}': {error['msg']}", None


def _unknown_key(key: str, loc: Loc, root: type[BaseModel]) -> Message:
    close = _suggest(key, loc[:-1], root)
    if close:
        return f"unknown key '{key}'", f"did you mean '{close}'?"
    model = model_at(root, loc[:-1])
    allowed = allowed_keys(model) if model is not None else []
    return f"unknown key '{key}'", ("allowed keys: " + ", ".join(allowed)) if allowed else None


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return "text"


def _allowed(error: ErrorDetails, field: str, value: object) -> Message:
    expected = str((error.get("ctx") or {}).get("expected", ""))
    allowed = expected.replace("'", "").replace(" or ", ", ")
    return f"invalid value {value!r} for '{field}'", f"allowed values: {allowed}"


def _expect(what: str, hint: str | None = None) -> Callable[[ErrorDetails, str, object], Message]:
    def handler(error: ErrorDetails, field: str, value: object) -> Message:
        return f"'{field}' must be {what}, not {_type_name(value)}", hint

    return handler


def _bound(error: ErrorDetails, field: str, value: object) -> Message:
    ctx = error.get("ctx") or {}
    words = {"ge": "at least", "le": "at most", "gt": "more than", "lt": "less than"}
    limit = next((f"{words[k]} {v}" for k, v in ctx.items() if k in words), "in range")
    return f"'{field}' must be {limit}, got {value!r}", None


def _too_short(error: ErrorDetails, field: str, value: object) -> Message:
    return f"'{field}' must not be empty", None


def _too_long(error: ErrorDetails, field: str, value: object) -> Message:
    limit = (error.get("ctx") or {}).get("max_length")
    return f"'{field}' is too long", f"at most {limit} characters"


def _pattern(error: ErrorDetails, field: str, value: object) -> Message:
    return f"invalid {field} {value!r}", _PATTERN_HINTS.get(field.split("[")[0])


def _ip(error: ErrorDetails, field: str, value: object) -> Message:
    return f"invalid IP address {value!r} for '{field}'", "e.g. 127.0.10.10 or ::1"


def _network(error: ErrorDetails, field: str, value: object) -> Message:
    base = field.split("[")[0]
    return f"invalid {base} entry {value!r}", _PATTERN_HINTS.get(base)


def _value_error(error: ErrorDetails, field: str, value: object) -> Message:
    text = str((error.get("ctx") or {}).get("error", error["msg"]))
    if "YYYY-MM-DD" in text or "calendar day" in text:
        hint = "write dates as YYYY-MM-DD, e.g. 2026-12-14"
        return f"invalid date {value!r} for '{field}'", hint
    if "host bits set" in text:
        return f"'{field}': {text}", "write the network address, e.g. 127.0.10.0/24"
    return f"'{field}': {text}", None


_HANDLERS: dict[str, Callable[[ErrorDetails, str, object], Message]] = {
    "missing": lambda e, f, v: (f"missing key '{f}'", None),
    "enum": _allowed,
    "literal_error": _allowed,
    "string_type": _expect("text", "put it in quotes"),
    "int_type": _expect("a whole number"),
    "int_parsing": _expect("a whole number"),
    "int_from_float": _expect("a whole number"),
    "bool_type": _expect("true or false"),
    "bool_parsing": _expect("true or false"),
    "model_type": _expect("a mapping of keys"),
    "model_attributes_type": _expect("a mapping of keys"),
    "dict_type": _expect("a mapping of keys"),
    "tuple_type": _expect("a list", "write [a, b] or one '- item' per line"),
    "list_type": _expect("a list", "write [a, b] or one '- item' per line"),
    "greater_than_equal": _bound,
    "less_than_equal": _bound,
    "greater_than": _bound,
    "less_than": _bound,
    "too_short": _too_short,
    "string_too_short": _too_short,
    "string_too_long": _too_long,
    "string_pattern_mismatch": _pattern,
    "ip_v4_address": _ip,
    "ip_v6_address": _ip,
    "ip_any_address": _ip,
    "ip_v4_network": _network,
    "ip_v6_network": _network,
    "ip_any_network": _network,
    "value_error": _value_error,
}

_OPTION_PRONE = frozenset(
    {
        "string_pattern_mismatch",
        "value_error",
        *(f"ip_{v}_{k}" for v in ("v4", "v6", "any") for k in ("address", "network")),
    }
)
