"""Portal accounts: logins with a role, their one-time links and their sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.tokens import SecretToken
from stakeholders.models.choices import Role
from stakeholders.models.directory import Organisation, Person


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def visible_to(self, user: User | AnonymousUser) -> models.QuerySet[User]:
        """The accounts `user` may read (stakeholders.permissions)."""
        from stakeholders.permissions import account_visibility

        return self.filter(account_visibility(user))

    def get_by_natural_key(self, username: str | None) -> User:
        # Logging in ignores the letter case of the email address.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Its role is the one place the portal stores what a user may do."""

    email = models.EmailField(_("email address"), max_length=254)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="user",
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can open the Django admin."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("A user with this email address already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[*Role.values, ""]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        if self.person_id and self.person and self.person.full_name:
            return self.person.full_name
        return self.email

    @property
    def organisation(self) -> Organisation | None:
        return self.person.organisation if self.person_id and self.person else None

    @property
    def preferred_language(self) -> str | None:
        return self.person.preferred_language if self.person_id and self.person else None

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class AccountLink(SecretToken):
    """A one-time link to set a password: an invitation to a new account, or a reset.

    Single use; sending a new one revokes the account's links sent before, so at
    most one per account and purpose is live.
    """

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        PASSWORD_RESET = "password_reset", _("Password reset")

    SINGLE_USE = True
    VALID_FOR = timedelta(days=7)
    RESET_VALID_FOR = timedelta(days=1)

    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.INVITATION
    )
    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="account_links"
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("account link")
        verbose_name_plural = _("account links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="account_link_expires_after_creation",
            ),
            models.UniqueConstraint(
                "user",
                "purpose",
                condition=models.Q(revoked_at=None, last_used_at=None),
                name="account_link_one_live_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @classmethod
    def valid_for(cls, purpose: str) -> timedelta:
        return cls.RESET_VALID_FOR if purpose == cls.Purpose.PASSWORD_RESET else cls.VALID_FOR


class LoginSession(models.Model):
    """Which session a login opened, so that ending an account's access can end its sessions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class PasswordResetRequest(models.Model):
    """An address someone asked a password link for, until a task has handled it.

    Written for any address, known or not, so that asking reveals nothing; a broker
    outage delays the link and loses nothing. Deleted once handled.
    """

    email = models.EmailField(_("email address"))
    client_ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class EmailChoice(models.TextChoices):
    """The emails a person may turn off, each named by the field that holds the choice."""

    MEETING_REMINDERS = "email_meeting_reminders", _("meeting reminders")
    ACTION_ITEM_REMINDERS = "email_action_item_reminders", _("action item reminders")
    WEEKLY_DIGEST = "email_weekly_digest", _("the weekly digest")


class UnsubscribeLink(SecretToken):
    """The link in an optional email that turns that kind of email off, without a login.
    One per email; reusable (a mail program may open it, and one-click unsubscribing posts
    to it), so that turning the emails off never fails for having been tried before."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    choice = models.CharField(_("emails"), max_length=40, choices=EmailChoice.choices)

    class Meta:
        verbose_name = _("unsubscribe link")
        verbose_name_plural = _("unsubscribe links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(choice__in=EmailChoice.values), name="unsubscribe_choice_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Unsubscribe link {self.pk} ({self.choice})"

    @property
    def choice_label(self) -> str:
        return str(EmailChoice(self.choice).label)
