"""HTML and Markdown: hostile strings stay text, no external fetch, every key translated."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from jinja2 import UndefinedError
from markdown_it import MarkdownIt

from socaudit.evaluation.model import Outcome
from socaudit.i18n import catalogue, message
from socaudit.report.model import SystemReport, build_system_report
from socaudit.report.produce import render_one
from socaudit.report.render import render
from socaudit.resources import templates_dir

from . import sample

KEY = re.compile(r"""t\(\s*["']((?:report|common)\.[a-z0-9_.]+)["']""")


@pytest.fixture(scope="module")
def report() -> SystemReport:
    return build_system_report(
        sample.assessment(), "dvc", sample.INVENTORY, sample.records(), sample.remediation
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_shows_hostile_strings_as_text(report: SystemReport, lang: str) -> None:
    html = render_one(report, "html", lang, "0.1.0").decode()
    parser = _Tags()
    parser.feed(html)
    names = {tag for tag, _ in parser.tags}
    assert "script" not in names and "img" not in names
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html  # name, banner, header
    assert "CN=&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html  # certificate subject


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_is_self_contained(report: SystemReport, lang: str) -> None:
    html = render_one(report, "html", lang, "0.1.0").decode()
    parser = _Tags()
    parser.feed(html)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "link", "iframe", "object", "embed", "img"}
    assert not [a for _, attrs in parser.tags for k, a in attrs.items() if k in ("src", "href")]
    assert "url(" not in html  # no font or image fetched: system font names only
    assert "<svg" in html and message(lang, "report.header.national_title") in html


def test_english_report_reads_in_english(report: SystemReport) -> None:
    html = render_one(report, "html", "en", "0.1.0").decode()
    assert "SOCIALIST REPUBLIC OF VIET NAM" in html and "FINDINGS AND REMEDIATION" in html
    assert "Không đạt" not in html  # outcome words are translated too


def test_markdown_escapes_every_value(report: SystemReport) -> None:
    text = render_one(report, "md", "vi", "0.1.0").decode()
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "# BÁO CÁO" in text and "| KT.1.1 |" in text  # template Markdown still works


def test_a_missing_value_is_an_error() -> None:
    with pytest.raises(UndefinedError):
        render("system_report.html.j2", "vi", header=None, font_css="", symbol="BC")


def test_every_key_the_templates_use_exists_in_vietnamese_and_english() -> None:
    used = {k for path in templates_dir().glob("*.j2") for k in KEY.findall(path.read_text())}
    assert len(used) > 50
    for lang in ("vi", "en"):
        keys = catalogue(lang)
        missing = sorted(k for k in used if not k.endswith(".") and k not in keys)
        assert missing == [], f"{lang} catalogue lacks {missing}"
        prefixes = [k for k in used if k.endswith(".")]
        assert all(any(x.startswith(p) for x in keys) for p in prefixes), prefixes


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("verdict", [o.value for o in Outcome])
def test_every_verdict_and_outcome_word_renders(lang: str, verdict: str) -> None:
    """A key missing in a language raises MissingMessage while rendering."""
    result = sample.assessment()
    system = result.systems[0].model_copy(update={"outcome": Outcome(verdict)})
    result = result.model_copy(update={"systems": (system,)})
    report = build_system_report(result, "dvc", sample.INVENTORY, sample.records())
    html = render_one(report, "html", lang, "0.1.0").decode()
    assert message(lang, f"report.verdict.{verdict}", _ARGS).split("«")[0][:12] in html


_ARGS = {"name": "x", "level": 3, "fail": 2, "partial": 1, "serious": 2, "gaps": 1}


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_time_zone_of_every_date_is_stated(report: SystemReport, fmt: str) -> None:
    text = render_one(report, fmt, "vi", "0.1.0").decode()
    assert message("vi", "report.field.timezone") in text
    assert report.context.timezone == "Asia/Ho_Chi_Minh" and "Asia/Ho" in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_undeclared_controls_share_one_row_of_their_group(lang: str) -> None:
    extra = tuple(
        sample._control(cid, "management", Outcome.INSUFFICIENT_EVIDENCE, "medium")
        for cid in ("QL.3.1", "QL.3.2", "QL.3.3")
    )
    report = build_system_report(
        sample.assessment(sample.CONTROLS + extra), "dvc", sample.INVENTORY, sample.records()
    )
    html = render_one(report, "html", lang, "0.1.0").decode()
    rows = re.findall(r'<tr class="undeclared">(.*?)</tr>', html, re.S)
    assert len(rows) == 1
    (row,) = rows
    word = {"vi": "Yêu cầu", "en": "Requirement"}[lang]
    for cid in ("QL.3.1", "QL.3.2", "QL.3.3"):  # id, requirement and TCVN clause of each
        assert f'<strong>{cid}</strong> {word} {cid} <span class="clause">(7.{cid[-1]})' in row
        assert f'<td class="id">{cid}</td>' not in html  # no row of its own
    assert message(lang, "report.undeclared_row", {"count": 3}) in row
    assert '<td class="id">QL.1.1</td>' in html  # a declared control keeps its row
