"""DOCX of a system report (python-docx), editable by officials before they sign it.

Same content and NĐ 30/2020 layout as the PDF: A4, margins 20/20/30/15 mm, Times New Roman
13 pt, header table (issuing body | Quốc hiệu, Tiêu ngữ), title, body, Nơi nhận and signer,
page numbers centred at the top from page 2. Every string is inserted as a text run: Word
never interprets it.
"""

from __future__ import annotations

from docx.enum.section import WD_SECTION

from socaudit.report.docx_writer import Writer
from socaudit.report.model import SystemReport


def report_docx(report: SystemReport, lang: str, version: str) -> bytes:
    """The DOCX file of ``report`` in ``lang``."""
    w = Writer(lang)
    t, loc, outcome, date = w.t, w.loc, w.outcome, w.date
    r, c, v = report, report.context, report.verdict
    w.header(r.header, "BC")
    w.para(t("report.kind"), bold=True, centre=True, size=14)
    w.para(t("report.subject", name=r.identity.name), bold=True, centre=True)
    assessor = c.assessor or t("report.header.placeholder")
    w.para(
        t(
            "report.intro",
            authorization=c.authorization,
            assessor=assessor,
            name=r.identity.name,
            level=r.identity.level,
        ),
        indent=True,
    )
    w.heading(t("report.section.general"))
    w.table(("", ""), _general(w, r))
    w.heading(t("report.section.verdict"))
    gaps = v.counts["error"] + v.counts["insufficient_evidence"] + v.counts["manual"]
    w.para(
        t(
            f"report.verdict.{v.outcome}",
            name=r.identity.name,
            level=r.identity.level,
            fail=v.counts["fail"],
            partial=v.counts["partial"],
            serious=v.serious,
            gaps=gaps,
        ),
        bold=True,
    )
    w.para(
        t(
            "report.verdict.counts",
            total=v.total,
            fail=v.counts["fail"],
            partial=v.counts["partial"],
            gaps=gaps,
            passed=v.counts["pass"],
            waived=v.counts["waived"],
            na=v.counts["not_applicable"],
        )
    )
    if v.first:
        w.para(t("report.verdict.first", controls=", ".join(v.first)))
    w.table(
        (t("report.col.outcome"), t("report.col.count")),
        [(outcome(word), str(n)) for word, n in r.counts],
    )
    w.heading(t("report.section.results"))
    for g in r.groups:
        name = loc(g.title) if g.title else g.group
        w.heading(t("report.group", group=name, failed=g.failed, total=g.total), italic=True)
        w.table(
            [
                t(f"report.col.{k}")
                for k in ("control", "requirement", "clause", "outcome", "reason")
            ],
            [
                (x.id, loc(x.title), x.clause or "—", outcome(x.outcome), loc(x.reason))
                for x in g.controls
            ],
        )
    w.heading(t("report.section.four_layer"))
    w.table(
        [t(f"report.col.{k}") for k in ("layer", "status", "reason")],
        [
            (t(f"common.layer.{x.layer}"), t(f"common.layer_status.{x.status}"), loc(x.reason))
            for x in r.layers
        ],
    )
    w.heading(t("report.section.findings"))
    w.table(
        [
            t(f"report.col.{k}")
            for k in ("rank", "control", "severity", "reason", "remediation", "deadline")
        ],
        [
            (
                str(f.rank),
                f.control,
                t(f"report.severity.{f.severity}"),
                loc(f.reason),
                loc(f.remediation) if f.remediation else "—",
                t("report.deadline.value", date=date(f.deadline), days=f.days)
                if f.deadline
                else t("report.deadline.none"),
            )
            for f in r.findings
        ],
    )
    w.para(t("report.deadline.rule"), size=11)
    w.heading(t("report.section.gaps"), italic=True)
    for word, ids in r.gap_lists:
        w.para(f"{outcome(word)} ({len(ids)}): {', '.join(ids)}")
    checks = [t(f"report.col.{k}") for k in ("control", "check", "outcome", "reason")]
    w.heading(t("report.section.observed"))
    w.para(t("report.text.observed"), indent=True)
    w.table(checks, [(k.control, k.check, outcome(k.outcome), loc(k.reason)) for k in r.observed])
    w.heading(t("report.section.declared"))
    w.para(t("report.text.declared"), indent=True)
    w.table(
        [t(f"report.col.{k}") for k in ("control", "status", "document", "date", "note")],
        [
            (
                d.control,
                t(f"report.evidence_status.{d.status}"),
                d.document or "—",
                date(d.date) if d.date else "—",
                d.note or "—",
            )
            for d in r.declared
        ],
    )
    w.heading(t("report.section.declared_checks"), italic=True)
    w.table(
        checks, [(k.control, k.check, outcome(k.outcome), loc(k.reason)) for k in r.declared_judged]
    )
    if r.undeclared:
        count = len(r.undeclared)
        w.para(f"{t('report.text.undeclared', count=count)} {', '.join(r.undeclared)}")
    w.heading(t("report.section.waivers"))
    w.table(
        [
            t(f"report.col.{k}")
            for k in ("control", "waiver_reason", "approved_by", "expires", "would_be")
        ],
        [
            (
                x.control,
                x.reason,
                x.approved_by,
                date(x.expires),
                outcome(x.waived_outcome) if x.waived_outcome else "—",
            )
            for x in r.waivers
        ],
    )
    w.para(
        t(
            "report.text.generated",
            version=version,
            assessment=c.assessment or "—",
            pack=c.pack[0],
            pack_version=c.pack[1],
        ),
        size=11,
    )
    w.signature(r.header)
    _appendix(w, r)
    return w.bytes()


