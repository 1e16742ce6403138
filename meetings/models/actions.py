"""What follows from a meeting: its decisions and the action items raised at it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.models.meetings import AgendaItem, Meeting
from portal.lib.search import FoldedSearch
from portal.lib.text import in_reader_language
from portal.lib.urls import record_url
from portal.lib.versions import Versioned
from stakeholders.models import Organisation, Person

if TYPE_CHECKING:
    from stakeholders.models import User


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# Items still to be done: brought back as matters arising, counted as open.
PENDING = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


class DecisionQuerySet(models.QuerySet["Decision"]):
    def visible_to(self, user: User | AnonymousUser) -> DecisionQuerySet:
        from meetings.permissions import decision_visibility

        return self.filter(decision_visibility(user))


class Decision(Versioned):
    """A decision of a meeting, numbered `<meeting number>/<n>` (4/2); numbers are never
    reused: a decision is superseded, never deleted."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    text = models.TextField(_("decision"))
    text_ru = models.TextField(_("decision in Russian"), blank=True)
    text_uz = models.TextField(_("decision in Uzbek"), blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        related_name="decisions",
        null=True,
        blank=True,
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.PROTECT,
        related_name="supersedes",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(superseded_by=models.F("pk")),
                name="decision_not_superseded_by_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.local_text[:60]}"

    @property
    def code(self) -> str:
        return f"{self.meeting.number}/{self.number}"

    @property
    def local_text(self) -> str:
        return in_reader_language(self.text, self.text_ru, self.text_uz)


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def visible_to(self, user: User | AnonymousUser) -> ActionItemQuerySet:
        from meetings.permissions import action_item_visibility

        return self.filter(action_item_visibility(user))

    def overdue(self, today: date | None = None) -> ActionItemQuerySet:
        return self.filter(status__in=PENDING, due_on__lt=today or timezone.localdate())


class ActionItem(FoldedSearch, Versioned):
    """Something an organisation undertook at a meeting, followed up until done or dropped."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("raised at"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.SET_NULL,
        related_name="action_items",
        null=True,
        blank=True,
    )
    description = models.TextField(_("action"))
    description_ru = models.TextField(_("action in Russian"), blank=True)
    description_uz = models.TextField(_("action in Uzbek"), blank=True)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_person = models.ForeignKey(
        Person,
        verbose_name=_("owner person"),
        on_delete=models.PROTECT,
        related_name="action_items",
        null=True,
        blank=True,
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionItemStatus.values),
                name="action_item_status_valid",
            ),
            # Completed exactly when done: set on done, cleared on reopening.
            models.CheckConstraint(
                condition=(
                    models.Q(status=ActionItemStatus.DONE, completed_at__isnull=False)
                    | (
                        ~models.Q(status=ActionItemStatus.DONE)
                        & models.Q(completed_at__isnull=True)
                    )
                ),
                name="action_item_completed_when_done",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_organisation", "status"], name="action_item_owner"),
            models.Index(fields=["status", "due_on"], name="action_item_due"),
        ]

    def __str__(self) -> str:
        return self.local_description[:80]

    def get_absolute_url(self) -> str:
        return record_url("meetings:action_item_detail", self.pk)

    def search_parts(self) -> tuple[str, ...]:
        return (self.description, self.description_ru, self.description_uz)

    @property
    def local_description(self) -> str:
        return in_reader_language(self.description, self.description_ru, self.description_uz)

    @property
    def status_label(self) -> str:
        return str(ActionItemStatus(self.status).label)

    @property
    def days_late(self) -> int:
        """Days past the due date of an item still to be done; 0 otherwise."""
        if self.status not in PENDING:
            return 0
        return max(0, (timezone.localdate() - self.due_on).days)

    def clean(self) -> None:
        person = self.owner_person
        if person is not None and person.organisation_id != self.owner_organisation_id:
            raise ValidationError(
                {"owner_person": _("The owner person must belong to the owner organisation.")}
            )


class ActionItemUpdate(models.Model):
    """A change of an action item's status, with who made it and why."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    from_status = models.CharField(max_length=20, choices=ActionItemStatus.choices)
    to_status = models.CharField(max_length=20, choices=ActionItemStatus.choices)
    note = models.TextField(_("note"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} → {self.to_status}"
