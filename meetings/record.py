"""The record of a meeting, as one reader may read it: for the print page, Word and PDF.

Everything here is read through `visible_to`: a donor's copy leaves out the minutes,
statements, decisions and action items the donor may not read. The label printed in the
header and footer is the minutes' when they are in the record, else amber: the details of
a meeting and its attendance are for its invitees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from meetings import selectors
from meetings.models import (
    ActionItem,
    Attendance,
    Decision,
    Meeting,
    Minutes,
    MinutesRevision,
    Statement,
)
from portal.lib.markdown import render_markdown
from portal.lib.sensitivity import Label, tlp_code
from stakeholders.models import Language, Organisation, User


@dataclass
class OrganisationAttendance:
    organisation: Organisation | None
    attended: list[str]  # names of those who came
    invited: int


@dataclass
class MeetingRecord:
    meeting: Meeting
    label: str
    agenda: list[selectors.AgendaRow]
    attendance: list[OrganisationAttendance]
    summary: selectors.AttendanceSummary
    minutes: Minutes | None
    revision: MinutesRevision | None
    language: str
    fell_back: bool
    text: str  # the minutes' Markdown in `language`
    statements: list[Statement]
    decisions: list[Decision]
    action_items: list[ActionItem]
    printed_at: Any

    @property
    def label_words(self) -> str:
        return str(Label(self.label).label)

    @property
    def label_code(self) -> str:
        return tlp_code(self.label)

    @property
    def language_label(self) -> str:
        return str(Language(self.language).label)

    @property
    def html(self) -> str:
        return render_markdown(self.text)


def _language(revision: MinutesRevision | None) -> tuple[str, bool]:
    """The reader's language when the minutes are written in it, else the authoritative
    one (True: the reader's was missing)."""
    reader = (get_language() or "en")[:2]
    if revision is None:
        return reader, False
    if reader in revision.languages:
        return reader, False
    return revision.authoritative_language, True


def meeting_record(*, user: User, meeting: Meeting) -> MeetingRecord:
    """What `user` may read of `meeting`, for printing."""
    groups = selectors.invitations_by_organisation(meeting)
    attendance = [
        OrganisationAttendance(
            organisation=group.organisation,
            attended=[
                invitation.person.full_name
                for invitation in group.invitations
                if invitation.attendance == Attendance.ATTENDED
            ],
            invited=sum(1 for invitation in group.invitations if not invitation.is_walk_in),
        )
        for group in groups
    ]
    minutes = selectors.minutes_for(user=user, meeting=meeting)
    revision = selectors.latest_revision(minutes) if minutes is not None else None
    language, fell_back = _language(revision)
    return MeetingRecord(
        meeting=meeting,
        label=minutes.label if minutes is not None else Label.AMBER,
        agenda=selectors.agenda(meeting),
        attendance=attendance,
        summary=selectors.attendance_summary(groups),
        minutes=minutes,
        revision=revision,
        language=language,
        fell_back=fell_back,
        text=revision.text_in(language) if revision is not None else "",
        statements=(
            selectors.minutes_statements(user=user, minutes=minutes) if minutes is not None else []
        ),
        decisions=selectors.meeting_decisions(user=user, meeting=meeting),
        action_items=selectors.meeting_action_items(user=user, meeting=meeting),
        printed_at=timezone.now(),
    )
