"""Every catalogue key exists in every language, and every message formats."""

from __future__ import annotations

import string

import pytest

from socaudit.evaluation.model import LayerStatus, Outcome
from socaudit.i18n import LANGUAGES, MissingMessage, both, catalogue, message


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_languages_define_the_same_keys() -> None:
    vi, en = (set(catalogue(lang)) for lang in LANGUAGES)
    assert sorted(vi - en) == [], "keys missing in English"
    assert sorted(en - vi) == [], "keys missing in Vietnamese"


@pytest.mark.parametrize("key", sorted(catalogue("vi")))
def test_both_languages_take_the_same_arguments(key: str) -> None:
    assert _fields(catalogue("vi")[key]) == _fields(catalogue("en")[key]), key
    assert catalogue("vi")[key].strip() and catalogue("en")[key].strip()


def test_every_outcome_and_layer_status_has_a_name() -> None:
    for outcome in Outcome:
        assert both(f"common.outcome.{outcome.value}").vi
    for status in LayerStatus:
        assert both(f"common.layer_status.{status.value}").en


def test_a_missing_key_is_an_error() -> None:
    with pytest.raises(MissingMessage, match="no vi message"):
        message("vi", "common.no.such.key")
    assert message("vi", "common.outcome.fail") == "Không đạt"
