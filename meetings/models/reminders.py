"""Reminders: the rules that say when they fall due, and one delivery row per occurrence.

A delivery's `occurrence_key` names the occurrence (`rule:<id>:person:<id>:start:<UTC
start>`, `overdue:<item>:<ISO week>`) and is unique in the database: a second sweep that
finds the same occurrence due inserts nothing and sends nothing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.models.actions import ActionItem
from meetings.models.meetings import Meeting, MeetingSeries
from portal.models import OutboundEmail
from stakeholders.models import Person

MIN_OFFSET_MINUTES = 60
MAX_OFFSET_MINUTES = 60 * 24 * 60


class ReminderAudience(models.TextChoices):
    NOT_DECLINED = "not_declined", _("Invitees who have not declined")
    NOT_ANSWERED = "not_answered", _("Invitees who have not answered")


class ReminderKind(models.TextChoices):
    MEETING = "meeting_reminder", _("Meeting reminder")
    RSVP_CHASE = "rsvp_chase", _("Request for an answer")
    ACTION_DUE = "action_item_due", _("Action item due soon")
    ACTION_OVERDUE = "action_item_overdue", _("Action item overdue")
    ACTION_ASSIGNED = "action_item_assigned", _("Action item assigned")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest")
    UPDATES_CHASE = "call_for_updates_chase", _("Request for activity updates")


class SkipReason(models.TextChoices):
    SUPERSEDED = "superseded", _("A later reminder was due at the same time")
    OPTED_OUT = "opted_out", _("The person turned these emails off")
    NO_EMAIL = "no_email", _("The person has no email address")
    INACTIVE = "inactive", _("The person is inactive")


class ReminderRule(models.Model):
    """A reminder some time before a meeting's start, to part of its invitees. The rules of
    a series apply to its meetings; a meeting with rules of its own follows those instead."""

    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="reminder_rules",
        null=True,
        blank=True,
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="reminder_rules",
        null=True,
        blank=True,
    )
    offset_minutes = models.PositiveIntegerField(
        _("before the start (minutes)"),
        help_text=_("From one hour to 60 days."),
    )
    audience = models.CharField(
        _("sent to"),
        max_length=20,
        choices=ReminderAudience.choices,
        default=ReminderAudience.NOT_DECLINED,
    )

    class Meta:
        ordering = ["-offset_minutes", "pk"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(series__isnull=False, meeting__isnull=True)
                | models.Q(series__isnull=True, meeting__isnull=False),
                name="reminder_rule_of_series_or_meeting",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    offset_minutes__gte=MIN_OFFSET_MINUTES, offset_minutes__lte=MAX_OFFSET_MINUTES
                ),
                name="reminder_rule_offset_range",
            ),
            models.CheckConstraint(
                condition=models.Q(audience__in=ReminderAudience.values),
                name="reminder_rule_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offset_minutes} min before ({self.audience})"

    @property
    def audience_label(self) -> str:
        return str(ReminderAudience(self.audience).label)

    @property
    def offset_words(self) -> str:
        """'7 days before', '2 hours before', '90 minutes before'."""
        minutes = self.offset_minutes
        if minutes % (24 * 60) == 0:
            days = minutes // (24 * 60)
            return ngettext("%(count)s day before", "%(count)s days before", days) % {"count": days}
        if minutes % 60 == 0:
            hours = minutes // 60
            return ngettext("%(count)s hour before", "%(count)s hours before", hours) % {
                "count": hours
            }
        return ngettext("%(count)s minute before", "%(count)s minutes before", minutes) % {
            "count": minutes
        }


class ReminderDelivery(models.Model):
    """One occurrence of a reminder for one person: the email that carried it, or why none
    did. Its sending state is its email's."""

    occurrence_key = models.CharField(_("occurrence"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        null=True,
        blank=True,
    )
    action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("action item"),
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        null=True,
        blank=True,
    )
    rule = models.ForeignKey(
        ReminderRule,
        verbose_name=_("rule"),
        on_delete=models.SET_NULL,
        related_name="deliveries",
        null=True,
        blank=True,
    )
    due_at = models.DateTimeField(_("due"))
    # The meeting's start the reminder was computed for; a moved meeting's old start stays.
    for_start = models.DateTimeField(_("for the start at"), null=True, blank=True)
    email = models.OneToOneField(
        OutboundEmail,
        verbose_name=_("email"),
        on_delete=models.SET_NULL,
        related_name="reminder_delivery",
        null=True,
        blank=True,
    )
    skip_reason = models.CharField(
        _("not sent because"), max_length=20, choices=SkipReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ReminderKind.values), name="reminder_delivery_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(skip_reason__in=["", *SkipReason.values]),
                name="reminder_delivery_skip_reason",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "person"], name="reminder_meeting_person")]

    def __str__(self) -> str:
        return self.occurrence_key

    @property
    def kind_label(self) -> str:
        return str(ReminderKind(self.kind).label)

    @property
    def skip_label(self) -> str:
        return str(SkipReason(self.skip_reason).label) if self.skip_reason else ""
