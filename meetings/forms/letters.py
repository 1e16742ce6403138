"""Official letters, their templates, and naming delegates."""

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from meetings.forms.meetings import FIRST_YEAR, LAST_YEAR
from meetings.letters.documents import DOCX_CONTENT_TYPE
from meetings.letters.services import DATE_NEEDED, LANGUAGE_NEEDED, NUMBER_NEEDED
from portal.lib.views import id_param
from stakeholders.models import Language, Person


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
