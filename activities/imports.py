"""Importing activities from a partner's own spreadsheet, as drafts of the importer's organisation.

The template's headers come in English, Russian or Uzbek, and a file may use any of them;
values are the codes of the vocabularies, or their labels in one of the three languages.
The batch goes through the directory's import: a preview row by row, then all rows or none.
A row whose own reference the lead organisation already used is left out, so a sheet that
grows can be uploaded again. Participants are counted on each activity's page afterwards.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from activities import permissions, services
from activities.models import (
    Activity,
    ActivityModality,
    ActivityStatus,
    ActivityType,
    Award,
    LocationKind,
    Pillar,
    Region,
    TargetGroup,
)
from activities.services import Place
from portal.lib.personal_data import describe, find_personal_data
from portal.lib.sensitivity import Label
from stakeholders.imports import ImportKind, OrganisationNames, register
from stakeholders.imports.apply import WriteRefused, chunks
from stakeholders.imports.columns import ROW_NUMBER
from stakeholders.imports.kinds import Progress, column_name
from stakeholders.imports.results import Change, Outcome, Preview, RowResult
from stakeholders.models import ImportBatch, Organisation, User

# Each column, and its header in the reader's language.
HEADERS: dict[str, Any] = {
    "external_id": gettext_lazy("Own reference"),
    "title": gettext_lazy("Title"),
    "type": gettext_lazy("Type"),
    "pillar": gettext_lazy("Pillar"),
    "other_pillars": gettext_lazy("Other pillars"),
    "target_groups": gettext_lazy("Target groups"),
    "lead_organisation": gettext_lazy("Lead organisation"),
    "status": gettext_lazy("Status"),
    "planned_start": gettext_lazy("Planned start"),
    "planned_end": gettext_lazy("Planned end"),
    "actual_start": gettext_lazy("Actual start"),
    "actual_end": gettext_lazy("Actual end"),
    "locations": gettext_lazy("Locations"),
    "modality": gettext_lazy("Modality"),
    "budget": gettext_lazy("Budget"),
    "currency": gettext_lazy("Currency"),
    "award": gettext_lazy("Funding award"),
    "description": gettext_lazy("Description"),
    "outcome_summary": gettext_lazy("Outcome summary"),
    "label": gettext_lazy("Sensitivity"),
}
COLUMNS = tuple(HEADERS)
REQUIRED = ("title", "type", "pillar", "planned_start", "planned_end", "locations")
HELP: dict[str, Any] = {
    "external_id": gettext_lazy(
        "Your own reference, if any. A row whose reference your organisation already used "
        "is left out, so the same sheet can be uploaded again as it grows."
    ),
    "title": gettext_lazy("What the activity is, in a line."),
    "type": gettext_lazy(
        "Code or name in any of the three languages: training, training_of_trainers, "
        "study_visit, workshop, conference, awareness_campaign, legal_policy_drafting, "
        "research_assessment, technical_assistance or victim_services_support."
    ),
    "pillar": gettext_lazy(
        "prevention, protection, prosecution or partnership, or the pillar's name."
    ),
    "other_pillars": gettext_lazy("Codes separated by semicolons."),
    "target_groups": gettext_lazy(
        "Codes separated by semicolons, e.g. police; airport_transport_staff."
    ),
    "lead_organisation": gettext_lazy(
        "Name (in any of the three languages) or acronym. A partner's own organisation when "
        "empty; partners import their own organisation's activities only, the secretariat "
        "names the lead of each."
    ),
    "status": gettext_lazy(
        "planned, ongoing, completed, postponed or cancelled; planned when empty."
    ),
    "planned_start": gettext_lazy("Date as 2023-11-06 or 06.11.2023."),
    "planned_end": gettext_lazy("Date, not before the planned start."),
    "actual_start": gettext_lazy("Only for an ongoing or completed activity."),
    "actual_end": gettext_lazy("Only for an ongoing or completed activity."),
    "locations": gettext_lazy(
        "Region codes of ISO 3166-2:UZ (UZ-BU for Bukhara) or region names, national for "
        "the whole country, or countries abroad by code (TR) or name; separated by "
        "semicolons."
    ),
    "modality": gettext_lazy("in_person, online or hybrid; in_person when empty."),
    "budget": gettext_lazy("An amount, e.g. 12500, 12 500.50 or 12,500.50."),
    "currency": gettext_lazy("Three letters, such as USD or UZS; needed with a budget."),
    "award": gettext_lazy("The number of the funding award, as on the awards page."),
    "description": gettext_lazy("Free text, without personal data."),
    "outcome_summary": gettext_lazy("Free text, without personal data."),
    "label": gettext_lazy("clear, green or amber; amber when empty."),
}
EXAMPLE = (
    "IOM-2023-017",
    gettext_lazy("Training for airport staff on identifying victims"),
    ActivityType.TRAINING.value,
    Pillar.PROTECTION.value,
    Pillar.PREVENTION.value,
    TargetGroup.AIRPORT_TRANSPORT_STAFF.value,
    "",
    ActivityStatus.PLANNED.value,
    "2023-11-14",
    "2023-11-15",
    "",
    "",
    "UZ-BU; UZ-FA; UZ-NG",
    ActivityModality.IN_PERSON.value,
    "12500",
    "USD",
    "",
    "",
    "",
    Label.AMBER.value,
)
_SEPARATORS = re.compile(r"[;,\n]+")
_DOTTED = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_EMPTY = gettext_lazy("%(field)s: required, and this cell is empty.")
# Free texts the personal-data guard reads.
_GUARDED = ("title", "description", "outcome_summary")
# Rows written between two progress reports.
_CHUNK = 50


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# Uzbek Latin is typed with any of these for its ʻ and ʼ.
_APOSTROPHES = str.maketrans(dict.fromkeys("'`\u2018\u2019\u02bb\u02bc\u00b4", ""))


def _key(text: str) -> str:
    """A header or a value as looked up: letter case, spacing and apostrophes aside."""
    return column_name(text).translate(_APOSTROPHES)


@cache
def _header_lookup() -> dict[str, str]:
    lookup = {_key(name): name for name in COLUMNS}
    for language in _languages():
        with translation.override(language):
            lookup.update({_key(str(header)): name for name, header in HEADERS.items()})
    return lookup


def header_column(header: str) -> str:
    """A header in any of the three languages, or a column's code, as its column."""
    return _header_lookup().get(_key(header), column_name(header))