def _general(w: Writer, r: SystemReport) -> list[tuple[str, str]]:
    t, date, c, i = w.t, w.date, r.context, r.identity
    approval = t(f"report.approval.{i.approval_status}")
    if i.approval_decision:
        approval += f"; {i.approval_decision}"
    rows = [
        ("system", i.name),
        ("id", i.id),
        ("organization", i.organization),
        ("owner", i.owner or "—"),
        ("operator", i.operator or "—"),
        ("level", t("report.field.level_value", level=i.level)),
        ("approval", approval),
        ("assessor", c.assessor or "—"),
        ("authorization", c.authorization),
        ("approved_by", c.approved_by),
        ("window", t("report.field.period_value", start=date(c.window[0]), end=date(c.window[1]))),
        ("timezone", c.timezone),
        ("method", t(f"report.method.{c.method}")),
        ("scope", ", ".join(c.scope)),
        ("tools", "; ".join(f"{n} {v}" for n, v in c.tools)),
    ]
    return [(t(f"report.field.{k}"), value) for k, value in rows]


def _appendix(w: Writer, r: SystemReport) -> None:
    t, a = w.t, r.appendix
    w.doc.add_section(WD_SECTION.NEW_PAGE).different_first_page_header_footer = False
    w.heading(t("report.section.appendix"))
    w.heading(t("report.appendix.ports"), italic=True)
    yes, no = t("report.word.yes"), t("report.word.no")
    w.table(
        [t(f"report.col.{k}") for k in ("address", "port", "service", "product", "declared")],
        [
            (p.address, str(p.port), p.service or "", p.product or "", yes if p.declared else no)
            for p in a.ports
        ],
    )
    w.heading(t("report.appendix.tls"), italic=True)
    w.table(
        [t(f"report.col.{k}") for k in ("target", "protocols", "grade", "subject")],
        [
            (
                e.target,
                ", ".join(e.protocols),
                e.grade or "—",
                e.certificate.subject if e.certificate else "—",
            )
            for e in a.tls
        ],
    )
    w.heading(t("report.appendix.http"), italic=True)
    w.table(
        [t(f"report.col.{k}") for k in ("url", "banner", "headers")],
        [
            (h.url, h.server_banner or "—", "; ".join(f"{k}: {v}" for k, v in h.headers))
            for h in a.http
        ],
    )
    w.heading(t("report.appendix.ssh"), italic=True)
    w.table(
        [t(f"report.col.{k}") for k in ("target", "banner", "kex", "ciphers", "macs")],
        [
            (s.target, s.banner, ", ".join(s.kex), ", ".join(s.ciphers), ", ".join(s.macs))
            for s in a.ssh
        ],
    )
