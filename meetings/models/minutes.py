"""The minutes of a meeting: revisions in up to three languages, circulated for comment,
adopted and then only corrected; and the statements made at it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import AgendaItem, Meeting
from portal.lib.sensitivity import Labelled
from portal.lib.urls import record_url
from portal.lib.versions import Versioned
from stakeholders.models import Language, Organisation, Person

if TYPE_CHECKING:
    from stakeholders.models import User


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for comment")
    ADOPTED = "adopted", _("Adopted")


# The languages a revision is written in, in the order the page lists them.
LANGUAGES = (Language.ENGLISH, Language.RUSSIAN, Language.UZBEK)


class MinutesQuerySet(models.QuerySet["Minutes"]):
    def visible_to(self, user: User | AnonymousUser) -> MinutesQuerySet:
        from meetings.permissions import minutes_visibility

        return self.filter(minutes_visibility(user))


class Minutes(Labelled, Versioned):
    """The one record of what a meeting said and decided: draft, circulated, adopted."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=MinutesState.choices, default=MinutesState.DRAFT
    )
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True, editable=False)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=MinutesState.values), name="minutes_state_valid"
            ),
            # Adopted exactly when the adoption time is set.
            models.CheckConstraint(
                condition=(
                    models.Q(state=MinutesState.ADOPTED, adopted_at__isnull=False)
                    | (~models.Q(state=MinutesState.ADOPTED) & models.Q(adopted_at__isnull=True))
                ),
                name="minutes_adopted_when_adopted_at",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})

    def get_absolute_url(self) -> str:
        return record_url("meetings:minutes_detail", self.meeting_id)

    @property
    def state_label(self) -> str:
        return str(MinutesState(self.state).label)

    @property
    def is_adopted(self) -> bool:
        return self.state == MinutesState.ADOPTED


class MinutesRevision(models.Model):
    """One wording of the minutes. Until adoption the latest is edited in place; after it, a
    correction is a new revision with its reason, and the earlier ones stay readable."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    text_en = models.TextField(_("minutes in English"), blank=True)
    text_ru = models.TextField(_("minutes in Russian"), blank=True)
    text_uz = models.TextField(_("minutes in Uzbek"), blank=True)
    authoritative_language = models.CharField(
        _("authoritative language"), max_length=2, choices=Language.choices
    )
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)

    class Meta:
        ordering = ["minutes", "-number"]
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_revision_unique"),
            models.CheckConstraint(
                condition=models.Q(authoritative_language__in=Language.values),
                name="minutes_revision_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes_id} r{self.number}"

    def text_in(self, language: str) -> str:
        return str(getattr(self, f"text_{language}", "") or "")

    @property
    def languages(self) -> list[str]:
        """The languages this revision is written in."""
        return [code for code in LANGUAGES if self.text_in(code).strip()]

    @property
    def authoritative_label(self) -> str:
        return str(Language(self.authoritative_language).label)


class MinutesComment(models.Model):
    """A reader's comment on circulated minutes, on the whole or on one agenda item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(MinutesRevision, on_delete=models.CASCADE, related_name="comments")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")

    def __str__(self) -> str:
        return self.text[:60]


class StatementQuerySet(models.QuerySet["Statement"]):
    def visible_to(self, user: User | AnonymousUser) -> StatementQuerySet:
        from meetings.permissions import statement_visibility

        return self.filter(statement_visibility(user))


class Statement(Versioned):
    """What a speaker said for their organisation, shown with the minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="statements")
    speaker = models.ForeignKey(
        Person, verbose_name=_("speaker"), on_delete=models.PROTECT, related_name="statements"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="statements",
        null=True,
        blank=True,
    )
    text = models.TextField(_("statement"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
    )
    order = models.PositiveIntegerField(_("order"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["minutes", "order", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:60]}"
