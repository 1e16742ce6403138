from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from meetings import permissions
from meetings.letters.documents import DOCX_CONTENT_TYPE
from meetings.letters.services import DATE_NEEDED, LANGUAGE_NEEDED, NUMBER_NEEDED
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Decision,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    Response,
    Statement,
    time_zone_choices,
    validate_time_zone,
)
from meetings.services import NEW_COLLEAGUE_NEEDS, SUBSTITUTE_NEEDED
from portal.lib.forms import AutocompleteFormMixin, PlainSelect
from portal.lib.personal_data import PersonalDataCheckMixin
from portal.lib.sensitivity import Label
from portal.lib.versions import VersionField
from portal.lib.views import id_param
from stakeholders.forms import (
    FilterForm,
    OrganisationPicker,
    PersonPicker,
    setup_organisation_picker,
    setup_person_picker,
)
from stakeholders.models import Language, Organisation, Person, User

# Years a meeting may fall in: catches a mistyped year before it reaches a calendar.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time, without a zone: the form places it in the zone it names."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return timezone.make_naive(value) if timezone.is_aware(value) else value
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:
            parsed = None
        if parsed is None:
            parsed = BaseTemporalField.to_python(self, value)
        if parsed is None:
            return None
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            raise ValidationError(
                _("Enter a date between %(first)d and %(last)d."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
                code="out_of_range",
            )
        return parsed.replace(tzinfo=None)


class TimeZoneField(forms.ChoiceField):
    widget = PlainSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=time_zone_choices, validators=[validate_time_zone], **kwargs)
        self.error_messages["invalid_choice"] = _(
            "“%(value)s” is not a time zone name; pick one such as Asia/Tashkent."
        )


