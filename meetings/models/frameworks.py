"""The frameworks the mechanism answers to: the measures of the National Action Plan and the
recommendations of the US TIP Report, kept per year, and tagged on what answers them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from meetings.models.actions import ActionItem, Decision
from portal.lib.text import in_reader_language
from portal.lib.versions import Versioned

if TYPE_CHECKING:
    from stakeholders.models import User

_DIGITS = re.compile(r"\d+")


def sort_key_of(code: str) -> str:
    """The code with its numbers padded, so that 1.10 sorts after 1.9."""
    return _DIGITS.sub(lambda m: m.group().zfill(6), code)[:80]


class FrameworkKind(models.TextChoices):
    NAP_MEASURE = "nap_measure", _("National Action Plan measure")
    TIP_RECOMMENDATION = "tip_recommendation", _("TIP Report recommendation")


# How a reference is named in short, with its year and code: "NAP 2023 · 2.1".
SHORT_KIND = {
    FrameworkKind.NAP_MEASURE: pgettext_lazy("framework", "NAP"),
    FrameworkKind.TIP_RECOMMENDATION: pgettext_lazy("framework", "TIP"),
}


class FrameworkReferenceQuerySet(models.QuerySet["FrameworkReference"]):
    def visible_to(self, user: User | AnonymousUser) -> FrameworkReferenceQuerySet:
        from meetings.permissions import framework_reference_visibility

        return self.filter(framework_reference_visibility(user))


class FrameworkReference(Versioned):
    """A measure of the National Action Plan or a recommendation of the TIP Report, of a year."""

    kind = models.CharField(_("framework"), max_length=20, choices=FrameworkKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The plan's or the report's year."),
    )
    code = models.CharField(
        _("number"), max_length=20, help_text=_("As in the document, such as 2.1 or R4.")
    )
    text = models.TextField(_("text"))
    text_ru = models.TextField(_("text in Russian"), blank=True)
    text_uz = models.TextField(_("text in Uzbek"), blank=True)
    is_active = models.BooleanField(
        _("offered for tagging"),
        default=True,
        help_text=_("A retired reference stays on what it tags, and is no longer offered."),
    )
    # The code with its numbers padded, so that 1.10 sorts after 1.9.
    sort_key = models.CharField(max_length=80, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decisions = models.ManyToManyField(
        Decision, related_name="framework_references", blank=True, verbose_name=_("decisions")
    )
    action_items = models.ManyToManyField(
        ActionItem,
        related_name="framework_references",
        blank=True,
        verbose_name=_("action items"),
    )

    history = HistoricalRecords(excluded_fields=["sort_key"])
    objects = FrameworkReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-year", "sort_key"]
        verbose_name = _("framework reference")
        verbose_name_plural = _("framework references")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "code"],
                name="framework_reference_unique",
                violation_error_message=_("This framework has this number already that year."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="framework_reference_year",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["nap_measure", "tip_recommendation"]),
                name="framework_reference_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} {self.local_text[:80]}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.sort_key = sort_key_of(self.code)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def short_name(self) -> str:
        return f"{SHORT_KIND[FrameworkKind(self.kind)]} {self.year} · {self.code}"

    @property
    def local_text(self) -> str:
        return in_reader_language(self.text, self.text_ru, self.text_uz)

    @property
    def kind_label(self) -> str:
        return str(FrameworkKind(self.kind).label)
