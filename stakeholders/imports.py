"""Importing organisations and people from a file: read, preview, then apply all rows or none.

A batch keeps the file's rows from upload to confirmation. Its preview is worked
out again against the current data each time it is shown and once more when it
is confirmed; the writes themselves go through the directory's services.
"""

import copy
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from stakeholders import services
from stakeholders.models import (
    IatiOrganisationType,
    ImportBatch,
    Language,
    MechanismRole,
    Organisation,
    Person,
    StakeholderGroup,
)
from stakeholders.tabular import TableError, read_table

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


class Outcome(models.TextChoices):
    NEW = "new", gettext_lazy("New")
    UPDATE = "update", gettext_lazy("Update")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    ERROR = "error", gettext_lazy("Error")


@dataclass(frozen=True)
class RowRef:
    """The record another row of the same file creates."""

    number: int


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class RowResult:
    """What importing one row would do."""

    number: int
    key: str
    target: Any = None  # the existing Organisation or Person the row matches
    data: dict[str, Any] = field(default_factory=dict)  # the values to write
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        if self.errors:
            return Outcome.ERROR
        if self.target is None:
            return Outcome.NEW
        return Outcome.UPDATE if self.data else Outcome.UNCHANGED


@dataclass
class Preview:
    rows: list[RowResult]
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Outcome.values, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        counts["warning"] = sum(1 for row in self.rows if row.warnings)
        return counts

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)


class ImportRejected(Exception):
    """Confirming found errors: nothing was imported."""

    def __init__(self, preview: Preview) -> None:
        super().__init__("The import has errors.")
        self.preview = preview


def _require_secretariat(user: Any) -> None:
    if not getattr(user, "is_secretariat", False):
        raise PermissionDenied


def _column_name(header: str) -> str:
    return "_".join(header.casefold().split())


def import_batch_create(*, user: Any, kind: str, upload: UploadedFile) -> ImportBatch:
    """Read an uploaded file into a batch that awaits confirmation; TableError when unreadable."""
    _require_secretariat(user)
    table = read_table(upload)
    known = COLUMNS[kind]
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(table.header):
        name = _column_name(header)
        if not name:
            continue
        if name in positions:
            raise TableError(_("The column “%(name)s” appears twice.") % {"name": header})
        if name in known:
            positions[name] = index
        else:
            unknown.append(header)
    missing = [name for name in REQUIRED_COLUMNS[kind] if name not in positions]
    if missing:
        raise TableError(
            _("Required columns are missing: %(names)s.") % {"names": ", ".join(missing)}
        )
    rows = [
        {
            ROW_NUMBER: str(number),
            **{name: cells[i] if i < len(cells) else "" for name, i in positions.items()},
        }
        for number, cells in table.rows
    ]
    return ImportBatch.objects.create(
        kind=kind,
        file_name=os.path.basename(upload.name or "")[:255] or "upload",
        rows=rows,
        summary={"unknown_columns": unknown},
        uploaded_by=user,
    )


def import_batch_preview(batch: ImportBatch) -> Preview:
    """What confirming the batch would do now, row by row, against the current data."""
    checker = _OrganisationRows() if batch.kind == Kind.ORGANISATIONS else _PersonRows()
    preview = Preview(rows=checker.check(batch.rows))
    if unknown := batch.summary.get("unknown_columns"):
        preview.warnings.append(
            _("These columns are not known and were ignored: %(names)s.")
            % {"names": ", ".join(unknown)}
        )
    return preview


