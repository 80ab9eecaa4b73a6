"""Markdown escaping: any value renders as exactly its own text, never as markup."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from socaudit.report.mdescape import md_escape

CASES = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![pixel](http://evil.example/p.png)",
    "<http://evil.example>",
    "*bold* _it_ `code` ~~del~~",
    "a | b | c",
    "# heading",
    "- item",
    "+ item",
    "1. first",
    "3) third",
    "===",
    "&amp; &lt;",
    "back\\slash",
    "Nền tảng (LGSP) 0.1.0",
]


@pytest.mark.parametrize("value", CASES)
def test_value_renders_as_its_own_text(value: str) -> None:
    rendered = MarkdownIt("commonmark").render(md_escape(value)).strip()
    assert re.fullmatch(r"<p>(.*)</p>", rendered, re.S), rendered  # one plain paragraph
    inner = rendered[3:-4]
    assert "<" not in inner.replace("&lt;", "")  # no tag at all
    assert html.unescape(inner) == value


def test_line_breaks_cannot_start_new_blocks() -> None:
    assert "\n" not in md_escape("a\n# b\r\n| c |")
