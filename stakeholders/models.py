"""Organisations, the people in them, and the portal accounts of some of those people."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StakeholderGroup(models.TextChoices):
    NATIONAL_COORDINATION_BODY = "national_coordination_body", _("National coordination body")
    MINISTRY = "ministry", _("Ministry")
    JUDICIARY = "judiciary", _("Judiciary")
    PROSECUTION = "prosecution", _("Prosecution")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    PARLIAMENT = "parliament", _("Parliament")
    EMBASSY = "embassy", _("Embassy")
    DONOR = "donor", _("Donor")
    UN_AGENCY = "un_agency", _("UN agency")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    INTERNATIONAL_NGO = "international_ngo", _("International NGO")
    NATIONAL_NGO = "national_ngo", _("National NGO")
    ACADEMIA = "academia", _("Academia")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    MEDIA = "media", _("Media")


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    PARTNER = "partner", _("Partner")
    DONOR = "donor", _("Donor")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    UZBEK = "uz", _("Uzbek")


class DirectoryQuerySet(models.QuerySet):
    """Directory records: every logged-in portal user may read them."""

    def visible_to(self, user: User | AnonymousUser) -> DirectoryQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=40, choices=StakeholderGroup.choices
    )

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(stakeholder_group__in=StakeholderGroup.values),
                name="organisation_stakeholder_group_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Person(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=Language.choices,
        default=Language.ENGLISH,
    )

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(preferred_language__in=Language.values),
                name="person_preferred_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

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
    def is_secretariat(self) -> bool:
        return self.is_active and self.role == Role.SECRETARIAT

    @property
    def is_partner(self) -> bool:
        return self.is_active and self.role == Role.PARTNER

    @property
    def is_donor(self) -> bool:
        return self.is_active and self.role == Role.DONOR

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
