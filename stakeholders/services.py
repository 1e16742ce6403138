"""Writes to the directory: organisations and people. Each checks who may do it."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib.audit import audit
from portal.lib.versions import claim_fresh, claim_version, lock_fresh
from portal.models import AuditEvent, OutboundEmail
from stakeholders import merging, permissions
from stakeholders.audit import Action
from stakeholders.models import (
    ImportBatch,
    Language,
    Organisation,
    PasswordResetRequest,
    Person,
    User,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _apply(obj: models.Model, data: dict[str, Any], allowed: frozenset[str]) -> list[str]:
    """Set the changed values of `data` on `obj`; refuse fields outside `allowed`."""
    changed = [name for name, value in data.items() if getattr(obj, name) != value]
    if not set(changed) <= allowed:
        raise PermissionDenied
    for name in changed:
        setattr(obj, name, data[name])
    return changed


def _check_parent(organisation: Organisation) -> None:
    """A parent may be neither the organisation itself nor one of its descendants."""
    parent = organisation.parent
    seen: set[int] = set()
    while parent is not None and parent.pk not in seen:
        if organisation.pk is not None and parent.pk == organisation.pk:
            raise ValidationError(
                {"parent": _("An organisation cannot sit under itself or one of its own units.")}
            )
        seen.add(parent.pk)
        parent = parent.parent


def _is_descendant(organisation: Organisation, *, of: Organisation) -> bool:
    parent, seen = organisation.parent, set()
    while parent is not None and parent.pk not in seen:
        if parent.pk == of.pk:
            return True
        seen.add(parent.pk)
        parent = parent.parent
    return False


def _save(obj: models.Model, *, reason: str = "") -> None:
    if reason:
        obj._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history
    obj.full_clean()
    obj.save()


@transaction.atomic
def organisation_create(*, user: User, data: dict[str, Any]) -> Organisation:
    """Add an organisation to the directory (secretariat)."""
    _require(permissions.can_manage_directory(user))
    organisation = Organisation()
    _apply(organisation, data, permissions.ORGANISATION_FIELDS)
    _check_parent(organisation)
    _save(organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, user: User, organisation: Organisation, data: dict[str, Any], version: int | None = None
) -> list[str]:
    """Change an organisation's profile; return the changed fields (none: nothing saved).

    `version` is the one the edit started from: VersionConflict when it is not current.
    """
    allowed = permissions.organisation_editable_fields(user, organisation)
    _require(bool(allowed))
    changed = _apply(organisation, data, allowed)
    if changed:
        claim_version(organisation, organisation.version if version is None else version)
        _check_parent(organisation)
        _save(organisation)
    return changed


@transaction.atomic
def organisation_set_active(*, user: User, organisation: Organisation, active: bool) -> None:
    """Deactivate or reactivate an organisation (secretariat). Records are never deleted."""
    _require(permissions.can_manage_directory(user))
    lock_fresh(organisation)
    if organisation.merged_into_id is not None and active:
        raise ValidationError(_("A merged organisation cannot be reactivated."))
    if organisation.is_active != active:
        claim_version(organisation, organisation.version)
        organisation.is_active = active
        _save(organisation)


@transaction.atomic
def organisation_merge(*, user: User, duplicate: Organisation, keep: Organisation) -> Organisation:
    """Merge `duplicate` into `keep`: its people, units and every app's references move
    (each app's merge handler moves its own); it is deactivated and points to `keep`."""
    _require(permissions.can_manage_directory(user))
    if duplicate.pk == keep.pk:
        raise ValidationError(_("Choose two different organisations."))
    # Checked on the rows as they are now, held until the merge is done.
    claim_fresh(duplicate)
    claim_fresh(keep)
    if duplicate.merged_into_id is not None:
        raise ValidationError(_("This organisation has already been merged."))
    if not keep.is_active or keep.merged_into_id is not None:
        raise ValidationError(_("Merge into an active organisation."))
    reason = _("Merged %(duplicate)s into %(keep)s") % {
        "duplicate": duplicate.name,
        "keep": keep.name,
    }
    merging.run_handlers(merging.Merge(duplicate=duplicate, keep=keep, reason=reason))

    # What only the duplicate knew fills the kept record's blanks.
    moved: dict[str, Any] = {}
    for field in ("name_ru", "name_uz", "short_name", "country", "website", "iati_type"):
        if not getattr(keep, field) and getattr(duplicate, field):
            moved[field] = getattr(duplicate, field)
    iati = duplicate.iati_identifier if not keep.iati_identifier else ""
    if not keep.description and duplicate.description:
        moved["description"] = duplicate.description

    duplicate.is_active = False
    duplicate.merged_into = keep
    duplicate.iati_identifier = ""
    _save(duplicate, reason=reason)

    for field, value in moved.items():
        setattr(keep, field, value)
    if iati:
        keep.iati_identifier = iati
    _save(keep, reason=reason)
    return keep


def _move_directory_references(merge: merging.Merge) -> None:
    """The directory's own merge handler: people, units and earlier merges follow."""
    duplicate, keep = merge.duplicate, merge.keep
    # A kept organisation inside the duplicate's tree takes the duplicate's place
    # first, so that the duplicate's units can move under it without a loop.
    if _is_descendant(keep, of=duplicate):
        keep.parent = duplicate.parent
    for person in duplicate.people.all():
        claim_version(person, person.version)
        person.organisation = keep
        _save(person, reason=merge.reason)
    for child in duplicate.children.exclude(pk=keep.pk):
        claim_version(child, child.version)
        child.parent = keep
        _check_parent(child)
        _save(child, reason=merge.reason)
    duplicate.merged_from.update(merged_into=keep, version=F("version") + 1)


merging.register(
    _move_directory_references,
    covers=[(Person, "organisation"), (Organisation, "parent"), (Organisation, "merged_into")],
)


@transaction.atomic
def person_create(*, user: User, data: dict[str, Any]) -> Person:
    """Add a person to the directory (secretariat)."""
    _require(permissions.can_manage_directory(user))
    person = Person()
    _apply(person, data, permissions.PERSON_FIELDS)
    _save(person)
    return person


@transaction.atomic
def person_update(
    *, user: User, person: Person, data: dict[str, Any], version: int | None = None
) -> list[str]:
    """Change a person's details; return the changed fields (none: nothing saved).

    `version` is the one the edit started from: VersionConflict when it is not current.
    """
    allowed = permissions.person_editable_fields(user, person)
    _require(bool(allowed))
    from stakeholders.accounts import account_email_changed, account_set_active

    changed = _apply(person, data, allowed)
    if changed:
        claim_version(person, person.version if version is None else version)
        _save(person)
        account = getattr(person, "user", None)
        if account is not None and "email" in changed:
            account_email_changed(user=account, email=person.email)
        if account is not None and "is_active" in changed and not person.is_active:
            account_set_active(actor=user, user=account, active=False)
    return changed


@transaction.atomic
def person_set_active(*, user: User, person: Person, active: bool) -> None:
    """Deactivate or reactivate a person (secretariat). Deactivating ends their portal access."""
    from stakeholders.accounts import account_set_active

    _require(permissions.can_manage_directory(user))
    lock_fresh(person)
    if person.anonymised_at is not None and active:
        raise ValidationError(_("An anonymised person cannot be reactivated."))
    if person.is_active != active:
        claim_version(person, person.version)
        person.is_active = active
        _save(person)
        account = getattr(person, "user", None)
        if not active and account is not None:
            account_set_active(actor=user, user=account, active=False)


@transaction.atomic
def person_anonymise(*, user: User, person: Person, request: HttpRequest | None = None) -> Person:
    """Forget a person who asked for it: personal fields replaced, references kept.

    The history of the personal fields is overwritten as well, and an account
    the person had is closed.
    """
    _require(permissions.can_manage_directory(user))
    lock_fresh(person)
    if person.anonymised_at is not None:
        return person
    claim_version(person, person.version)
    placeholder = _("Anonymised person %(number)s") % {"number": person.pk}
    old_email, old_name = person.email, person.full_name
    personal = {"full_name": placeholder, "email": "", "phone": "", "position": ""}
    for name, value in personal.items():
        setattr(person, name, value)
    person.is_active = False
    person.anonymised_at = timezone.now()
    _save(person, reason=_("Anonymised on request"))
    Person.history.filter(id=person.pk).update(**personal)

    account: User | None = getattr(person, "user", None)
    if account is not None:
        from stakeholders.accounts import account_close

        account_close(user=account, email=f"anonymised-{person.pk}@invalid.invalid")
    _forget_elsewhere(
        person=person, account=account, email=old_email, name=old_name, placeholder=placeholder
    )
    audit(action=Action.PERSON_ANONYMISED, actor=user, target=person, request=request)
    return person


def _forget_elsewhere(
    *, person: Person, account: User | None, email: str, name: str, placeholder: str
) -> None:
    """Remove the person's name and address from the audit trail, the outbox and
    pending imports. The only updates audit events ever get: erasure on request."""
    targets = models.Q(target_type=ContentType.objects.get_for_model(Person), target_id=person.pk)
    if account is not None:
        targets |= models.Q(
            target_type=ContentType.objects.get_for_model(User), target_id=account.pk
        )
        AuditEvent.objects.filter(actor=account).update(actor_label="")
    AuditEvent.objects.filter(targets).update(target_label=placeholder)
    if email:
        AuditEvent.objects.filter(details__email__iexact=email).update(details={})
        PasswordResetRequest.objects.filter(email__iexact=email).delete()
        OutboundEmail.objects.filter(recipient__iexact=email).update(
            recipient=f"anonymised-{person.pk}@invalid.invalid",
            subject="",
            body="",
            html_body="",
            attachments=[],
        )
    # Batches not yet imported would bring the person back: drop them. A queued one's task
    # then finds it discarded and does nothing.
    waiting = [ImportBatch.Status.PREVIEW, ImportBatch.Status.QUEUED]
    for batch in ImportBatch.objects.filter(status__in=waiting):
        if any(_names_person(row, email=email, name=name) for row in batch.rows):
            ImportBatch.objects.filter(pk=batch.pk, status__in=waiting).update(
                status=ImportBatch.Status.DISCARDED, rows=[]
            )


def _names_person(row: dict[str, Any], *, email: str, name: str) -> bool:
    if email and str(row.get("email", "")).casefold() == email.casefold():
        return True
    return bool(name) and str(row.get("full_name", "")).casefold() == name.casefold()


def person_set_language(*, person: Person, language: str) -> Person:
    """Record the language a person reads the portal and their emails in."""
    if language not in Language.values:
        raise ValueError(f"Unknown language: {language!r}")
    if person.preferred_language != language:
        # One UPDATE of the two columns: it cannot conflict, and moves the version so that
        # an edit form opened before does not write the old language back.
        Person.objects.filter(pk=person.pk).update(
            preferred_language=language, version=F("version") + 1
        )
        person.preferred_language = language
        person.version += 1
    return person


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any]) -> list[str]:
    """A user changes their own language and email choices, kept on their person."""
    if not permissions.can_edit_profile(user) or user.person_id is None:
        raise PermissionDenied
    person = Person.objects.get(pk=user.person_id)
    changed = _apply(person, data, permissions.PROFILE_FIELDS)
    if changed:
        claim_version(person, person.version)
        _save(person)
    return changed
