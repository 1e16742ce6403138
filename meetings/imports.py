"""Importing a year's list of framework references: the measures of a National Action Plan
or the recommendations of a TIP Report, one per row, in the three languages.

A row whose framework, year and number are already listed updates its texts; others are
added. The secretariat's; it goes through the directory's preview and all-or-nothing import.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import permissions
from meetings.models import FrameworkKind, FrameworkReference
from meetings.services.frameworks import framework_reference_save
from stakeholders.imports import ImportKind, register
from stakeholders.imports.apply import WriteRefused, chunks
from stakeholders.imports.columns import ROW_NUMBER, _messages
from stakeholders.imports.kinds import Progress
from stakeholders.imports.results import Change, Outcome, Preview, RowResult
from stakeholders.models import ImportBatch, User

COLUMNS = ("framework", "year", "number", "text", "text_ru", "text_uz")
REQUIRED = ("framework", "year", "number", "text")
HELP = {
    "framework": gettext_lazy(
        "nap (a measure of the National Action Plan) or tip (a recommendation of the TIP Report)."
    ),
    "year": gettext_lazy("The plan's or the report's year, e.g. 2023."),
    "number": gettext_lazy(
        "As in the document, such as 2.1 or R4; with the framework and "
        "year, it finds a reference already listed."
    ),
    "text": gettext_lazy("The measure or recommendation, in English."),
    "text_ru": gettext_lazy("In Russian."),
    "text_uz": gettext_lazy("In Uzbek."),
}
EXAMPLE = (
    "tip",
    "2023",
    "R1",
    "Increase efforts to investigate and prosecute trafficking cases.",
    "",
    "",
)
_KINDS = {
    "nap": FrameworkKind.NAP_MEASURE,
    "nap_measure": FrameworkKind.NAP_MEASURE,
    "tip": FrameworkKind.TIP_RECOMMENDATION,
    "tip_recommendation": FrameworkKind.TIP_RECOMMENDATION,
}
_TEXTS = ("text", "text_ru", "text_uz")
TEXT_LABELS = {
    "text": gettext_lazy("Text"),
    "text_ru": gettext_lazy("Text in Russian"),
    "text_uz": gettext_lazy("Text in Uzbek"),
}


def check(batch: ImportBatch) -> list[RowResult]:
    records = batch.rows
    existing = {
        (r.kind, r.year, r.code): r
        for r in FrameworkReference.objects.filter(
            code__in={record.get("number", "").strip() for record in records}
        )
    }
    seen: dict[tuple[str, int, str], int] = {}
    results = []
    for record in records:
        result = RowResult(number=int(record[ROW_NUMBER]), key="")
        kind = _KINDS.get(record.get("framework", "").strip().casefold())
        if kind is None:
            result.errors.append(
                _("Framework: “%(value)s” is not nap or tip.")
                % {"value": record.get("framework", "")}
            )
        raw_year = record.get("year", "").strip()
        year = int(raw_year) if raw_year.isascii() and raw_year.isdigit() else None
        if year is None or not 2000 <= year <= 2100:
            result.errors.append(
                _("Year: “%(value)s” is not a year between 2000 and 2100.") % {"value": raw_year}
            )
        code = record.get("number", "").strip()
        if not code or len(code) > 20:
            result.errors.append(_("Number: say the number, in 20 characters at most."))
        values = {name: record[name].strip() for name in _TEXTS if name in record}
        if not values.get("text"):
            result.errors.append(_("Text: this column is required."))
        if result.errors or kind is None or year is None:
            results.append(result)
            continue
        key = (kind, year, code)
        result.key = f"{FrameworkReference(kind=kind, year=year, code=code).short_name}"
        if key in seen:
            result.errors.append(
                _("Row %(number)s has the same framework, year and number.") % {"number": seen[key]}
            )
        seen.setdefault(key, result.number)
        target = existing.get(key)
        result.target = target
        for name, value in values.items():
            old = getattr(target, name) if target is not None else ""
            if target is not None and old == value:
                continue
            result.data[name] = value
            if target is not None or value:
                result.changes.append(Change(str(TEXT_LABELS[name]), old, value))
        if target is None:
            result.data.update(kind=kind, year=year, code=code)
        results.append(result)
    return results


def write(user: User, preview: Preview, progress: Progress, reason: str) -> None:
    rows = [row for row in preview.rows if row.outcome != Outcome.UNCHANGED]
    done = len(preview.rows) - len(rows)
    errors: list[str] = []
    for chunk in chunks(rows, size=100):
        for row in chunk:
            data: dict[str, Any] = dict(row.data)
            try:
                if row.target is None:
                    framework_reference_save(user=user, data=data)
                else:
                    framework_reference_save(
                        user=user, data=data, reference=row.target, version=row.target.version
                    )
            except ValidationError as error:
                errors.extend(
                    _("Row %(number)s: %(error)s") % {"number": row.number, "error": message}
                    for message in _messages(FrameworkReference, error)
                )
        done += len(chunk)
        progress(done)
    if errors:
        raise WriteRefused(errors)


register(
    ImportKind(
        kind=ImportBatch.Kind.FRAMEWORK_REFERENCES,
        title=gettext_lazy("Import framework references"),
        list_title=gettext_lazy("Framework coverage"),
        list_url_name="meetings:framework_coverage",
        done_label=gettext_lazy("Go to the framework coverage"),
        key_label=gettext_lazy("Reference"),
        columns=COLUMNS,
        required=REQUIRED,
        help=HELP,
        example=EXAMPLE,
        may_import=permissions.can_manage_frameworks,
        check=check,
        write=write,
        notes=(
            gettext_lazy(
                "One row per measure or recommendation. A row whose framework, year and "
                "number are already listed updates its texts; the others are added."
            ),
        ),
    )
)
