"""The meetings' pages; `meetings/urls.py` names them."""

from meetings.views.agenda import (
    agenda_item_create,
    agenda_item_delete,
    agenda_item_edit,
    agenda_item_move,
)
from meetings.views.attendance import meeting_attendance, meeting_sign_in_sheet
from meetings.views.calendars import meeting_calendar, meeting_ics
from meetings.views.documents import (
    document_delete,
    document_download,
    document_edit,
    document_upload,
)
from meetings.views.feeds import calendar_feed, calendar_feed_create, calendar_feed_revoke
from meetings.views.follow_up import (
    action_item_create,
    action_item_detail,
    action_item_edit,
    action_item_export,
    action_item_list,
    action_item_status,
    decision_create,
    decision_edit,
)
from meetings.views.frameworks import framework_coverage, framework_create, framework_edit
from meetings.views.invitations import (
    invitation_answer,
    invitation_remove,
    meeting_invite,
    organisation_invitation_refresh,
    organisation_invitation_remove,
)
from meetings.views.letters import (
    letter_template_download,
    letter_template_reset,
    letter_templates,
    organisation_invitation_decline,
    organisation_invitation_delegates,
    organisation_invitation_letter,
)
from meetings.views.meetings import (
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_list,
    meeting_next,
    meeting_set_status,
)
from meetings.views.minutes import (
    minutes_adopt,
    minutes_circulate,
    minutes_comment,
    minutes_compare,
    minutes_correct,
    minutes_detail,
    minutes_edit,
    statement_create,
    statement_delete,
    statement_edit,
    statement_move,
)
from meetings.views.record import meeting_print, meeting_record_docx, meeting_record_pdf
from meetings.views.reminders import (
    meeting_reminders,
    meeting_rules_own,
    reminder_rule_delete,
    series_reminder_add,
)
from meetings.views.rsvp import rsvp
from meetings.views.series import (
    series_create,
    series_detail,
    series_edit,
    series_list,
    series_standing_invitees,
)

__all__ = [
    "action_item_create",
    "action_item_detail",
    "action_item_edit",
    "action_item_export",
    "action_item_list",
    "action_item_status",
    "agenda_item_create",
    "agenda_item_delete",
    "agenda_item_edit",
    "agenda_item_move",
    "calendar_feed",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "decision_create",
    "decision_edit",
    "document_delete",
    "document_download",
    "document_edit",
    "document_upload",
    "framework_coverage",
    "framework_create",
    "framework_edit",
    "invitation_answer",
    "invitation_remove",
    "letter_template_download",
    "letter_template_reset",
    "letter_templates",
    "meeting_attendance",
    "meeting_calendar",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_ics",
    "meeting_invite",
    "meeting_list",
    "meeting_next",
    "meeting_print",
    "meeting_record_docx",
    "meeting_record_pdf",
    "meeting_reminders",
    "meeting_rules_own",
    "meeting_set_status",
    "meeting_sign_in_sheet",
    "minutes_adopt",
    "minutes_circulate",
    "minutes_comment",
    "minutes_compare",
    "minutes_correct",
    "minutes_detail",
    "minutes_edit",
    "organisation_invitation_decline",
    "organisation_invitation_delegates",
    "organisation_invitation_letter",
    "organisation_invitation_refresh",
    "organisation_invitation_remove",
    "reminder_rule_delete",
    "rsvp",
    "series_create",
    "series_detail",
    "series_edit",
    "series_list",
    "series_reminder_add",
    "series_standing_invitees",
    "statement_create",
    "statement_delete",
    "statement_edit",
    "statement_move",
]
