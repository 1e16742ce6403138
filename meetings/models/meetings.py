"""Meetings of the mechanism: series, meetings, agendas, invitations and RSVP links."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.lib.search import FoldedSearch
from portal.lib.text import in_reader_language
from portal.lib.tokens import SecretToken
from portal.lib.urls import record_url
from portal.lib.versions import Versioned
from stakeholders.models import Language, Organisation, Person

if TYPE_CHECKING:
    from stakeholders.models import User


class Cadence(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    BIANNUAL = "biannual", _("Twice a year")
    ANNUAL = "annual", _("Annual")
    AD_HOC = "ad_hoc", _("Ad hoc")


# How far the next meeting of a series is proposed after the last one.
CADENCE_MONTHS = {
    Cadence.QUARTERLY: 3,
    Cadence.BIANNUAL: 6,
    Cadence.ANNUAL: 12,
    Cadence.AD_HOC: 0,
}


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class AgendaItemKind(models.TextChoices):
    REVIEW = "review", _("Review")
    # "Update" alone is also the import's verb.
    UPDATE = "update", pgettext_lazy("agenda item kind", "Update")
    DISCUSSION = "discussion", _("Discussion")
    DECISION = "decision", _("Decision")
    OTHER = "other", _("Other")


class Response(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Attending")
    TENTATIVE = "tentative", _("Maybe")
    DECLINED = "declined", _("Not attending")


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class OrganisationInvitationState(models.TextChoices):
    INVITED = "invited", _("Invited")
    LETTER_SENT = "letter_sent", _("Letter sent")
    DELEGATES_NAMED = "delegates_named", _("Delegates named")
    DECLINED = "declined", _("Declined")


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(_time_zones())]


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone name; pick one such as Asia/Tashkent."),
            params={"zone": value},
            code="invalid_time_zone",
        )


class MeetingSeriesQuerySet(models.QuerySet["MeetingSeries"]):
    def visible_to(self, user: User | AnonymousUser) -> MeetingSeriesQuerySet:
        from meetings.permissions import series_visibility

        return self.filter(series_visibility(user))


class MeetingSeries(Versioned):
    """A standing mechanism's run of meetings, such as the quarterly coordination meetings."""

    title = models.CharField(_("title"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200, blank=True)
    title_uz = models.CharField(_("title in Uzbek"), max_length=200, blank=True)
    convener = models.ForeignKey(
        Organisation,
        verbose_name=_("convener"),
        on_delete=models.PROTECT,
        related_name="convened_series",
    )
    cadence = models.CharField(
        _("cadence"), max_length=20, choices=Cadence.choices, default=Cadence.QUARTERLY
    )
    default_venue = models.CharField(_("default venue"), max_length=255, blank=True)
    default_time_zone = models.CharField(
        _("default time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
    )
    standing_invitees = models.ManyToManyField(
        Organisation,
        verbose_name=_("standing invitees"),
        related_name="standing_in_series",
        blank=True,
        help_text=_("Organisations invited to every meeting of the series."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[standing_invitees])
    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cadence__in=Cadence.values), name="series_cadence_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.local_title

    def get_absolute_url(self) -> str:
        return record_url("meetings:series_detail", self.pk)

    @property
    def local_title(self) -> str:
        return in_reader_language(self.title, self.title_ru, self.title_uz)


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: User | AnonymousUser) -> MeetingQuerySet:
        from meetings.permissions import meeting_visibility

        return self.filter(meeting_visibility(user))

    def upcoming(self, now: datetime | None = None) -> MeetingQuerySet:
        return self.filter(ends_at__gte=now or timezone.now()).exclude(
            status=MeetingStatus.CANCELLED
        )


class Meeting(FoldedSearch, Versioned):
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200, blank=True)
    title_uz = models.CharField(_("title in Uzbek"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
    )
    modality = models.CharField(
        _("modality"), max_length=20, choices=Modality.choices, default=Modality.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    chair = models.ForeignKey(
        Person,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
        null=True,
        blank=True,
    )
    # The calendar entry: one UID for the meeting's life, a sequence raised on each change
    # invitees see, so that calendars move the entry instead of adding another.
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["calendar_uid", "search_text"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"],
                name="meeting_number_unique_in_series",
                violation_error_message=_("This series already has a meeting with this number."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(modality__in=Modality.values), name="meeting_modality_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "id"], name="meeting_start_order")]

    def __str__(self) -> str:
        return self.local_title

    def get_absolute_url(self) -> str:
        return record_url("meetings:meeting_detail", self.pk)

    def search_parts(self) -> tuple[str, ...]:
        return (self.title, self.title_ru, self.title_uz, self.venue)

    @property
    def local_title(self) -> str:
        return in_reader_language(self.title, self.title_ru, self.title_uz)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def status_label(self) -> str:
        return str(MeetingStatus(self.status).label)

    @property
    def modality_label(self) -> str:
        return str(Modality(self.modality).label)

    @property
    def needs_venue(self) -> bool:
        return self.modality in (Modality.IN_PERSON, Modality.HYBRID)

    @property
    def needs_link(self) -> bool:
        return self.modality in (Modality.ONLINE, Modality.HYBRID)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.needs_venue and not self.venue.strip():
            errors["venue"] = _("A meeting held in a room needs a venue.")
        if self.needs_link and not self.online_url.strip():
            errors["online_url"] = _("A meeting held online needs a link to join it.")
        if errors:
            raise ValidationError(errors)


class AgendaItem(Versioned):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=255)
    title_ru = models.CharField(_("title in Russian"), max_length=255, blank=True)
    title_uz = models.CharField(_("title in Uzbek"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    description_uz = models.TextField(_("description in Uzbek"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.UPDATE
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)
    presenter_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("presenting organisation"),
        on_delete=models.PROTECT,
        related_name="presented_agenda_items",
        null=True,
        blank=True,
    )
    presenter_person = models.ForeignKey(
        Person,
        verbose_name=_("presenter"),
        on_delete=models.PROTECT,
        related_name="presented_agenda_items",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=480),
                name="agenda_item_duration_range",
                violation_error_message=_("An item lasts from 1 to 480 minutes."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=AgendaItemKind.values), name="agenda_item_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.local_title

    @property
    def local_title(self) -> str:
        return in_reader_language(self.title, self.title_ru, self.title_uz)

    @property
    def local_description(self) -> str:
        return in_reader_language(self.description, self.description_ru, self.description_uz)

    @property
    def kind_label(self) -> str:
        return str(AgendaItemKind(self.kind).label)

    def clean(self) -> None:
        person = self.presenter_person
        organisation_id = self.presenter_organisation_id
        if person is not None and organisation_id not in (None, person.organisation_id):
            raise ValidationError(
                {"presenter_person": _("The presenter must belong to the presenting organisation.")}
            )


class OrganisationInvitation(models.Model):
    """An organisation invited as such: its focal point and alternates are invited, and the
    secretariat follows its official letter and its nomination of delegates."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="organisation_invitations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=OrganisationInvitationState.choices,
        default=OrganisationInvitationState.INVITED,
    )
    letter_number = models.CharField(_("outgoing number"), max_length=50, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    letter_language = models.CharField(_("letter language"), max_length=5, blank=True)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("invited organisation")
        verbose_name_plural = _("invited organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="organisation_invitation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=OrganisationInvitationState.values),
                name="organisation_invitation_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.meeting}"

    @property
    def state_label(self) -> str:
        return str(OrganisationInvitationState(self.state).label)

    @property
    def letter_language_label(self) -> str:
        if self.letter_language in Language.values:
            return str(Language(self.letter_language).label)
        return self.letter_language


class Invitation(models.Model):
    """A person invited to a meeting: their answer and, once it starts, their attendance."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="invitations"
    )
    # The person's organisation when invited: it stays the invited one if they move on.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="person_invitations",
        null=True,
        blank=True,
    )
    response = models.CharField(
        _("answer"), max_length=20, choices=Response.choices, default=Response.PENDING
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    substitute_for = models.ForeignKey(
        "self",
        verbose_name=_("substitute for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitutes",
    )
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default="", blank=True
    )
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    # The person was added to the directory by a colleague naming them as substitute.
    person_added_by_rsvp = models.BooleanField(_("added by RSVP"), default=False)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["invited_at"])

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="invitation_unique"),
            models.CheckConstraint(
                condition=models.Q(response__in=Response.values), name="invitation_response_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(attendance__in=Attendance.values),
                name="invitation_attendance_valid",
            ),
        ]
        indexes = [models.Index(fields=["person", "meeting"], name="invitation_person")]

    def __str__(self) -> str:
        return f"{self.person} · {self.meeting}"

    @property
    def response_label(self) -> str:
        return str(Response(self.response).label)

    @property
    def attendance_label(self) -> str:
        return str(Attendance(self.attendance).label)


class LetterTemplate(models.Model):
    """The secretariat's own invitation letter for one language, a Word document with
    placeholders; a language without one uses the built-in letter."""

    language = models.CharField(_("language"), max_length=5, choices=Language.choices, unique=True)
    content = models.BinaryField(_("content"))
    file_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["language"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=Language.values),
                name="letter_template_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.language})"


class RsvpLink(SecretToken):
    """The personal link in an invitation email: it answers for that invitation, without a
    login. Several stay live at once (each email has its own); removing the invitation
    removes them."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="rsvp_links")

    class Meta:
        verbose_name = _("RSVP link")
        verbose_name_plural = _("RSVP links")

    def __str__(self) -> str:
        return f"RSVP link for {self.invitation_id}"
