"""Portal access: granting accounts by invitation, changing roles, ending access.

Every grant, invitation, role change and deactivation is recorded as an
audit event with who did it and when.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib.audit import audit
from portal.lib.email import queue_email
from portal.lib.tokens import TokenState
from stakeholders import permissions
from stakeholders.audit import Action
from stakeholders.models import (
    AccountLink,
    LoginSession,
    PasswordResetRequest,
    Person,
    Role,
    User,
)


def _other_account_with_email(person: Person) -> bool:
    existing = User.objects.filter(email__iexact=person.email)
    account = getattr(person, "user", None)
    if account is not None:
        existing = existing.exclude(pk=account.pk)
    return existing.exists()


@transaction.atomic
def account_invite(
    *, actor: User, person: Person, role: str, request: HttpRequest | None = None
) -> AccountLink:
    """Give `person` an account with `role` and email them a one-time link to set a password.

    Sending again revokes the links sent before.
    """
    if role not in permissions.invitable_roles(actor, person):
        raise PermissionDenied
    if not person.email:
        raise ValidationError(_("Add an email address to this person first."))
    if _other_account_with_email(person):
        if not permissions.can_manage_accounts(actor):
            # Whether an address has an account is the secretariat's to know.
            raise ValidationError(
                _("This person cannot be invited with this email address. Ask the secretariat.")
            )
        raise ValidationError(
            _("The email address %(email)s is already used by another account.")
            % {"email": person.email}
        )
    account: User | None = getattr(person, "user", None)
    if account is not None and account.is_active and account.has_usable_password():
        raise ValidationError(_("This person already has portal access."))
    if not permissions.may_invite_account(actor, account, role):
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

    link, token = _issue_link(
        user=account, purpose=AccountLink.Purpose.INVITATION, invited_by=actor
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
            "expires_at": link.expires_at,
        },
    )
    audit(
        action=Action.INVITATION_SENT,
        actor=actor,
        target=person,
        request=request,
        details={"role": role},
    )
    return link


def _issue_link(
    *, user: User, purpose: str, invited_by: User | None = None
) -> tuple[AccountLink, str]:
    """A new one-time link for `user`; the links sent before stop working."""
    AccountLink.objects.filter(user=user).revoke()
    return AccountLink.objects.issue(
        valid_for=AccountLink.valid_for(purpose),
        user=user,
        purpose=purpose,
        invited_by=invited_by,
        role=user.role,
    )


# Asking again within this time sends nothing more, so that nobody can flood an inbox.
RESET_INTERVAL = timedelta(minutes=2)
# A request its task has not handled by then lost the task.
PENDING_RESET = timedelta(minutes=1)


def password_reset_request(*, email: str, client_ip: str | None = None) -> None:
    """Ask for a link to choose a new password. The same work whatever the address: the
    request is stored and a task looks the address up, so the answer reveals nothing."""
    from stakeholders.tasks import handle_password_reset

    asked = PasswordResetRequest.objects.create(email=email.strip()[:254], client_ip=client_ip)
    # robust: with the broker down the request waits for beat (send_pending_password_resets).
    transaction.on_commit(lambda: handle_password_reset.delay(asked.pk), robust=True)


@transaction.atomic
def password_reset_handle(*, request_id: int) -> bool:
    """Handle one stored request: deleting it claims it, so it is handled once; True when
    a link went out."""
    asked = PasswordResetRequest.objects.filter(pk=request_id).first()
    if asked is None or PasswordResetRequest.objects.filter(pk=request_id).delete()[0] != 1:
        return False
    return _password_reset_send(email=asked.email, client_ip=asked.client_ip)


def password_resets_pending() -> int:
    """Handle the requests whose task was lost (broker down); beat runs it every minute."""
    pending = PasswordResetRequest.objects.filter(
        created_at__lt=timezone.now() - PENDING_RESET
    ).values_list("pk", flat=True)
    return sum(password_reset_handle(request_id=pk) for pk in list(pending[:500]))


def _password_reset_send(*, email: str, client_ip: str | None = None) -> bool:
    """Email a one-time link if an active account has this address; True when one went."""
    account = (
        User.objects.select_related("person")
        .filter(email__iexact=email, is_active=True, person__isnull=False)
        .first()
    )
    if account is None or account.person is None:
        return False
    recent = AccountLink.objects.filter(
        user=account,
        purpose=AccountLink.Purpose.PASSWORD_RESET,
        created_at__gt=timezone.now() - RESET_INTERVAL,
    )
    if recent.exists():
        return False
    link, token = _issue_link(user=account, purpose=AccountLink.Purpose.PASSWORD_RESET)
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
    audit(
        action=Action.PASSWORD_RESET_REQUESTED,
        target=person,
        ip_address=client_ip,
    )
    return True


def link_lookup(token: str) -> tuple[AccountLink | None, TokenState]:
    """The account link a token opens and whether it may still be used."""
    link = AccountLink.objects.select_related("user__person", "invited_by__person").find(token)
    if link is None:
        return None, TokenState.UNKNOWN
    return link, _state(link)


def _state(link: AccountLink) -> TokenState:
    state = link.state()
    if state == TokenState.VALID and not link.user.is_active:
        return TokenState.REVOKED
    return state


@transaction.atomic
def password_set(*, token: str, password: str, request: HttpRequest | None = None) -> User:
    """Set the account's password from an invitation or reset link, and use the link up."""
    link = AccountLink.objects.select_related("user").find(token)
    if link is None or _state(link) != TokenState.VALID:
        raise ValidationError(_("This link can no longer be used."))
    user = link.user
    validate_password(password, user)
    # Using it up must change exactly this one unused row (SQLite has no row locks).
    if not link.use():
        raise ValidationError(_("This link can no longer be used."))
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(
        action=Action.INVITATION_ACCEPTED
        if link.purpose == AccountLink.Purpose.INVITATION
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
    AccountLink.objects.filter(user=user).revoke()


@transaction.atomic
def account_change_role(
    *, actor: User, user: User, role: str, request: HttpRequest | None = None
) -> None:
    """Change the role of an account (secretariat); it applies on the user's next request."""
    if not permissions.can_manage_accounts(actor):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."))
    if role == user.role:
        return
    if permissions.is_last_secretariat(user):
        raise ValidationError(_("The last active secretariat account cannot lose its role."))
    previous = user.role
    user.role = role
    user.save(update_fields=["role"])
    _delete_sessions(user)
    audit(
        action=Action.ROLE_CHANGED,
        actor=actor,
        target=user.person or user,
        request=request,
        details={"from": previous, "to": role},
    )


def _ended_login_sessions() -> QuerySet[LoginSession]:
    live = Session.objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    )
    return LoginSession.objects.exclude(Exists(live))


