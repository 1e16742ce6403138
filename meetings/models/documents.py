"""A meeting's documents, and the personal calendar feeds of its invitees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import AgendaItem, Meeting
from portal.lib.sensitivity import Labelled
from portal.lib.tokens import SecretToken
from portal.lib.uploads import FileType
from portal.lib.versions import Versioned
from stakeholders.models import Organisation, Person

if TYPE_CHECKING:
    from stakeholders.models import User


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    PRESENTATION = "presentation", _("Presentation")
    BACKGROUND = "background", _("Background paper")
    MINUTES = "minutes", _("Signed minutes")
    ATTENDANCE_SHEET = "attendance_sheet", _("Signed attendance sheet")
    OTHER = "other", _("Other")


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, user: User | AnonymousUser) -> DocumentQuerySet:
        from meetings.permissions import document_visibility

        return self.filter(document_visibility(user))


class Document(Labelled, Versioned):
    """A file of a meeting, or of one of its agenda items, stored under a generated name.

    Its readers are the label's: amber means the meeting's invitees (in person or through
    their organisation) and the uploader's organisation; red, the named people.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="documents"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        related_name="documents",
        null=True,
        blank=True,
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
    )
    # The uploader's organisation when uploading: it may delete the document, and reads
    # it when amber.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="document_not_empty"),
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return str(DocumentKind(self.kind).label)

    @property
    def file_type_label(self) -> str:
        return str(FileType(self.file_type).label)


class CalendarFeed(SecretToken):
    """A person's private calendar address: their meetings for a calendar program to
    subscribe to, opened by the token in its URL, without a login, until revoked."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="calendar_feeds"
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Calendar feed {self.pk} of person {self.person_id}"
