"""Organisations and the people in them: the stakeholder directory."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from portal.lib.search import FoldedSearch
from portal.lib.text import fold, in_reader_language, name_key
from portal.lib.urls import record_url
from portal.lib.versions import Versioned
from stakeholders.models.choices import (
    IatiOrganisationType,
    Language,
    MechanismRole,
    Sex,
    StakeholderGroup,
)

if TYPE_CHECKING:
    from stakeholders.models.accounts import User


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User | AnonymousUser) -> OrganisationQuerySet:
        """The organisations `user` may read (stakeholders.permissions)."""
        from stakeholders.permissions import organisation_visibility

        return self.filter(organisation_visibility(user))

    def search(self, query: str) -> OrganisationQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class Organisation(Versioned):
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
    # Official letters are addressed to the head of the organisation.
    head_name = models.CharField(_("head of the organisation"), max_length=200, blank=True)
    head_title = models.CharField(
        _("title of the head"),
        max_length=200,
        blank=True,
        help_text=_("For example Minister, Director, Ambassador."),
    )
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
    name_key = models.CharField(max_length=255, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["name_key", "search_text", "updated_at"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                name="organisation_name_key_unique",
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
        indexes = [
            models.Index(fields=["stakeholder_group", "is_active"]),
            # The lists sort by name: a page of 25 reads 25 rows, not the whole table.
            models.Index(Lower("name"), "id", name="organisation_name_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_search_text(self) -> None:
        """Fill the stored search and name-key columns; every write path calls this, bulk
        writes included."""
        self.name_key = name_key(self.name)
        self.search_text = fold(self.name, self.name_ru, self.name_uz, self.short_name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "search_text"}
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        # The name's key is checked before saving, and a clash is said of the name.
        self.refresh_search_text()
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            if "name_key" in getattr(error, "error_dict", {}):
                error.error_dict.setdefault("name", []).extend(error.error_dict.pop("name_key"))
            raise

    def get_absolute_url(self) -> str:
        return record_url("stakeholders:organisation_detail", self.pk)

    @property
    def stakeholder_group_label(self) -> str:
        # What get_stakeholder_group_display says, without building the choices on each call.
        return str(StakeholderGroup(self.stakeholder_group).label)

    @property
    def display_name(self) -> str:
        return self.short_name or self.local_name

    @property
    def local_name(self) -> str:
        """The name in the reader's language when there is one."""
        return in_reader_language(self.name, self.name_ru, self.name_uz)


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User | AnonymousUser) -> PersonQuerySet:
        """The people `user` may read (stakeholders.permissions)."""
        from stakeholders.permissions import person_visibility

        return self.filter(person_visibility(user))

    def search(self, query: str, *, by_email: bool = True) -> PersonQuerySet:
        """People whose name or position contains the query; by email too unless told not."""
        folded = fold(query)
        if not folded:
            return self
        match = models.Q(search_text__contains=folded)
        if by_email:
            match |= models.Q(email__icontains=folded)
        return self.filter(match)


class Person(FoldedSearch, Versioned):
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
    sex = models.CharField(
        _("sex"),
        max_length=12,
        choices=Sex.choices,
        default=Sex.UNDISCLOSED,
        help_text=_("Only counted, for reports of participants by sex."),
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
    email_weekly_digest = models.BooleanField(
        _("weekly digest by email"),
        default=True,
        help_text=_(
            "On Mondays: for the secretariat, what needs attention; for others, new documents "
            "of their meetings."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
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
            models.CheckConstraint(condition=models.Q(sex__in=Sex.values), name="person_sex_valid"),
        ]
        indexes = [
            models.Index(Lower("full_name"), "id", name="person_name_order"),
            # Lists count the active people: an index-only count, not a scan of the table.
            models.Index(fields=["is_active"], name="person_active"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def search_parts(self) -> tuple[str, ...]:
        return (self.full_name, self.position)

    def get_absolute_url(self) -> str:
        return record_url("stakeholders:person_detail", self.pk)

    @property
    def mechanism_role_label(self) -> str:
        return str(MechanismRole(self.mechanism_role).label)

    @property
    def has_account(self) -> bool:
        return hasattr(self, "user")