def record_login_session(*, user: User, session_key: str | None) -> None:
    """Remember the session a login opened; forget the user's sessions that have ended."""
    if not session_key:
        return
    _ended_login_sessions().filter(user=user).delete()
    LoginSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


def forget_ended_login_sessions() -> int:
    """Delete the records of logins whose session has ended (beat, every few hours)."""
    return _ended_login_sessions().delete()[0]


def _delete_sessions(user: User) -> int:
    """Delete the user's sessions, so that they are logged out at once."""
    keys = LoginSession.objects.filter(user=user).values("session_key")
    deleted = Session.objects.filter(session_key__in=keys).delete()[0]
    LoginSession.objects.filter(user=user).delete()
    return deleted


def _end_access(user: User) -> None:
    """What ends with an account's access: its sessions, its links, and (told by the
    signal) what other apps gave its person."""
    # Imported here: the signals module imports this one for its login receivers.
    from stakeholders.signals import access_ended

    _delete_sessions(user)
    AccountLink.objects.filter(user=user).revoke()
    access_ended.send(sender=User, user=user, person=user.person)


def account_close(*, user: User, email: str) -> None:
    """Close an account for good (anonymisation): no login, no links, no sessions, no
    calendar feeds."""
    user.email = email
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "is_active", "password"])
    _end_access(user)


@transaction.atomic
def account_set_active(
    *, actor: User, user: User, active: bool, request: HttpRequest | None = None
) -> None:
    """End an account's access at once, or restore it (secretariat). The person stays."""
    if not permissions.can_manage_accounts(actor):
        raise PermissionDenied
    if user.is_active == active:
        return
    person = user.person
    if active and person is not None and (not person.is_active or person.anonymised_at):
        raise ValidationError(_("Reactivate the person first; an anonymised person stays closed."))
    if not active and permissions.is_last_secretariat(user):
        raise ValidationError(_("The last active secretariat account cannot be deactivated."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _end_access(user)
    audit(
        action=Action.ACCOUNT_REACTIVATED if active else Action.ACCOUNT_DEACTIVATED,
        actor=actor,
        target=user.person or user,
        request=request,
    )
