"""What an invitation letter says, and how a template becomes a letter.

A template holds placeholders such as {organisation}. Word often splits one across runs
of differently formatted text, so the runs of each paragraph are read together, and only
the runs a placeholder spans are rewritten: the rest keep their formatting.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from datetime import date
from itertools import accumulate
from typing import Any

from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt

from meetings.models import LetterTemplate, Meeting, Modality, OrganisationInvitation
from stakeholders.models import Language, MechanismRole, Organisation, Person

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# What a template may say, and what each placeholder becomes (shown on the templates page).
PLACEHOLDERS: dict[str, Any] = {
    "organisation": gettext_lazy("the invited organisation, named in the letter's language"),
    "head_name": gettext_lazy("the name of its head, from its profile"),
    "head_title": gettext_lazy("the title of its head, from its profile"),
    "meeting_title": gettext_lazy("the meeting's title in the letter's language"),
    "meeting_date": gettext_lazy("the day of the meeting"),
    "meeting_time": gettext_lazy("its start and end, on the clock of its time zone"),
    "venue": gettext_lazy("where it is held"),
    "number": gettext_lazy("the letter's outgoing number"),
    "letter_date": gettext_lazy("the letter's date"),
    "convener": gettext_lazy("the organisation convening the meetings"),
}

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]{0,39})\}")
# The runs of a paragraph whose text shows, in reading order.
_RUNS = "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r"
# Characters XML 1.0 cannot hold: a name pasted with one must not break the letter.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# What a letter says


def default_language(organisation: Organisation) -> str:
    """The language a letter to `organisation` is proposed in: its focal point's (the first
    by name when it has several), English when it has none."""
    language = (
        Person.objects.filter(
            organisation=organisation,
            is_active=True,
            anonymised_at=None,
            mechanism_role=MechanismRole.FOCAL_POINT,
        )
        .order_by("full_name", "pk")
        .values_list("preferred_language", flat=True)
        .first()
    )
    return language if language in Language.values else Language.ENGLISH


def _venue(meeting: Meeting) -> str:
    if meeting.modality == Modality.ONLINE:
        return _("online")
    if meeting.modality == Modality.HYBRID:
        return _("%(venue)s, and online") % {"venue": meeting.venue}
    return meeting.venue


def _meeting_time(meeting: Meeting) -> str:
    start, end = meeting.local_start, meeting.local_end
    shown = formats.time_format(start, "TIME_FORMAT")
    if start.date() == end.date():
        shown += "\u2013" + formats.time_format(end, "TIME_FORMAT")
    return f"{shown} ({meeting.time_zone.replace('_', ' ')})"


def letter_values(
    invited: OrganisationInvitation, *, language: str, number: str, letter_date: date
) -> dict[str, str]:
    """What each placeholder becomes in a letter in `language`: names in that language where
    they have one, dates as it writes them, times on the meeting's own clock."""
    meeting, organisation = invited.meeting, invited.organisation
    with translation.override(language):
        values = {
            "organisation": organisation.local_name,
            "head_name": organisation.head_name,
            "head_title": organisation.head_title,
            "meeting_title": meeting.local_title,
            "meeting_date": formats.date_format(meeting.local_start, "DATE_FORMAT"),
            "meeting_time": _meeting_time(meeting),
            "venue": _venue(meeting),
            "number": number,
            "letter_date": formats.date_format(letter_date, "DATE_FORMAT"),
            "convener": meeting.series.convener.local_name,
        }
    return {name: xml_safe(value) for name, value in values.items()}


def xml_safe(text: str) -> str:
    """The text without the characters a Word file cannot hold."""
    return _NOT_XML.sub("", text)


def letter_file_name(invited: OrganisationInvitation, language: str) -> str:
    organisation = invited.organisation
    name = slugify(organisation.short_name or organisation.name, allow_unicode=True)[:60]
    return f"invitation-{invited.meeting.number}-{name or 'organisation'}-{language}.docx"


# Filling a template


