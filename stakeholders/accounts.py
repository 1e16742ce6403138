"""Portal access: granting accounts by invitation, changing roles, ending access.

Every grant, invitation, role change and deactivation is recorded as an
audit event with who did it and when.
"""

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib.audit import audit
from portal.lib.email import queue_email
from portal.lib.tokens import hash_token, make_token
from portal.models import AuditEvent
from stakeholders.models import (
    AccountInvitation,
    LoginSession,
    MechanismRole,
    Person,
    Role,
    User,
)

Action = AuditEvent.Action


def invitable_roles(*, actor: Any, person: Person) -> list[str]:
    """The roles `actor` may give `person`: all for the secretariat; partner for a focal point
    inviting a colleague of their own organisation; none otherwise."""
    if not person.is_active or person.anonymised_at is not None:
        return []
    if getattr(actor, "is_secretariat", False):
        return list(Role.values)
    actor_person = getattr(actor, "person", None)
    if (
        getattr(actor, "is_partner", False)
        and actor_person is not None
        and actor_person.is_active
        and actor_person.mechanism_role == MechanismRole.FOCAL_POINT
        and actor_person.organisation_id is not None
        and actor_person.organisation_id == person.organisation_id
    ):
        return [Role.PARTNER]
    return []


def _other_account_with_email(person: Person) -> bool:
    existing = User.objects.filter(email__iexact=person.email)
    account = getattr(person, "user", None)
    if account is not None:
        existing = existing.exclude(pk=account.pk)
    return existing.exists()


@transaction.atomic
def account_invite(
    *, actor: Any, person: Person, role: str, request: HttpRequest | None = None
) -> AccountInvitation:
    """Give `person` an account with `role` and email them a one-time link to set a password.

    Sending again revokes the links sent before.
    """
    if role not in invitable_roles(actor=actor, person=person):
        raise PermissionDenied
    if not person.email:
        raise ValidationError(_("Add an email address to this person first."))
    if _other_account_with_email(person):
        raise ValidationError(
            _("The email address %(email)s is already used by another account.")
            % {"email": person.email}
        )
    account: User | None = getattr(person, "user", None)
    if account is not None and account.is_active and account.has_usable_password():
        raise ValidationError(_("This person already has portal access."))
    if (
        account is not None
        and not getattr(actor, "is_secretariat", False)
        and (not account.is_active or account.role != role)
    ):
        # Ended access is restored, and roles are changed, by the secretariat only.
        raise PermissionDenied

    if account is None:
        account = User(person=person)
    if account.pk is None or (account.is_active, account.role, account.email) != (
        True,
        role,
        person.email,
    ):
        # A new account, or one given back: no password until the person sets one.
        account.is_active, account.role, account.email = True, role, person.email
        account.set_unusable_password()
        account.full_clean(exclude=["password"])
        account.save()
        audit(
            action=Action.ACCESS_GRANTED,
            actor=actor,
            target=person,
            request=request,
            details={"role": role},
        )

    invitation, token = _issue_link(
        user=account, purpose=AccountInvitation.Purpose.INVITATION, invited_by=actor
    )
    queue_email(
        kind="account_invitation",
        to=person.email,
        language=person.preferred_language,
        template="account_invitation",
        context={
            "person": person,
            "organisation": person.organisation,
            "role": Role(role).label,
            "inviter": actor.display_name,
            "link": settings.PORTAL_URL + reverse("password_set", args=[token]),
            "expires_at": invitation.expires_at,
        },
    )
    audit(
        action=Action.INVITATION_SENT,
        actor=actor,
        target=person,
        request=request,
        details={"role": role},
    )
    return invitation


def _issue_link(
    *, user: User, purpose: str, invited_by: User | None = None
) -> tuple[AccountInvitation, str]:
    """A new one-time link for `user`; the links sent before stop working."""
    now = timezone.now()
    AccountInvitation.objects.filter(user=user, used_at=None, revoked_at=None).update(
        revoked_at=now
    )
    token, token_hash = make_token()
    link = AccountInvitation.objects.create(
        user=user,
        purpose=purpose,
        token_hash=token_hash,
        invited_by=invited_by,
        role=user.role,
        expires_at=now + AccountInvitation.valid_for(purpose),
    )
    return link, token


# Asking again within this time sends nothing more, so that nobody can flood an inbox.
RESET_INTERVAL = timedelta(minutes=2)


