"""The import columns: what each holds, how its values are read, and rows for export."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from stakeholders.imports.results import RowResult
from stakeholders.models import (
    IatiOrganisationType,
    ImportBatch,
    Language,
    MechanismRole,
    Organisation,
    Person,
    StakeholderGroup,
)

Kind = ImportBatch.Kind

ORGANISATION_COLUMNS = (
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
    "active",
)
PERSON_COLUMNS = (
    "full_name",
    "email",
    "organisation",
    "position",
    "phone",
    "preferred_language",
    "mechanism_role",
    "active",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    Kind.ORGANISATIONS: ORGANISATION_COLUMNS,
    Kind.PEOPLE: PERSON_COLUMNS,
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    Kind.ORGANISATIONS: ("name", "stakeholder_group"),
    Kind.PEOPLE: ("full_name", "organisation"),
}
# What each column holds, for the upload page.
COLUMN_HELP: dict[str, dict[str, Any]] = {
    Kind.ORGANISATIONS: {
        "name": gettext_lazy("Name in English; an existing organisation of this name is updated."),
        "name_ru": gettext_lazy("Name in Russian."),
        "name_uz": gettext_lazy("Name in Uzbek."),
        "short_name": gettext_lazy("Acronym, e.g. IOM."),
        "stakeholder_group": gettext_lazy("Code or English label, e.g. ministry or National NGO."),
        "parent": gettext_lazy(
            "Name or acronym of the organisation it belongs to, in the directory or in the file."
        ),
        "country": gettext_lazy("Two-letter ISO code or English name, e.g. UZ or Uzbekistan."),
        "website": gettext_lazy("Full address, e.g. https://example.org."),
        "iati_identifier": gettext_lazy(
            "IATI organisation identifier; without a name match, it finds the organisation."
        ),
        "iati_type": gettext_lazy("IATI organisation type code, e.g. 10 or 22."),
        "description": gettext_lazy("Free text."),
        "active": gettext_lazy("yes or no; yes when empty."),
    },
    Kind.PEOPLE: {
        "full_name": gettext_lazy("Full name."),
        "email": gettext_lazy("Email address; an existing person with it is updated."),
        "organisation": gettext_lazy("Name or acronym of an organisation in the directory."),
        "position": gettext_lazy("Position or job title."),
        "phone": gettext_lazy("Phone number."),
        "preferred_language": gettext_lazy("en, ru or uz; en when empty."),
        "mechanism_role": gettext_lazy("focal_point, alternate or member; member when empty."),
        "active": gettext_lazy("yes or no; yes when empty."),
    },
}
# The one example row of each downloadable template.
EXAMPLES: dict[str, tuple[str, ...]] = {
    Kind.ORGANISATIONS: (
        "Ministry of Internal Affairs",
        "Министерство внутренних дел",
        "Ichki ishlar vazirligi",
        "MIA",
        StakeholderGroup.MINISTRY,
        "",
        "UZ",
        "https://example.org",
        "",
        IatiOrganisationType.GOVERNMENT,
        "",
        "yes",
    ),
    Kind.PEOPLE: (
        "Jane Doe",
        "jane.doe@example.org",
        "MIA",
        "Head of unit",
        "+998 71 000 00 00",
        Language.ENGLISH,
        MechanismRole.FOCAL_POINT,
        "yes",
    ),
}
ROW_NUMBER = "_row"  # the key under which each stored row keeps its row number in the file

_TRUE = {"yes", "true", "1"}
_FALSE = {"no", "false", "0"}


def _choices(choices: type[models.TextChoices]) -> dict[str, str]:
    """Code or English label, in any letter case, to code."""
    with translation.override("en"):
        lookup = {str(label).casefold(): value for value, label in choices.choices}
    lookup.update({value.casefold(): value for value in choices.values})
    return lookup


def _choice(raw: str, lookup: Mapping[str, str], default: str = "") -> str:
    if not raw:
        return default
    return lookup.get(raw.casefold(), raw)


def _country(raw: str) -> str:
    if not raw:
        return ""
    return countries.alpha2(raw) or countries.by_name(raw, language="en") or raw


def _active(raw: str, result: RowResult) -> bool:
    value = raw.casefold()
    if value and value not in _TRUE | _FALSE:
        result.errors.append(
            _("Active: “%(value)s” is not one of yes, no, true, false, 1, 0.") % {"value": raw}
        )
    return value not in _FALSE


def _label(model: type[models.Model], name: str) -> str:
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(capfirst(getattr(model_field, "verbose_name", name)))


def _messages(model: type[models.Model], error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    found: list[str] = []
    for name, messages in error.message_dict.items():
        prefix = "" if name == NON_FIELD_ERRORS else f"{_label(model, name)}: "
        found.extend(f"{prefix}{message}" for message in messages)
    return found


def _display(model: type[models.Model], name: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "country":
        return str(countries.name(str(value)) or value)
    choices = getattr(model._meta.get_field(name), "flatchoices", None)
    return str(dict(choices).get(value, value)) if choices else str(value)


def organisation_export_row(organisation: Organisation) -> list[str]:
    """An organisation as a row of the import columns; its parent must be loaded with it."""
    parent = organisation.parent
    return [
        organisation.name,
        organisation.name_ru,
        organisation.name_uz,
        organisation.short_name,
        organisation.stakeholder_group,
        parent.name if parent is not None else "",
        str(organisation.country),
        organisation.website,
        organisation.iati_identifier,
        organisation.iati_type,
        organisation.description,
        _yes_no(organisation.is_active),
    ]


def person_export_row(person: Person, *, contact: bool) -> list[str]:
    """A person as a row of the import columns; without `contact`, email and phone stay blank."""
    organisation = person.organisation
    return [
        person.full_name,
        person.email if contact else "",
        organisation.name if organisation is not None else "",
        person.position,
        person.phone if contact else "",
        person.preferred_language,
        person.mechanism_role,
        _yes_no(person.is_active),
    ]


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
