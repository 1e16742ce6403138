from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from stakeholders.models import AccountInvitation, Organisation, Person, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "stakeholder_group"]
    list_filter = ["stakeholder_group"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "organisation", "preferred_language"]
    list_filter = ["preferred_language", "organisation"]
    search_fields = ["full_name", "email"]
    list_select_related = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "role", "person", "is_active", "is_superuser", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "person__full_name"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Portal"), {"fields": ("role", "person")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),
    )


@admin.register(AccountInvitation)
class AccountInvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "purpose", "role", "invited_by", "created_at", "expires_at", "used_at"]
    list_filter = ["purpose", "role"]
    list_select_related = ["user", "invited_by"]
    exclude = ["token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
