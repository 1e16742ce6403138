"""What the directory and portal access record in the audit trail."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.lib import audit
from stakeholders.models import Role
from stakeholders.permissions import can_read_audit_trail


class Action(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    ACCESS_GRANTED = "access_granted", _("Access granted")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset asked for")
    PASSWORD_RESET = "password_reset", _("Password reset")
    ROLE_CHANGED = "role_changed", _("Role changed")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
    ACCOUNT_REACTIVATED = "account_reactivated", _("Account reactivated")
    PERSON_ANONYMISED = "person_anonymised", _("Personal details removed on request")


def _role(value: object) -> str:
    return str(Role(value).label) if value in Role.values else str(value)


def register() -> None:
    audit.register_actions(Action)
    audit.register_details(
        {"role": _("role"), "from": _("from"), "to": _("to"), "email": _("email")},
        {"role": _role, "from": _role, "to": _role},
    )
    audit.register_reader(can_read_audit_trail)