class SeriesForm(AutocompleteFormMixin, forms.ModelForm[MeetingSeries]):
    convener = OrganisationPicker(label=_("Convener"))
    default_time_zone = TimeZoneField(label=_("Default time zone"))
    version = VersionField()

    class Meta:
        model = MeetingSeries
        fields = [
            "title",
            "title_ru",
            "title_uz",
            "convener",
            "cadence",
            "default_venue",
            "default_time_zone",
            "is_active",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
            del self.fields["is_active"]
        else:
            self.fields["version"].initial = self.instance.version
        setup_organisation_picker(self, "convener", user=user)


class MeetingForm(AutocompleteFormMixin, forms.ModelForm[Meeting]):
    """A meeting's details; times are typed as the clock in the meeting's zone shows them."""

    series = forms.ModelChoiceField(label=_("Series"), queryset=MeetingSeries.objects.none())
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    time_zone = TimeZoneField(label=_("Time zone"))
    chair = PersonPicker(label=_("Chair"), required=False)
    version = VersionField()

    class Meta:
        model = Meeting
        fields = [
            "series",
            "number",
            "title",
            "title_ru",
            "title_uz",
            "starts_at",
            "ends_at",
            "time_zone",
            "modality",
            "venue",
            "online_url",
            "chair",
        ]
        help_texts = {"number": _("Unique in the series; the next free one is proposed.")}

    def __init__(self, *args: Any, user: User, series_choice: bool = False, **kwargs: Any) -> None:
        instance: Meeting | None = kwargs.get("instance")
        initial = kwargs.setdefault("initial", {})
        if instance is not None and instance.pk is not None:
            initial.setdefault("starts_at", instance.local_start.replace(tzinfo=None))
            initial.setdefault("ends_at", instance.local_end.replace(tzinfo=None))
        for name in ("starts_at", "ends_at"):
            value = initial.get(name)
            if isinstance(value, datetime) and timezone.is_aware(value):
                zone = ZoneInfo(initial.get("time_zone") or timezone.get_current_timezone_name())
                initial[name] = value.astimezone(zone).replace(tzinfo=None)
        super().__init__(*args, **kwargs)
        if series_choice:
            series_field = cast(forms.ModelChoiceField[MeetingSeries], self.fields["series"])
            series_field.queryset = MeetingSeries.objects.visible_to(user).filter(is_active=True)
        else:
            del self.fields["series"]
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version
        setup_person_picker(self, "chair", user=user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        zone_name = cleaned.get("time_zone")
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts is not None and ends is not None:
            # Without a valid zone the form has an error already; the times still get one.
            zone = ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
            cleaned["starts_at"] = timezone.make_aware(starts, zone)
            cleaned["ends_at"] = timezone.make_aware(ends, zone)
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("ends_at", _("The meeting must end after it starts."))
        # The model's checks (the number's uniqueness in the series) need the series, which
        # a new meeting gets from this form or from the view.
        if (series := cleaned.get("series")) is not None:
            self.instance.series = series
        return cleaned


class AgendaItemForm(PersonalDataCheckMixin, AutocompleteFormMixin, forms.ModelForm[AgendaItem]):
    personal_data_fields = (
        "title",
        "title_ru",
        "title_uz",
        "description",
        "description_ru",
        "description_uz",
    )
    presenter_organisation = OrganisationPicker(label=_("Presenting organisation"), required=False)
    presenter_person = PersonPicker(label=_("Presenter"), required=False)
    version = VersionField()

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "title_ru",
            "title_uz",
            "kind",
            "duration_minutes",
            "presenter_organisation",
            "presenter_person",
            "description",
            "description_ru",
            "description_uz",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_ru": forms.Textarea(attrs={"rows": 3}),
            "description_uz": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].min_value = 1  # type: ignore[attr-defined]
        self.fields["duration_minutes"].max_value = 480  # type: ignore[attr-defined]
        self.fields["duration_minutes"].widget.attrs.update({"min": 1, "max": 480})
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version
        setup_organisation_picker(self, "presenter_organisation", user=user)
        setup_person_picker(self, "presenter_person", user=user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        person = cleaned.get("presenter_person")
        organisation = cleaned.get("presenter_organisation")
        if person is not None and organisation not in (None, person.organisation):
            self.add_error(
                "presenter_person",
                _("The presenter must belong to the presenting organisation."),
            )
        return cleaned


class InvitePersonForm(AutocompleteFormMixin, forms.Form):
    person = PersonPicker(label=_("Person"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "person")
        super().__init__(*args, **kwargs)
        setup_person_picker(self, "person", user=user)


class InviteOrganisationForm(AutocompleteFormMixin, forms.Form):
    organisation = OrganisationPicker(label=_("Organisation"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "organisation")
        super().__init__(*args, **kwargs)
        setup_organisation_picker(self, "organisation", user=user)


class AnswerForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("comment",)
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(v, label) for v, label in Response.choices if v != Response.PENDING],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=500,
        help_text=_("For example, who will attend in your place or when you will join."),
    )


WHEN_CHOICES = [
    ("", _("Any date")),
    ("upcoming", _("Upcoming")),
    ("past", _("Past")),
]


class MeetingFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    when = forms.ChoiceField(label=_("When"), required=False, choices=WHEN_CHOICES)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *MeetingStatus.choices],
    )
    series = forms.ModelChoiceField(
        label=_("Series"),
        required=False,
        queryset=MeetingSeries.objects.none(),
        empty_label=_("All series"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if permissions.can_manage_meetings(user):
            series_field = cast(forms.ModelChoiceField[MeetingSeries], self.fields["series"])
            series_field.queryset = MeetingSeries.objects.visible_to(user)
        else:
            del self.fields["series"]


class RsvpAnswerForm(AnswerForm):
    """The answer given through an emailed link."""


class SubstituteForm(PersonalDataCheckMixin, forms.Form):
    """Someone attending in the invitee's place: a colleague from the list, or a new one."""

    personal_data_fields = ("comment",)

    colleague = forms.ModelChoiceField(
        label=_("A colleague"),
        required=False,
        queryset=Person.objects.none(),
        empty_label=_("Choose a colleague"),
    )
    full_name = forms.CharField(
        label=_("Or a new colleague: full name"), required=False, max_length=200
    )
    email = forms.EmailField(label=_("Email"), required=False)
    position = forms.CharField(label=_("Position"), required=False, max_length=200)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args: Any, candidates: list[Person], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "substitute")
        super().__init__(*args, **kwargs)
        colleague = cast(forms.ModelChoiceField[Person], self.fields["colleague"])
        colleague.queryset = Person.objects.filter(pk__in=[p.pk for p in candidates]).order_by(
            "full_name", "pk"
        )
        if not candidates:
            del self.fields["colleague"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        colleague = cleaned.get("colleague")
        new = cleaned.get("full_name") or cleaned.get("email")
        if colleague is not None and new:
            raise ValidationError(_("Choose a colleague or name a new one, not both."))
        if colleague is None and not new and not self.errors:
            raise ValidationError(SUBSTITUTE_NEEDED)
        if new and not (cleaned.get("full_name") and cleaned.get("email")):
            raise ValidationError(NEW_COLLEAGUE_NEEDS)
        return cleaned


# Official letters and nominations


class LetterForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the letter"),
        choices=Language.choices,
        error_messages={"invalid_choice": LANGUAGE_NEEDED},
        help_text=_("Proposed: the language of the organisation's focal point."),
    )
    number = forms.CharField(
        label=_("Outgoing number"),
        max_length=50,
        error_messages={"required": NUMBER_NEEDED},
    )
    date = forms.DateField(
        label=_("Date of the letter"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[
            MinValueValidator(date(FIRST_YEAR, 1, 1)),
            MaxValueValidator(date(LAST_YEAR, 12, 31)),
        ],
        error_messages={"required": DATE_NEEDED},
    )


class DelegateChoiceField(forms.ModelMultipleChoiceField[Person]):
    def clean(self, value: Any) -> Any:
        # Ids the database could not hold (or not ids at all) are refused before any query.
        values = value if isinstance(value, list | tuple) else [value]
        if any(v not in (None, "") and id_param(str(v)) is None for v in values):
            raise ValidationError(
                self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": ""}
            )
        return super().clean(value)

    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name}, {obj.position}" if obj.position else obj.full_name


DELEGATES_FROM_THE_LIST = _("Choose delegates among the people of the organisation listed here.")


class DelegatesForm(forms.Form):
    people = DelegateChoiceField(
        label=_("Delegates"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one delegate."),
            "invalid_choice": DELEGATES_FROM_THE_LIST,
            "invalid_pk_value": DELEGATES_FROM_THE_LIST,
            "invalid_list": DELEGATES_FROM_THE_LIST,
        },
        help_text=_("Each receives the invitation by email, and answers it."),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = cast(DelegateChoiceField, self.fields["people"])
        people.queryset = candidates


class LetterTemplateForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        error_messages={"invalid_choice": LANGUAGE_NEEDED},
    )
    file = forms.FileField(
        label=_("Word document (.docx)"),
        help_text=_("At most 2 MB, without macros."),
        widget=forms.FileInput(attrs={"accept": f".docx,{DOCX_CONTENT_TYPE}"}),
    )


class DecisionForm(PersonalDataCheckMixin, forms.ModelForm[Decision]):
    personal_data_fields = ("text", "text_ru", "text_uz")
    version = VersionField()

    class Meta:
        model = Decision
        fields = ["text", "text_ru", "text_uz", "agenda_item"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "text_ru": forms.Textarea(attrs={"rows": 3}),
            "text_uz": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agenda = cast(forms.ModelChoiceField[AgendaItem], self.fields["agenda_item"])
        agenda.queryset = meeting.agenda_items.order_by("position")
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version


class ActionItemForm(PersonalDataCheckMixin, AutocompleteFormMixin, forms.ModelForm[ActionItem]):
    personal_data_fields = ("description", "description_ru", "description_uz")
    owner_organisation = OrganisationPicker(label=_("Owner organisation"))
    owner_person = PersonPicker(label=_("Owner person"), required=False)
    version = VersionField()

    class Meta:
        model = ActionItem
        fields = [
            "description",
            "description_ru",
            "description_uz",
            "owner_organisation",
            "owner_person",
            "due_on",
            "decision",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_ru": forms.Textarea(attrs={"rows": 3}),
            "description_uz": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: User, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision = cast(forms.ModelChoiceField[Decision], self.fields["decision"])
        decision.queryset = meeting.decisions.order_by("number")
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version
        setup_organisation_picker(self, "owner_organisation", user=user)
        setup_person_picker(self, "owner_person", user=user)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        person, organisation = cleaned.get("owner_person"), cleaned.get("owner_organisation")
        if person is not None and organisation is not None and person.organisation != organisation:
            self.add_error(
                "owner_person", _("The owner person must belong to the owner organisation.")
            )
        return cleaned


class ActionItemStatusForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("note",)
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to drop an item: say why."),
    )


OVERDUE_CHOICES = [("", _("Any due date")), ("yes", _("Overdue only"))]


class ActionItemFilterForm(AutocompleteFormMixin, FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    series = forms.ModelChoiceField(
        label=_("Series"),
        required=False,
        queryset=MeetingSeries.objects.none(),
        empty_label=_("All series"),
    )
    meeting = forms.ModelChoiceField(
        required=False, queryset=Meeting.objects.none(), widget=forms.HiddenInput
    )
    organisation = OrganisationPicker(
        label=_("Owner organisation"), required=False, empty_label=_("All organisations")
    )
    person = forms.ModelChoiceField(
        required=False, queryset=Person.objects.none(), widget=forms.HiddenInput
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ActionItemStatus.choices],
    )
    overdue = forms.ChoiceField(label=_("Due"), required=False, choices=OVERDUE_CHOICES)
    due_from = forms.DateField(
        label=_("Due from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = forms.DateField(
        label=_("Due until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for key in ("due", "-due", "organisation", "status", "meeting")],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if permissions.can_manage_meetings(user):
            series = cast(forms.ModelChoiceField[MeetingSeries], self.fields["series"])
            series.queryset = MeetingSeries.objects.visible_to(user)
        else:
            del self.fields["series"]
        meeting = cast(forms.ModelChoiceField[Meeting], self.fields["meeting"])
        meeting.queryset = Meeting.objects.visible_to(user)
        person = cast(forms.ModelChoiceField[Person], self.fields["person"])
        person.queryset = Person.objects.visible_to(user)
        setup_organisation_picker(self, "organisation", user=user)


# Minutes

_TEXT_WIDGET = forms.Textarea(attrs={"rows": 12})
MINUTES_TEXTS = ("text_en", "text_ru", "text_uz")


class MinutesTextsMixin(forms.Form):
    text_en = forms.CharField(
        label=_("Minutes in English"),
        required=False,
        widget=_TEXT_WIDGET,
        help_text=_("Markdown: lists, headings, tables and links."),
    )
    text_ru = forms.CharField(label=_("Minutes in Russian"), required=False, widget=_TEXT_WIDGET)
    text_uz = forms.CharField(label=_("Minutes in Uzbek"), required=False, widget=_TEXT_WIDGET)
    authoritative_language = forms.ChoiceField(
        label=_("Authoritative language"),
        choices=Language.choices,
        help_text=_("The text that prevails where the languages differ."),
    )


class MinutesForm(PersonalDataCheckMixin, MinutesTextsMixin, forms.Form):
    """The minutes' label and the wording of the revision being written."""

    personal_data_fields = MINUTES_TEXTS
    label = forms.ChoiceField(label=_("Sensitivity"), choices=Label.choices, initial=Label.AMBER)
    named_people = DelegateChoiceField(
        label=_("Named people"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For minutes for named people only: the invitees who read them."),
    )
    version = VersionField()

    def __init__(
        self, *args: Any, meeting: Meeting, minutes: Minutes | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        named = cast(DelegateChoiceField, self.fields["named_people"])
        named.queryset = Person.objects.filter(invitations__meeting=meeting).order_by("full_name")
        if minutes is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = minutes.version


class MinutesCorrectionForm(PersonalDataCheckMixin, MinutesTextsMixin, forms.Form):
    """A correction of adopted minutes: the corrected wording and why."""

    personal_data_fields = (*MINUTES_TEXTS, "reason")
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        help_text=_("Shown with the revision, for everyone who reads the minutes."),
    )


class MinutesCommentForm(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("text",)
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    agenda_item = forms.ModelChoiceField(
        label=_("On agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("The minutes as a whole"),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agenda = cast(forms.ModelChoiceField[AgendaItem], self.fields["agenda_item"])
        agenda.queryset = meeting.agenda_items.order_by("position")


class StatementForm(PersonalDataCheckMixin, forms.ModelForm[Statement]):
    personal_data_fields = ("text",)

    class Meta:
        model = Statement
        fields = ["speaker", "organisation", "agenda_item", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"organisation": _("Left empty: the speaker's organisation.")}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speaker = cast(forms.ModelChoiceField[Person], self.fields["speaker"])
        speaker.queryset = Person.objects.filter(invitations__meeting=meeting).order_by("full_name")
        speaker.help_text = _("One of the meeting's invitees.")
        organisation = cast(forms.ModelChoiceField[Organisation], self.fields["organisation"])
        organisation.queryset = Organisation.objects.filter(
            Q(person_invitations__meeting=meeting) | Q(meeting_invitations__meeting=meeting)
        ).distinct()
        agenda = cast(forms.ModelChoiceField[AgendaItem], self.fields["agenda_item"])
        agenda.queryset = meeting.agenda_items.order_by("position")
