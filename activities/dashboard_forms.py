"""The dashboard's period and filters, read from the query string (anything malformed is
dropped; the period falls back to the current quarter with a message), and the forms of what
the secretariat enters for it: targets and national figures."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities import permissions
from activities.dashboard_models import NATIONAL_LABELS, NationalFigure, PeriodKind, Target
from activities.models import Award, LocationKind, Pillar, Region
from portal.lib import periods
from portal.lib.forms import AutocompleteFormMixin
from portal.lib.periods import Period
from portal.lib.personal_data import PersonalDataCheckMixin
from portal.lib.sensitivity import Label
from portal.lib.versions import VersionField
from stakeholders.forms import FilterForm, OrganisationPicker, setup_organisation_picker
from stakeholders.models import User

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
    period = forms.ChoiceField(label=_("Period"), required=False, choices=PeriodKind.choices)
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
        # The period's fields show the period read (the fallback, for a malformed one), and
        # nothing else the query string gave for them.
        given = {k: v for k, v in data.dict().items() if k not in periods.PARAMS}
        super().__init__({**given, **_period_fields(period)})
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


class PeriodFieldsMixin(forms.BaseForm):
    """A period chosen as on the dashboard (kind, year, quarter, or custom dates): `clean`
    gives it as a `Period` under "period"."""

    period_names = ("year", "quarter", "from", "to")

    def add_period_fields(self, period: Period | None) -> None:
        self.fields["period"] = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
        self.fields["year"] = forms.IntegerField(
            label=_("Year"),
            required=False,
            min_value=periods.FIRST_YEAR,
            max_value=periods.LAST_YEAR,
            help_text=_(
                "A quarter or calendar year: its year. A TIP year: the year it starts "
                "(TIP 2023-24: 2023). A fiscal year: the year it ends (FY2024: 2024)."
            ),
        )
        self.fields["quarter"] = forms.TypedChoiceField(
            label=_("Quarter"),
            required=False,
            coerce=int,
            choices=[("", "—")] + [(q, f"Q{q}") for q in range(1, 5)],
        )
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=_DATE)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=_DATE)
        if period is not None:
            for name, value in _period_fields(period).items():
                self.fields[name].initial = value

    def clean_period_fields(self, cleaned: dict[str, Any]) -> None:
        kind = cleaned.get("period") or ""
        params = {"period": kind}
        for name in self.period_names:
            value = cleaned.get(name)
            if value not in (None, ""):
                params[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        found, problem = periods.parse(params, timezone.localdate())
        if problem or not kind:
            self.add_error(
                "period",
                _(
                    "Choose a period: a quarter and its year, a year, or From and To "
                    "(at most ten years)."
                ),
            )
            return
        cleaned["period"] = found


class TargetForm(PeriodFieldsMixin, forms.ModelForm[Target]):
    version = VersionField()
    form_only_fields = PeriodFieldsMixin.period_names

    class Meta:
        model = Target
        fields = ["indicator", "target_group", "value", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_period_fields(self.instance.period if self.instance.pk else None)
        self.order_fields(["indicator", "target_group", "period", *self.period_names, "value"])
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_period_fields(cleaned)
        return cleaned


class NationalFigureForm(
    AutocompleteFormMixin,
    PersonalDataCheckMixin,
    PeriodFieldsMixin,
    forms.ModelForm[NationalFigure],
):
    """A count a state agency reported. Counts only: never names, cases or documents."""

    personal_data_fields = ("source",)
    version = VersionField()
    source_agency = OrganisationPicker(label=_("Source agency"))

    class Meta:
        model = NationalFigure
        fields = ["indicator", "source_agency", "value", "source", "label"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form_only_fields = (*self.form_only_fields, *self.period_names)
        setup_organisation_picker(self, "source_agency", user=user)
        self.add_period_fields(self.instance.period if self.instance.pk else None)
        self.order_fields(["indicator", "source_agency", "period", *self.period_names, "value"])
        label = cast(forms.ChoiceField, self.fields["label"])
        label.choices = [(code, name) for code, name in Label.choices if code in NATIONAL_LABELS]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_period_fields(cleaned)
        return cleaned
