"""Organisations, the people in them, and the portal accounts of some of those people."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from portal.lib.text import fold


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


class MechanismRole(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    ALTERNATE = "alternate", _("Alternate")
    MEMBER = "member", _("Member")


class IatiOrganisationType(models.TextChoices):
    GOVERNMENT = "10", _("Government")
    OTHER_PUBLIC_SECTOR = "15", _("Other public sector")
    INTERNATIONAL_NGO = "21", _("International NGO")
    NATIONAL_NGO = "22", _("National NGO")
    MULTILATERAL = "40", _("Multilateral")
    PRIVATE_SECTOR = "70", _("Private sector")
    ACADEMIC = "80", _("Academic, training and research")


def _is_secretariat(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_secretariat", False))


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User | AnonymousUser) -> OrganisationQuerySet:
        """Every portal user reads the directory; only the secretariat sees inactive records."""
        if not user.is_authenticated or not user.is_active or not getattr(user, "role", ""):
            return self.none()
        if _is_secretariat(user):
            return self.all()
        return self.filter(is_active=True)

    def search(self, query: str) -> OrganisationQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
    name_uz = models.CharField(_("name in Uzbek"), max_length=255, blank=True)
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("Acronym, e.g. IOM.")
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=40, choices=StakeholderGroup.choices
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_("For example XM-DAC-41127 (UNODC)."),
    )
    iati_type = models.CharField(
        _("IATI organisation type"),
        max_length=2,
        choices=IatiOrganisationType.choices,
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        related_name="merged_from",
        null=True,
        blank=True,
        editable=False,
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_ci_unique",
                violation_error_message=_("An organisation with this name already exists."),
            ),
            models.UniqueConstraint(
                "iati_identifier",
                condition=~models.Q(iati_identifier=""),
                name="organisation_iati_identifier_unique",
                violation_error_message=_("Another organisation already has this IATI identifier."),
            ),
            models.CheckConstraint(
                condition=models.Q(stakeholder_group__in=StakeholderGroup.values),
                name="organisation_stakeholder_group_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="organisation_not_its_own_parent",
            ),
        ]
        indexes = [models.Index(fields=["stakeholder_group", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:organisation_detail", args=[self.pk])

    def refresh_search_text(self) -> None:
        """Fill the stored search column; every write path calls this, bulk writes included."""
        self.search_text = fold(self.name, self.name_ru, self.name_uz, self.short_name)

    @property
    def display_name(self) -> str:
        return self.short_name or self.local_name

    @property
    def local_name(self) -> str:
        """The name in the reader's language when there is one."""
        language = get_language() or ""
        if language.startswith("ru") and self.name_ru:
            return self.name_ru
        if language.startswith("uz") and self.name_uz:
            return self.name_uz
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User | AnonymousUser) -> PersonQuerySet:
        """Every portal user reads the people; only the secretariat sees inactive ones."""
        if not user.is_authenticated or not user.is_active or not getattr(user, "role", ""):
            return self.none()
        if _is_secretariat(user):
            return self.all()
        return self.filter(is_active=True)

    def search(self, query: str, *, by_email: bool = True) -> PersonQuerySet:
        """People whose name or position contains the query; by email too unless told not."""
        folded = fold(query)
        if not folded:
            return self
        match = models.Q(search_text__contains=folded)
        if by_email:
            match |= models.Q(email__icontains=folded)
        return self.filter(match)


class Person(models.Model):
    """A contact in the directory; some people also have a portal account."""

    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=Language.choices,
        default=Language.ENGLISH,
    )
    mechanism_role = models.CharField(
        _("role in the mechanism"),
        max_length=20,
        choices=MechanismRole.choices,
        default=MechanismRole.MEMBER,
    )
    email_meeting_reminders = models.BooleanField(
        _("meeting reminders by email"),
        default=True,
        help_text=_("Reminders before meetings you are invited to."),
    )
    email_action_item_reminders = models.BooleanField(
        _("action item reminders by email"),
        default=True,
        help_text=_("Reminders of action items your organisation follows up."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(is_active=True) & ~models.Q(email=""),
                name="person_active_email_ci_unique",
                violation_error_message=_("An active person already has this email address."),
            ),
            models.CheckConstraint(
                condition=models.Q(preferred_language__in=Language.values),
                name="person_preferred_language_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(mechanism_role__in=MechanismRole.values),
                name="person_mechanism_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:person_detail", args=[self.pk])

    def refresh_search_text(self) -> None:
        """Fill the stored search column; every write path calls this, bulk writes included."""
        self.search_text = fold(self.full_name, self.position)

    @property
    def has_account(self) -> bool:
        return hasattr(self, "user")

    def contact_visible_to(self, user: User | AnonymousUser) -> bool:
        """Donors see the email and phone of their own organisation's people only."""
        if not user.is_authenticated:
            return False
        if getattr(user, "is_donor", False):
            own = getattr(user, "organisation", None)
            return own is not None and own.pk == self.organisation_id
        return True


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def visible_to(self, user: User | AnonymousUser) -> models.QuerySet[User]:
        """The list of accounts is the secretariat's."""
        return self.all() if _is_secretariat(user) else self.none()

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


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def visible_to(self, user: User | AnonymousUser) -> ImportBatchQuerySet:
        """Imports are the secretariat's."""
        return self.all() if _is_secretariat(user) else self.none()


class ImportBatch(models.Model):
    """An uploaded file of organisations or people, kept from preview to confirmation."""

    class Kind(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organisations")
        PEOPLE = "people", _("People")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Awaiting confirmation")
        APPLIED = "applied", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREVIEW
    )
    file_name = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(_("rows"), default=list)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["organisations", "people"]),
                name="import_batch_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["preview", "applied", "discarded"]),
                name="import_batch_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"


class AccountInvitation(models.Model):
    """A one-time link that lets a person set their password and start using their account.

    Only the token's hash is kept. A newer invitation for the same person
    revokes the older ones.
    """

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        PASSWORD_RESET = "password_reset", _("Password reset")

    VALID_FOR = timedelta(days=7)
    RESET_VALID_FOR = timedelta(days=1)

    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.INVITATION
    )
    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @classmethod
    def valid_for(cls, purpose: str) -> timedelta:
        return cls.RESET_VALID_FOR if purpose == cls.Purpose.PASSWORD_RESET else cls.VALID_FOR

    @property
    def is_pending(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class LoginSession(models.Model):
    """Which session a login opened, so that ending an account's access can end its sessions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