def import_batch_apply(*, user: Any, batch: ImportBatch) -> dict[str, int]:
    """Check the batch again and import all its rows, or none (ImportRejected)."""
    _require_secretariat(user)
    with transaction.atomic():
        # Claiming the batch first means two confirmations cannot both import it.
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
            status=ImportBatch.Status.APPLIED, applied_at=timezone.now()
        )
        if claimed != 1:
            raise ValidationError(_("This import has already been confirmed or discarded."))
        preview = import_batch_preview(batch)
        if preview.has_errors:
            raise ImportRejected(preview)
        if batch.kind == Kind.ORGANISATIONS:
            _apply_organisations(user, preview)
        else:
            _apply_people(user, preview)
        counts = preview.counts
        applied = {
            "created": counts[Outcome.NEW],
            "updated": counts[Outcome.UPDATE],
            "unchanged": counts[Outcome.UNCHANGED],
        }
        ImportBatch.objects.filter(pk=batch.pk).update(summary={**batch.summary, **applied})
    batch.refresh_from_db()
    return applied


def import_batch_discard(*, user: Any, batch: ImportBatch) -> None:
    """Drop a batch awaiting confirmation, and the personal data its rows hold."""
    _require_secretariat(user)
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        status=ImportBatch.Status.DISCARDED, rows=[]
    )
    if claimed != 1:
        raise ValidationError(_("This import has already been confirmed or discarded."))
    batch.refresh_from_db()


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


# Checking rows ---------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _same(old: object, new: object) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old == new
    # Text read back from a spreadsheet may have lost the "\r" of a line break.
    return str(old or "").replace("\r\n", "\n") == str(new or "").replace("\r\n", "\n")


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


def _compare(result: RowResult, model: type[models.Model], values: dict[str, Any]) -> None:
    """Keep in `result.data` only the values that differ from the matched record."""
    target = result.target
    for name, value in values.items():
        old = getattr(target, name) if target is not None else None
        if target is not None and _same(old, value):
            continue
        result.data[name] = value
        if target is not None or value not in ("", None):
            result.changes.append(
                Change(
                    _label(model, name), _display(model, name, old), _display(model, name, value)
                )
            )


def _clean(result: RowResult, model: type[models.Model], exclude: list[str]) -> None:
    """Run the model's validation on the record as the row would leave it.

    Foreign keys and uniqueness are checked against the preloaded lookups
    instead, so that a preview costs the same few queries for any number of rows.
    """
    candidate = copy.copy(result.target) if result.target is not None else model()
    for name, value in result.data.items():
        if name not in exclude:
            setattr(candidate, name, value)
    try:
        candidate.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        result.errors.extend(_messages(model, error))


