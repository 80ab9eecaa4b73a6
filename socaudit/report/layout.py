"""The administrative header and signature block of printed documents (NĐ 30/2020, Phụ lục I).

Shared by the per-system report and the subcommittee summary. Every value is an inventory
input (``assessment.report``) or a documented default taken from ``organization``; a missing
one stays None and the templates print a visible placeholder — nothing is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socaudit.inventory.models import Inventory, ReportLayout


@dataclass(frozen=True, slots=True)
class DocumentHeader:
    superior: str | None
    """Superior body (capitals, not bold), above the issuing body."""
    issuer: str | None
    """Issuing body (capitals, bold)."""
    number: str | None
    """``15/BC-STTTT``; None prints ``Số: …/BC-…``."""
    place: str | None
    date: dt.date
    signer_capacity: tuple[str, ...]
    signer_name: str | None
    recipients: tuple[str, ...]
    """Nơi nhận, without the leading dash and the trailing ``;``/``.``."""


def document_header(inventory: Inventory, date: dt.date) -> DocumentHeader:
    """The header inputs of ``inventory`` for a document dated ``date``."""
    org = inventory.organization
    layout = (inventory.assessment.report if inventory.assessment else None) or ReportLayout()
    issuer, superior = layout.issuer, layout.superior
    if issuer is None:
        issuer = org.security_unit or org.name
        if superior is None and org.security_unit:
            superior = org.name
    signer = layout.signer
    return DocumentHeader(
        superior=superior,
        issuer=issuer,
        number=layout.number,
        place=layout.place or org.province,
        date=date,
        signer_capacity=signer.capacity if signer else (),
        signer_name=signer.name if signer else None,
        recipients=tuple(r.strip().rstrip(";.").strip() for r in layout.recipients),
    )
