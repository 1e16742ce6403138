"""Inviting people and organisations, and answering an invitation."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    Response,
)
from meetings.services import NEW_COLLEAGUE_NEEDS, SUBSTITUTE_NEEDED
from portal.lib.forms import AutocompleteFormMixin
from portal.lib.personal_data import PersonalDataCheckMixin
from stakeholders.forms import (
    OrganisationPicker,
    PersonPicker,
    setup_organisation_picker,
    setup_person_picker,
)
from stakeholders.models import Person, User


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
