"""Forms of series and meetings: times typed on the meeting's own clock, in its zone."""

import re
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from meetings import permissions
from meetings.models import (
    Meeting,
    MeetingSeries,
    MeetingStatus,
    time_zone_choices,
    validate_time_zone,
)
from portal.lib.forms import AutocompleteFormMixin, PlainSelect
from portal.lib.versions import VersionField
from stakeholders.forms import (
    FilterForm,
    OrganisationPicker,
    PersonPicker,
    setup_organisation_picker,
    setup_person_picker,
)
from stakeholders.models import User

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


WHEN_CHOICES = [
    ("", _("Any date")),
    ("upcoming", _("Upcoming")),
    ("past", _("Past")),
]


class MeetingFilterForm(AutocompleteFormMixin, FilterForm):
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
    organisation = OrganisationPicker(
        label=_("Invited organisation"), required=False, empty_label=_("All organisations")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        setup_organisation_picker(self, "organisation", user=user)
        if permissions.can_manage_meetings(user):
            series_field = cast(forms.ModelChoiceField[MeetingSeries], self.fields["series"])
            series_field.queryset = MeetingSeries.objects.visible_to(user)
        else:
            del self.fields["series"]


class MonthForm(forms.Form):
    """The month the calendar page shows, written as 2023-10."""

    # Not required: an empty month is refused with the same message as any other.
    month = forms.CharField(required=False)

    def clean_month(self) -> date:
        found = re.fullmatch(r"([0-9]{4})-([0-9]{2})", self.cleaned_data["month"])
        year, month = (int(found[1]), int(found[2])) if found else (0, 0)
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
            raise ValidationError(
                _("Give a month between %(first)d-01 and %(last)d-12, such as 2023-10."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
                code="invalid_month",
            )
        return date(year, month, 1)
