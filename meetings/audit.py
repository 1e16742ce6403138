"""What meetings record in the audit trail."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.lib import audit
from portal.lib.sensitivity import Label, tlp_code
from stakeholders.models import Language


class Action(models.TextChoices):
    INVITATIONS_SENT = "meeting_invitations_sent", _("Meeting invitations sent")
    MEETING_UPDATE_SENT = "meeting_update_sent", _("Meeting change sent to invitees")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    INVITATION_WITHDRAWN = "meeting_invitation_withdrawn", _("Meeting invitation withdrawn")
    LETTER_GENERATED = "meeting_letter_generated", _("Invitation letter generated")
    LETTER_TEMPLATE_REPLACED = (
        "meeting_letter_template_replaced",
        _("Invitation letter template replaced"),
    )
    LETTER_TEMPLATE_RESET = (
        "meeting_letter_template_reset",
        _("Invitation letter template reset to the built-in one"),
    )
    MINUTES_CIRCULATED = "meeting_minutes_circulated", _("Minutes circulated for comment")
    MINUTES_ADOPTED = "meeting_minutes_adopted", _("Minutes adopted")
    MINUTES_CORRECTED = "meeting_minutes_corrected", _("Adopted minutes corrected")
    DOCUMENT_DOWNLOADED = "meeting_document_downloaded", _("Meeting document downloaded")
    DOCUMENT_DELETED = "meeting_document_deleted", _("Meeting document deleted")
    CALENDAR_FEED_CREATED = "calendar_feed_created", _("Calendar feed created")
    CALENDAR_FEED_REVOKED = "calendar_feed_revoked", _("Calendar feed revoked")


def _language(value: object) -> str:
    return str(Language(value).label) if value in Language.values else str(value)


def _label(value: object) -> str:
    return f"{Label(value).label} · {tlp_code(str(value))}" if value in Label.values else str(value)


def register() -> None:
    audit.register_actions(Action)
    audit.register_details(
        {
            "recipients": _("recipients"),
            "organisation": _("organisation"),
            "number": _("outgoing number"),
            "language": _("language"),
            "revision": _("revision"),
            "document": _("document"),
            "file": _("file"),
            "label": _("sensitivity"),
        },
        {"language": _language, "label": _label},
    )
