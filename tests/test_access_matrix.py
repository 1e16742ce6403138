"""The portal's access matrix: who may do what to which URL, for every URL the project has.

Each row reads: URL name, object, method, then what each visitor gets. The object is the
record the URL is about: the visitor's own organisation or a colleague ("own_*"), another
organisation's ("other_*"), an inactive one, and so on (see `target`). An answer is

- a status code: that status, and nothing in the database changed;
- LOGIN: a redirect to the login page, and nothing changed;
- DONE: a redirect, and the POST did what it is for (see `POSTS`: each POST row sends
  valid data, and says how to see that it took effect);
- DOWNLOAD: a file to save, and the POST did what it is for.

Every pattern answers GET, POST, PUT, PATCH and DELETE; a (pattern, method) that answers
any visitor with something other than 405 must have rows, and every pattern a name.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from activities.dashboard_models import NationalFigure, Target
from activities.models import (
    Activity,
    ActivityDocument,
    ActivityParticipants,
    ActivityRevision,
    Award,
    CallForUpdates,
    OrganisationUpdate,
    TrustedOrganisation,
)
from activities.trend_models import TrendNote, TrendResponse
from meetings.audit import Action
from meetings.letters.documents import default_template
from meetings.models import (
    ActionItem,
    ActionItemUpdate,
    AgendaItem,
    CalendarFeed,
    Decision,
    Document,
    FrameworkReference,
    Invitation,
    LetterTemplate,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesComment,
    MinutesRevision,
    OrganisationInvitation,
    OrganisationInvitationState,
    ReminderRule,
    Response,
    Statement,
)
from portal.lib.tokens import hash_token
from portal.models import AuditEvent, OutboundEmail
from stakeholders.backends import EmailBackend
from stakeholders.models import (
    AccountLink,
    ImportBatch,
    MechanismRole,
    Organisation,
    Person,
    Role,
    User,
)
from tests.access.cast import (
    DEACTIVATED,
    DONOR,
    FOCAL_POINT,
    PARTNER,
    SECRETARIAT,
    SUPERUSER,
    VISITORS,
    World,
    build_world,
)
from tests.access.patterns import (
    EXEMPT_NAMESPACES,
    methods_without_rows,
    pattern_names,
    patterns_without_rows,
    unnamed_patterns,
)
from tests.files import pdf_bytes
from tests.stakeholders.factories import PASSWORD
from tests.stakeholders.test_import import ORGANISATIONS_CSV, csv_file

GET, POST, PUT, PATCH, DELETE = "GET", "POST", "PUT", "PATCH", "DELETE"
LOGIN = "login"  # redirected to the login page, nothing changed
DONE = "done"  # redirected, and the POST took effect
DOWNLOAD = "download"  # a file to save (an attachment), and the POST took effect


@dataclass(frozen=True)
class Bug:
    """An answer the app gets wrong today: `expected` is the right one. The case fails
    until the app is fixed (xfail, strict), then the marker goes."""

    expected: int | str
    reason: str


# Columns: SEC secretariat · FP partner, focal point · PA partner, not a focal point ·
# DON donor · SU superuser without a portal role · OFF deactivated account · ANON anonymous.
# One row a line, in aligned columns, so the table is wider than the line length; ruff
# format keeps the rest of the file within it.
# ruff: noqa: E501
# fmt: off
MATRIX: list[tuple[Any, ...]] = [
    # URL name                               object             method  SEC    FP     PA     DON    SU     OFF    ANON
    # Portal
    ("home",                                 None,              GET,    302,   302,   302,   302,   200,   LOGIN, LOGIN),
    ("secretariat_home",                     None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("partner_home",                         None,              GET,    403,   200,   200,   403,   403,   LOGIN, LOGIN),
    ("donor_home",                           None,              GET,    403,   403,   403,   200,   403,   LOGIN, LOGIN),
    # the dashboard: a partner's figures are its organisation's
    ("dashboard",                            None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("dashboard_targets",                    None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("dashboard_target_create",              None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("dashboard_target_create",              None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("dashboard_target_edit",                "dashboard_target", GET,   200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("dashboard_target_edit",                "dashboard_target", POST,  DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("dashboard_target_delete",              "dashboard_target", POST,  DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("national_figures",                     None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("national_figure_create",               None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("national_figure_create",               None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("national_figure_edit",                 "national_figure", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("national_figure_edit",                 "national_figure", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("national_figure_delete",               "national_figure", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("outbox",                               None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("email_resend",                         "unknown_email",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("healthz",                              None,              GET,    200,   200,   200,   200,   200,   200,   200),
    ("favicon",                              None,              GET,    301,   301,   301,   301,   301,   301,   301),
    ("set_language",                         None,              POST,   DONE,  DONE,  DONE,  DONE,  302,   302,   302),
    # Accounts
    ("login",                                None,              GET,    302,   302,   302,   302,   302,   200,   200),
    ("login",                                None,              POST,   302,   302,   302,   302,   302,   DONE,  DONE),
    ("logout",                               None,              POST,   DONE,  DONE,  DONE,  DONE,  DONE,  DONE,  LOGIN),
    ("password_change",                      None,              GET,    200,   200,   200,   200,   200,   LOGIN, LOGIN),
    ("password_change",                      None,              POST,   DONE,  DONE,  DONE,  DONE,  DONE,  LOGIN, LOGIN),
    ("password_change_done",                 None,              GET,    200,   200,   200,   200,   200,   LOGIN, LOGIN),
    ("password_reset",                       None,              GET,    200,   200,   200,   200,   200,   200,   200),
    ("password_reset",                       None,              POST,   DONE,  DONE,  DONE,  DONE,  DONE,  DONE,  DONE),
    ("password_reset_done",                  None,              GET,    200,   200,   200,   200,   200,   200,   200),
    ("profile",                              None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("profile",                              None,              POST,   DONE,  DONE,  DONE,  DONE,  403,   LOGIN, LOGIN),
    ("password_set",                         "invitation",      GET,    200,   200,   200,   200,   200,   200,   200),
    ("password_set",                         "invitation",      POST,   DONE,  DONE,  DONE,  DONE,  DONE,  DONE,  DONE),
    # a link in an optional email turns those emails off, with no login and no CSRF token
    ("unsubscribe",                          "unsubscribe_token", GET,  200,   200,   200,   200,   200,   200,   200),
    ("unsubscribe",                          "unsubscribe_token", POST, DONE,  DONE,  DONE,  DONE,  DONE,  DONE,  DONE),
    ("unsubscribe",                          "bad_token",       GET,    404,   404,   404,   404,   404,   404,   404),
    ("unsubscribe",                          "bad_token",       POST,   404,   404,   404,   404,   404,   404,   404),
    ("password_set",                         "bad_token",       GET,    404,   404,   404,   404,   404,   404,   404),
    ("password_set",                         "bad_token",       POST,   404,   404,   404,   404,   404,   404,   404),
    # Portal access
    ("stakeholders:person_grant_access",     "own_person",      POST,   DONE,  DONE,  404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_grant_access",     "other_person",    POST,   DONE,  404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_grant_access",     "inactive_person", POST,   404,   404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:user_list",               None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:user_export",             None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:user_change_role",        "other_account",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    # the one secretariat account may lose neither its role nor its access
    ("stakeholders:user_change_role",        "own_account",     POST,   302,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:user_set_active",         "other_account",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:user_set_active",         "own_account",     POST,   302,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:audit_list",              None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    # Directory: organisations
    ("stakeholders:organisation_list",       None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_choices",    None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_detail",     "own_org",         GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_detail",     "other_org",       GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_detail",     "inactive_org",    GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_create",     None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_create",     None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_edit",       "own_org",         GET,    200,   200,   200,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_edit",       "own_org",         POST,   DONE,  DONE,  DONE,  403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_edit",       "other_org",       GET,    200,   404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_edit",       "other_org",       POST,   DONE,  404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_edit",       "inactive_org",    POST,   DONE,  404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_set_active", "own_org",         POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_set_active", "other_org",       POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_merge",      "other_org",       GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_merge",      "other_org",       POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_export",     "csv",             GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_export",     "xlsx",            GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:organisation_export",     "nonsense",        GET,    404,   404,   404,   404,   403,   LOGIN, LOGIN),
    # Directory: people
    ("stakeholders:person_list",             None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:person_choices",          None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:person_detail",           "own_person",      GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:person_detail",           "other_person",    GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:person_detail",           "inactive_person", GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("stakeholders:person_create",           None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_create",           None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_edit",             "own_person",      GET,    200,   200,   200,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_edit",             "own_person",      POST,   DONE,  DONE,  DONE,  403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_edit",             "other_person",    GET,    200,   404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_edit",             "other_person",    POST,   DONE,  404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_edit",             "inactive_person", POST,   DONE,  404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_set_active",       "own_person",      POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_set_active",       "other_person",    POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_anonymise",        "other_person",    GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_anonymise",        "other_person",    POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:person_export",           "csv",             GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("stakeholders:person_export",           "xlsx",            GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    # Directory: import
    ("stakeholders:import_upload",           "organisations",   GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_upload",           "organisations",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_upload",           "nonsense",        GET,    404,   404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_template",         "csv",             GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_template",         "xlsx",            GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    # partners import activities, so reach the batch pages, but see only their own batches
    ("stakeholders:import_preview",          "batch",           GET,    200,   404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_preview",          "batch",           POST,   DONE,  404,   404,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_progress",         "batch",           GET,    200,   404,   404,   403,   403,   LOGIN, LOGIN),
    # Activities: import (a partner's file of its organisation's activities)
    ("stakeholders:import_upload",           "activities",      GET,    200,   200,   200,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_template",         "activities_xlsx", GET,    200,   200,   200,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_preview",          "activity_batch",  GET,    200,   404,   200,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_preview",          "activity_batch",  POST,   DONE,  404,   DONE,  403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_progress",         "activity_batch",  GET,    200,   404,   200,   403,   403,   LOGIN, LOGIN),
    # Meetings
    ("meetings:meeting_list",                None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:meeting_create",              None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_create",              None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_detail",              "invited_meeting", GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:meeting_detail",              "other_meeting",   GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:meeting_print",               "invited_meeting", GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:meeting_print",               "other_meeting",   GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:meeting_record_docx",         "invited_meeting", GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:meeting_record_docx",         "other_meeting",   GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:meeting_record_pdf",          "invited_meeting", GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:meeting_record_pdf",          "other_meeting",   GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:meeting_ics",                 "invited_meeting", GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:meeting_ics",                 "other_meeting",   GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:meeting_calendar",            None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:meeting_reminders",           "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    # the invited meeting follows its series' reminders: a rule is added to the series
    ("meetings:meeting_reminders",           "invited_meeting", POST,   404,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_reminders",           "other_meeting",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_rules_own",           "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:reminder_rule_delete",        "rule",            POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:series_reminder_add",         "series",          POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_edit",                "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_edit",                "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_edit",                "other_meeting",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_next",                "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_next",                "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_set_status",          "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_set_status",          "other_meeting",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:agenda_item_create",          "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:agenda_item_create",          "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:agenda_item_edit",            "invited_item",    GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:agenda_item_edit",            "invited_item",    POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:agenda_item_edit",            "other_item",      POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:agenda_item_delete",          "invited_item",    POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:agenda_item_move",            "invited_item",    POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_invite",              "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_invite",              "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_attendance",          "started_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_attendance",          "started_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    # not started yet: the secretariat is told so, nothing is recorded
    ("meetings:meeting_attendance",          "invited_meeting", POST,   302,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:meeting_sign_in_sheet",       "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:organisation_invitation_letter", "organisation_invitation", GET, 200, 403, 403, 403, 403, LOGIN, LOGIN),
    ("meetings:organisation_invitation_letter", "organisation_invitation", POST, DOWNLOAD, 403, 403, 403, 403, LOGIN, LOGIN),
    ("meetings:organisation_invitation_delegates", "organisation_invitation", GET, 200, 200, 404, 404, 403, LOGIN, LOGIN),
    ("meetings:organisation_invitation_delegates", "organisation_invitation", POST, DONE, DONE, 404, 404, 403, LOGIN, LOGIN),
    # another organisation invited to the same meeting: its focal point's, not this one's
    ("meetings:organisation_invitation_delegates", "other_organisation_invitation", GET, 200, 404, 404, 404, 403, LOGIN, LOGIN),
    ("meetings:organisation_invitation_delegates", "other_organisation_invitation", POST, DONE, 404, 404, 404, 403, LOGIN, LOGIN),
    ("meetings:organisation_invitation_decline", "organisation_invitation", POST, DONE, DONE, 404, 404, 403, LOGIN, LOGIN),
    ("meetings:organisation_invitation_decline", "other_organisation_invitation", POST, DONE, 404, 404, 404, 403, LOGIN, LOGIN),
    ("meetings:letter_templates",            None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:letter_templates",            None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:letter_template_download",    "ru",              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:letter_template_download",    "uz",              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:letter_template_download",    "nonsense",        GET,    404,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:letter_template_reset",       "ru",              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:letter_template_reset",       "nonsense",        POST,   404,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:decision_create",             "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:decision_create",             "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    # Framework references: public lists; the secretariat keeps them
    ("meetings:framework_coverage",          None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:framework_create",            None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:framework_create",            None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:framework_edit",              "framework_reference", GET, 200,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:framework_edit",              "framework_reference", POST, DONE, 403,  403,   403,   403,   LOGIN, LOGIN),
    ("stakeholders:import_upload",           "framework_references", GET, 200, 403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:decision_edit",               "decision",        GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:decision_edit",               "decision",        POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:action_item_create",          "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:action_item_create",          "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_detail",              "invited_meeting", GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_detail",              "started_meeting", GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_detail",              "adopted_meeting", GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_detail",              "other_meeting",   GET,    404,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_compare",             "invited_meeting", GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_compare",             "started_meeting", GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_compare",             "adopted_meeting", GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_compare",             "other_meeting",   GET,    404,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_edit",                "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_edit",                "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_edit",                "other_meeting",   GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_edit",                "other_meeting",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    # adopted minutes are locked: the secretariat is sent to correct them
    ("meetings:minutes_edit",                "adopted_meeting", GET,    302,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_edit",                "adopted_meeting", POST,   302,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_correct",             "adopted_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_correct",             "adopted_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_correct",             "invited_meeting", POST,   302,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_correct",             "other_meeting",   GET,    404,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_circulate",           "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_circulate",           "started_meeting", POST,   302,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_circulate",           "other_meeting",   POST,   404,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_adopt",               "started_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_adopt",               "adopted_meeting", POST,   302,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:minutes_adopt",               "other_meeting",   POST,   404,   403,   403,   403,   403,   LOGIN, LOGIN),
    # circulated minutes take comments from those who read them; drafts from nobody
    ("meetings:minutes_comment",             "started_meeting", POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_comment",             "invited_meeting", POST,   302,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:minutes_comment",             "adopted_meeting", POST,   302,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:statement_create",            "invited_meeting", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:statement_create",            "invited_meeting", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    # adopted: refused, the form shown again
    ("meetings:statement_create",            "adopted_meeting", POST,   200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:statement_create",            "other_meeting",   GET,    404,   403,   403,   403,   403,   LOGIN, LOGIN),
    # documents: amber for the invitees and the uploader's organisation, red for the named
    ("meetings:document_download",           "amber_document",  GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:document_download",           "red_document",    GET,    200,   404,   200,   404,   403,   LOGIN, LOGIN),
    ("meetings:document_download",           "own_document",    GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:document_download",           "green_document",  GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:document_download",           "other_document",  GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    # a partner uploads to the agenda items its organisation presents
    ("meetings:document_upload",             "invited_meeting", GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("meetings:document_upload",             "invited_meeting", POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("meetings:document_upload",             "other_meeting",   GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:document_upload",             "other_meeting",   POST,   DONE,  404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:document_edit",               "own_document",    GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("meetings:document_edit",               "own_document",    POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("meetings:document_edit",               "amber_document",  POST,   DONE,  404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:document_edit",               "other_document",  GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:document_delete",             "own_document",    POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("meetings:document_delete",             "amber_document",  POST,   DONE,  404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:document_delete",             "red_document",    POST,   DONE,  404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:statement_edit",              "statement",       GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:statement_edit",              "statement",       POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:statement_move",              "statement",       POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:statement_delete",            "statement",       POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:action_item_list",            None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:action_item_export",          "csv",             GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:action_item_export",          "xlsx",            GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("meetings:action_item_export",          "nonsense",        GET,    404,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:action_item_detail",          "own_action_item", GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("meetings:action_item_detail",          "other_action_item", GET,  200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:action_item_edit",            "own_action_item", GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:action_item_edit",            "own_action_item", POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    # any active user of the owner organisation updates its status, a donor's included
    ("meetings:action_item_status",          "own_action_item", POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("meetings:action_item_status",          "other_action_item", POST, DONE,  404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:action_item_status",          "donor_action_item", POST, DONE,  404,   404,   DONE,  403,   LOGIN, LOGIN),
    ("meetings:invitation_answer",           "own_invitation",  POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("meetings:invitation_answer",           "other_invitation", POST,  DONE,  404,   404,   404,   403,   LOGIN, LOGIN),
    ("meetings:invitation_remove",           "own_invitation",  POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:organisation_invitation_refresh", "organisation_invitation", POST, DONE, 403, 403, 403, 403, LOGIN, LOGIN),
    ("meetings:organisation_invitation_remove", "organisation_invitation", POST, DONE, 403, 403, 403, 403, LOGIN, LOGIN),
    ("meetings:rsvp",                        "rsvp_token",      GET,    200,   200,   200,   200,   200,   200,   200),
    ("meetings:rsvp",                        "rsvp_token",      POST,   DONE,  DONE,  DONE,  DONE,  DONE,  DONE,  DONE),
    ("meetings:rsvp",                        "bad_token",       GET,    404,   404,   404,   404,   404,   404,   404),
    ("meetings:rsvp",                        "bad_token",       POST,   404,   404,   404,   404,   404,   404,   404),
    # a calendar program reads a feed without a login: the token alone decides
    ("meetings:calendar_feed",               "feed_token",      GET,    200,   200,   200,   200,   200,   200,   200),
    ("meetings:calendar_feed",               "revoked_feed",    GET,    404,   404,   404,   404,   404,   404,   404),
    ("meetings:calendar_feed",               "bad_token",       GET,    404,   404,   404,   404,   404,   404,   404),
    # live, but its user's access ended: the feed checks the user on every read
    ("meetings:calendar_feed",               "deactivated_feed", GET,   404,   404,   404,   404,   404,   404,   404),
    ("meetings:calendar_feed_create",        None,              POST,   DONE,  DONE,  DONE,  DONE,  403,   LOGIN, LOGIN),
    ("meetings:calendar_feed_revoke",        None,              POST,   DONE,  DONE,  DONE,  DONE,  403,   LOGIN, LOGIN),
    # Activities: drafts are the lead organisation's; approved ones as their label says
    ("activities:activity_list",             None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("activities:activity_radar",            None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("activities:trusted_organisations",     None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:trusted_organisations",     None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:call_list",                 None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("activities:call_open",                 None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:call_open",                 None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    # the organisations asked read the call; only a partner focal point says "nothing new"
    ("activities:call_detail",               "call",            GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("activities:call_nothing_new",          "call",            POST,   403,   DONE,  403,   403,   403,   LOGIN, LOGIN),
    ("activities:award_list",                None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:award_create",              None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:award_create",              None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:award_edit",                "award",           GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:award_edit",                "award",           POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:activity_create",           None,              GET,    200,   200,   200,   403,   403,   LOGIN, LOGIN),
    ("activities:activity_create",           None,              POST,   DONE,  DONE,  DONE,  403,   403,   LOGIN, LOGIN),
    ("activities:activity_detail",           "own_draft",       GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:activity_detail",           "other_draft",     GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("activities:activity_detail",           "joined_activity", GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:activity_edit",             "own_draft",       GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:activity_edit",             "own_draft",       POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("activities:activity_edit",             "other_draft",     POST,   DONE,  404,   404,   404,   403,   LOGIN, LOGIN),
    ("activities:activity_edit",             "joined_activity", GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("activities:activity_participants",     "own_draft",       GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:activity_participants",     "own_draft",       POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("activities:activity_participants",     "other_draft",     GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("activities:evidence_upload",           "own_draft",       GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:evidence_upload",           "own_draft",       POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("activities:evidence_upload",           "other_draft",     GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("activities:evidence_download",         "evidence",        GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:evidence_delete",           "evidence",        POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("activities:activity_submit",           "own_draft",       POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("activities:activity_submit",           "other_draft",     POST,   DONE,  404,   404,   404,   403,   LOGIN, LOGIN),
    # an approved activity: the lead organisation proposes changes, reviewed as a revision
    ("activities:activity_edit",             "own_approved",    GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:activity_participants",     "own_approved",    GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:activity_detail",           "own_approved",    GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    # Trend notes: amber ones are the source organisation's and the secretariat's
    ("activities:trend_board",               None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("activities:trend_list",                None,              GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("activities:trend_create",              None,              GET,    200,   200,   200,   403,   403,   LOGIN, LOGIN),
    ("activities:trend_create",              None,              POST,   DONE,  DONE,  DONE,  403,   403,   LOGIN, LOGIN),
    ("activities:trend_detail",              "own_trend",       GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:trend_detail",              "other_trend",     GET,    200,   404,   404,   404,   403,   LOGIN, LOGIN),
    ("activities:trend_detail",              "green_trend",     GET,    200,   200,   200,   200,   403,   LOGIN, LOGIN),
    ("activities:trend_edit",                "own_trend",       GET,    200,   200,   200,   404,   403,   LOGIN, LOGIN),
    ("activities:trend_edit",                "own_trend",       POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("activities:trend_edit",                "other_trend",     POST,   DONE,  404,   404,   404,   403,   LOGIN, LOGIN),
    ("activities:trend_edit",                "green_trend",     GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:trend_status",              "own_trend",       POST,   DONE,  DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("activities:trend_status",              "green_trend",     POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:trend_response_add",        "own_trend",       POST,   DONE,  DONE,  DONE,  403,   403,   LOGIN, LOGIN),
    ("activities:trend_response_add",        "other_trend",     POST,   DONE,  404,   404,   403,   403,   LOGIN, LOGIN),
    ("activities:activity_trend_add",        "own_approved",    POST,   DONE,  DONE,  DONE,  403,   403,   LOGIN, LOGIN),
    ("activities:activity_trend_add",        "other_draft",     POST,   DONE,  404,   404,   403,   403,   LOGIN, LOGIN),
    ("activities:trend_response_remove",     "trend_response",  POST,   DONE,  DONE,  DONE,  403,   403,   LOGIN, LOGIN),
    ("activities:revision_approve",          "revision",        POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:revision_return",           "revision",        POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:revision_withdraw",         "revision",        POST,   404,   DONE,  DONE,  404,   403,   LOGIN, LOGIN),
    ("activities:activity_approve",          "own_submitted",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("activities:activity_return",           "own_submitted",   POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:series_list",                 None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:series_create",               None,              GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:series_create",               None,              POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:series_detail",               "series",          GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:series_edit",                 "series",          GET,    200,   403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:series_edit",                 "series",          POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
    ("meetings:series_standing_invitees",    "series",          POST,   DONE,  403,   403,   403,   403,   LOGIN, LOGIN),
]
# fmt: on


# What each POST row sends, and how to see that it took effect.


@dataclass
class Visit:
    """One visitor's request in a row: who, the record it is about, their client."""

    world: World
    visitor: str
    obj: Any
    client: Client
    session_key: str | None