def _filled_elements(document: Any) -> list[BaseOxmlElement]:
    """The body of the document and its headers and footers: where letters hold text."""
    main = document.part
    elements = [main.element]
    for rel in main.rels.values():
        if rel.is_external or rel.reltype not in (
            RELATIONSHIP_TYPE.HEADER,
            RELATIONSHIP_TYPE.FOOTER,
        ):
            continue
        part = rel.target_part
        if isinstance(part, XmlPart):
            elements.append(part.element)
    return elements


def _paragraph_runs(document: Any) -> Iterator[list[CT_R]]:
    """The runs of each paragraph: of the body, of tables (nested ones too), text boxes,
    headers and footers."""
    for element in _filled_elements(document):
        for paragraph in element.iter(qn("w:p")):
            runs = paragraph.xpath(_RUNS)
            if runs:
                yield runs


def _fill(runs: list[CT_R], values: Mapping[str, str]) -> None:
    """Replace the placeholders of one paragraph. Each one's value goes in the run where it
    starts; the runs it spans lose its characters and keep the rest of their text."""
    texts = [run.text for run in runs]
    joined = "".join(texts)
    if "{" not in joined:
        return
    starts = list(accumulate((len(text) for text in texts), initial=0))
    touched: set[int] = set()
    # From the last to the first, so that the offsets of those still to do hold.
    for match in reversed(list(_PLACEHOLDER.finditer(joined))):
        value = values.get(match[1])
        if value is None:
            continue
        begin, end = match.span()
        first = bisect_right(starts, begin) - 1
        last = bisect_right(starts, end - 1) - 1
        for index in range(first, last + 1):
            text = texts[index]
            cut_from = max(begin - starts[index], 0)
            cut_to = min(end - starts[index], len(text))
            texts[index] = text[:cut_from] + (value if index == first else "") + text[cut_to:]
            touched.add(index)
    for index in touched:
        runs[index].text = texts[index]


def render(template: bytes, values: Mapping[str, str]) -> bytes:
    """The letter: `template` (a checked .docx) with its placeholders replaced."""
    document = Document(io.BytesIO(template))
    for runs in _paragraph_runs(document):
        _fill(runs, values)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def placeholders_in(template: bytes) -> set[str]:
    """The names in braces a template holds, known or not."""
    document = Document(io.BytesIO(template))
    return {
        match[1]
        for runs in _paragraph_runs(document)
        for match in _PLACEHOLDER.finditer("".join(run.text for run in runs))
    }


# The built-in letters


def default_template(language: str) -> bytes:
    """The built-in letter in `language`: what letters are made from until the secretariat
    gives a template of its own, and a starting point to adapt."""
    with translation.override(language):
        document = Document()
        normal = document.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(12)
        document.core_properties.author = ""
        document.core_properties.title = _("Invitation letter")
        # Translators: keep the words in braces, such as {number}, as they are.
        document.add_paragraph(_("No. {number} of {letter_date}"))
        addressee = document.add_paragraph("{head_title}\n{organisation}\n{head_name}")
        addressee.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run(_("Invitation")).bold = True
        # Translators: keep the words in braces, such as {head_name}, as they are.
        document.add_paragraph(_("Dear {head_name},"))
        document.add_paragraph(
            # Translators: keep the words in braces, such as {convener}, as they are.
            _(
                "{convener} has the honour to invite {organisation} to the meeting "
                "“{meeting_title}”, to be held on {meeting_date}, {meeting_time}, at {venue}."
            )
        )
        document.add_paragraph(
            _(
                "We would be grateful if you would name the delegates of your organisation "
                "in the coordination portal, or in reply to this letter, before the meeting."
            )
        )
        document.add_paragraph(_("Yours sincerely,"))
        document.add_paragraph("{convener}")
        output = io.BytesIO()
        document.save(output)
    return output.getvalue()


def template_for(language: str) -> bytes:
    """The template letters in `language` are made from: the secretariat's, or the
    built-in one."""
    stored = (
        LetterTemplate.objects.filter(language=language).values_list("content", flat=True).first()
    )
    return bytes(stored) if stored is not None else default_template(language)