class _OrganisationRows:
    """Checks rows of organisations against all organisations, loaded once."""

    def __init__(self) -> None:
        existing = list(Organisation.objects.order_by("pk"))
        self.by_pk = {o.pk: o for o in existing}
        self.by_name = {_key(o.name): o for o in existing}
        self.by_iati = {o.iati_identifier: o for o in existing if o.iati_identifier}
        self.by_short: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in existing:
            if organisation.short_name:
                self.by_short[_key(organisation.short_name)].append(organisation)
        self.groups = _choices(StakeholderGroup)
        self.iati_types = _choices(IatiOrganisationType)
        self.file_names: dict[str, RowResult] = {}
        self.file_shorts: dict[str, list[RowResult]] = defaultdict(list)
        self.parents: dict[int, int | None] = {o.pk: o.parent_id for o in existing}

    def check(self, records: list[dict[str, str]]) -> list[RowResult]:
        results = [self._match(record) for record in records]
        targets: dict[int, int] = {}
        identifiers: dict[str, int] = {}
        for result, record in zip(results, records, strict=True):
            key = _key(record.get("name", ""))
            iati = record.get("iati_identifier", "")
            if key in self.file_names:
                result.errors.append(
                    _("The name is also on row %(number)s.")
                    % {"number": self.file_names[key].number}
                )
                continue
            if iati in identifiers:
                result.errors.append(
                    _("The IATI identifier is also on row %(number)s.")
                    % {"number": identifiers[iati]}
                )
                continue
            if iati:
                identifiers[iati] = result.number
            if result.target is not None and result.target.pk in targets:
                result.errors.append(
                    _("Row %(number)s is already about this organisation.")
                    % {"number": targets[result.target.pk]}
                )
                continue
            if key:
                self.file_names[key] = result
            if result.target is not None:
                targets[result.target.pk] = result.number
            if short := _key(record.get("short_name", "")):
                self.file_shorts[short].append(result)
        # Parents may point at rows further down, so all rows are matched first.
        planned = {
            result.number: self._parent(record["parent"], result)
            for result, record in zip(results, records, strict=True)
            if "parent" in record
        }
        for result in results:
            if result.number in planned:
                self.parents[self._node(result)] = planned[result.number]
        by_number = {result.number: result for result in results}
        for result, record in zip(results, records, strict=True):
            if result.number in planned:
                self._check_parent(result, planned[result.number], by_number)
            self._check_values(result, record)
        return results

    def _node(self, result: RowResult) -> int:
        """An organisation of the import: its id, or minus the row number when it is new."""
        return result.target.pk if result.target is not None else -result.number

    def _match(self, record: dict[str, str]) -> RowResult:
        name = record.get("name", "")
        result = RowResult(number=int(record[ROW_NUMBER]), key=name)
        by_name = self.by_name.get(_key(name)) if name else None
        iati = record.get("iati_identifier", "")
        by_iati = self.by_iati.get(iati) if iati else None
        if by_name is not None and by_iati is not None and by_name != by_iati:
            result.errors.append(
                _(
                    "Duplicate against the database: the name is that of “%(name)s”, "
                    "the IATI identifier that of “%(other)s”."
                )
                % {"name": by_name.name, "other": by_iati.name}
            )
        result.target = by_name or by_iati
        return result

    def _parent(self, text: str, result: RowResult) -> int | None:
        """The node the row names as its parent: a name first, else a short name."""
        if not text:
            return None
        key = _key(text)
        nodes = {self._node(self.file_names[key])} if key in self.file_names else set()
        if key in self.by_name:
            nodes.add(self.by_name[key].pk)
        if not nodes:
            nodes = {self._node(row) for row in self.file_shorts.get(key, [])}
            nodes |= {o.pk for o in self.by_short.get(key, [])}
        if len(nodes) == 1:
            return nodes.pop()
        if nodes:
            message = _("Parent: “%(name)s” could be several organisations; use the full name.")
        else:
            message = _("Parent: no organisation is called “%(name)s”.")
        result.errors.append(message % {"name": text})
        return None

    def _check_parent(
        self, result: RowResult, parent: int | None, by_number: dict[int, RowResult]
    ) -> None:
        node = self._node(result)
        seen, current = {node}, parent
        while current is not None and current not in seen:
            seen.add(current)
            current = self.parents.get(current)
        if current == node:
            result.errors.append(_("Parent: an organisation cannot sit under itself or its units."))
        target = result.target
        old = target.parent_id if target is not None else None
        if parent == old:
            return
        value: Organisation | RowRef | None = None
        shown = ""
        if parent is not None and parent > 0:
            value = self.by_pk[parent]
            shown = value.name
        elif parent is not None:
            value = RowRef(-parent)
            shown = _("%(name)s (row %(number)s)") % {
                "name": by_number[-parent].key,
                "number": -parent,
            }
        result.data["parent"] = value
        previous = self.by_pk[old].name if old is not None else ""
        result.changes.append(Change(_label(Organisation, "parent"), previous, shown))

    def _check_values(self, result: RowResult, record: dict[str, str]) -> None:
        values: dict[str, Any] = {}
        for name in ORGANISATION_COLUMNS:
            if name not in record or name == "parent":
                continue
            raw = record[name]
            if name == "stakeholder_group":
                values[name] = _choice(raw, self.groups)
            elif name == "iati_type":
                values[name] = _choice(raw, self.iati_types)
            elif name == "country":
                values[name] = _country(raw)
            elif name == "active":
                values["is_active"] = _active(raw, result)
            else:
                values[name] = raw
        _compare(result, Organisation, values)
        _clean(result, Organisation, exclude=["parent", "merged_into"])

        target = result.target
        if target is not None and target.merged_into_id and result.data:
            result.errors.append(
                _("“%(name)s” has been merged into “%(other)s”; import into that one instead.")
                % {"name": target.name, "other": self.by_pk[target.merged_into_id].name}
            )
        if short := _key(record.get("short_name", "")):
            node = self._node(result)
            others = {o.name for o in self.by_short.get(short, []) if o.pk != node}
            others |= {r.key for r in self.file_shorts.get(short, []) if self._node(r) != node}
            if others:
                result.warnings.append(
                    _("The short name “%(short)s” is also used by %(names)s.")
                    % {"short": record["short_name"], "names": ", ".join(sorted(others))}
                )