@dataclass(frozen=True)
class Post:
    payload: Callable[[Visit], dict[str, Any]]
    took_effect: Callable[[Visit], bool]


NEW_PASSWORD = "another-long-test-password-77"


def _trend_form(
    visit: Visit, *, title: str, source: int | None = None, version: int | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": title,
        "summary": "Offers of work abroad spread through messaging channels.",
        "trend_type": "recruitment_method",
        "source_type": "partner_observation",
        "source_organisation": source or visit.world.partner_org.pk,
        "confidence": "reported",
        "label": "amber",
    }
    if version is not None:
        data["version"] = version
    return data


def _organisation_form(visit: Visit) -> dict[str, Any]:
    org = visit.obj
    return {
        "name": f"{org.name} renamed",
        "short_name": org.short_name,
        "stakeholder_group": org.stakeholder_group,
        "parent": org.parent_id or "",
        "country": org.country.code or "",
        "website": org.website,
        "iati_identifier": org.iati_identifier,
        "iati_type": org.iati_type,
        "description": org.description,
        "version": org.version,
    }


def _person_form(visit: Visit) -> dict[str, Any]:
    person = visit.obj
    return {
        "full_name": f"{person.full_name} renamed",
        "position": person.position,
        "organisation": person.organisation_id,
        "email": person.email,
        "phone": person.phone,
        "preferred_language": person.preferred_language,
        "mechanism_role": person.mechanism_role,
        "version": person.version,
    }