@transaction.atomic
def password_reset_request(*, email: str, request: HttpRequest | None = None) -> None:
    """Email a one-time link to choose a new password, if an active account has this address.

    Says nothing either way, so that the form does not reveal who has an account.
    """
    account = (
        User.objects.select_related("person")
        .filter(email__iexact=email.strip(), is_active=True, person__isnull=False)
        .first()
    )
    if account is None or account.person is None:
        return
    recent = AccountInvitation.objects.filter(
        user=account,
        purpose=AccountInvitation.Purpose.PASSWORD_RESET,
        created_at__gt=timezone.now() - RESET_INTERVAL,
    )
    if recent.exists():
        return
    link, token = _issue_link(user=account, purpose=AccountInvitation.Purpose.PASSWORD_RESET)
    person = account.person
    queue_email(
        kind="password_reset",
        to=account.email,
        language=person.preferred_language,
        template="password_reset",
        context={
            "person": person,
            "email": account.email,
            "link": settings.PORTAL_URL + reverse("password_set", args=[token]),
            "expires_at": link.expires_at,
        },
    )
    audit(action=Action.PASSWORD_RESET_REQUESTED, target=person, request=request)


class InvitationState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


def invitation_lookup(token: str) -> tuple[AccountInvitation | None, InvitationState]:
    """The invitation a token opens and whether it may still be used."""
    invitation = (
        AccountInvitation.objects.select_related("user__person", "invited_by__person")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        return None, InvitationState.UNKNOWN
    return invitation, _state(invitation, timezone.now())


def _state(invitation: AccountInvitation, now: datetime) -> InvitationState:
    if invitation.used_at is not None:
        return InvitationState.USED
    if invitation.revoked_at is not None:
        return InvitationState.REVOKED
    if invitation.expires_at <= now:
        return InvitationState.EXPIRED
    if not invitation.user.is_active:
        return InvitationState.REVOKED
    return InvitationState.VALID


@transaction.atomic
def password_set(*, token: str, password: str, request: HttpRequest | None = None) -> User:
    """Set the account's password from an invitation or reset link, and use the link up."""
    invitation = (
        AccountInvitation.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or _state(invitation, timezone.now()) != InvitationState.VALID:
        raise ValidationError(_("This link can no longer be used."))
    user = invitation.user
    validate_password(password, user)
    # The update must change exactly this one unused row (SQLite has no row locks).
    used = AccountInvitation.objects.filter(pk=invitation.pk, used_at=None).update(
        used_at=timezone.now()
    )
    if used != 1:
        raise ValidationError(_("This link can no longer be used."))
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(
        action=Action.INVITATION_ACCEPTED
        if invitation.purpose == AccountInvitation.Purpose.INVITATION
        else Action.PASSWORD_RESET,
        actor=user,
        target=user.person or user,
        request=request,
    )
    return user


def account_email_changed(*, user: User, email: str) -> None:
    """The login follows the person's new email; links sent to the old address stop working."""
    user.email = email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email"])
    AccountInvitation.objects.filter(user=user, used_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )


def _require_secretariat(actor: Any) -> None:
    if not getattr(actor, "is_secretariat", False):
        raise PermissionDenied


def _is_last_secretariat(user: User) -> bool:
    return (
        user.is_active
        and user.role == Role.SECRETARIAT
        and not User.objects.filter(is_active=True, role=Role.SECRETARIAT)
        .exclude(pk=user.pk)
        .exists()
    )


@transaction.atomic
def account_change_role(
    *, actor: Any, user: User, role: str, request: HttpRequest | None = None
) -> None:
    """Change the role of an account (secretariat); it applies on the user's next request."""
    _require_secretariat(actor)
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."))
    if role == user.role:
        return
    if _is_last_secretariat(user):
        raise ValidationError(_("The last active secretariat account cannot lose its role."))
    previous = user.role
    user.role = role
    user.save(update_fields=["role"])
    audit(
        action=Action.ROLE_CHANGED,
        actor=actor,
        target=user.person or user,
        request=request,
        details={"from": previous, "to": role},
    )


def record_login_session(*, user: User, session_key: str | None) -> None:
    """Remember the session a login opened; forget the user's sessions that have expired."""
    if not session_key:
        return
    LoginSession.objects.filter(user=user).exclude(
        session_key__in=Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    ).delete()
    LoginSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


def _delete_sessions(user: User) -> int:
    """Delete the user's sessions, so that they are logged out at once."""
    keys = LoginSession.objects.filter(user=user).values("session_key")
    deleted = Session.objects.filter(session_key__in=keys).delete()[0]
    LoginSession.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def account_set_active(
    *, actor: Any, user: User, active: bool, request: HttpRequest | None = None
) -> None:
    """End an account's access at once, or restore it (secretariat). The person stays."""
    _require_secretariat(actor)
    if user.is_active == active:
        return
    person = user.person
    if active and person is not None and (not person.is_active or person.anonymised_at):
        raise ValidationError(_("Reactivate the person first; an anonymised person stays closed."))
    if not active and _is_last_secretariat(user):
        raise ValidationError(_("The last active secretariat account cannot be deactivated."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _delete_sessions(user)
        AccountInvitation.objects.filter(user=user, used_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    audit(
        action=Action.ACCOUNT_REACTIVATED if active else Action.ACCOUNT_DEACTIVATED,
        actor=actor,
        target=user.person or user,
        request=request,
    )
