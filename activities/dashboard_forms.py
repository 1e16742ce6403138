"""The dashboard's period and filters, read from the query string; anything malformed is
dropped (the period falls back to the current quarter with a message)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from activities import permissions
from activities.models import Award, LocationKind, Pillar, Region
from portal.lib.forms import AutocompleteFormMixin
from portal.lib.periods import Period
from stakeholders.forms import FilterForm, OrganisationPicker, setup_organisation_picker
from stakeholders.models import User

PERIOD_KINDS = [
    ("quarter", _("Quarter")),
    ("year", _("Calendar year")),
    ("tip", _("TIP year (1 April to 31 March)")),
    ("fy", _("US fiscal year (1 October to 30 September)")),
    ("custom", _("From … to …")),
]
# The first year the period picker offers (an earlier one can be asked in the query string).
EARLIEST_OFFERED = 2015
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def region_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("Anywhere")),
        *Region.choices,
        (LocationKind.NATIONAL.value, LocationKind.NATIONAL.label),
    ]


class DashboardForm(AutocompleteFormMixin, FilterForm):
    period = forms.ChoiceField(label=_("Period"), required=False, choices=PERIOD_KINDS)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, choices=[])
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        choices=[(q, f"Q{q}") for q in range(1, 5)],
    )
    organisation = OrganisationPicker(
        label=_("Organisation"), required=False, empty_label=_("All organisations")
    )
    funder = OrganisationPicker(
        label=_("Funding organisation"), required=False, empty_label=_("Any funder")
    )
    award = forms.ModelChoiceField(
        label=_("Funding award"),
        required=False,
        queryset=Award.objects.order_by("number"),
        empty_label=_("Any award"),
    )
    pillar = forms.ChoiceField(
        label=_("Pillar"), required=False, choices=[("", _("Any pillar")), *Pillar.choices]
    )
    region = forms.ChoiceField(label=_("Location"), required=False, choices=region_choices)

    def __init__(self, data: Any, *, user: User, period: Period, this_year: int) -> None:
        # The period's fields show the period read: the fallback, for a malformed one.
        super().__init__({**data.dict(), **_period_fields(period)})
        # The custom dates, by the query string's names (Python keywords).
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=_DATE)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=_DATE)
        for name in ("from", "to"):
            self.fields[name].widget.attrs["class"] = "form-control"
        shown = period.end.year
        year = cast(forms.TypedChoiceField, self.fields["year"])
        year.choices = [
            (y, str(y))
            for y in range(max(this_year + 1, shown), min(EARLIEST_OFFERED, shown) - 1, -1)
        ]
        year.widget.choices = year.choices
        for name in ("organisation", "funder"):
            setup_organisation_picker(self, name, user=user)
        if permissions.dashboard_organisation(user) is not None:
            del self.fields["organisation"]


def _period_fields(period: Period) -> dict[str, str]:
    fields = {"period": period.kind}
    if period.kind == "custom":
        return {**fields, "from": period.start.isoformat(), "to": period.end.isoformat()}
    return {**fields, **{k: v for k, v in period.query().items() if k in ("year", "quarter")}}
