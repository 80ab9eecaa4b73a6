"""The administrative header: inputs, documented defaults, visible placeholders."""

from __future__ import annotations

import datetime as dt

from socaudit.inventory.models import Inventory
from socaudit.report.layout import document_header
from socaudit.report.render import environment

from . import sample


def _bare() -> Inventory:
    data = sample.inventory_data()
    del data["assessment"]["report"]
    del data["organization"]["security_unit"]
    del data["organization"]["province"]
    return Inventory.model_validate(data)


def test_inputs_are_used_as_given() -> None:
    h = document_header(sample.INVENTORY, dt.date(2026, 12, 2))
    assert h.number == "15/BC-SKHCN"
    assert h.issuer == "Sở Khoa học và Công nghệ"  # organization.security_unit
    assert h.superior == "Ủy ban nhân dân tỉnh Lạng Sơn"  # organization.name above it
    assert h.signer_capacity == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert h.recipients == ("Ban Chỉ đạo ATTT tỉnh", "Lưu: VT, ATTT")  # trailing ; . dropped


def test_missing_inputs_stay_missing() -> None:
    h = document_header(_bare(), dt.date(2026, 12, 2))
    assert h.number is None and h.place is None and h.signer_name is None
    assert h.signer_capacity == () and h.recipients == ()
    assert h.issuer == "Ủy ban nhân dân tỉnh Lạng Sơn" and h.superior is None


def test_placeholders_are_printed_never_invented() -> None:
    h = document_header(_bare(), dt.date(2026, 12, 2))
    env = environment("vi")
    macros = env.get_template("macros.html.j2").module
    header = str(macros.admin_header(h, "BC"))  # type: ignore[attr-defined]
    assert 'Số: <span class="placeholder">…/BC-…</span>' in header
    assert "…, ngày 02 tháng 12 năm 2026" in header
    signature = str(macros.signature(h))  # type: ignore[attr-defined]
    assert signature.count("…") == 3  # recipient, capacity, name


def test_date_line_leading_zeros_as_nd30_requires() -> None:
    place_date = environment("vi").globals["place_date"]
    for day, text in (
        (dt.date(2026, 1, 5), "Lạng Sơn, ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "Lạng Sơn, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "Lạng Sơn, ngày 09 tháng 3 năm 2026"),
        (dt.date(2026, 12, 2), "Lạng Sơn, ngày 02 tháng 12 năm 2026"),
    ):
        h = document_header(sample.INVENTORY, day)
        assert place_date(h) == text  # type: ignore[operator]
    h = document_header(sample.INVENTORY, dt.date(2026, 12, 2))
    assert environment("en").globals["place_date"](h) == "Lạng Sơn, 02 December 2026"  # type: ignore[operator]
