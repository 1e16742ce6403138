"""Checking a batch against the current data: matching each row and working out its outcome."""

import copy
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from portal.lib.text import name_key
from stakeholders.imports.columns import (
    ORGANISATION_COLUMNS,
    PERSON_COLUMNS,
    ROW_NUMBER,
    _active,
    _choice,
    _choices,
    _country,
    _display,
    _label,
    _messages,
)
from stakeholders.imports.results import Change, Preview, RowRef, RowResult
from stakeholders.models import (
    IatiOrganisationType,
    ImportBatch,
    Language,
    MechanismRole,
    Organisation,
    Person,
    StakeholderGroup,
)


def import_batch_preview(batch: ImportBatch) -> Preview:
    """What confirming the batch would do now, row by row, against the current data."""
    from stakeholders.imports import kinds

    preview = Preview(rows=kinds.get(batch.kind).check(batch))
    if unknown := batch.summary.get("unknown_columns"):
        preview.warnings.append(
            _("These columns are not known and were ignored: %(names)s.")
            % {"names": ", ".join(unknown)}
        )
    return preview


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _named(names: Iterable[str]) -> Iterable[Organisation]:
    """The organisations called by one of `names` (the same name as the database sees it)."""
    keys = {name_key(name) for name in names}
    if not keys:
        return []
    return Organisation.objects.filter(name_key__in=keys).select_related("merged_into")


def _short_named(shorts: Iterable[str]) -> Iterable[Organisation]:
    """The organisations with one of the short names `shorts`, letter case aside.

    No stored column folds short names, and SQLite's LOWER folds only ASCII
    letters: the query asks for the lower- and the upper-case spelling (acronyms
    are mostly capitals), and the match is checked again in Python.
    """
    keys = {_key(short) for short in shorts} - {""}
    if not keys:
        return []
    variants = keys | {key.upper() for key in keys}
    found = (
        Organisation.objects.alias(short_lower=Lower("short_name"))
        .filter(short_lower__in=variants)
        .select_related("merged_into")
    )
    return [o for o in found if _key(o.short_name) in keys]


def _same(old: object, new: object) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old == new
    # Text read back from a spreadsheet may have lost the "\r" of a line break.
    return str(old or "").replace("\r\n", "\n") == str(new or "").replace("\r\n", "\n")


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

    Foreign keys and uniqueness are checked against the lookups loaded for the file
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
    """Checks rows of organisations against the organisations the file names, loaded once."""

    def __init__(self, records: list[dict[str, str]]) -> None:
        self.by_pk: dict[int, Organisation] = {}
        self.by_name: dict[str, Organisation] = {}
        self.by_iati: dict[str, Organisation] = {}
        self.by_short: dict[str, list[Organisation]] = defaultdict(list)
        self.parents: dict[int, int | None] = {}
        parents = [r["parent"] for r in records if r.get("parent")]
        names = [r["name"] for r in records if r.get("name")] + parents
        shorts = [r["short_name"] for r in records if r.get("short_name")] + parents
        iatis = {r["iati_identifier"] for r in records if r.get("iati_identifier")}
        self._add(_named(names))
        self._add(_short_named(shorts))
        if iatis:
            self._add(
                Organisation.objects.filter(iati_identifier__in=iatis).select_related("merged_into")
            )
        if parents:
            # The whole chain above each organisation, to see a parent that would make a loop.
            self._add_ancestors()
        self.groups = _choices(StakeholderGroup)
        self.iati_types = _choices(IatiOrganisationType)
        self.file_names: dict[str, RowResult] = {}
        self.file_shorts: dict[str, list[RowResult]] = defaultdict(list)

    def _add(self, organisations: Iterable[Organisation]) -> None:
        for organisation in organisations:
            if organisation.pk in self.by_pk:
                continue
            self.by_pk[organisation.pk] = organisation
            self.by_name[organisation.name_key] = organisation
            if organisation.iati_identifier:
                self.by_iati[organisation.iati_identifier] = organisation
            if organisation.short_name:
                self.by_short[_key(organisation.short_name)].append(organisation)
            self.parents[organisation.pk] = organisation.parent_id

    def _add_ancestors(self) -> None:
        """One query per level of the hierarchy, whatever the number of rows."""
        missing = {pk for pk in self.parents.values() if pk is not None} - set(self.by_pk)
        while missing:
            found = list(Organisation.objects.filter(pk__in=missing))
            self._add(found)
            missing = {o.parent_id for o in found if o.parent_id is not None} - set(self.by_pk)

    def check(self, records: list[dict[str, str]]) -> list[RowResult]:
        results = [self._match(record) for record in records]
        targets: dict[int, int] = {}
        identifiers: dict[str, int] = {}
        for result, record in zip(results, records, strict=True):
            key = name_key(record.get("name", ""))
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
        by_name = self.by_name.get(name_key(name)) if name else None
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
        key = name_key(text)
        nodes = {self._node(self.file_names[key])} if key in self.file_names else set()
        if key in self.by_name:
            nodes.add(self.by_name[key].pk)
        if not nodes:
            short = _key(text)
            nodes = {self._node(row) for row in self.file_shorts.get(short, [])}
            nodes |= {o.pk for o in self.by_short.get(short, [])}
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
                % {"name": target.name, "other": target.merged_into.name}
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


