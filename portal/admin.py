from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from portal.models import AuditEvent, OutboundEmail


class ReadOnlyAdmin[M: models.Model](admin.ModelAdmin[M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin[AuditEvent]):
    list_display = ["created_at", "action", "actor_label", "target_label", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin[OutboundEmail]):
    list_display = ["created_at", "kind", "recipient", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient"]
    exclude = ["body", "html_body"]
