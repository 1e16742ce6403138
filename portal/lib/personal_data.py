"""The portal holds coordination data, never case data: free text is checked for what looks
like personal data before it is saved.

`find_personal_data(text)` finds email addresses, phone numbers (+998 and other written
forms of seven or more digits), passport-like numbers (two letters and seven digits),
14-digit numbers (the Uzbek PINFL) and other long runs of digits. Dates, years, decision
numbers (4/2), DAC codes (15190), short hotline numbers, digits inside web addresses and
amounts (1 250 000 UZS) pass.

`PersonalDataCheckMixin` stops a form's save with a message saying what was found and why;
a user the app allows may save anyway with a reason, which the view records in the audit
trail through `record_override`.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib import audit
from portal.lib.text import APOSTROPHES

OVERRIDE_ACTION = "personal_data_override"
# A text longer than this is checked in its first part only: the form's own limits apply.
MAX_CHECKED = 200_000


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str


_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# Bounded parts, anchored on what precedes: no backtracking over long text without an @.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
# +998 90 123 45 67, +7 (912) 345-67-89: a plus, then seven or more digits and separators.
_INTERNATIONAL = re.compile(r"\+\s?\d(?:[\s().-]*\d){6,}")
_PASSPORT = re.compile(r"\b[A-Za-z]{2}\s?\d{7}\b")
_AMOUNT = re.compile(
    r"\b\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+(?:[.,]\d{1,2})?"
    rf"(?:\s?(?:UZS|USD|EUR|RUB|сум|so[{APOSTROPHES}']m|\$|€))?(?!\d)",
    re.IGNORECASE,
)
_DAY, _MONTH = r"(?:0?[1-9]|[12]\d|3[01])", r"(?:0?[1-9]|1[0-2])"
_DATE = re.compile(
    rf"(?<!\d)(?:\d{{4}}-{_MONTH}-{_DAY}|{_DAY}[./-]{_MONTH}[./-](?:\d{{4}}|\d{{2}}))(?!\d)"
)
# 90 123-45-67, (71) 239 12 34, 123-45-67: the way local numbers are written.
_LOCAL_PHONE = re.compile(r"(?<!\d)(?:\(?\d{2,3}\)?[\s.-]?)?\d{3}[\s.-]\d{2}[\s.-]\d{2}(?!\d)")
_DIGITS = re.compile(r"(?<!\d)\d{7,}(?!\d)")

KINDS = {
    "email": gettext_lazy("email address"),
    "phone": gettext_lazy("phone number"),
    "passport": gettext_lazy("passport number"),
    "pinfl": gettext_lazy("personal identification number (PINFL)"),
    "number": gettext_lazy("long identification number"),
}


def find_personal_data(text: str) -> list[Finding]:
    """What in `text` looks like personal data, in the order found, each once."""
    text = _URL.sub(" ", (text or "")[:MAX_CHECKED])
    found: list[Finding] = []

    def take(pattern: re.Pattern[str], kind: str) -> None:
        nonlocal text
        for match in pattern.finditer(text):
            found.append(Finding(kind, match.group(0).strip()))
        # Each match goes, so that the next patterns do not find its parts again.
        text = pattern.sub(" ", text)

    if "@" in text:
        take(_EMAIL, "email")
    take(_INTERNATIONAL, "phone")
    take(_PASSPORT, "passport")
    take(_LOCAL_PHONE, "phone")
    text = _AMOUNT.sub(" ", text)
    text = _DATE.sub(" ", text)
    for match in _DIGITS.finditer(text):
        digits = match.group(0)
        found.append(Finding("pinfl" if len(digits) == 14 else "number", digits))
    return list(dict.fromkeys(found))


def describe(findings: Iterable[Finding]) -> str:
    return "; ".join(f"{KINDS[f.kind]}: “{f.text}”" for f in findings)


class PersonalDataCheckMixin(forms.BaseForm):
    """Checks the form's `personal_data_fields` before it is saved. With `may_override`, the
    form offers to save anyway with a reason; the view then calls `record_override`."""

    personal_data_fields: tuple[str, ...] = ()
    form_only_fields: tuple[str, ...] = ("save_anyway", "save_anyway_reason")

    def __init__(self, *args: Any, may_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.may_override = may_override
        self.personal_data_found: dict[str, list[Finding]] = {}
        if may_override:
            self.fields["save_anyway"] = forms.BooleanField(
                label=gettext_lazy("Save anyway: this is not personal data of a case"),
                required=False,
            )
            self.fields["save_anyway_reason"] = forms.CharField(
                label=gettext_lazy("Why it may be saved"),
                required=False,
                max_length=500,
                help_text=gettext_lazy(
                    "For example: the address of an office quoted in the minutes. "
                    "Recorded in the audit trail."
                ),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        found = {
            name: findings
            for name in self.personal_data_fields
            if isinstance(cleaned.get(name), str)
            and (findings := find_personal_data(cleaned[name]))
        }
        self.personal_data_found = found
        if not found:
            return cleaned
        reason = str(cleaned.get("save_anyway_reason") or "").strip()
        if self.may_override and cleaned.get("save_anyway"):
            if reason:
                return cleaned
            self.add_error("save_anyway_reason", _("Say why this text may be saved as it is."))
        for name, findings in found.items():
            self.add_error(
                name,
                _(
                    "This looks like personal data (%(found)s). The portal holds coordination "
                    "data only, never personal data of victims, witnesses or suspects: remove "
                    "it, or write in general terms."
                )
                % {"found": describe(findings)},
            )
        return cleaned

    @property
    def overridden(self) -> bool:
        return bool(self.personal_data_found) and bool(self.cleaned_data.get("save_anyway"))


def record_override(
    form: PersonalDataCheckMixin,
    *,
    actor: models.Model,
    target: models.Model,
    request: HttpRequest | None = None,
) -> None:
    """Record in the audit trail that `actor` saved text flagged as personal data, and why.
    The trail keeps what kind of data was found and where, never the text itself."""
    if not form.overridden:
        return
    audit.audit(
        action=OVERRIDE_ACTION,
        actor=actor,
        target=target,
        request=request,
        details={
            "fields": ", ".join(sorted(form.personal_data_found)),
            "found": ", ".join(
                sorted({str(KINDS[f.kind]) for fs in form.personal_data_found.values() for f in fs})
            ),
            "reason": str(form.cleaned_data.get("save_anyway_reason", ""))[:500],
        },
    )