def _meeting_form(visit: Visit, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Added through the matrix",
        "starts_at": "2031-10-21T10:00",
        "ends_at": "2031-10-21T13:00",
        "time_zone": "Asia/Tashkent",
        "modality": "in_person",
        "venue": "UN House",
        **fields,
    }


def _renamed(model: type[Any], field: str) -> Callable[[Visit], bool]:
    def took_effect(visit: Visit) -> bool:
        current = model.objects.get(pk=visit.obj.pk)
        return getattr(current, field) == f"{getattr(visit.obj, field)} renamed"

    return took_effect


def _minutes_form(visit: Visit) -> dict[str, Any]:
    data = {
        "label": "amber",
        "text_en": "Written through the matrix",
        "authoritative_language": "en",
    }
    minutes = Minutes.objects.filter(meeting=visit.obj).first()
    if minutes is not None:
        data["version"] = minutes.version
    return data


def _delegate(visit: Visit) -> Person:
    """Someone of the invited organisation who is not invited to its meeting yet."""
    if visit.obj.organisation_id == visit.world.other_org.pk:
        return visit.world.other_person
    return visit.world.colleague(PARTNER)


def _own_person_reads_russian(visit: Visit) -> bool:
    # Everyone starts in English: the visitor's person is the only one that may change.
    user = visit.world.users.get(visit.visitor)
    person = user.person if user is not None else None
    return person is not None and list(Person.objects.filter(preferred_language="ru")) == [person]


