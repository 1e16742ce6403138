"""The record of a meeting as a Word file, because ministries brief their leadership from
Word: the same content as the print page, the label in every page's header and footer."""

from __future__ import annotations

import io
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from meetings.letters.documents import xml_safe
from meetings.record import MeetingRecord
from meetings.templatetags.meeting_times import DASH, clock, meeting_when
from portal.lib.markdown import Block, Run, markdown_blocks

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_LIST_STYLES = {"bullet": "List Bullet", "number": "List Number"}


def _add_runs(paragraph: Paragraph, runs: list[Run]) -> None:
    for run in runs:
        text = run.text + (f" ({run.href})" if run.href and run.href != run.text else "")
        added = paragraph.add_run(xml_safe(text))
        added.bold = run.bold or None
        added.italic = run.italic or None
        if run.code:
            added.font.name = "Courier New"


def _add_text(document: Any, blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind == "heading":
            _add_runs(document.add_heading(level=block.level), block.runs)
        elif block.kind in _LIST_STYLES:
            style = _LIST_STYLES[block.kind] + (
                f" {min(block.level, 3)}" if block.level > 1 else ""
            )
            _add_runs(document.add_paragraph(style=style), block.runs)
        elif block.kind == "quote":
            _add_runs(document.add_paragraph(style="Quote"), block.runs)
        elif block.kind == "table" and block.rows:
            columns = max(len(row) for row in block.rows)
            table = document.add_table(rows=0, cols=columns, style="Table Grid")
            for number, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, runs in zip(cells, row, strict=False):
                    paragraph = cell.paragraphs[0]
                    _add_runs(paragraph, [Run(r.text, bold=r.bold or number == 0) for r in runs])
        else:
            _add_runs(document.add_paragraph(), block.runs)


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table: Any = document.add_table(rows=1, cols=len(header), style="Table Grid")
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(xml_safe(text)).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = xml_safe(text)


def _label_line(paragraph: Paragraph, record: MeetingRecord, extra: str = "") -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    code = paragraph.add_run(record.label_code)
    code.bold = True
    paragraph.add_run(xml_safe(f" · {record.label_words}{extra}"))


def record_docx(record: MeetingRecord) -> bytes:
    """The record as a .docx file."""
    meeting = record.meeting
    document = WordDocument()
    document.styles["Normal"].font.size = Pt(10.5)
    section = document.sections[0]
    _label_line(section.header.paragraphs[0], record)
    _label_line(section.footer.paragraphs[0], record, f" · {meeting.local_title}")

    document.add_paragraph(
        xml_safe(
            f"{meeting.series.local_title} · " + _("No. %(number)s") % {"number": meeting.number}
        )
    )
    document.add_heading(xml_safe(meeting.local_title), level=1)
    details = [
        (_("When"), meeting_when(meeting)),
        (_("Status"), meeting.status_label),
        (_("Modality"), meeting.modality_label),
        (_("Venue"), meeting.venue),
        (_("Online link"), meeting.online_url),
        (
            _("Chair"),
            meeting.chair.full_name
            + (f", {meeting.chair.organisation.local_name}" if meeting.chair.organisation else "")
            if meeting.chair
            else "",
        ),
        (_("Convener"), meeting.series.convener.local_name),
    ]
    for label, value in details:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(xml_safe(str(value)))

    document.add_heading(_("Attendance"), level=2)
    summary = record.summary
    if summary.recorded:
        document.add_paragraph(
            ngettext(
                "%(attended)s of %(invited)s invitees attended, and %(walk_ins)s walk-in.",
                "%(attended)s of %(invited)s invitees attended, and %(walk_ins)s walk-ins.",
                summary.walk_ins,
            )
            % {
                "attended": summary.attended,
                "invited": summary.invited,
                "walk_ins": summary.walk_ins,
            }
        )
    else:
        document.add_paragraph(_("Attendance is not recorded yet."))
    if record.attendance:
        _table(
            document,
            [_("Organisation"), _("Invited"), _("Attended")],
            [
                [
                    row.organisation.local_name
                    if row.organisation
                    else _("Without an organisation"),
                    str(row.invited),
                    ", ".join(row.attended) or "—",
                ]
                for row in record.attendance
            ],
        )

    document.add_heading(_("Agenda"), level=2)
    if record.agenda:
        _table(
            document,
            [_("Time"), _("Item"), _("Presented by")],
            [
                [
                    f"{clock(row.starts)}{DASH}{clock(row.ends)}",
                    f"{number}. {row.item.local_title}",
                    ", ".join(
                        name
                        for name in (
                            row.item.presenter_person.full_name
                            if row.item.presenter_person
                            else "",
                            row.item.presenter_organisation.local_name
                            if row.item.presenter_organisation
                            else "",
                        )
                        if name
                    ),
                ]
                for number, row in enumerate(record.agenda, start=1)
            ],
        )
    else:
        document.add_paragraph(_("No agenda items yet."))

    if record.minutes is not None and record.revision is not None:
        document.add_heading(_("Minutes"), level=2)
        note = (
            f"{record.minutes.state_label} · "
            + _("revision %(number)s") % {"number": record.revision.number}
            + f" · {record.language_label}"
        )
        if record.fell_back:
            note += " · " + _(
                "Not written in your language: shown in %(language)s, the authoritative language."
            ) % {"language": record.language_label}
        document.add_paragraph(xml_safe(note)).runs[0].italic = True
        _add_text(document, markdown_blocks(record.text))
        if record.statements:
            document.add_heading(_("Statements"), level=3)
            for statement in record.statements:
                paragraph = document.add_paragraph()
                speaker = statement.speaker.full_name
                if statement.organisation:
                    speaker += f", {statement.organisation.local_name}"
                paragraph.add_run(xml_safe(speaker)).bold = True
                if statement.agenda_item:
                    paragraph.add_run(xml_safe(f" · {statement.agenda_item.local_title}"))
                document.add_paragraph(xml_safe(statement.text))

    if record.decisions:
        document.add_heading(_("Decisions"), level=2)
        for decision in record.decisions:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{decision.code} ").bold = True
            paragraph.add_run(xml_safe(decision.local_text))
            if decision.superseded_by:
                superseded = _("superseded by %(code)s") % {"code": decision.superseded_by.code}
                paragraph.add_run(f" ({superseded})").italic = True

    if record.action_items:
        document.add_heading(_("Action items"), level=2)
        _table(
            document,
            [_("Action"), _("Owner"), _("Due"), _("Status")],
            [
                [
                    item.local_description,
                    item.owner_organisation.local_name
                    + (f" ({item.owner_person.full_name})" if item.owner_person else ""),
                    formats.date_format(item.due_on, "SHORT_DATE_FORMAT"),
                    item.status_label
                    + (
                        " · "
                        + ngettext("%(days)s day late", "%(days)s days late", item.days_late)
                        % {"days": item.days_late}
                        if item.days_late
                        else ""
                    ),
                ]
                for item in record.action_items
            ],
        )

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
