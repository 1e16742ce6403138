from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.models import AuditEvent
from stakeholders.models import MechanismRole, Organisation, Person, Role, StakeholderGroup


class EmailAuthenticationForm(AuthenticationForm):
    """The login form, asking for an email address instead of a user name."""

    username = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That email address and password do not match an active account."),
    }


def _keep_fields(form: forms.BaseForm, editable: Iterable[str]) -> None:
    allowed = set(editable)
    for name in list(form.fields):
        if name not in allowed:
            del form.fields[name]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_ru",
            "name_uz",
            "short_name",
            "stakeholder_group",
            "parent",
            "country",
            "website",
            "iati_identifier",
            "iati_type",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, editable: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _keep_fields(self, editable)
        if "parent" in self.fields:
            parents = Organisation.objects.filter(is_active=True)
            if self.instance.pk:
                parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        # The database holds names unique in any letter case; say so on the field.
        name = self.cleaned_data["name"]
        clash = Organisation.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("An organisation with this name already exists."))
        return name


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "full_name",
            "position",
            "organisation",
            "email",
            "phone",
            "preferred_language",
            "mechanism_role",
        ]

    def __init__(self, *args: Any, editable: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _keep_fields(self, editable)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                is_active=True
            )
            self.fields["organisation"].required = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        clash = Person.objects.filter(email__iexact=email, is_active=True).exclude(
            pk=self.instance.pk
        )
        if email and clash.exists():
            raise forms.ValidationError(_("An active person already has this email address."))
        return email


class FilterForm(forms.Form):
    """A list's filters, styled for a one-line filter bar."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"


ACTIVE_CHOICES = [("yes", _("Active")), ("no", _("Inactive")), ("all", _("All"))]


class OrganisationFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    group = forms.ChoiceField(
        label=_("Stakeholder group"),
        required=False,
        choices=[("", _("All groups")), *StakeholderGroup.choices],
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        # Called for each form, so that country names come in the reader's language.
        choices=lambda: [("", _("All countries")), *countries],
    )
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)


class PersonFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("Role in the mechanism"),
        required=False,
        choices=[("", _("All roles")), *MechanismRole.choices],
    )
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Organisation to keep"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "People, units and references move to this organisation; the one merged is "
            "deactivated and points to it."
        ),
    )

    def __init__(self, *args: Any, duplicate: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).exclude(pk=duplicate.pk)


class GrantAccessForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(roles)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Role.choices if value in allowed
        ]
        self.fields["role"].widget.attrs["class"] = "form-select"


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["preferred_language", "email_meeting_reminders", "email_action_item_reminders"]


class UserFilterForm(FilterForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        empty_label=_("All organisations"),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)


class AuditFilterForm(FilterForm):
    action = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("All events")), *AuditEvent.Action.choices],
    )
    q = forms.CharField(label=_("Who or which record"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or XLSX, at most 5 MB and 5,000 rows."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
