"""Writes to the directory: organisations and people. Each checks who may do it."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib.audit import audit
from portal.models import AuditEvent
from stakeholders.models import ImportBatch, Language, Organisation, Person, User

# What a partner may change of its own organisation and of its own people.
# Everything else (stakeholder group, parent, mechanism role, active state,
# organisation of a person) is the secretariat's.
ORGANISATION_PARTNER_FIELDS = frozenset(
    {
        "name",
        "name_ru",
        "name_uz",
        "short_name",
        "country",
        "website",
        "iati_identifier",
        "iati_type",
        "description",
    }
)
ORGANISATION_FIELDS = ORGANISATION_PARTNER_FIELDS | {"stakeholder_group", "parent", "is_active"}
PERSON_PARTNER_FIELDS = frozenset({"full_name", "position", "email", "phone", "preferred_language"})
PERSON_FIELDS = PERSON_PARTNER_FIELDS | {"organisation", "mechanism_role", "is_active"}


def _own_organisation_id(user: Any) -> int | None:
    organisation = getattr(user, "organisation", None)
    return organisation.pk if organisation is not None else None


def organisation_editable_fields(*, user: Any, organisation: Organisation) -> frozenset[str]:
    """The fields of `organisation` the user may change; empty when none."""
    if organisation.merged_into_id is not None:
        return frozenset()
    if getattr(user, "is_secretariat", False):
        return ORGANISATION_FIELDS
    if (
        getattr(user, "is_partner", False)
        and organisation.is_active
        and organisation.pk == _own_organisation_id(user)
    ):
        return ORGANISATION_PARTNER_FIELDS
    return frozenset()


def person_editable_fields(*, user: Any, person: Person) -> frozenset[str]:
    """The fields of `person` the user may change; empty when none."""
    if getattr(user, "is_secretariat", False):
        fields = PERSON_FIELDS
    elif (
        getattr(user, "is_partner", False)
        and person.is_active
        and person.organisation_id is not None
        and person.organisation_id == _own_organisation_id(user)
    ):
        fields = PERSON_PARTNER_FIELDS
        if person.has_account:
            # The email of an account holder is their login: the secretariat's to change.
            fields = fields - {"email"}
    else:
        return frozenset()
    if person.anonymised_at is not None:
        return frozenset()
    return fields


def _require_secretariat(user: Any) -> None:
    if not getattr(user, "is_secretariat", False):
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
        obj._change_reason = reason  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()


@transaction.atomic
def organisation_create(*, user: Any, data: dict[str, Any]) -> Organisation:
    """Add an organisation to the directory (secretariat)."""
    _require_secretariat(user)
    organisation = Organisation()
    _apply(organisation, data, ORGANISATION_FIELDS)
    _check_parent(organisation)
    _save(organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, user: Any, organisation: Organisation, data: dict[str, Any]
) -> list[str]:
    """Change an organisation's profile; return the changed fields (none: nothing saved)."""
    allowed = organisation_editable_fields(user=user, organisation=organisation)
    if not allowed:
        raise PermissionDenied
    changed = _apply(organisation, data, allowed)
    if changed:
        _check_parent(organisation)
        _save(organisation)
    return changed


@transaction.atomic
def organisation_set_active(*, user: Any, organisation: Organisation, active: bool) -> None:
    """Deactivate or reactivate an organisation (secretariat). Records are never deleted."""
    _require_secretariat(user)
    if organisation.merged_into_id is not None and active:
        raise ValidationError(_("A merged organisation cannot be reactivated."))
    if organisation.is_active != active:
        organisation.is_active = active
        _save(organisation)


@transaction.atomic
def organisation_merge(*, user: Any, duplicate: Organisation, keep: Organisation) -> Organisation:
    """Merge `duplicate` into `keep`: its people, units and references move; it is deactivated."""
    _require_secretariat(user)
    if duplicate.pk == keep.pk:
        raise ValidationError(_("Choose two different organisations."))
    if duplicate.merged_into_id is not None:
        raise ValidationError(_("This organisation has already been merged."))
    if not keep.is_active or keep.merged_into_id is not None:
        raise ValidationError(_("Merge into an active organisation."))
    reason = _("Merged %(duplicate)s into %(keep)s") % {
        "duplicate": duplicate.name,
        "keep": keep.name,
    }

    # A kept organisation inside the duplicate's tree takes the duplicate's place
    # first, so that the duplicate's units can move under it without a loop.
    if _is_descendant(keep, of=duplicate):
        keep.parent = duplicate.parent
    for person in duplicate.people.all():
        person.organisation = keep
        _save(person, reason=reason)
    for child in duplicate.children.exclude(pk=keep.pk):
        child.parent = keep
        _check_parent(child)
        _save(child, reason=reason)
    # References from the rest of the portal (meetings, activities, …) follow.
    for relation in Organisation._meta.related_objects:
        if relation.related_model in (Person, Organisation) or not relation.many_to_one:
            continue
        relation.related_model._default_manager.filter(**{relation.field.name: duplicate}).update(
            **{relation.field.name: keep}
        )

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


