"""Writes of letters: making one (which records it on the invited organisation) and
replacing or resetting the templates. Each checks who may do it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import permissions
from meetings.audit import Action
from meetings.letters.checks import MAX_TEMPLATE_BYTES, check_template
from meetings.letters.documents import letter_values, render, template_for
from meetings.models import LetterTemplate, OrganisationInvitation, OrganisationInvitationState
from portal.lib.audit import audit
from stakeholders.models import Language, User

LANGUAGE_NEEDED = gettext_lazy("Choose English, Russian or Uzbek.")
NUMBER_NEEDED = gettext_lazy("Give the letter's outgoing number.")
DATE_NEEDED = gettext_lazy("Give the letter's date.")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def letter_generate(
    *,
    user: User,
    invited: OrganisationInvitation,
    language: str,
    number: str,
    letter_date: date | None,
) -> bytes:
    """Make the invitation letter of an invited organisation and return it (.docx). Its
    number, date and language are kept on the invitation, which moves from "invited" to
    "letter sent" (never back)."""
    _require(permissions.can_manage_meetings(user))
    number = (number or "").strip()
    errors: dict[str, Any] = {}
    if language not in Language.values:
        errors["language"] = LANGUAGE_NEEDED
    if not number:
        errors["number"] = NUMBER_NEEDED
    if letter_date is None:
        errors["date"] = DATE_NEEDED
    if errors:
        raise ValidationError(errors)
    assert letter_date is not None  # noqa: S101  # refused above
    invited = (
        OrganisationInvitation.objects.select_for_update()
        .select_related("meeting__series__convener", "organisation")
        .get(pk=invited.pk)
    )
    if invited.meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled: no letter invites to it."))
    values = letter_values(invited, language=language, number=number, letter_date=letter_date)
    try:
        letter = render(template_for(language), values)
    except Exception:
        # Stored templates were checked on upload; one that still fails is said, not a 500.
        raise ValidationError(
            _(
                "The letter template for this language cannot be used. Upload it again, or go "
                "back to the built-in letter."
            )
        ) from None
    invited.letter_number = number
    invited.letter_date = letter_date
    invited.letter_language = language
    if invited.state == OrganisationInvitationState.INVITED:
        invited.state = OrganisationInvitationState.LETTER_SENT
    invited.full_clean()
    invited.save()
    audit(
        action=Action.LETTER_GENERATED,
        actor=user,
        target=invited.meeting,
        details={
            "organisation": invited.organisation.name,
            "number": number,
            "language": language,
        },
    )
    return letter


def _read_upload(upload: UploadedFile[bytes]) -> bytes:
    upload.seek(0)
    # One byte more than allowed tells a file that is too large from one that fits.
    content: bytes = upload.read(MAX_TEMPLATE_BYTES + 1)
    return content


@transaction.atomic
def letter_template_upload(
    *, user: User, language: str, upload: UploadedFile[bytes]
) -> LetterTemplate:
    """Make an uploaded Word document the template of letters in `language`, replacing any
    before it; a file that is not a plain .docx with known placeholders is refused, and
    nothing is stored."""
    _require(permissions.can_manage_meetings(user))
    if language not in Language.values:
        raise ValidationError({"language": LANGUAGE_NEEDED})
    content = _read_upload(upload)
    try:
        check_template(content)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    template, _created = LetterTemplate.objects.update_or_create(
        language=language,
        defaults={
            "content": content,
            "file_name": (upload.name or "letter.docx")[:255],
            "uploaded_at": timezone.now(),
            "uploaded_by": user,
        },
    )
    audit(
        action=Action.LETTER_TEMPLATE_REPLACED,
        actor=user,
        target=template,
        details={"language": language},
    )
    return template


@transaction.atomic
def letter_template_reset(*, user: User, language: str) -> bool:
    """Go back to the built-in letter in `language`; False when it was in use already."""
    _require(permissions.can_manage_meetings(user))
    deleted, _rows = LetterTemplate.objects.filter(language=language).delete()
    if deleted:
        audit(
            action=Action.LETTER_TEMPLATE_RESET,
            actor=user,
            details={"language": language},
        )
    return bool(deleted)