class _PersonRows:
    """Checks rows of people against all organisations and people, loaded once."""

    def __init__(self) -> None:
        organisations = list(Organisation.objects.order_by("pk"))
        self.organisations = {o.pk: o for o in organisations}
        self.organisation_names = {_key(o.name): o for o in organisations}
        self.organisation_shorts: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in organisations:
            if organisation.short_name:
                self.organisation_shorts[_key(organisation.short_name)].append(organisation)
        self.by_email: dict[str, Person] = {}
        self.without_email: dict[tuple[str, int | None], list[Person]] = defaultdict(list)
        # Anonymised people are out of reach: nothing may bring their data back.
        for person in Person.objects.filter(anonymised_at=None).order_by("pk"):
            if not person.email:
                self.without_email[(_key(person.full_name), person.organisation_id)].append(person)
                continue
            # Only one active person may hold an address; otherwise the latest one.
            email = person.email.casefold()
            current = self.by_email.get(email)
            if current is None or person.is_active or not current.is_active:
                self.by_email[email] = person
        self.languages = _choices(Language)
        self.roles = _choices(MechanismRole)

    def check(self, records: list[dict[str, str]]) -> list[RowResult]:
        emails: dict[str, int] = {}
        names: dict[tuple[str, int], int] = {}
        targets: dict[int, int] = {}
        results = []
        for record in records:
            full_name, email = record.get("full_name", ""), record.get("email", "")
            result = RowResult(
                number=int(record[ROW_NUMBER]),
                key=f"{full_name} <{email}>" if email else full_name,
            )
            organisation = self._organisation(record.get("organisation", ""), result)
            self._match(result, full_name, email, organisation)
            if email and email.casefold() in emails:
                result.errors.append(
                    _("The email address is also on row %(number)s.")
                    % {"number": emails[email.casefold()]}
                )
            elif not email and organisation is not None:
                name = (_key(full_name), organisation.pk)
                if name in names:
                    result.errors.append(
                        _("Row %(number)s has the same person, and neither has an email address.")
                        % {"number": names[name]}
                    )
                names.setdefault(name, result.number)
            elif result.target is not None and result.target.pk in targets:
                result.errors.append(
                    _("Row %(number)s is already about this person.")
                    % {"number": targets[result.target.pk]}
                )
            if email:
                emails.setdefault(email.casefold(), result.number)
            if result.target is not None:
                targets.setdefault(result.target.pk, result.number)
            self._check_values(result, record, organisation)
            results.append(result)
        return results

    def _organisation(self, text: str, result: RowResult) -> Organisation | None:
        label = _label(Person, "organisation")
        if not text:
            result.errors.append(_("%(field)s: this column is required.") % {"field": label})
            return None
        key = _key(text)
        found = [self.organisation_names[key]] if key in self.organisation_names else []
        found = found or self.organisation_shorts.get(key, [])
        if len(found) != 1:
            if found:
                message = _(
                    "%(field)s: “%(name)s” could be several organisations; use the full name."
                )
            else:
                message = _("%(field)s: no organisation is called “%(name)s”.")
            result.errors.append(message % {"field": label, "name": text})
            return None
        organisation = found[0]
        if organisation.merged_into_id:
            result.errors.append(
                _("%(field)s: “%(name)s” has been merged into “%(other)s”.")
                % {
                    "field": label,
                    "name": organisation.name,
                    "other": self.organisations[organisation.merged_into_id].name,
                }
            )
        elif not organisation.is_active:
            result.warnings.append(
                _("%(field)s: “%(name)s” is inactive.")
                % {"field": label, "name": organisation.name}
            )
        return organisation

    def _match(
        self, result: RowResult, full_name: str, email: str, organisation: Organisation | None
    ) -> None:
        """A person is found by email; one without an email by name within the organisation."""
        if email:
            result.target = self.by_email.get(email.casefold())
        elif organisation is not None:
            matches = self.without_email.get((_key(full_name), organisation.pk), [])
            if len(matches) > 1:
                result.errors.append(
                    _("Several people of this name have no email address here; add theirs.")
                )
            elif matches:
                result.target = matches[0]

    def _check_values(
        self, result: RowResult, record: dict[str, str], organisation: Organisation | None
    ) -> None:
        target = result.target
        old = target.organisation_id if target is not None else None
        if organisation is not None and organisation.pk != old:
            result.data["organisation"] = organisation
            previous = self.organisations[old].name if old is not None else ""
            result.changes.append(
                Change(_label(Person, "organisation"), previous, organisation.name)
            )
        values: dict[str, Any] = {}
        for name in PERSON_COLUMNS:
            if name not in record or name == "organisation":
                continue
            raw = record[name]
            if name == "preferred_language":
                values[name] = _choice(raw, self.languages, Language.ENGLISH)
            elif name == "mechanism_role":
                values[name] = _choice(raw, self.roles, MechanismRole.MEMBER)
            elif name == "active":
                values["is_active"] = _active(raw, result)
            else:
                values[name] = raw
        _compare(result, Person, values)
        _clean(result, Person, exclude=["organisation"])


