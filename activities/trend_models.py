"""Emerging-trend notes: what partners see in the field, linked to the meetings that discussed
them and to the activities that answer them. Patterns, never cases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.models import Meeting
from portal.lib.search import FoldedSearch
from portal.lib.sensitivity import Labelled
from portal.lib.urls import record_url
from portal.lib.versions import Versioned
from stakeholders.models import Organisation

if TYPE_CHECKING:
    from stakeholders.models import User


class TrendType(models.TextChoices):
    RECRUITMENT_METHOD = "recruitment_method", _("Recruitment method")
    ROUTE = "route", _("Route")
    EXPLOITATION_FORM = "exploitation_form", _("Form of exploitation")
    VULNERABLE_GROUP = "vulnerable_group", _("Vulnerable group")
    MODUS_OPERANDI = "modus_operandi", _("Modus operandi")
    LEGAL_POLICY = "legal_policy", _("Law and policy")
    RESPONSE_GAP = "response_gap", _("Gap in the response")


class RecruitmentMethod(models.TextChoices):
    """IOM's Human Trafficking Case Data Standard."""

    ONLINE_SOCIAL_NETWORKS = "online_social_networks", _("Online social networks")
    ONLINE_ADVERTISEMENT = "online_advertisement", _("Online advertisement")
    AT_WORK = "at_work", _("At work")
    AT_PLACE_OF_BUSINESS = "at_place_of_business", _("At a place of business")
    AT_EDUCATIONAL_INSTITUTION = "at_educational_institution", _("At an educational institution")
    FAMILY = "family", _("Family")
    FRIENDS_SOCIAL_EVENTS = "friends_social_events", _("Friends or social events")
    NEWSPAPER_TV_ADVERT = "newspaper_tv_advert", _("Newspaper or TV advertisement")
    OTHER = "other", _("Other")


class ExploitationForm(models.TextChoices):
    """IOM's Human Trafficking Case Data Standard."""

    FORCED_LABOUR = "forced_labour", _("Forced labour")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    CHILD_LABOUR = "child_labour", _("Child labour")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    SERVITUDE = "servitude", _("Servitude")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    OTHER = "other", _("Other")


class Direction(models.TextChoices):
    INTERNAL = "internal", _("Within Uzbekistan")
    OUTBOUND = "outbound", _("From Uzbekistan abroad")
    TRANSIT = "transit", _("Through Uzbekistan")
    INBOUND = "inbound", _("Into Uzbekistan")


class TrendSource(models.TextChoices):
    PARTNER_OBSERVATION = "partner_observation", _("Partner's observation")
    OFFICIAL_STATISTICS = "official_statistics", _("Official statistics")
    RESEARCH = "research", _("Research")
    MEDIA = "media", _("Media")
    HOTLINE_AGGREGATE = "hotline_aggregate", _("Hotline figures")
    MEETING_DISCUSSION = "meeting_discussion", _("Discussion at a meeting")


class Confidence(models.TextChoices):
    REPORTED = "reported", _("Reported")
    CORROBORATED = "corroborated", _("Corroborated")
    CONFIRMED = "confirmed", _("Confirmed")


class TrendStatus(models.TextChoices):
    NEW = "new", _("New")
    MONITORING = "monitoring", _("Monitoring")
    ADDRESSED = "addressed", _("Addressed")
    ARCHIVED = "archived", _("Archived")


class TrendNoteQuerySet(models.QuerySet["TrendNote"]):
    def visible_to(self, user: User | AnonymousUser) -> TrendNoteQuerySet:
        from activities.permissions import trend_visibility

        return self.filter(trend_visibility(user))


class TrendNote(FoldedSearch, Labelled, Versioned):
    """A pattern partners see in the field: how people are recruited, where they are taken,
    who is exploited. Never a case: no victim, suspect or witness is named or described."""

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"))
    trend_type = models.CharField(_("kind of trend"), max_length=30, choices=TrendType.choices)
    recruitment_methods = models.JSONField(_("recruitment methods"), default=list, blank=True)
    exploitation_forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    origin_countries = models.JSONField(_("countries of origin"), default=list, blank=True)
    transit_countries = models.JSONField(_("transit countries"), default=list, blank=True)
    destination_countries = models.JSONField(
        _("countries of destination"), default=list, blank=True
    )
    target_groups = models.JSONField(_("affected groups"), default=list, blank=True)
    regions = models.JSONField(_("regions of Uzbekistan"), default=list, blank=True)
    source_type = models.CharField(_("source"), max_length=30, choices=TrendSource.choices)
    source_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("source organisation"),
        on_delete=models.PROTECT,
        related_name="trend_notes",
    )
    confidence = models.CharField(
        _("confidence"), max_length=20, choices=Confidence.choices, default=Confidence.REPORTED
    )
    observed_from = models.DateField(_("observed from"), null=True, blank=True)
    observed_to = models.DateField(_("observed until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TrendStatus.choices, default=TrendStatus.NEW
    )
    archive_reason = models.TextField(_("why archived"), blank=True)
    meetings = models.ManyToManyField(
        Meeting, verbose_name=_("discussed at"), related_name="trend_notes", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = TrendNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("trend note")
        verbose_name_plural = _("trend notes")
        constraints = [
            models.CheckConstraint(
                condition=Q(observed_to__isnull=True)
                | Q(observed_from__isnull=True)
                | Q(observed_to__gte=F("observed_from")),
                name="trend_observed_to_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(status="archived") | ~Q(archive_reason=""),
                name="trend_archived_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "monitoring", "addressed", "archived"]),
                name="trend_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="trend_status")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return record_url("activities:trend_detail", self.pk)

    def search_parts(self) -> tuple[str, ...]:
        return (self.code, self.title, self.summary)

    @property
    def type_label(self) -> str:
        return str(TrendType(self.trend_type).label)

    @property
    def status_label(self) -> str:
        return str(TrendStatus(self.status).label)

    @property
    def confidence_label(self) -> str:
        return str(Confidence(self.confidence).label)

    @property
    def source_label(self) -> str:
        return str(TrendSource(self.source_type).label)


class TrendResponse(models.Model):
    """An activity that answers a trend, with a word on how."""

    trend = models.ForeignKey(TrendNote, on_delete=models.CASCADE, related_name="responses")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="trend_responses"
    )
    note = models.CharField(_("how it answers"), max_length=500, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linked_at", "pk"]
        verbose_name = _("response to a trend")
        verbose_name_plural = _("responses to trends")
        constraints = [
            models.UniqueConstraint(fields=["trend", "activity"], name="trend_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.trend_id} ← {self.activity_id}"
