"""Markdown has no autoescape: every value printed into a Markdown template goes through here.

Scanned strings (banners, certificate subjects, headers) and inventory names are attacker
controlled; escaped, they read as text in any CommonMark viewer and never become HTML, links,
emphasis or table cells.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~&$])")
_LEADING = re.compile(r"^(\s*\d*)([-=+.)])")
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")


def md_escape(value: object) -> str:
    """``value`` as Markdown text: ASCII punctuation backslash-escaped, one line."""
    text = _SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(value)))
    return _LEADING.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)


def md_finalize(value: object) -> object:
    """Jinja ``finalize`` of the Markdown environment: escape everything not marked safe."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return md_escape(value)
