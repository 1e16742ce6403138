"""What the portal itself records in the audit trail."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.lib import audit, personal_data


class Action(models.TextChoices):
    PERSONAL_DATA_OVERRIDE = (
        personal_data.OVERRIDE_ACTION,
        _("Text saved although it looked like personal data"),
    )
    EMAIL_RESENT = "email_resent", _("Email sent again by hand")


def register() -> None:
    audit.register_actions(Action)
    audit.register_details(
        {
            "fields": _("fields"),
            "found": _("found"),
            "reason": _("reason"),
            "recipient": _("recipient"),
            "subject": _("subject"),
            "was": _("state before"),
        }
    )