# Applying --------------------------------------------------------------------


def _write(result: RowResult, model: type[models.Model], service: Any, **kwargs: Any) -> Any:
    """Call one service; a refusal is put on the row, and the caller rejects the import."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        result.errors.extend(_messages(model, error))
    except IntegrityError:
        result.errors.append(_("Someone changed the same record meanwhile. Check the file again."))
    return None


def _parents_first(rows: Iterable[RowResult]) -> list[RowResult]:
    by_number = {row.number: row for row in rows}
    ordered: list[RowResult] = []
    placed: set[int] = set()
    for row in by_number.values():
        chain: list[RowResult] = []
        current: RowResult | None = row
        while current is not None and current.number not in placed and current not in chain:
            chain.append(current)
            parent = current.data.get("parent")
            current = by_number.get(parent.number) if isinstance(parent, RowRef) else None
        for item in reversed(chain):
            placed.add(item.number)
            ordered.append(item)
    return ordered


def _apply_organisations(user: Any, preview: Preview) -> None:
    saved: dict[int, Organisation] = {}
    for result in _parents_first(preview.rows):
        data = dict(result.data)
        if isinstance(data.get("parent"), RowRef):
            data["parent"] = saved[data["parent"].number]
        organisation = result.target
        if result.outcome == Outcome.NEW:
            organisation = _write(
                result, Organisation, services.organisation_create, user=user, data=data
            )
        elif result.outcome == Outcome.UPDATE:
            _write(
                result,
                Organisation,
                services.organisation_update,
                user=user,
                organisation=organisation,
                data=data,
            )
        if result.errors:
            raise ImportRejected(preview)
        saved[result.number] = organisation


def _apply_people(user: Any, preview: Preview) -> None:
    for result in preview.rows:
        if result.outcome == Outcome.NEW:
            _write(result, Person, services.person_create, user=user, data=result.data)
        elif result.outcome == Outcome.UPDATE:
            _write(
                result,
                Person,
                services.person_update,
                user=user,
                person=result.target,
                data=result.data,
            )
        if result.errors:
            raise ImportRejected(preview)
