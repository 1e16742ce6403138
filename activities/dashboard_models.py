"""What the secretariat enters for the dashboard: targets for its figures, and the national
figures on trafficking that state agencies report (counts only, never case data)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.models import TargetGroup
from portal.lib.periods import Period
from portal.lib.sensitivity import Label, Labelled
from portal.lib.versions import Versioned
from stakeholders.models import Organisation

if TYPE_CHECKING:
    from stakeholders.models import User


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Calendar year")
    TIP = "tip", _("TIP year (1 April to 31 March)")
    FY = "fy", _("US fiscal year (1 October to 30 September)")
    CUSTOM = "custom", _("From … to …")


class WithPeriod(models.Model):
    """A record that holds for a reporting period, as the dashboard names them."""

    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        abstract = True

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.starts_on, self.ends_on)

    def set_period(self, period: Period) -> None:
        self.period_kind, self.starts_on, self.ends_on = period.kind, period.start, period.end


def _period_constraints(name: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(ends_on__gte=F("starts_on")), name=f"{name}_ends_after_start"
        ),
        models.CheckConstraint(
            condition=Q(period_kind__in=PeriodKind.values), name=f"{name}_period_kind"
        ),
    ]


class Indicator(models.TextChoices):
    """The figures a target may be set for (the dashboard's key figures of the same names)."""

    MEETINGS_HELD = "meetings_held", _("Meetings held")
    ATTENDANCE = "attendance", _("Attendance rate (%)")
    ITEMS_DONE = "items_done", _("Action items done")
    ITEMS_ON_TIME = "items_on_time", _("Action items done on time")
    ACTIVITIES = "activities", _("Activities under way")
    PEOPLE_REACHED = "people_reached", _("People reached")


class Target(Versioned, WithPeriod):
    """What the mechanism aims for: a figure's value for a period, for people reached
    optionally for one target group."""

    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices)
    target_group = models.CharField(
        _("target group"),
        max_length=40,
        choices=TargetGroup.choices,
        blank=True,
        help_text=_("For people reached only: the target for one group."),
    )
    value = models.PositiveIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "stakeholders.User", on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-starts_on", "indicator", "target_group"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            *_period_constraints("target"),
            models.UniqueConstraint(
                fields=["indicator", "target_group", "period_kind", "starts_on", "ends_on"],
                name="target_unique",
            ),
            models.CheckConstraint(
                condition=Q(indicator__in=Indicator.values), name="target_indicator"
            ),
            models.CheckConstraint(
                condition=Q(target_group="") | Q(indicator=Indicator.PEOPLE_REACHED),
                name="target_group_for_people",
            ),
            models.CheckConstraint(
                condition=~Q(indicator=Indicator.ATTENDANCE) | Q(value__lte=100),
                name="target_rate_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} · {self.period.label}"

    def clean(self) -> None:
        if self.target_group and self.indicator != Indicator.PEOPLE_REACHED:
            raise ValidationError(
                {"target_group": _("Only people reached take a target for one group.")}
            )
        if self.indicator == Indicator.ATTENDANCE and self.value is not None and self.value > 100:
            raise ValidationError({"value": _("An attendance rate is at most 100 %.")})


class NationalIndicator(models.TextChoices):
    """The national figures on trafficking in persons, as the state agencies report them."""

    CASES_INVESTIGATED = "cases_investigated", _("Cases investigated (trafficking article)")
    CASES_PROSECUTED = "cases_prosecuted", _("Cases prosecuted (trafficking article)")
    CONVICTIONS = "convictions", _("Convictions")
    VICTIMS_IDENTIFIED = "victims_identified", _("Victims identified")
    VICTIMS_ASSISTED = "victims_assisted", _("Victims assisted")
    VICTIMS_REPATRIATED = "victims_repatriated", _("Victims repatriated")


# National figures are for the portal's readers by label, but never for named people only:
# a count is not a secret kept from colleagues.
NATIONAL_LABELS = (Label.CLEAR, Label.GREEN, Label.AMBER)


class NationalFigureQuerySet(models.QuerySet["NationalFigure"]):
    def visible_to(self, user: User | AnonymousUser) -> NationalFigureQuerySet:
        from activities.permissions import national_figure_visibility

        return self.filter(national_figure_visibility(user))


class NationalFigure(Versioned, Labelled, WithPeriod):
    """A total a state agency reported for a period: how many cases, convictions or victims.
    Counts only; its source says where it was published or sent."""

    indicator = models.CharField(_("figure"), max_length=30, choices=NationalIndicator.choices)
    source_agency = models.ForeignKey(
        Organisation,
        verbose_name=_("source agency"),
        on_delete=models.PROTECT,
        related_name="national_figures",
    )
    value = models.PositiveIntegerField(_("count"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the figure was published or sent: a report, a letter's number, a page."),
    )
    created_by = models.ForeignKey(
        "stakeholders.User", on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = NationalFigureQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "indicator", "source_agency__name"]
        verbose_name = _("national figure")
        verbose_name_plural = _("national figures")
        constraints = [
            *_period_constraints("national_figure"),
            models.UniqueConstraint(
                fields=["indicator", "source_agency", "period_kind", "starts_on", "ends_on"],
                name="national_figure_unique",
            ),
            models.CheckConstraint(
                condition=Q(indicator__in=NationalIndicator.values),
                name="national_figure_indicator",
            ),
            models.CheckConstraint(
                condition=Q(label__in=NATIONAL_LABELS), name="national_figure_label"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} · {self.period.label}"


def period_fields(period: Period) -> dict[str, date | str]:
    return {"period_kind": period.kind, "starts_on": period.start, "ends_on": period.end}
