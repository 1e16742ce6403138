"""Minutes, corrections, comments and statements."""

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.forms.letters import DelegateChoiceField
from meetings.models import (
    AgendaItem,
    Meeting,
    Minutes,
    Statement,
)
from portal.lib.personal_data import PersonalDataCheckMixin
from portal.lib.sensitivity import Label
from portal.lib.versions import VersionField
from stakeholders.models import Language, Organisation, Person

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
    version = VersionField()

    class Meta:
        model = Statement
        fields = ["speaker", "organisation", "agenda_item", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"organisation": _("Left empty: the speaker's organisation.")}

    def __init__(
        self, *args: Any, meeting: Meeting, versioned: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if versioned:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
        speaker = cast(forms.ModelChoiceField[Person], self.fields["speaker"])
        speaker.queryset = Person.objects.filter(invitations__meeting=meeting).order_by("full_name")
        speaker.help_text = _("One of the meeting's invitees.")
        organisation = cast(forms.ModelChoiceField[Organisation], self.fields["organisation"])
        organisation.queryset = Organisation.objects.filter(
            Q(person_invitations__meeting=meeting) | Q(meeting_invitations__meeting=meeting)
        ).distinct()
        agenda = cast(forms.ModelChoiceField[AgendaItem], self.fields["agenda_item"])
        agenda.queryset = meeting.agenda_items.order_by("position")