class OrganisationNames:
    """The organisations a file names, by full name (in English, Russian or Uzbek) or
    acronym, loaded in three queries."""

    def __init__(self, texts: Iterable[str]) -> None:
        names = [text for text in texts if text]
        spelled = {" ".join(name.split()) for name in names}
        local = (
            Organisation.objects.filter(
                Q(name_ru__in=spelled) | Q(name_uz__in=spelled)
            ).select_related("merged_into")
            if spelled
            else []
        )
        self.found = {o.pk: o for o in [*_named(names), *_short_named(names), *local]}
        self.by_name = {o.name_key: o for o in self.found.values()}
        self.by_short: dict[str, list[Organisation]] = defaultdict(list)
        self.by_local: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in self.found.values():
            if organisation.short_name:
                self.by_short[_key(organisation.short_name)].append(organisation)
            for name in {organisation.name_ru, organisation.name_uz} - {""}:
                self.by_local[_key(name)].append(organisation)

    def find(self, text: str, result: RowResult, label: str) -> Organisation | None:
        """The one organisation `text` names, or None with the row's error saying why."""
        key = name_key(text)
        found = [self.by_name[key]] if key in self.by_name else []
        found = found or self.by_short.get(_key(text), []) or self.by_local.get(_key(text), [])
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
        if organisation.merged_into is not None:
            result.errors.append(
                _("%(field)s: “%(name)s” has been merged into “%(other)s”.")
                % {
                    "field": label,
                    "name": organisation.name,
                    "other": organisation.merged_into.name,
                }
            )
        elif not organisation.is_active:
            result.warnings.append(
                _("%(field)s: “%(name)s” is inactive.")
                % {"field": label, "name": organisation.name}
            )
        return organisation


class _PersonRows:
    """Checks rows of people against the organisations and people the file names."""

    def __init__(self, records: list[dict[str, str]]) -> None:
        self.organisations = OrganisationNames(r.get("organisation", "") for r in records)
        organisations = self.organisations.found
        self.by_email: dict[str, Person] = {}
        self.without_email: dict[tuple[str, int | None], list[Person]] = defaultdict(list)
        emails = {r["email"].casefold() for r in records if r.get("email")}
        # Anonymised people are out of reach: nothing may bring their data back.
        people = Person.objects.filter(anonymised_at=None).select_related("organisation")
        if emails:
            # LOWER folds only ASCII letters on SQLite: addresses are checked again below.
            variants = emails | {r["email"].lower() for r in records if r.get("email")}
            found = people.alias(email_lower=Lower("email")).filter(email_lower__in=variants)
            for person in found.order_by("pk"):
                # Only one active person may hold an address; otherwise the latest one.
                email = person.email.casefold()
                current = self.by_email.get(email)
                if email in emails and (
                    current is None or person.is_active or not current.is_active
                ):
                    self.by_email[email] = person
        if organisations and any(not r.get("email") for r in records):
            without_email = people.filter(email="", organisation__in=organisations).order_by("pk")
            for someone in without_email:
                self.without_email[(_key(someone.full_name), someone.organisation_id)].append(
                    someone
                )
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
        return self.organisations.find(text, result, label)

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
            previous = target.organisation.name if target is not None and old is not None else ""
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


def check_organisations(batch: ImportBatch) -> list[RowResult]:
    return _OrganisationRows(batch.rows).check(batch.rows)


def check_people(batch: ImportBatch) -> list[RowResult]:
    return _PersonRows(batch.rows).check(batch.rows)
