"""Message catalogues for reader text (Vietnamese first, English), never text in Python.

Catalogues are YAML files ``socaudit/i18n/<lang>/<domain>.yaml`` mapping keys (nested maps are
joined with dots: ``checks.ports.undeclared``) to ``str.format`` templates. A key missing in a
language is an error (``MissingMessage``), never a silent fallback: a test loads every key of
every domain in both languages.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from socaudit.evaluation.model import LocalText
from socaudit.inventory.yamlsafe import read_yaml

LANGUAGES = ("vi", "en")
_ROOT = Path(__file__).resolve().parent


class MissingMessage(KeyError):
    """A catalogue key that a language does not define."""


@functools.cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every message of ``lang``, keyed ``<domain>.<key>``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    messages: dict[str, str] = {}
    for path in sorted((_ROOT / lang).glob("*.yaml")):
        data = read_yaml(path).data
        _flatten(path.stem, data, messages)
    return messages


def message(lang: str, key: str, args: Mapping[str, Any] | None = None) -> str:
    """The text of ``key`` in ``lang`` with ``args`` filled in."""
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise MissingMessage(f"no {lang} message {key!r}") from None
    return template.format_map(dict(args or {})) if args else template


def both(key: str, args: Mapping[str, Any] | None = None) -> LocalText:
    """The message in every report language."""
    return LocalText(vi=message("vi", key, args), en=message("en", key, args))


def _flatten(prefix: str, data: object, into: dict[str, str]) -> None:
    if isinstance(data, Mapping):
        for key, value in data.items():
            _flatten(f"{prefix}.{key}", value, into)
    elif isinstance(data, str):
        into[prefix] = data
    else:
        raise ValueError(f"catalogue entry {prefix!r} is not text")
