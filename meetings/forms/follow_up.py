"""Decisions, action items, their status and the register's filters."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings import permissions
from meetings.forms.frameworks import FrameworkReferencesField, tag_current_references
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Decision,
    Meeting,
    MeetingSeries,
)
from portal.lib.forms import AutocompleteFormMixin
from portal.lib.personal_data import PersonalDataCheckMixin
from portal.lib.versions import VersionField
from stakeholders.forms import (
    FilterForm,
    OrganisationPicker,
    PersonPicker,
    setup_organisation_picker,
    setup_person_picker,
)
from stakeholders.models import Person, User


class DecisionForm(PersonalDataCheckMixin, forms.ModelForm[Decision]):
    personal_data_fields = ("text", "text_ru", "text_uz")
    framework_references = FrameworkReferencesField()
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
        tag_current_references(self)


class ActionItemForm(PersonalDataCheckMixin, AutocompleteFormMixin, forms.ModelForm[ActionItem]):
    personal_data_fields = ("description", "description_ru", "description_uz")
    owner_organisation = OrganisationPicker(label=_("Owner organisation"))
    owner_person = PersonPicker(label=_("Owner person"), required=False)
    framework_references = FrameworkReferencesField()
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
        tag_current_references(self)

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
    on_time = forms.ChoiceField(
        label=_("Completion"),
        required=False,
        choices=[("", _("On time or not")), ("yes", _("Done on time"))],
    )
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