@transaction.atomic
def person_create(*, user: Any, data: dict[str, Any]) -> Person:
    """Add a person to the directory (secretariat)."""
    _require_secretariat(user)
    person = Person()
    _apply(person, data, PERSON_FIELDS)
    _save(person)
    return person


@transaction.atomic
def person_update(*, user: Any, person: Person, data: dict[str, Any]) -> list[str]:
    """Change a person's details; return the changed fields (none: nothing saved)."""
    allowed = person_editable_fields(user=user, person=person)
    if not allowed:
        raise PermissionDenied
    from stakeholders.accounts import account_email_changed, account_set_active

    changed = _apply(person, data, allowed)
    if changed:
        _save(person)
        account = getattr(person, "user", None)
        if account is not None and "email" in changed:
            account_email_changed(user=account, email=person.email)
        if account is not None and "is_active" in changed and not person.is_active:
            account_set_active(actor=user, user=account, active=False)
    return changed


@transaction.atomic
def person_set_active(*, user: Any, person: Person, active: bool) -> None:
    """Deactivate or reactivate a person (secretariat). Deactivating ends their portal access."""
    from stakeholders.accounts import account_set_active

    _require_secretariat(user)
    if person.anonymised_at is not None and active:
        raise ValidationError(_("An anonymised person cannot be reactivated."))
    if person.is_active != active:
        person.is_active = active
        _save(person)
        account = getattr(person, "user", None)
        if not active and account is not None:
            account_set_active(actor=user, user=account, active=False)


@transaction.atomic
def person_anonymise(*, user: Any, person: Person, request: HttpRequest | None = None) -> Person:
    """Forget a person who asked for it: personal fields replaced, references kept.

    The history of the personal fields is overwritten as well, and an account
    the person had is closed.
    """
    _require_secretariat(user)
    if person.anonymised_at is not None:
        return person
    placeholder = _("Anonymised person %(number)s") % {"number": person.pk}
    old_email = person.email
    personal = {"full_name": placeholder, "email": "", "phone": "", "position": ""}
    for name, value in personal.items():
        setattr(person, name, value)
    person.is_active = False
    person.anonymised_at = timezone.now()
    _save(person, reason=_("Anonymised on request"))
    Person.history.filter(id=person.pk).update(**personal)

    account: User | None = getattr(person, "user", None)
    if account is not None:
        account.email = f"anonymised-{person.pk}@invalid.invalid"
        account.is_active = False
        account.set_unusable_password()
        account.save(update_fields=["email", "is_active", "password"])
    _forget_elsewhere(person=person, account=account, email=old_email, placeholder=placeholder)
    audit(action=AuditEvent.Action.PERSON_ANONYMISED, actor=user, target=person, request=request)
    return person


def _forget_elsewhere(
    *, person: Person, account: User | None, email: str, placeholder: str
) -> None:
    """Remove the person's name and address from the audit trail, the outbox and
    pending imports. The only updates audit events ever get: erasure on request."""
    from portal.models import OutboundEmail

    targets = models.Q(target_type=ContentType.objects.get_for_model(Person), target_id=person.pk)
    if account is not None:
        targets |= models.Q(
            target_type=ContentType.objects.get_for_model(User), target_id=account.pk
        )
        AuditEvent.objects.filter(actor=account).update(actor_label="")
    AuditEvent.objects.filter(targets).update(target_label=placeholder)
    if email:
        AuditEvent.objects.filter(details__email__iexact=email).update(details={})
        OutboundEmail.objects.filter(recipient__iexact=email).update(
            recipient=f"anonymised-{person.pk}@invalid.invalid", subject="", body="", html_body=""
        )
        for batch in ImportBatch.objects.filter(status=ImportBatch.Status.PREVIEW):
            if any(str(row.get("email", "")).lower() == email.lower() for row in batch.rows):
                ImportBatch.objects.filter(pk=batch.pk).update(
                    status=ImportBatch.Status.DISCARDED, rows=[]
                )


def person_set_language(*, person: Person, language: str) -> Person:
    """Record the language a person reads the portal and their emails in."""
    if language not in Language.values:
        raise ValueError(f"Unknown language: {language!r}")
    if person.preferred_language != language:
        person.preferred_language = language
        person.full_clean()
        person.save(update_fields=["preferred_language"])
    return person


PROFILE_FIELDS = frozenset(
    {"preferred_language", "email_meeting_reminders", "email_action_item_reminders"}
)


@transaction.atomic
def profile_update(*, user: Any, data: dict[str, Any]) -> list[str]:
    """A user changes their own language and email choices, kept on their person."""
    person = getattr(user, "person", None)
    if person is None:
        raise PermissionDenied
    changed = _apply(person, data, PROFILE_FIELDS)
    if changed:
        _save(person)
    return changed
