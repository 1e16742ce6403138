"""Writes to meetings: series, meetings, agendas, invitations, answers, attendance, minutes,
documents, calendar feeds.

Each service checks who may do it (`meetings.permissions`) and raises `PermissionDenied`
or a `ValidationError` a person can read; views and tasks call them, never the models.
"""

from meetings.services._base import answers_open
from meetings.services.agenda import (
    AGENDA_FIELDS,
    MAX_AGENDA_ITEMS,
    agenda_item_create,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
)
from meetings.services.answers import (
    NEW_COLLEAGUE_NEEDS,
    SUBSTITUTE_NEEDED,
    invitation_answer,
    invitation_substitute,
    rsvp_open,
    substitute_candidates,
)
from meetings.services.attendance import (
    attendance_record,
    attendance_record_organisation,
    walk_in_add,
)
from meetings.services.documents import (
    DOCUMENT_FIELDS,
    document_delete,
    document_downloaded,
    document_update,
    document_upload,
)
from meetings.services.feeds import (
    calendar_feed_create,
    calendar_feed_record_use,
    calendar_feed_revoke,
    calendar_feeds_revoke_on_access_ended,
)
from meetings.services.follow_up import (
    ACTION_ITEM_FIELDS,
    DECISION_FIELDS,
    action_item_create,
    action_item_set_status,
    action_item_update,
    decision_create,
    decision_supersede,
    decision_update,
)
from meetings.services.frameworks import framework_reference_save, references_set, split_tags
from meetings.services.invitations import (
    Invited,
    delegates_name,
    invitation_remove,
    invite_organisations,
    invite_people,
    organisation_decline,
    organisation_invitation_remove,
)
from meetings.services.meetings import (
    CALENDAR_FIELDS,
    meeting_create,
    meeting_set_status,
    meeting_update,
    next_number,
    proposed_from_previous,
)
from meetings.services.merge import register_merge_handler
from meetings.services.minutes import (
    LOCKED,
    current_revision,
    minutes_adopt,
    minutes_circulate,
    minutes_comment,
    minutes_correct,
    minutes_create,
    minutes_update,
    statement_create,
    statement_delete,
    statement_move,
    statement_update,
)
from meetings.services.reminder_rules import (
    meeting_rules_customise,
    meeting_rules_reset,
    reminder_rule_add,
    reminder_rule_delete,
)
from meetings.services.series import series_create, series_set_standing, series_update

__all__ = [
    "ACTION_ITEM_FIELDS",
    "AGENDA_FIELDS",
    "CALENDAR_FIELDS",
    "DECISION_FIELDS",
    "DOCUMENT_FIELDS",
    "LOCKED",
    "MAX_AGENDA_ITEMS",
    "NEW_COLLEAGUE_NEEDS",
    "SUBSTITUTE_NEEDED",
    "Invited",
    "action_item_create",
    "action_item_set_status",
    "action_item_update",
    "agenda_item_create",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_update",
    "answers_open",
    "attendance_record",
    "attendance_record_organisation",
    "calendar_feed_create",
    "calendar_feed_record_use",
    "calendar_feed_revoke",
    "calendar_feeds_revoke_on_access_ended",
    "current_revision",
    "decision_create",
    "decision_supersede",
    "decision_update",
    "delegates_name",
    "document_delete",
    "document_downloaded",
    "document_update",
    "document_upload",
    "framework_reference_save",
    "invitation_answer",
    "invitation_remove",
    "invitation_substitute",
    "invite_organisations",
    "invite_people",
    "meeting_create",
    "meeting_rules_customise",
    "meeting_rules_reset",
    "meeting_set_status",
    "meeting_update",
    "minutes_adopt",
    "minutes_circulate",
    "minutes_comment",
    "minutes_correct",
    "minutes_create",
    "minutes_update",
    "next_number",
    "organisation_decline",
    "organisation_invitation_remove",
    "proposed_from_previous",
    "references_set",
    "register_merge_handler",
    "reminder_rule_add",
    "reminder_rule_delete",
    "rsvp_open",
    "series_create",
    "series_set_standing",
    "series_update",
    "split_tags",
    "statement_create",
    "statement_delete",
    "statement_move",
    "statement_update",
    "substitute_candidates",
    "walk_in_add",
]
