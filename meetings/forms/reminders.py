"""A reminder rule: how long before the start, and to whom."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings.models import MAX_OFFSET_MINUTES, MIN_OFFSET_MINUTES, ReminderAudience

UNITS = [("days", _("days")), ("hours", _("hours"))]
MINUTES = {"days": 24 * 60, "hours": 60}


class ReminderRuleForm(forms.Form):
    amount = forms.IntegerField(label=_("How long before"), min_value=1, max_value=1440)
    unit = forms.ChoiceField(label=_("Unit"), choices=UNITS, initial="days")
    audience = forms.ChoiceField(
        label=_("Send to"), choices=ReminderAudience.choices, initial=ReminderAudience.NOT_DECLINED
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        amount, unit = cleaned.get("amount"), cleaned.get("unit")
        if amount is not None and unit in MINUTES:
            minutes = amount * MINUTES[unit]
            if not MIN_OFFSET_MINUTES <= minutes <= MAX_OFFSET_MINUTES:
                raise ValidationError(_("A reminder goes from one hour to 60 days before."))
            cleaned["offset_minutes"] = minutes
        return cleaned
