"""Trend notes' forms: the note, its status, the activities that answer it, the filters."""

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from activities import permissions
from activities.models import Region, TargetGroup
from activities.trend_models import (
    Confidence,
    Direction,
    ExploitationForm,
    RecruitmentMethod,
    TrendNote,
    TrendSource,
    TrendStatus,
    TrendType,
)
from meetings.forms.letters import DelegateChoiceField
from meetings.models import Meeting
from portal.lib.forms import AutocompleteFormMixin
from portal.lib.personal_data import PersonalDataCheckMixin
from portal.lib.sensitivity import Label
from portal.lib.versions import VersionField
from portal.lib.views import id_param
from stakeholders.forms import FilterForm, OrganisationPicker, setup_organisation_picker
from stakeholders.models import Organisation, Person, User

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_CHOOSE = {"data-choices": "", "size": 4}


def _country_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in countries]


class TrendNoteForm(PersonalDataCheckMixin, forms.ModelForm[TrendNote]):
    """A pattern seen in the field. Patterns, never cases: the form says so."""

    personal_data_fields = ("title", "summary")
    recruitment_methods = forms.MultipleChoiceField(
        label=_("Recruitment methods"),
        choices=RecruitmentMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    origin_countries = forms.MultipleChoiceField(
        label=_("Countries of origin"),
        choices=[],
        required=False,
        widget=forms.SelectMultiple(attrs=_CHOOSE),
    )
    transit_countries = forms.MultipleChoiceField(
        label=_("Transit countries"),
        choices=[],
        required=False,
        widget=forms.SelectMultiple(attrs=_CHOOSE),
    )
    destination_countries = forms.MultipleChoiceField(
        label=_("Countries of destination"),
        choices=[],
        required=False,
        widget=forms.SelectMultiple(attrs=_CHOOSE),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Affected groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions of Uzbekistan"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meetings = forms.ModelMultipleChoiceField(
        label=_("Discussed at"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs=_CHOOSE),
    )
    label = forms.ChoiceField(
        label=_("Sensitivity"),
        choices=Label.choices,
        initial=Label.AMBER,
        help_text=_(
            "For a trend note, participating organisations means the source organisation: "
            "amber notes are read by it and the secretariat."
        ),
    )
    named_people = DelegateChoiceField(
        label=_("Named people"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For a note for named people only: who reads it, besides the secretariat."),
    )
    version = VersionField()

    class Meta:
        model = TrendNote
        fields = [
            "title",
            "summary",
            "trend_type",
            "direction",
            "source_type",
            "source_organisation",
            "confidence",
            "observed_from",
            "observed_to",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "observed_from": _DATE,
            "observed_to": _DATE,
        }
        help_texts = {
            "summary": _(
                "Describe the pattern, never a case: no names, contacts, documents or details "
                "that would let anyone recognise a victim, a witness or a suspect."
            ),
        }

    field_order = [
        "title",
        "summary",
        "trend_type",
        "recruitment_methods",
        "exploitation_forms",
        "direction",
        "origin_countries",
        "transit_countries",
        "destination_countries",
        "target_groups",
        "regions",
        "source_type",
        "source_organisation",
        "confidence",
        "observed_from",
        "observed_to",
        "meetings",
        "label",
        "named_people",
    ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        instance: TrendNote | None = kwargs.get("instance")
        saved = instance if instance is not None and instance.pk else None
        if saved is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(
                {
                    name: getattr(saved, name)
                    for name in (
                        "recruitment_methods",
                        "exploitation_forms",
                        "origin_countries",
                        "transit_countries",
                        "destination_countries",
                        "target_groups",
                        "regions",
                        "label",
                    )
                }
                | {
                    "meetings": list(saved.meetings.all()),
                    "named_people": list(saved.named_people.all()),
                    "version": saved.version,
                }
            )
        super().__init__(*args, **kwargs)
        if saved is None:
            del self.fields["version"]
        for name in ("origin_countries", "transit_countries", "destination_countries"):
            field = cast(forms.MultipleChoiceField, self.fields[name])
            field.choices = _country_choices()
        source = cast(forms.ModelChoiceField[Organisation], self.fields["source_organisation"])
        person = user.person
        own = person.organisation_id if person is not None else None
        if permissions.may_source_any(user):
            source.queryset = Organisation.objects.filter(
                Q(is_active=True) | Q(pk=saved.source_organisation_id if saved else 0)
            ).order_by("name")
        else:
            source.queryset = Organisation.objects.filter(pk=own or 0)
            source.initial = own
            source.empty_label = None
        meetings = cast(forms.ModelMultipleChoiceField, self.fields["meetings"])  # type: ignore[type-arg]
        meetings.queryset = Meeting.objects.visible_to(user).order_by("-starts_at")
        organisation = saved.source_organisation_id if saved is not None else own
        named = cast(DelegateChoiceField, self.fields["named_people"])
        named.queryset = Person.objects.filter(
            Q(organisation_id=organisation or 0, is_active=True)
            | Q(pk__in=[p.pk for p in (saved.named_people.all() if saved else [])])
        ).order_by("full_name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("label") == Label.RED and not cleaned.get("named_people"):
            self.add_error(
                "named_people", _("Name the people who may read it, or choose another level.")
            )
        start, end = cleaned.get("observed_from"), cleaned.get("observed_to")
        if start and end and end < start:
            self.add_error(
                "observed_to", _("The end of what was observed cannot be before its start.")
            )
        return cleaned


class TrendStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=[])
    reason = forms.CharField(
        label=_("Why archived"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to archive a note."),
    )

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (status, TrendStatus(status).label) for status in statuses
        ]
        if TrendStatus.ARCHIVED not in statuses:
            del self.fields["reason"]


class ResponseForm(PersonalDataCheckMixin, forms.Form):
    """An activity answering a note (or a note an activity answers), found by its code."""

    personal_data_fields = ("note",)
    code = forms.CharField(
        label=_("Activity code"),
        max_length=20,
        help_text=_("As on the activity's page, such as ACT-2023-0042."),
    )
    note = forms.CharField(label=_("How it answers the trend"), required=False, max_length=500)

    def __init__(self, *args: Any, code_label: Any = None, code_help: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if code_label is not None:
            self.fields["code"].label = code_label
            self.fields["code"].help_text = code_help

    def clean_code(self) -> str:
        return " ".join(str(self.cleaned_data.get("code") or "").split()).upper()


ANY = [("", _("Any"))]
# The meetings the filter offers: the latest that discussed a note.
MEETING_CHOICES = 40


class TrendFilterForm(AutocompleteFormMixin, FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    trend_type = forms.ChoiceField(
        label=_("Kind of trend"), required=False, choices=ANY + list(TrendType.choices)
    )
    recruitment_method = forms.ChoiceField(
        label=_("Recruitment method"), required=False, choices=ANY + list(RecruitmentMethod.choices)
    )
    exploitation_form = forms.ChoiceField(
        label=_("Form of exploitation"),
        required=False,
        choices=ANY + list(ExploitationForm.choices),
    )
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=ANY + list(Direction.choices)
    )
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[])
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=ANY + list(Region.choices)
    )
    target_group = forms.ChoiceField(
        label=_("Affected group"), required=False, choices=ANY + list(TargetGroup.choices)
    )
    source_type = forms.ChoiceField(
        label=_("Source"), required=False, choices=ANY + list(TrendSource.choices)
    )
    source = OrganisationPicker(
        label=_("Source organisation"), required=False, empty_label=_("Any organisation")
    )
    confidence = forms.ChoiceField(
        label=_("Confidence"), required=False, choices=ANY + list(Confidence.choices)
    )
    label = forms.ChoiceField(
        label=_("Sensitivity"), required=False, choices=ANY + list(Label.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + list(TrendStatus.choices)
    )
    observed_from = forms.DateField(label=_("Observed from"), required=False, widget=_DATE)
    observed_to = forms.DateField(label=_("Observed until"), required=False, widget=_DATE)
    meeting = forms.ModelChoiceField(
        label=_("Discussed at"),
        required=False,
        queryset=Meeting.objects.none(),
        empty_label=_("Any meeting"),
    )
    without_response = forms.ChoiceField(
        label=_("Response"),
        required=False,
        choices=[("", _("With or without")), ("yes", _("Without response for a quarter"))],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = [*ANY, *_country_choices()]
        country.widget.choices = country.choices
        setup_organisation_picker(self, "source", user=user)
        meeting = cast(forms.ModelChoiceField[Meeting], self.fields["meeting"])
        # The latest meetings that discussed a note the user may see, and the one chosen.
        chosen = id_param(self.data.get("meeting"))
        discussed = (
            Meeting.objects.visible_to(user)
            .filter(trend_notes__in=TrendNote.objects.visible_to(user))
            .values("pk")
            .distinct()
            .order_by()
        )
        latest = list(
            Meeting.objects.filter(pk__in=discussed)
            .order_by("-starts_at")
            .values_list("pk", flat=True)[:MEETING_CHOICES]
        )
        meeting.queryset = (
            Meeting.objects.visible_to(user)
            .filter(pk__in=[*latest, *([chosen] if chosen is not None else [])])
            .order_by("-starts_at")
        )
        meeting.widget.choices = meeting.choices
