from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.lib import audit
from portal.lib.forms import (
    AutocompleteField,
    AutocompleteFormMixin,
    ListedChoiceIterator,
    PlainSelect,
)
from portal.lib.text import name_key
from portal.lib.versions import VersionField
from stakeholders import permissions, selectors
from stakeholders.models import (
    MechanismRole,
    Organisation,
    Person,
    Role,
    Sex,
    StakeholderGroup,
    User,
)


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
    allowed = {*editable, "version"}
    for name in list(form.fields):
        if name not in allowed:
            del form.fields[name]


class OrganisationPicker(AutocompleteField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(url_name="stakeholders:organisation_choices", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.local_name)


def setup_organisation_picker(
    form: AutocompleteFormMixin, name: str, *, user: User, exclude: int | None = None
) -> None:
    """An organisation picker over the active organisations `user` may see."""
    queryset = Organisation.objects.visible_to(user).filter(is_active=True)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    form.setup_autocomplete(
        name,
        queryset=queryset,
        search=lambda query: [
            o for o in selectors.organisation_choices(user=user, query=query) if o.pk != exclude
        ],
    )


class PersonPicker(AutocompleteField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(url_name="stakeholders:person_choices", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


def person_label(person: Person) -> str:
    """A person as a picker shows them: the name, and the organisation to tell namesakes
    apart."""
    organisation = person.organisation
    return f"{person.full_name} · {organisation.display_name}" if organisation else person.full_name


def setup_person_picker(
    form: AutocompleteFormMixin, name: str, *, user: User, organisation: int | None = None
) -> None:
    """A person picker over the active people `user` may see (of `organisation` only, when
    given)."""
    queryset = Person.objects.visible_to(user).filter(is_active=True, anonymised_at=None)
    field = form.fields.get(name)
    if organisation is not None:
        queryset = queryset.filter(organisation_id=organisation)
        if isinstance(field, AutocompleteField):
            field.widget.url_query = f"organisation={organisation}"
    form.setup_autocomplete(
        name,
        queryset=queryset.select_related("organisation"),
        search=lambda query: selectors.person_choices(
            user=user, query=query, organisation=organisation
        ),
    )


class OrganisationForm(AutocompleteFormMixin, forms.ModelForm[Organisation]):
    parent = OrganisationPicker(label=_("Parent organisation"), required=False)
    version = VersionField()

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
            "head_name",
            "head_title",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: User, editable: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version
        _keep_fields(self, editable)
        setup_organisation_picker(self, "parent", user=user, exclude=self.instance.pk)

    def clean_name(self) -> str:
        # The database holds names unique whatever their case, spacing or invisible
        # characters; say so on the field.
        name: str = self.cleaned_data["name"]
        clash = Organisation.objects.filter(name_key=name_key(name)).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("An organisation with this name already exists."))
        return name


class OptionalSexMixin(forms.BaseForm):
    """A form's `sex` may be left out: it is then "not disclosed"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "sex" in self.fields:
            self.fields["sex"].required = False

    def clean_sex(self) -> str:
        return self.cleaned_data.get("sex") or Sex.UNDISCLOSED


class PersonForm(OptionalSexMixin, AutocompleteFormMixin, forms.ModelForm[Person]):
    organisation = OrganisationPicker(label=_("Organisation"))
    version = VersionField()

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
            "sex",
        ]

    def __init__(self, *args: Any, user: User, editable: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version
        _keep_fields(self, editable)
        setup_organisation_picker(self, "organisation", user=user)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        clash = Person.objects.filter(email__iexact=email, is_active=True).exclude(
            pk=self.instance.pk
        )
        if email and clash.exists():
            if permissions.can_manage_directory(self.user):
                raise forms.ValidationError(_("An active person already has this email address."))
            # Who holds an address is the secretariat's to know.
            raise forms.ValidationError(
                _("This email address cannot be used here; if it is right, ask the secretariat.")
            )
        return email


class FilterForm(forms.Form):
    """A list's filters, styled for a one-line filter bar. Invalid values are dropped, so
    that an odd query string still gets a page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # A filter's records are a few dozen at most; longer lists get a picker.
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, AutocompleteField
            ):
                field.iterator = ListedChoiceIterator
                field.widget.choices = field.choices
            if isinstance(field, forms.ChoiceField) and type(field.widget) is forms.Select:
                plain = PlainSelect(attrs=field.widget.attrs)
                plain.choices = field.widget.choices
                field.widget = plain
            if isinstance(field, AutocompleteField | forms.ChoiceField):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"

    @property
    def filters(self) -> dict[str, Any]:
        """The valid filters: what the selectors take."""
        self.is_valid()
        return self.cleaned_data


ACTIVE_CHOICES = [("yes", _("Active")), ("no", _("Inactive")), ("all", _("All"))]


def _sorts(keys: Iterable[str]) -> list[tuple[str, str]]:
    return [(key, key) for key in keys]


class OrganisationFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
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
    sort = forms.ChoiceField(
        required=False, choices=_sorts(selectors.ORGANISATION_SORTS), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not permissions.can_see_inactive(user):
            del self.fields["active"]


class PersonFilterForm(AutocompleteFormMixin, FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organisation = OrganisationPicker(
        label=_("Organisation"), required=False, empty_label=_("All organisations")
    )
    role = forms.ChoiceField(
        label=_("Role in the mechanism"),
        required=False,
        choices=[("", _("All roles")), *MechanismRole.choices],
    )
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)
    sort = forms.ChoiceField(
        required=False, choices=_sorts(selectors.PERSON_SORTS), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        setup_organisation_picker(self, "organisation", user=user)
        if not permissions.can_see_inactive(user):
            del self.fields["active"]


class MergeForm(AutocompleteFormMixin, forms.Form):
    keep = OrganisationPicker(
        label=_("Organisation to keep"),
        help_text=_(
            "People, units and references move to this organisation; the one merged is "
            "deactivated and points to it."
        ),
    )

    def __init__(self, *args: Any, user: User, duplicate: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        setup_organisation_picker(self, "keep", user=user, exclude=duplicate.pk)


class GrantAccessForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(roles)
        self.fields["role"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (value, label) for value, label in Role.choices if value in allowed
        ]
        self.fields["role"].widget.attrs["class"] = "form-select"


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ProfileForm(OptionalSexMixin, forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = [
            "preferred_language",
            "sex",
            "email_meeting_reminders",
            "email_action_item_reminders",
            "email_weekly_digest",
        ]


class UserFilterForm(AutocompleteFormMixin, FilterForm):
    organisation = OrganisationPicker(
        label=_("Organisation"), required=False, empty_label=_("All organisations")
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        setup_organisation_picker(self, "organisation", user=user)


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(9998, 12, 31)


class AuditFilterForm(FilterForm):
    action = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=lambda: [("", _("All events")), *audit.action_choices()],
    )
    q = forms.CharField(label=_("Who or which record"), required=False, max_length=200)
    # Bounded, so that a day's start and end stay representable; other dates are dropped.
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or XLSX, at most 5 MB and 5,000 rows."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
