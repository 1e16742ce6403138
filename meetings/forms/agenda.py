"""The agenda item form."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    AgendaItem,
)
from portal.lib.forms import AutocompleteFormMixin
from portal.lib.personal_data import PersonalDataCheckMixin
from portal.lib.versions import VersionField
from stakeholders.forms import (
    OrganisationPicker,
    PersonPicker,
    setup_organisation_picker,
    setup_person_picker,
)
from stakeholders.models import User


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
