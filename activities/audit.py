"""What activities record in the audit trail."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.lib import audit


class Action(models.TextChoices):
    SUBMITTED = "activity_submitted", _("Activity submitted for review")
    APPROVED = "activity_approved", _("Activity approved")
    RETURNED = "activity_returned", _("Activity returned for changes")
    APPROVED_ON_TRUST = (
        "activity_approved_on_trust",
        _("Activity approved on submit (trusted organisation)"),
    )
    TRUST_GRANTED = (
        "activity_trust_granted",
        _("Organisation trusted: its activities approved on submit"),
    )
    TRUST_WITHDRAWN = "activity_trust_withdrawn", _("Organisation no longer trusted")
    REVISION_SUBMITTED = (
        "activity_revision_submitted",
        _("Changes to an approved activity proposed"),
    )
    REVISION_APPROVED = "activity_revision_approved", _("Changes to an approved activity approved")
    REVISION_RETURNED = "activity_revision_returned", _("Changes to an approved activity returned")
    TARGET_SAVED = "dashboard_target_saved", _("Dashboard target set")
    TARGET_DELETED = "dashboard_target_deleted", _("Dashboard target removed")
    NATIONAL_FIGURE_SAVED = "national_figure_saved", _("National figure entered")
    NATIONAL_FIGURE_DELETED = "national_figure_deleted", _("National figure removed")


def register() -> None:
    audit.register_actions(Action)
    audit.register_details({"comment": _("comment")})
