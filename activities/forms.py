"""Logging an activity, where and for whom; counting its participants; reviewing it."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from activities import permissions
from activities.models import (
    Activity,
    ActivityStatus,
    ActivityType,
    Award,
    LocationKind,
    Pillar,
    Region,
    ReviewState,
    TargetGroup,
)
from activities.services import Place
from meetings.forms.frameworks import FrameworkReferencesField, tag_current_references
from meetings.forms.letters import DelegateChoiceField
from meetings.models import Meeting
from portal.lib.forms import AutocompleteFormMixin
from portal.lib.personal_data import PersonalDataCheckMixin
from portal.lib.sensitivity import Label
from portal.lib.uploads import accepted_types_text, max_upload_bytes
from portal.lib.versions import VersionField
from stakeholders.forms import FilterForm, OrganisationPicker, setup_organisation_picker
from stakeholders.models import Organisation, Person, User

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A revision proposes the published fields; who is named for red is settled on the activity.
PROPOSABLE_LABELS = [(value, label) for value, label in Label.choices if value != Label.RED]


class ActivityForm(PersonalDataCheckMixin, forms.ModelForm[Activity]):
    """An activity's details, where it takes place and for whom."""

    personal_data_fields = ("title", "description", "outcome_summary")
    other_pillars = forms.MultipleChoiceField(
        label=_("Other pillars"),
        choices=Pillar.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions of Uzbekistan"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nationwide = forms.BooleanField(label=_("Nationwide"), required=False)
    countries = forms.MultipleChoiceField(
        label=_("Abroad"),
        choices=[],
        required=False,
        help_text=_("Countries where it takes place outside Uzbekistan."),
    )
    label = forms.ChoiceField(label=_("Sensitivity"), choices=Label.choices, initial=Label.AMBER)
    named_people = DelegateChoiceField(
        label=_("Named people"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "For an activity for named people only: who reads it, besides the secretariat. "
            "People of the lead and participating organisations."
        ),
    )
    framework_references = FrameworkReferencesField()
    version = VersionField()

    class Meta:
        model = Activity
        fields = [
            "title",
            "external_id",
            "type",
            "primary_pillar",
            "lead_organisation",
            "status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "modality",
            "budget",
            "currency",
            "award",
            "meeting",
            "description",
            "outcome_summary",
        ]
        widgets = {
            "planned_start": _DATE,
            "planned_end": _DATE,
            "actual_start": _DATE,
            "actual_end": _DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome_summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"currency": _("Three letters, such as USD or UZS.")}

    form_only_fields: tuple[str, ...] = (
        *PersonalDataCheckMixin.form_only_fields,
        "regions",
        "nationwide",
        "countries",
    )
    field_order = [
        "title",
        "external_id",
        "type",
        "primary_pillar",
        "other_pillars",
        "target_groups",
        "lead_organisation",
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "regions",
        "nationwide",
        "countries",
    ]

    def __init__(self, *args: Any, user: User, proposing: bool = False, **kwargs: Any) -> None:
        instance: Activity | None = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(
                {
                    "other_pillars": instance.other_pillars,
                    "target_groups": instance.target_groups,
                    "label": instance.label,
                    "version": instance.version,
                    "regions": [
                        loc.region
                        for loc in instance.locations.all()
                        if loc.kind == LocationKind.REGION
                    ],
                    "nationwide": any(
                        loc.kind == LocationKind.NATIONAL for loc in instance.locations.all()
                    ),
                    "countries": [
                        loc.country
                        for loc in instance.locations.all()
                        if loc.kind == LocationKind.COUNTRY
                    ],
                }
            )
        super().__init__(*args, **kwargs)
        if instance is None or not instance.pk:
            del self.fields["version"]
        cast(forms.MultipleChoiceField, self.fields["countries"]).choices = [
            (code, name) for code, name in countries if code != "UZ"
        ]
        lead = cast(forms.ModelChoiceField[Organisation], self.fields["lead_organisation"])
        person = user.person
        if permissions.can_review_activities(user):
            lead.queryset = Organisation.objects.filter(is_active=True).order_by("name")
        else:
            own = person.organisation_id if person is not None else None
            lead.queryset = Organisation.objects.filter(pk=own or 0)
            lead.initial = own
            lead.empty_label = None
        award = cast(forms.ModelChoiceField[Award], self.fields["award"])
        award.queryset = Award.objects.select_related("donor")
        meeting = cast(forms.ModelChoiceField[Meeting], self.fields["meeting"])
        meeting.queryset = Meeting.objects.visible_to(user).order_by("-starts_at")
        saved = instance if instance is not None and instance.pk is not None else None
        if proposing:
            # A revision changes what is published; tags and named people are the activity's.
            del self.fields["named_people"], self.fields["framework_references"]
            if saved is not None and saved.label == Label.RED:
                del self.fields["label"]
            else:
                cast(forms.ChoiceField, self.fields["label"]).choices = PROPOSABLE_LABELS
            return
        tag_current_references(self)
        named = cast(DelegateChoiceField, self.fields["named_people"])
        organisations = {person.organisation_id} if person is not None else set()
        named_now: list[Person] = []
        if saved is not None:
            organisations = {saved.lead_organisation_id}
            organisations |= set(saved.organisations.values_list("organisation_id", flat=True))
            named_now = list(saved.named_people.all())
            self.initial.setdefault("named_people", named_now)
        named.queryset = Person.objects.filter(
            Q(organisation__in=organisations - {None}, is_active=True)
            | Q(pk__in=[person.pk for person in named_now])
        ).order_by("full_name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("regions") or cleaned.get("nationwide") or cleaned.get("countries")):
            self.add_error("regions", _("Say where the activity takes place."))
        if cleaned.get("label") == Label.RED and not cleaned.get("named_people"):
            self.add_error(
                "named_people", _("Name the people who may read it, or choose another level.")
            )
        currency = str(cleaned.get("currency") or "").upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            self.add_error("currency", _("Three letters, such as USD or UZS."))
        cleaned["currency"] = currency
        return cleaned

    @property
    def places(self) -> list[Place]:
        data = self.cleaned_data
        places = [Place(kind=LocationKind.REGION, region=code) for code in data["regions"]]
        if data.get("nationwide"):
            places.append(Place(kind=LocationKind.NATIONAL))
        places += [Place(kind=LocationKind.COUNTRY, country=code) for code in data["countries"]]
        return places


class ParticipantsRowForm(forms.Form):
    target_group = forms.ChoiceField(label=_("Target group"), choices=[])
    location = forms.TypedChoiceField(label=_("Location"), choices=[], coerce=int)
    female = forms.IntegerField(label=_("Women"), min_value=0, max_value=1_000_000, initial=0)
    male = forms.IntegerField(label=_("Men"), min_value=0, max_value=1_000_000, initial=0)
    undisclosed = forms.IntegerField(
        label=pgettext_lazy("participants", "Not disclosed"),
        min_value=0,
        max_value=1_000_000,
        initial=0,
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target_group"]).choices = [
            (code, TargetGroup(code).label)
            for code in activity.target_groups
            if code in TargetGroup.values
        ]
        cast(forms.ChoiceField, self.fields["location"]).choices = [
            (location.pk, location.label) for location in activity.locations.all()
        ]


class BaseParticipantsFormSet(forms.BaseFormSet[ParticipantsRowForm]):
    def clean(self) -> None:
        seen = set()
        for form in self.forms:
            if not form.has_changed() or not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            key = (form.cleaned_data["target_group"], form.cleaned_data["location"])
            if key in seen:
                raise ValidationError(_("Count each target group at each location once."))
            seen.add(key)


ParticipantsFormSet = forms.formset_factory(
    ParticipantsRowForm,
    formset=BaseParticipantsFormSet,
    extra=2,
    can_delete=True,
    max_num=200,
    validate_max=True,
)


class ReturnForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("comment",)
    comment = forms.CharField(
        label=_("What should change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActivityFilterForm(AutocompleteFormMixin, FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *ActivityType.choices]
    )
    pillar = forms.ChoiceField(
        label=_("Pillar"), required=False, choices=[("", _("Any pillar")), *Pillar.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ActivityStatus.choices],
    )
    review = forms.ChoiceField(
        label=_("Review"),
        required=False,
        choices=[("", _("Any review state")), *ReviewState.choices],
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[
            ("", _("Anywhere")),
            *Region.choices,
            (LocationKind.NATIONAL.value, LocationKind.NATIONAL.label),
        ],
    )
    target_group = forms.ChoiceField(
        label=_("Target group"),
        required=False,
        choices=[("", _("Any target group")), *TargetGroup.choices],
    )
    organisation = OrganisationPicker(
        label=_("Organisation"), required=False, empty_label=_("All organisations")
    )
    funder = OrganisationPicker(
        label=_("Funding organisation"), required=False, empty_label=_("Any funder")
    )
    # With a period (from the dashboard): under way in it, or ended in it.
    counted = forms.ChoiceField(
        label=_("In the period"),
        required=False,
        choices=[("", _("Under way")), ("ended", _("Ended"))],
    )
    mine = forms.BooleanField(label=_("My organisation's"), required=False)
    needs_action = forms.BooleanField(label=_("Needs my organisation's action"), required=False)
    award = forms.ModelChoiceField(
        label=_("Funding award"),
        required=False,
        queryset=Award.objects.all(),
        empty_label=_("Any award"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("organisation", "funder"):
            setup_organisation_picker(self, name, user=user)


class AwardForm(forms.ModelForm[Award]):
    version = VersionField()

    class Meta:
        model = Award
        fields = ["donor", "number", "title", "starts_on", "ends_on", "ceiling", "currency"]
        widgets = {"starts_on": _DATE, "ends_on": _DATE}
        help_texts = {"currency": _("Three letters, such as USD or UZS.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
        donor = cast(forms.ModelChoiceField[Organisation], self.fields["donor"])
        donor.queryset = Organisation.objects.filter(is_active=True).order_by("name")

    def clean_currency(self) -> str:
        currency = str(self.cleaned_data.get("currency") or "").upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            raise ValidationError(_("Three letters, such as USD or UZS."))
        return currency


class TrustForm(AutocompleteFormMixin, forms.Form):
    organisation = OrganisationPicker(label=_("Organisation"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        setup_organisation_picker(self, "organisation", user=user)


class CallForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=_DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = cast(forms.ModelChoiceField[Meeting], self.fields["meeting"])
        meeting.queryset = (
            Meeting.objects.visible_to(user)
            .filter(starts_at__gt=timezone.now(), call_for_updates__isnull=True)
            .exclude(status="cancelled")
            .order_by("starts_at")
        )


class EvidenceForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("title",)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Left empty: the file's name."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s, up to %(size)s MB.") % {
            "types": accepted_types_text(),
            "size": max_upload_bytes() // (1024 * 1024),
        }