def _logged_in_as_other_account(visit: Visit) -> bool:
    session = visit.client.cookies.get(settings.SESSION_COOKIE_NAME)
    stored = Session.objects.filter(session_key=session.value).first() if session else None
    return stored is not None and stored.get_decoded().get("_auth_user_id") == str(
        visit.world.other_account.pk
    )


def _own_person(visit: Visit) -> Person | None:
    user = visit.world.users.get(visit.visitor)
    return user.person if user is not None else None


def _own_feed_replaced(visit: Visit) -> bool:
    """The visitor's person has one live calendar feed, and not the one it had."""
    person = _own_person(visit)
    if person is None:
        return False
    live = CalendarFeed.objects.live().filter(person=person)
    old = hash_token(visit.world.meetings.feeds[visit.visitor])
    return live.count() == 1 and not live.filter(token_hash=old).exists()


def _toggle_active(visit: Visit) -> dict[str, str]:
    # The records of the world are never changed in memory: `obj` is the state before.
    return {"active": "0" if visit.obj.is_active else "1"}


def _active_toggled(
    model: type[User] | type[Organisation] | type[Person],
) -> Callable[[Visit], bool]:
    return lambda visit: model.objects.get(pk=visit.obj.pk).is_active != visit.obj.is_active


POSTS: dict[str, Post] = {
    "unsubscribe": Post(
        payload=lambda v: {"List-Unsubscribe": "One-Click"},
        took_effect=lambda v: (
            not Person.objects.get(pk=v.world.other_person.pk).email_meeting_reminders
        ),
    ),
    "activities:activity_create": Post(
        payload=lambda v: {
            "title": "Logged in the matrix",
            "type": "training",
            "primary_pillar": "prevention",
            "target_groups": ["police"],
            "lead_organisation": v.world.own_org(v.visitor).pk,
            "status": "planned",
            "planned_start": "2031-11-06",
            "planned_end": "2031-11-08",
            "modality": "in_person",
            "regions": ["UZ-BU"],
            "label": "amber",
        },
        took_effect=lambda v: Activity.objects.filter(title="Logged in the matrix").exists(),
    ),
    "activities:trusted_organisations": Post(
        payload=lambda v: {"organisation": v.world.other_org.pk},
        took_effect=lambda v: TrustedOrganisation.objects.filter(
            organisation=v.world.other_org
        ).exists(),
    ),
    "activities:call_open": Post(
        payload=lambda v: {
            "meeting": v.world.meetings.other.pk,
            "deadline": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
        took_effect=lambda v: CallForUpdates.objects.filter(
            meeting=v.world.meetings.other
        ).exists(),
    ),
    "activities:call_nothing_new": Post(
        payload=lambda v: {},
        took_effect=lambda v: OrganisationUpdate.objects.filter(
            call=v.obj, organisation=v.world.partner_org, state="nothing_new"
        ).exists(),
    ),
    "dashboard_target_create": Post(
        payload=lambda v: {
            "indicator": "meetings_held",
            "period": "year",
            "year": "2031",
            "value": "4",
        },
        took_effect=lambda v: Target.objects.filter(indicator="meetings_held").exists(),
    ),
    "dashboard_target_edit": Post(
        payload=lambda v: {
            "indicator": v.obj.indicator,
            "period": "quarter",
            "year": "2031",
            "quarter": "1",
            "value": "13",
            "version": v.obj.version,
        },
        took_effect=lambda v: Target.objects.get(pk=v.obj.pk).value == 13,
    ),
    "dashboard_target_delete": Post(
        payload=lambda v: {},
        took_effect=lambda v: not Target.objects.filter(pk=v.obj.pk).exists(),
    ),
    "national_figure_create": Post(
        payload=lambda v: {
            "indicator": "convictions",
            "source_agency": v.world.other_org.pk,
            "period": "year",
            "year": "2030",
            "value": "7",
            "source": "Supreme Court statistics 2030",
            "label": "green",
        },
        took_effect=lambda v: NationalFigure.objects.filter(indicator="convictions").exists(),
    ),
    "national_figure_edit": Post(
        payload=lambda v: {
            "indicator": v.obj.indicator,
            "source_agency": v.obj.source_agency_id,
            "period": "year",
            "year": "2030",
            "value": "41",
            "source": v.obj.source,
            "label": v.obj.label,
            "version": v.obj.version,
        },
        took_effect=lambda v: NationalFigure.objects.get(pk=v.obj.pk).value == 41,
    ),
    "national_figure_delete": Post(
        payload=lambda v: {},
        took_effect=lambda v: not NationalFigure.objects.filter(pk=v.obj.pk).exists(),
    ),
    "activities:award_create": Post(
        payload=lambda v: {
            "donor": v.world.other_org.pk,
            "number": "AW-MATRIX",
            "title": "Made in the matrix",
            "starts_on": "2031-01-01",
            "ends_on": "2031-12-31",
        },
        took_effect=lambda v: Award.objects.filter(number="AW-MATRIX").exists(),
    ),
    "activities:award_edit": Post(
        payload=lambda v: {
            "donor": v.obj.donor_id,
            "number": v.obj.number,
            "title": f"{v.obj.title} renamed",
            "starts_on": v.obj.starts_on.isoformat(),
            "ends_on": v.obj.ends_on.isoformat(),
            "version": v.obj.version,
        },
        took_effect=_renamed(Award, "title"),
    ),
    "activities:activity_edit": Post(
        payload=lambda v: {
            "title": f"{v.obj.title} renamed",
            "type": v.obj.type,
            "primary_pillar": v.obj.primary_pillar,
            "target_groups": v.obj.target_groups,
            "lead_organisation": v.obj.lead_organisation_id,
            "status": v.obj.status,
            "planned_start": v.obj.planned_start.isoformat(),
            "planned_end": v.obj.planned_end.isoformat(),
            "modality": v.obj.modality,
            "regions": ["UZ-BU"],
            "label": v.obj.label,
            "version": v.obj.version,
        },
        took_effect=_renamed(Activity, "title"),
    ),
    "activities:activity_participants": Post(
        payload=lambda v: {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-target_group": v.obj.target_groups[0],
            "form-0-location": v.obj.locations.get().pk,
            "form-0-female": "4",
            "form-0-male": "5",
            "form-0-undisclosed": "0",
        },
        took_effect=lambda v: v.obj.participants.filter(female=4, male=5).exists(),
    ),
    "activities:evidence_upload": Post(
        payload=lambda v: {
            "file": SimpleUploadedFile("report.pdf", pdf_bytes(), "application/pdf"),
            "title": "Added in the matrix",
        },
        took_effect=lambda v: ActivityDocument.objects.filter(title="Added in the matrix").exists(),
    ),
    "activities:evidence_delete": Post(
        payload=lambda v: {},
        took_effect=lambda v: not ActivityDocument.objects.filter(pk=v.obj.pk).exists(),
    ),
    "activities:trend_create": Post(
        payload=lambda v: _trend_form(v, title="Recorded through the matrix"),
        took_effect=lambda v: TrendNote.objects.filter(
            title="Recorded through the matrix"
        ).exists(),
    ),
    "activities:trend_edit": Post(
        payload=lambda v: _trend_form(
            v,
            title=f"{v.obj.title} renamed",
            source=v.obj.source_organisation_id,
            version=v.obj.version,
        ),
        took_effect=_renamed(TrendNote, "title"),
    ),
    "activities:trend_status": Post(
        payload=lambda v: {"status": "monitoring"},
        took_effect=lambda v: TrendNote.objects.get(pk=v.obj.pk).status == "monitoring",
    ),
    "activities:trend_response_add": Post(
        payload=lambda v: {"code": v.world.activities.own_approved.code},
        took_effect=lambda v: TrendResponse.objects.filter(
            trend=v.obj, activity=v.world.activities.own_approved
        ).exists(),
    ),
    "activities:activity_trend_add": Post(
        payload=lambda v: {"code": v.world.activities.green_trend.code},
        took_effect=lambda v: TrendResponse.objects.filter(
            trend=v.world.activities.green_trend, activity=v.obj
        ).exists(),
    ),
    "activities:trend_response_remove": Post(
        payload=lambda v: {},
        took_effect=lambda v: not TrendResponse.objects.filter(pk=v.obj.pk).exists(),
    ),
    "activities:revision_approve": Post(
        payload=lambda v: {},
        took_effect=lambda v: (
            Activity.objects.get(pk=v.obj.activity_id).title == "Proposed in the cast"
        ),
    ),
    "activities:revision_return": Post(
        payload=lambda v: {"comment": "Say why."},
        took_effect=lambda v: ActivityRevision.objects.get(pk=v.obj.pk).state == "returned",
    ),
    "activities:revision_withdraw": Post(
        payload=lambda v: {},
        took_effect=lambda v: ActivityRevision.objects.get(pk=v.obj.pk).state == "withdrawn",
    ),
    "activities:activity_submit": Post(
        payload=lambda v: {},
        took_effect=lambda v: Activity.objects.get(pk=v.obj.pk).review_state == "submitted",
    ),
    "activities:activity_approve": Post(
        payload=lambda v: {},
        took_effect=lambda v: Activity.objects.get(pk=v.obj.pk).review_state == "approved",
    ),
    "activities:activity_return": Post(
        payload=lambda v: {"comment": "Add the participants."},
        took_effect=lambda v: Activity.objects.get(pk=v.obj.pk).review_state == "returned",
    ),
    "email_resend": Post(
        payload=lambda v: {},
        took_effect=lambda v: OutboundEmail.objects.get(pk=v.obj.pk).resent_as_id is not None,
    ),
    "set_language": Post(
        payload=lambda v: {"language": "ru"},
        took_effect=_own_person_reads_russian,
    ),
    "login": Post(
        payload=lambda v: {"username": v.world.other_account.email, "password": PASSWORD},
        took_effect=_logged_in_as_other_account,
    ),
    "logout": Post(
        payload=lambda v: {},
        took_effect=lambda v: (
            v.session_key is not None
            and not Session.objects.filter(session_key=v.session_key).exists()
        ),
    ),
    "password_change": Post(
        payload=lambda v: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        took_effect=lambda v: (
            v.visitor in v.world.users
            and User.objects.get(pk=v.world.users[v.visitor].pk).check_password(NEW_PASSWORD)
        ),
    ),
    "password_reset": Post(
        payload=lambda v: {"email": v.world.other_account.email},
        took_effect=lambda v: AccountLink.objects.filter(
            user=v.world.other_account, purpose=AccountLink.Purpose.PASSWORD_RESET
        ).exists(),
    ),
    "profile": Post(
        payload=lambda v: {"preferred_language": "ru", "email_meeting_reminders": "on"},
        took_effect=_own_person_reads_russian,
    ),
    "password_set": Post(
        payload=lambda v: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        took_effect=lambda v: User.objects.get(pk=v.world.invited.pk).check_password(NEW_PASSWORD),
    ),
    "stakeholders:person_grant_access": Post(
        payload=lambda v: {"role": Role.PARTNER},
        took_effect=lambda v: AccountLink.objects.filter(
            user__person=v.obj,
            user__role=Role.PARTNER,
            purpose=AccountLink.Purpose.INVITATION,
        ).exists(),
    ),
    "stakeholders:user_change_role": Post(
        payload=lambda v: {"role": Role.PARTNER if v.obj.role == Role.DONOR else Role.DONOR},
        took_effect=lambda v: User.objects.get(pk=v.obj.pk).role != v.obj.role,
    ),
    "stakeholders:user_set_active": Post(
        payload=_toggle_active,
        took_effect=_active_toggled(User),
    ),
    "stakeholders:organisation_create": Post(
        payload=lambda v: {"name": "Added through the matrix", "stakeholder_group": "donor"},
        took_effect=lambda v: Organisation.objects.filter(name="Added through the matrix").exists(),
    ),
    "stakeholders:organisation_edit": Post(
        payload=_organisation_form, took_effect=_renamed(Organisation, "name")
    ),
    "stakeholders:organisation_set_active": Post(
        payload=_toggle_active,
        took_effect=_active_toggled(Organisation),
    ),
    "stakeholders:organisation_merge": Post(
        payload=lambda v: {"keep": v.world.partner_org.pk},
        took_effect=lambda v: (
            Organisation.objects.get(pk=v.obj.pk).merged_into_id == v.world.partner_org.pk
        ),
    ),
    "stakeholders:person_create": Post(
        payload=lambda v: {
            "full_name": "Added through the matrix",
            "organisation": v.world.partner_org.pk,
            "email": "added@example.org",
            "preferred_language": "en",
            "mechanism_role": "member",
        },
        took_effect=lambda v: Person.objects.filter(full_name="Added through the matrix").exists(),
    ),
    "stakeholders:person_edit": Post(
        payload=_person_form, took_effect=_renamed(Person, "full_name")
    ),
    "stakeholders:person_set_active": Post(
        payload=_toggle_active,
        took_effect=_active_toggled(Person),
    ),
    "stakeholders:person_anonymise": Post(
        payload=lambda v: {},
        took_effect=lambda v: Person.objects.get(pk=v.obj.pk).anonymised_at is not None,
    ),
    "stakeholders:import_upload": Post(
        payload=lambda v: {"file": csv_file(ORGANISATIONS_CSV, "new-organisations.csv")},
        took_effect=lambda v: ImportBatch.objects.filter(
            file_name="new-organisations.csv", status=ImportBatch.Status.PREVIEW
        ).exists(),
    ),
    "stakeholders:import_preview": Post(
        payload=lambda v: {"action": "discard"},
        took_effect=lambda v: (
            ImportBatch.objects.get(pk=v.obj.pk).status == ImportBatch.Status.DISCARDED
        ),
    ),
    "meetings:meeting_create": Post(
        payload=lambda v: _meeting_form(v, series=v.world.meetings.series.pk, number=99),
        took_effect=lambda v: Meeting.objects.filter(title="Added through the matrix").exists(),
    ),
    "meetings:meeting_edit": Post(
        payload=lambda v: _meeting_form(v, number=v.obj.number, version=v.obj.version),
        took_effect=lambda v: Meeting.objects.get(pk=v.obj.pk).title == "Added through the matrix",
    ),
    "meetings:meeting_next": Post(
        payload=lambda v: _meeting_form(v, number=99),
        took_effect=lambda v: Meeting.objects.filter(title="Added through the matrix").exists(),
    ),
    "meetings:meeting_set_status": Post(
        payload=lambda v: {"status": MeetingStatus.POSTPONED},
        took_effect=lambda v: Meeting.objects.get(pk=v.obj.pk).status == MeetingStatus.POSTPONED,
    ),
    "meetings:agenda_item_create": Post(
        payload=lambda v: {
            "title": "Added through the matrix",
            "kind": "update",
            "duration_minutes": 10,
        },
        took_effect=lambda v: AgendaItem.objects.filter(title="Added through the matrix").exists(),
    ),
    "meetings:agenda_item_edit": Post(
        payload=lambda v: {
            "title": f"{v.obj.title} renamed",
            "kind": v.obj.kind,
            "duration_minutes": v.obj.duration_minutes,
            "version": v.obj.version,
        },
        took_effect=_renamed(AgendaItem, "title"),
    ),
    "meetings:document_upload": Post(
        payload=lambda v: {
            "file": SimpleUploadedFile("Повестка.pdf", pdf_bytes(), "application/pdf"),
            "title": "Uploaded in the matrix",
            "kind": "agenda",
            "agenda_item": v.world.meetings.presented_item.pk
            if v.obj == v.world.meetings.invited
            else "",
            "label": "amber",
        },
        took_effect=lambda v: Document.objects.filter(
            meeting=v.obj, title="Uploaded in the matrix", original_name="Повестка.pdf"
        ).exists(),
    ),
    "meetings:document_edit": Post(
        payload=lambda v: {
            "title": f"{v.obj.title} renamed",
            "kind": v.obj.kind,
            "agenda_item": v.obj.agenda_item_id or "",
            "label": v.obj.label,
            "version": v.obj.version,
        },
        took_effect=_renamed(Document, "title"),
    ),
    "meetings:statement_edit": Post(
        payload=lambda v: {
            "speaker": v.obj.speaker_id,
            "organisation": v.obj.organisation_id or "",
            "agenda_item": "",
            "text": f"{v.obj.text} renamed",
            "version": v.obj.version,
        },
        took_effect=_renamed(Statement, "text"),
    ),
    "meetings:statement_move": Post(
        payload=lambda v: {"direction": "up"},
        took_effect=lambda v: Statement.objects.get(pk=v.obj.pk).order == 1,
    ),
    "meetings:statement_delete": Post(
        payload=lambda v: {},
        took_effect=lambda v: not Statement.objects.filter(pk=v.obj.pk).exists(),
    ),
    "meetings:meeting_reminders": Post(
        payload=lambda v: {"amount": 2, "unit": "hours", "audience": "not_answered"},
        took_effect=lambda v: v.obj.reminder_rules.filter(offset_minutes=120).exists(),
    ),
    "meetings:meeting_rules_own": Post(
        payload=lambda v: {"own": "yes"},
        took_effect=lambda v: v.obj.reminder_rules.exists(),
    ),
    "meetings:reminder_rule_delete": Post(
        payload=lambda v: {},
        took_effect=lambda v: not ReminderRule.objects.filter(pk=v.obj.pk).exists(),
    ),
    "meetings:series_reminder_add": Post(
        payload=lambda v: {"amount": 2, "unit": "hours", "audience": "not_declined"},
        took_effect=lambda v: v.obj.reminder_rules.filter(offset_minutes=120).exists(),
    ),
    "meetings:document_delete": Post(
        payload=lambda v: {},
        took_effect=lambda v: not Document.objects.filter(pk=v.obj.pk).exists(),
    ),
    "meetings:agenda_item_delete": Post(
        payload=lambda v: {},
        took_effect=lambda v: not AgendaItem.objects.filter(pk=v.obj.pk).exists(),
    ),
    "meetings:agenda_item_move": Post(
        payload=lambda v: {"direction": "up"},
        took_effect=lambda v: AgendaItem.objects.get(pk=v.obj.pk).position == v.obj.position - 1,
    ),
    "meetings:meeting_invite": Post(
        payload=lambda v: {"kind": "person", "person-person": v.world.other_person.pk},
        took_effect=lambda v: Invitation.objects.filter(
            meeting=v.obj, person=v.world.other_person
        ).exists(),
    ),
    "meetings:meeting_attendance": Post(
        payload=lambda v: {
            "action": "organisation",
            "organisation": v.world.partner_org.pk,
            "attendance": "attended",
        },
        took_effect=lambda v: Invitation.objects.filter(
            meeting=v.obj, organisation=v.world.partner_org, attendance="attended"
        ).exists(),
    ),
    "meetings:organisation_invitation_letter": Post(
        payload=lambda v: {"language": "ru", "number": "01-05/777", "date": "2031-10-01"},
        took_effect=lambda v: (
            OrganisationInvitation.objects.get(pk=v.obj.pk).letter_number == "01-05/777"
        ),
    ),
    "meetings:organisation_invitation_delegates": Post(
        payload=lambda v: {"people": [_delegate(v).pk]},
        took_effect=lambda v: Invitation.objects.filter(
            meeting=v.obj.meeting, person=_delegate(v)
        ).exists(),
    ),
    "meetings:organisation_invitation_decline": Post(
        payload=lambda v: {},
        took_effect=lambda v: (
            OrganisationInvitation.objects.get(pk=v.obj.pk).state
            == OrganisationInvitationState.DECLINED
        ),
    ),
    "meetings:letter_templates": Post(
        payload=lambda v: {
            "language": "uz",
            "file": SimpleUploadedFile("letter-uz.docx", default_template("uz")),
        },
        took_effect=lambda v: LetterTemplate.objects.filter(language="uz").exists(),
    ),
    "meetings:letter_template_reset": Post(
        payload=lambda v: {},
        took_effect=lambda v: not LetterTemplate.objects.filter(language="ru").exists(),
    ),
    "meetings:decision_create": Post(
        payload=lambda v: {"text": "Added through the matrix"},
        took_effect=lambda v: Decision.objects.filter(text="Added through the matrix").exists(),
    ),
    "meetings:framework_create": Post(
        payload=lambda v: {
            "kind": "nap_measure",
            "year": 2024,
            "code": "9.9",
            "text": "Added through the matrix",
        },
        took_effect=lambda v: FrameworkReference.objects.filter(code="9.9").exists(),
    ),
    "meetings:framework_edit": Post(
        payload=lambda v: {
            "kind": v.obj.kind,
            "year": v.obj.year,
            "code": v.obj.code,
            "text": f"{v.obj.text} renamed",
            "is_active": "on",
            "version": v.obj.version,
        },
        took_effect=_renamed(FrameworkReference, "text"),
    ),
    "meetings:decision_edit": Post(
        payload=lambda v: {"text": f"{v.obj.text} renamed", "version": v.obj.version},
        took_effect=_renamed(Decision, "text"),
    ),
    "meetings:action_item_create": Post(
        payload=lambda v: {
            "description": "Added through the matrix",
            "owner_organisation": v.world.partner_org.pk,
            "due_on": "2031-12-01",
        },
        took_effect=lambda v: ActionItem.objects.filter(
            description="Added through the matrix"
        ).exists(),
    ),
    "meetings:action_item_edit": Post(
        payload=lambda v: {
            "description": f"{v.obj.description} renamed",
            "owner_organisation": v.obj.owner_organisation_id,
            "due_on": v.obj.due_on.isoformat(),
            "version": v.obj.version,
        },
        took_effect=_renamed(ActionItem, "description"),
    ),
    "meetings:action_item_status": Post(
        payload=lambda v: {"status": "done"},
        took_effect=lambda v: ActionItem.objects.get(pk=v.obj.pk).status == "done",
    ),
    "meetings:minutes_edit": Post(
        payload=_minutes_form,
        took_effect=lambda v: MinutesRevision.objects.filter(
            minutes__meeting=v.obj, text_en="Written through the matrix"
        ).exists(),
    ),
    "meetings:minutes_correct": Post(
        payload=lambda v: {
            "text_en": "Corrected through the matrix",
            "authoritative_language": "en",
            "reason": "A typo",
        },
        took_effect=lambda v: MinutesRevision.objects.filter(
            minutes__meeting=v.obj, number=2, text_en="Corrected through the matrix"
        ).exists(),
    ),
    "meetings:minutes_circulate": Post(
        payload=lambda v: {},
        took_effect=lambda v: AuditEvent.objects.filter(
            action="meeting_minutes_circulated", target_id=v.obj.pk
        ).exists(),
    ),
    "meetings:minutes_adopt": Post(
        payload=lambda v: {},
        took_effect=lambda v: AuditEvent.objects.filter(
            action="meeting_minutes_adopted", target_id=v.obj.pk
        ).exists(),
    ),
    "meetings:minutes_comment": Post(
        payload=lambda v: {"text": "Commented through the matrix"},
        took_effect=lambda v: MinutesComment.objects.filter(
            minutes__meeting=v.obj, text="Commented through the matrix"
        ).exists(),
    ),
    "meetings:statement_create": Post(
        payload=lambda v: {
            "speaker": v.world.users[PARTNER].person.pk,
            "text": "Said through the matrix",
        },
        took_effect=lambda v: Statement.objects.filter(
            minutes__meeting=v.obj, text="Said through the matrix"
        ).exists(),
    ),
    "meetings:invitation_answer": Post(
        payload=lambda v: {"response": Response.DECLINED},
        took_effect=lambda v: Invitation.objects.get(pk=v.obj.pk).response == Response.DECLINED,
    ),
    "meetings:invitation_remove": Post(
        payload=lambda v: {},
        took_effect=lambda v: not Invitation.objects.filter(pk=v.obj.pk).exists(),
    ),
    "meetings:organisation_invitation_refresh": Post(
        payload=lambda v: {},
        took_effect=lambda v: Invitation.objects.filter(
            meeting=v.obj.meeting, person=v.world.users[FOCAL_POINT].person
        ).exists(),
    ),
    "meetings:organisation_invitation_remove": Post(
        payload=lambda v: {},
        took_effect=lambda v: not OrganisationInvitation.objects.filter(pk=v.obj.pk).exists(),
    ),
    "meetings:rsvp": Post(
        payload=lambda v: {"action": "answer", "response": Response.DECLINED},
        took_effect=lambda v: (
            Invitation.objects.get(pk=v.world.meetings.own_invitation.pk).response
            == Response.DECLINED
        ),
    ),
    "meetings:calendar_feed_create": Post(
        payload=lambda v: {},
        took_effect=_own_feed_replaced,
    ),
    "meetings:calendar_feed_revoke": Post(
        payload=lambda v: {},
        took_effect=lambda v: (
            _own_person(v) is not None
            and not CalendarFeed.objects.live().filter(person=_own_person(v)).exists()
        ),
    ),
    "meetings:series_create": Post(
        payload=lambda v: {
            "title": "Added through the matrix",
            "convener": v.world.partner_org.pk,
            "cadence": "quarterly",
            "default_time_zone": "Asia/Tashkent",
        },
        took_effect=lambda v: MeetingSeries.objects.filter(
            title="Added through the matrix"
        ).exists(),
    ),
    "meetings:series_edit": Post(
        payload=lambda v: {
            "title": f"{v.obj.title} renamed",
            "convener": v.obj.convener_id,
            "cadence": v.obj.cadence,
            "default_time_zone": v.obj.default_time_zone,
            "is_active": "on",
            "version": v.obj.version,
        },
        took_effect=_renamed(MeetingSeries, "title"),
    ),
    "meetings:series_standing_invitees": Post(
        payload=lambda v: {"organisation-organisation": v.world.other_org.pk},
        took_effect=lambda v: (
            MeetingSeries.objects.get(pk=v.obj.pk)
            .standing_invitees.filter(pk=v.world.other_org.pk)
            .exists()
        ),
    ),
}


# Visiting


def target(world: World, visitor: str, name: str) -> tuple[list[Any], Any]:
    """The URL arguments for an object of the matrix, and the record they point to."""
    records = {
        "own_org": lambda: world.own_org(visitor),
        "other_org": lambda: world.other_org,
        "inactive_org": lambda: world.inactive_org,
        "own_person": lambda: world.colleague(visitor),
        "other_person": lambda: world.other_person,
        "inactive_person": lambda: world.inactive_person,
        "other_account": lambda: world.other_account,
        "own_account": lambda: world.users.get(visitor, world.users[PARTNER]),
        "batch": lambda: world.batch,
        "activity_batch": lambda: world.activity_batch,
        "unknown_email": lambda: world.unknown_email,
        "own_draft": lambda: world.activities.own_draft,
        "own_submitted": lambda: world.activities.own_submitted,
        "other_draft": lambda: world.activities.other_draft,
        "joined_activity": lambda: world.activities.joined,
        "award": lambda: world.activities.award,
        "call": lambda: world.activities.call,
        "evidence": lambda: world.activities.evidence,
        "own_approved": lambda: world.activities.own_approved,
        "revision": lambda: world.activities.revision,
        "own_trend": lambda: world.activities.own_trend,
        "other_trend": lambda: world.activities.other_trend,
        "green_trend": lambda: world.activities.green_trend,
        "trend_response": lambda: world.activities.trend_response,
        "dashboard_target": lambda: world.activities.dashboard_target,
        "national_figure": lambda: world.activities.national_figure,
        "series": lambda: world.meetings.series,
        "invited_meeting": lambda: world.meetings.invited,
        "started_meeting": lambda: world.meetings.started,
        "adopted_meeting": lambda: world.meetings.adopted,
        "decision": lambda: world.meetings.decision,
        "own_action_item": lambda: world.meetings.own_action_item,
        "other_action_item": lambda: world.meetings.other_action_item,
        "donor_action_item": lambda: world.meetings.donor_action_item,
        "other_meeting": lambda: world.meetings.other,
        "statement": lambda: world.meetings.statement,
        "rule": lambda: world.meetings.rule,
        "framework_reference": lambda: world.meetings.framework_reference,
        "amber_document": lambda: world.meetings.amber_document,
        "red_document": lambda: world.meetings.red_document,
        "own_document": lambda: world.meetings.own_document,
        "green_document": lambda: world.meetings.green_document,
        "other_document": lambda: world.meetings.other_document,
        "invited_item": lambda: world.meetings.invited_item,
        "other_item": lambda: world.meetings.other_item,
        "own_invitation": lambda: world.meetings.own_invitation,
        "other_invitation": lambda: world.meetings.other_invitation,
        "organisation_invitation": lambda: world.meetings.organisation_invitation,
        "other_organisation_invitation": lambda: world.meetings.other_organisation_invitation,
    }
    if name in records:
        record = records[name]()
        return [record.pk], record
    words = {
        None: [],
        "invitation": [world.invitation],
        "rsvp_token": [world.meetings.rsvp],
        "unsubscribe_token": [world.unsubscribe],
        "feed_token": [world.meetings.feeds[PARTNER]],
        "revoked_feed": [world.meetings.revoked_feed],
        "deactivated_feed": [world.meetings.feeds[DEACTIVATED]],
        "bad_token": ["not-a-token"],
    }
    return words.get(name, [name]), None


def url_args(url_name: str, args: list[Any]) -> list[Any]:
    if url_name == "stakeholders:import_template":
        if args and str(args[0]).startswith("activities_"):
            return ["activities", str(args[0]).removeprefix("activities_")]
        return ["organisations", *args]
    return args


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each visitor meets the world as it was: what a request changes is undone after."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def snapshot() -> list[list[tuple[Any, ...]]]:
    """What a refused request must leave as it was."""
    return [
        list(
            Organisation.objects.order_by("pk").values_list(
                "pk", "name", "version", "is_active", "merged_into"
            )
        ),
        list(
            Person.objects.order_by("pk").values_list(
                "pk", "full_name", "version", "is_active", "anonymised_at", "preferred_language"
            )
        ),
        list(User.objects.order_by("pk").values_list("pk", "role", "is_active", "password")),
        list(ImportBatch.objects.order_by("pk").values_list("pk", "status")),
        list(OutboundEmail.objects.order_by("pk").values_list("pk", "state", "resent_as")),
        list(Activity.objects.order_by("pk").values_list("pk", "title", "version", "review_state")),
        list(ActivityParticipants.objects.order_by("pk").values_list("pk", "female", "male")),
        list(Award.objects.order_by("pk").values_list("pk", "title", "version")),
        list(ActivityRevision.objects.order_by("pk").values_list("pk", "state")),
        list(TrustedOrganisation.objects.order_by("pk").values_list("pk", "organisation")),
        list(CallForUpdates.objects.order_by("pk").values_list("pk", "deadline")),
        list(OrganisationUpdate.objects.order_by("pk").values_list("pk", "state")),
        list(ActivityDocument.objects.order_by("pk").values_list("pk", "title")),
        list(AccountLink.objects.order_by("pk").values_list("pk", "revoked_at", "last_used_at")),
        # Reading an amber or red document is recorded; the record changes nothing.
        list(
            AuditEvent.objects.exclude(action=Action.DOCUMENT_DOWNLOADED)
            .order_by("pk")
            .values_list("pk")
        ),
        list(
            MeetingSeries.objects.order_by("pk").values_list(
                "pk", "title", "version", "standing_invitees"
            )
        ),
        list(
            Meeting.objects.order_by("pk").values_list("pk", "title", "version", "status", "number")
        ),
        list(AgendaItem.objects.order_by("pk").values_list("pk", "title", "version", "position")),
        list(
            Invitation.objects.order_by("pk").values_list("pk", "person", "response", "attendance")
        ),
        list(
            OrganisationInvitation.objects.order_by("pk").values_list(
                "pk", "state", "letter_number", "letter_date", "letter_language"
            )
        ),
        list(LetterTemplate.objects.order_by("pk").values_list("pk", "language", "uploaded_at")),
        list(Decision.objects.order_by("pk").values_list("pk", "text", "version", "number")),
        list(
            ActionItem.objects.order_by("pk").values_list(
                "pk", "description", "version", "status", "completed_at"
            )
        ),
        list(ActionItemUpdate.objects.order_by("pk").values_list("pk")),
        list(
            Minutes.objects.order_by("pk").values_list(
                "pk", "state", "label", "version", "adopted_at"
            )
        ),
        list(
            MinutesRevision.objects.order_by("pk").values_list(
                "pk", "number", "text_en", "adopted_at"
            )
        ),
        list(MinutesComment.objects.order_by("pk").values_list("pk")),
        list(Statement.objects.order_by("pk").values_list("pk", "text", "order")),
        list(Document.objects.order_by("pk").values_list("pk", "title", "version", "label")),
        list(ReminderRule.objects.order_by("pk").values_list("pk", "offset_minutes", "meeting")),
        # Not when each was last used: reading a feed records that, and only that.
        list(
            CalendarFeed.objects.order_by("pk").values_list(
                "pk", "person", "token_hash", "revoked_at"
            )
        ),
    ]


def send(client: Client, method: str, url: str, data: dict[str, Any] | None) -> HttpResponseBase:
    if method == POST:
        return client.post(url, data or {})
    return client.generic(method, url)


def answer(response: HttpResponseBase) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def is_download(response: HttpResponseBase) -> bool:
    return response.status_code == 200 and response.get("Content-Disposition", "").startswith(
        "attachment"
    )


class Visitors:
    """A client per visitor, logged in once; each visit starts from its first cookies."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.clients = {visitor: Client() for visitor in VISITORS}
        for visitor, user in world.users.items():
            self.clients[visitor].force_login(user)
        self.cookies = {
            visitor: SimpleCookie(client.cookies.output(header="", sep="\n"))
            for visitor, client in self.clients.items()
        }

    def client(self, visitor: str) -> Client:
        client = self.clients[visitor]
        client.cookies = SimpleCookie(self.cookies[visitor].output(header="", sep="\n"))
        return client

    def visit(self, visitor: str, url_name: str, obj_name: str | None, method: str) -> int | str:
        """What `visitor` gets: a status, LOGIN or DONE, or what went wrong besides."""
        client = self.client(visitor)
        args, obj = target(self.world, visitor, obj_name)
        url = reverse(url_name, args=url_args(url_name, args))
        session = client.cookies.get(settings.SESSION_COOKIE_NAME)
        v = Visit(self.world, visitor, obj, client, session.value if session else None)
        post = POSTS.get(url_name) if method == POST else None
        with rolled_back():
            before = snapshot()
            if post is not None and post.took_effect(v):
                return "took effect before the request: the row proves nothing"
            # Run the on-commit work (tasks, emails) too, so that its effect can be seen.
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = send(client, method, url, post.payload(v) if post else None)
            got = answer(response)
            took_effect = post is not None and post.took_effect(v)
            if took_effect:
                if response.status_code == 302:
                    return DONE
                if is_download(response):
                    return DOWNLOAD
                return f"{got}, and it took effect"
            if snapshot() != before:
                return f"{got}, and the database changed"
            return got

    def probe(self, url_name: str, method: str) -> dict[str, int | str]:
        """Every visitor's answer to a method, at the first object of the pattern's rows."""
        obj_name = next((row[1] for row in MATRIX if row[0] == url_name), None)
        answers: dict[str, int | str] = {}
        for visitor in VISITORS:
            client = self.client(visitor)
            args, _obj = target(self.world, visitor, obj_name)
            with rolled_back():
                response = client.generic(method, reverse(url_name, args=url_args(url_name, args)))
            answers[visitor] = answer(response)
        return answers


def params() -> list[Any]:
    """One case per row; a visitor whose answer is a `Bug` gets a case of its own, xfail."""
    cases = []
    for name, obj, method, *cells in MATRIX:
        row_id = f"{name}-{obj}-{method}"
        expected = dict(zip(VISITORS, cells, strict=True))
        fine = {v: cell for v, cell in expected.items() if not isinstance(cell, Bug)}
        cases.append(pytest.param(name, obj, method, fine, id=row_id))
        for visitor, cell in expected.items():
            if isinstance(cell, Bug):
                cases.append(
                    pytest.param(
                        name,
                        obj,
                        method,
                        {visitor: cell.expected},
                        id=f"{row_id}-{visitor}",
                        marks=pytest.mark.xfail(strict=True, reason=cell.reason),
                    )
                )
    return cases


@pytest.fixture(scope="module")
def module_visitors(django_db_setup, django_db_blocker) -> Iterator[Visitors]:
    """The cast and their records, made once for the module; each test's own transaction
    (and each visit's) is rolled back inside this one."""
    with django_db_blocker.unblock(), rolled_back():
        yield Visitors(build_world())


@pytest.fixture
def visitors(module_visitors, db) -> Visitors:
    return module_visitors


@pytest.mark.parametrize(("name", "obj", "method", "expected"), params())
def test_access(visitors, name, obj, method, expected):
    got = {visitor: visitors.visit(visitor, name, obj, method) for visitor in expected}

    assert got == expected


# The matrix is complete


def test_every_url_pattern_has_a_name():
    assert unnamed_patterns() == [], (
        "URL patterns without a name cannot have rows in the access matrix; "
        f"name them, or exempt their namespace in EXEMPT_NAMESPACES ({EXEMPT_NAMESPACES})"
    )


def test_every_url_pattern_has_rows():
    missing = patterns_without_rows(row[0] for row in MATRIX)

    assert missing == [], f"URL patterns without rows in the access matrix: {missing}"


def test_every_row_names_a_real_url_pattern():
    assert {row[0] for row in MATRIX} <= set(pattern_names())


def test_every_post_row_says_what_it_does():
    posted = {row[0] for row in MATRIX if row[2] == POST}

    assert posted == set(POSTS)


def test_every_method_that_answers_has_rows(visitors):
    listed = {(row[0], row[2]) for row in MATRIX}

    unlisted = methods_without_rows(visitors.probe, listed)

    assert unlisted == [], (
        "(pattern, method) pairs answering something other than 405 without rows in the "
        f"access matrix: {unlisted}"
    )


def test_the_cast_is_what_the_columns_say(visitors):
    users = visitors.world.users
    assert [users[v].role for v in (SECRETARIAT, FOCAL_POINT, PARTNER, DONOR)] == [
        Role.SECRETARIAT,
        Role.PARTNER,
        Role.PARTNER,
        Role.DONOR,
    ]
    assert users[FOCAL_POINT].person.mechanism_role == MechanismRole.FOCAL_POINT
    assert users[PARTNER].person.mechanism_role != MechanismRole.FOCAL_POINT
    superuser = users[SUPERUSER]
    assert (superuser.is_superuser, superuser.is_staff, superuser.role) == (True, True, "")
    # A deactivated user keeps their session, but the backend no longer loads them from it.
    assert EmailBackend().get_user(users[DEACTIVATED].pk) is None


# The guard notices what it must notice


@pytest.mark.urls("tests.access.urls")
def test_the_guard_reports_a_pattern_without_a_name():
    assert unnamed_patterns() == ["test/unnamed/"]


@pytest.mark.urls("tests.access.urls")
def test_the_guard_reports_a_pattern_without_rows():
    assert patterns_without_rows(row[0] for row in MATRIX) == ["test_any_method"]


@pytest.mark.urls("tests.access.urls")
def test_the_guard_reports_methods_answered_without_rows(visitors):
    listed = {(row[0], row[2]) for row in MATRIX} | {("test_any_method", GET)}

    unlisted = methods_without_rows(visitors.probe, listed, names=["test_any_method"])

    assert [(name, method) for name, method, _answers in unlisted] == [
        ("test_any_method", POST),
        ("test_any_method", PUT),
        ("test_any_method", PATCH),
        ("test_any_method", DELETE),
    ]
    assert all(answers == dict.fromkeys(VISITORS, 200) for *_, answers in unlisted)