def template_header(language: str) -> list[str]:
    with translation.override(language):
        return [str(capfirst(str(HEADERS[name]))) for name in COLUMNS]


@cache
def _choices(choices: type[models.TextChoices]) -> dict[str, str]:
    """Code, or label in any of the portal's languages, in any letter case, to code."""
    lookup: dict[str, str] = {}
    for language in _languages():
        with translation.override(language):
            lookup.update({_key(str(label)): value for value, label in choices.choices})
    lookup.update({_key(value): value for value in choices.values})
    return lookup


def _accepted(choices: type[models.TextChoices]) -> str:
    """The codes, each with its name in the reader's language."""
    return ", ".join(f"{value} ({label})" for value, label in choices.choices)


def _words(raw: str) -> list[str]:
    return [word.strip() for word in _SEPARATORS.split(raw) if word.strip()]


class _Rows:
    """Checks rows of activities against what the file names, loaded in a few queries."""

    def __init__(self, batch: ImportBatch) -> None:
        self.uploader = batch.uploaded_by
        person = self.uploader.person
        self.own_id = person.organisation_id if person is not None else None
        records = batch.rows
        self.organisations = OrganisationNames(r.get("lead_organisation", "") for r in records)
        numbers = {r["award"].strip().casefold() for r in records if r.get("award", "").strip()}
        self.awards: dict[str, Award] = {}
        if numbers:
            for award in Award.objects.select_related("donor"):
                if award.number.casefold() in numbers:
                    self.awards[award.number.casefold()] = award
        self.own = Organisation.objects.filter(pk=self.own_id).first() if self.own_id else None
        leads = {o.pk for o in self.organisations.found.values()} | {self.own_id or 0}
        references = {r["external_id"].strip() for r in records if r.get("external_id", "").strip()}
        self.existing: dict[tuple[int, str], Activity] = {}
        if references:
            found = Activity.objects.filter(
                lead_organisation__in=leads, external_id__in=references
            ).only("pk", "code", "title", "lead_organisation_id", "external_id")
            self.existing = {(a.lead_organisation_id, a.external_id): a for a in found}
        # Activities the leads already have starting on a day the file names, to warn of
        # a row that looks like one of them.
        starts = {day for r in records if (day := _start(r.get("planned_start", ""))) is not None}
        self.alike: dict[tuple[int, str, date], str] = {}
        if starts:
            for lead_id, title, start, code in Activity.objects.filter(
                lead_organisation__in=leads, planned_start__in=starts
            ).values_list("lead_organisation_id", "title", "planned_start", "code"):
                self.alike.setdefault((lead_id, _key(title), start), code)

    def check(self, records: list[dict[str, str]]) -> list[RowResult]:
        seen: dict[tuple[int, str], int] = {}
        alike: dict[tuple[int, str, date], int] = {}
        results = []
        for record in records:
            title = record.get("title", "").strip()
            result = RowResult(number=int(record[ROW_NUMBER]), key=title)
            lead = self._lead(record.get("lead_organisation", "").strip(), result)
            reference = record.get("external_id", "").strip()
            if lead is not None and reference:
                if existing := self.existing.get((lead.pk, reference)):
                    result.target = existing
                    result.key = f"{existing.code} {existing.title}"
                    result.warnings.append(
                        _("Already in the portal as %(code)s: left as it is; edit it there.")
                        % {"code": existing.code}
                    )
                    results.append(result)
                    continue
                if (lead.pk, reference) in seen:
                    result.errors.append(
                        _("Row %(number)s has the same own reference.")
                        % {"number": seen[(lead.pk, reference)]}
                    )
                seen.setdefault((lead.pk, reference), result.number)
            if _is_example(record):
                result.errors.append(
                    _("This is the template's example row: delete it, or write your own.")
                )
            self._values(result, record, lead)
            self._alike(result, lead, reference, alike)
            results.append(result)
        return results

    def _alike(
        self,
        result: RowResult,
        lead: Organisation | None,
        reference: str,
        in_file: dict[tuple[int, str, date], int],
    ) -> None:
        """Warn of a row that looks like an activity already there, or like another row:
        the same lead organisation, title and planned start."""
        start = result.data.get("fields", {}).get("planned_start") if result.data else None
        if lead is None or start is None or reference:
            return
        key = (lead.pk, _key(result.key), start)
        if code := self.alike.get(key):
            result.warnings.append(
                _(
                    "%(code)s has the same title and planned start: check that this is "
                    "not the same activity."
                )
                % {"code": code}
            )
        if key in in_file:
            result.warnings.append(
                _("Row %(number)s has the same title and planned start.") % {"number": in_file[key]}
            )
        in_file.setdefault(key, result.number)

    def _lead(self, text: str, result: RowResult) -> Organisation | None:
        label = str(capfirst(HEADERS["lead_organisation"]))
        if not text:
            # A partner's own; the secretariat imports for others, so names each.
            if self.own is None or permissions.can_review_activities(self.uploader):
                result.errors.append(
                    _("%(field)s: say which organisation leads it.") % {"field": label}
                )
                return None
            return self.own
        organisation = self.organisations.find(text, result, label)
        if organisation is not None and not permissions.may_lead(self.uploader, organisation.pk):
            result.errors.append(
                _("%(field)s: you import activities of your own organisation only.")
                % {"field": label}
            )
            return None
        return organisation

    def _values(self, result: RowResult, record: dict[str, str], lead: Organisation | None) -> None:
        errors = result.errors
        data: dict[str, Any] = {
            "title": record.get("title", "").strip(),
            "external_id": record.get("external_id", "").strip(),
            "description": record.get("description", "").strip(),
            "outcome_summary": record.get("outcome_summary", "").strip(),
            "lead_organisation": lead,
        }
        if not data["title"]:
            errors.append(_EMPTY % {"field": _field("title")})
        data["type"] = self._choice(record, "type", ActivityType, errors)
        data["primary_pillar"] = self._choice(record, "pillar", Pillar, errors)
        data["status"] = self._choice(record, "status", ActivityStatus, errors, "planned")
        data["modality"] = self._choice(record, "modality", ActivityModality, errors, "in_person")
        label = self._choice(record, "label", Label, errors, Label.AMBER, strip_tlp=True)
        if label == Label.RED:
            errors.append(
                _(
                    "%(field)s: red names the people who may read it; choose them on the "
                    "activity's page after the import."
                )
                % {"field": _field("label")}
            )
        data["label"] = label
        data["other_pillars"] = self._many(record, "other_pillars", Pillar, errors)
        data["target_groups"] = self._many(record, "target_groups", TargetGroup, errors)
        for name in ("planned_start", "planned_end", "actual_start", "actual_end"):
            data[name] = _date(record.get(name, ""), name, errors)
        data["budget"] = _amount(record.get("budget", ""), errors)
        data["currency"] = record.get("currency", "").strip().upper()
        if data["currency"] and (len(data["currency"]) != 3 or not data["currency"].isalpha()):
            errors.append(
                _("%(field)s: three letters, such as USD or UZS.") % {"field": _field("currency")}
            )
        award_number = record.get("award", "").strip()
        data["award"] = None
        if award_number:
            data["award"] = self.awards.get(award_number.casefold())
            if data["award"] is None:
                errors.append(
                    _("%(field)s: no award has the number “%(number)s”.")
                    % {"field": _field("award"), "number": award_number}
                )
        places = _places(record.get("locations", ""), errors)
        for name in _GUARDED:
            if findings := find_personal_data(data[name]):
                errors.append(
                    _(
                        "%(field)s: this looks like personal data (%(found)s). The portal holds "
                        "coordination data only: remove it, or write in general terms."
                    )
                    % {"field": _field(name), "found": describe(findings)}
                )
        if not errors:
            candidate = Activity(
                **{k: v for k, v in data.items() if k != "lead_organisation"}, code="pending"
            )
            try:
                candidate.full_clean(
                    exclude=["code", "lead_organisation", "award", "meeting"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                errors.extend(_messages(error))
        result.data = {"fields": data, "places": places}
        for name, value in data.items():
            if value not in ("", None, []):
                result.changes.append(Change(_field(name), "", _display(name, value)))
        if places:
            result.changes.append(
                Change(_field("locations"), "", ", ".join(_place_text(p) for p in places))
            )

    def _choice(
        self,
        record: dict[str, str],
        column: str,
        choices: type[models.TextChoices],
        errors: list[str],
        default: str = "",
        *,
        strip_tlp: bool = False,
    ) -> str:
        raw = record.get(column, "").strip()
        if strip_tlp and raw.upper().startswith("TLP:"):
            raw = raw[4:]
        if not raw:
            if not default and column in REQUIRED:
                errors.append(_EMPTY % {"field": _field(column)})
            return default
        value = _choices(choices).get(_key(raw))
        if value is None:
            errors.append(
                _("%(field)s: “%(value)s” is not one of %(codes)s.")
                % {"field": _field(column), "value": raw, "codes": _accepted(choices)}
            )
            return default
        return value

    def _many(
        self,
        record: dict[str, str],
        column: str,
        choices: type[models.TextChoices],
        errors: list[str],
    ) -> list[str]:
        lookup = _choices(choices)
        values: list[str] = []
        for word in _words(record.get(column, "")):
            value = lookup.get(_key(word))
            if value is None:
                errors.append(
                    _("%(field)s: “%(value)s” is not one of %(codes)s.")
                    % {"field": _field(column), "value": word, "codes": _accepted(choices)}
                )
            elif value not in values:
                values.append(value)
        return values


def _messages(error: ValidationError) -> list[str]:
    """A refusal's messages, each after the name of its column as the template has it."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    found: list[str] = []
    for name, messages in error.message_dict.items():
        column = "pillar" if name == "primary_pillar" else name
        prefix = f"{_field(column)}: " if column in HEADERS else ""
        found.extend(f"{prefix}{message}" for message in messages)
    return found


def _is_example(record: dict[str, str]) -> bool:
    """Whether a row is the template's example, left in (in any of the three languages)."""
    reference, title = record.get("external_id", "").strip(), record.get("title", "").strip()
    if reference != EXAMPLE[0]:
        return False
    titles = set()
    for language in _languages():
        with translation.override(language):
            titles.add(str(EXAMPLE[1]))
    return title in titles


def _field(name: str) -> str:
    return str(capfirst(HEADERS["pillar" if name == "primary_pillar" else name]))


def _parse_date(raw: str) -> date:
    """A date as 2023-11-06, 06.11.2023 or a spreadsheet's date cell; ValueError otherwise."""
    if match := _DOTTED.fullmatch(raw):
        number, month, year = map(int, match.groups())
        return date(year, month, number)
    if len(raw) > 10 and raw[10] in "T ":
        # A spreadsheet's date cell reads as a date and a time: the date is what counts.
        return datetime.fromisoformat(raw).date()
    return date.fromisoformat(raw)


def _start(raw: str) -> date | None:
    try:
        return _parse_date(raw.strip())
    except ValueError:
        return None


def _date(raw: str, name: str, errors: list[str]) -> date | None:
    raw = raw.strip()
    if not raw:
        if name in REQUIRED:
            errors.append(_EMPTY % {"field": _field(name)})
        return None
    try:
        return _parse_date(raw)
    except ValueError:
        pass
    if _DOTTED.fullmatch(raw) or _ISO.fullmatch(raw):
        errors.append(
            _("%(field)s: “%(value)s” is not a day of the calendar.")
            % {"field": _field(name), "value": raw}
        )
    else:
        errors.append(
            _("%(field)s: “%(value)s” is not a date; write it as 2023-11-06 or 06.11.2023.")
            % {"field": _field(name), "value": raw}
        )
    return None


def _amount(raw: str, errors: list[str]) -> Decimal | None:
    text = "".join(raw.split()).replace("\u00a0", "").replace("'", "")
    if not text:
        return None
    if "," in text and "." in text:
        # 12,500.50 or 12.500,50: the last of the two marks the decimals.
        thousands = "," if text.rindex(",") < text.rindex(".") else "."
        text = text.replace(thousands, "").replace(",", ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        errors.append(
            _("%(field)s: “%(value)s” is not an amount of zero or more.")
            % {"field": _field("budget"), "value": raw.strip()}
        )
        return None
    return amount.quantize(Decimal("0.01"))


def _places(raw: str, errors: list[str]) -> list[Place]:
    places: list[Place] = []
    regions = _choices(Region)
    national = _choices(LocationKind)
    for word in _words(raw):
        key = _key(word)
        if key in regions:
            place = Place(kind=LocationKind.REGION, region=regions[key])
        elif national.get(key) == LocationKind.NATIONAL:
            place = Place(kind=LocationKind.NATIONAL)
        elif word.upper().startswith("UZ-"):
            errors.append(
                _("%(field)s: “%(value)s” is not a region code of Uzbekistan (ISO 3166-2:UZ).")
                % {"field": _field("locations"), "value": word}
            )
            continue
        elif (code := _country(word)) and code != "UZ":
            place = Place(kind=LocationKind.COUNTRY, country=code)
        else:
            errors.append(
                _(
                    "%(field)s: “%(value)s” is not a region code such as UZ-BU, national, "
                    "or a country code such as TR."
                )
                % {"field": _field("locations"), "value": word}
            )
            continue
        if place not in places:
            places.append(place)
    if not places and not any(_field("locations") in e for e in errors):
        errors.append(_EMPTY % {"field": _field("locations")})
    return places


def _country(word: str) -> str:
    """A two-letter code, or a country's name in one of the portal's languages."""
    found = countries.alpha2(word)
    for language in _languages():
        if found:
            break
        name = countries.by_name(word, language=language)
        found = name if isinstance(name, str) else ""
    return found or ""


def _place_text(place: Place) -> str:
    if place.kind == LocationKind.REGION:
        return str(Region(place.region).label)
    if place.kind == LocationKind.NATIONAL:
        return str(LocationKind.NATIONAL.label)
    return str(countries.name(place.country))


def _display(name: str, value: object) -> str:
    if isinstance(value, Organisation | Award):
        return str(value)
    if isinstance(value, list):
        vocabulary = Pillar if name == "other_pillars" else TargetGroup
        return ", ".join(str(vocabulary(code).label) for code in value)
    if isinstance(value, date):
        return value.isoformat()
    choices = {
        "type": ActivityType,
        "primary_pillar": Pillar,
        "status": ActivityStatus,
        "modality": ActivityModality,
        "label": Label,
    }
    if name in choices:
        return str(choices[name](value).label)
    return str(value)


def check(batch: ImportBatch) -> list[RowResult]:
    return _Rows(batch).check(batch.rows)


def write(user: User, preview: Preview, progress: Progress, reason: str) -> None:
    """Create each new row's activity as a draft, through the service that logs one by hand."""
    rows = [row for row in preview.rows if row.outcome == Outcome.NEW]
    done = len(preview.rows) - len(rows)
    errors: list[str] = []
    for chunk in chunks(rows, size=_CHUNK):
        for row in chunk:
            try:
                services.activity_create(
                    user=user, data=dict(row.data["fields"]), places=row.data["places"]
                )
            except ValidationError as error:
                errors.extend(
                    _("Row %(number)s: %(error)s") % {"number": row.number, "error": message}
                    for message in _messages(error)
                )
            except PermissionDenied:
                errors.append(
                    _("Row %(number)s: you may not log this activity.") % {"number": row.number}
                )
        done += len(chunk)
        progress(done)
    if errors:
        raise WriteRefused(errors)


def may_import(user: User) -> bool:
    return permissions.can_create_activity(user)


register(
    ImportKind(
        kind=ImportBatch.Kind.ACTIVITIES,
        title=gettext_lazy("Import activities"),
        list_title=gettext_lazy("Activities"),
        list_url_name="activities:activity_list",
        done_label=gettext_lazy("See the drafts"),
        updates=False,
        done_note=gettext_lazy(
            "The activities are drafts: complete each (participants, evidence) and submit it "
            "for review."
        ),
        done_query="?review=draft",
        key_label=gettext_lazy("Activity"),
        columns=COLUMNS,
        required=REQUIRED,
        help=HELP,
        example=EXAMPLE,
        may_import=may_import,
        check=check,
        write=write,
        header_column=header_column,
        template_header=template_header,
        notes=(
            gettext_lazy(
                "Headers may be in English, Russian or Uzbek, as in the templates. Each row "
                "becomes a draft of its lead organisation, to complete and submit for review."
            ),
            gettext_lazy(
                "Participants are counted on each activity's page when reporting, as numbers only."
            ),
        ),
    )
)
