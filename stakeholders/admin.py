"""The admin shows the directory and accounts read-only: every change goes through the
portal's pages and services, so that none skips the audit trail, the ending of sessions,
the last-secretariat rule or the email sync."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import ReadOnlyAdmin
from stakeholders.models import AccountLink, Organisation, Person, User


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin[Organisation]):
    list_display = ["name", "short_name", "stakeholder_group", "is_active"]
    list_filter = ["stakeholder_group", "is_active"]
    search_fields = ["name", "short_name"]
    exclude = ["name_key", "search_text"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin[Person]):
    list_display = ["full_name", "email", "organisation", "preferred_language", "is_active"]
    list_filter = ["preferred_language", "is_active"]
    search_fields = ["full_name", "email"]
    list_select_related = ["organisation"]
    exclude = ["search_text"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "role", "person", "is_active", "is_superuser", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "person__full_name"]
    list_select_related = ["person"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Portal"), {"fields": ("role", "person")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )


@admin.register(AccountLink)
class AccountLinkAdmin(ReadOnlyAdmin[AccountLink]):
    list_display = [
        "user",
        "purpose",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["purpose", "role"]
    list_select_related = ["user", "invited_by"]
    exclude = ["token_hash"]
