from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoRecord(models.Model):
    """Remembers which row `load_demo` made for each piece of the demo story.

    The demo data is found again through this key, never through a name a user
    can change, so a renamed demo record stays as the user left it.
    """

    key = models.CharField(max_length=100, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    def __str__(self) -> str:
        return self.key


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: object) -> "AuditEventQuerySet":
        """The whole trail for those an app registered as its readers; nothing for others."""
        from portal.lib import audit

        return self.all() if audit.may_read(user) else self.none()


class AuditEvent(models.Model):
    """Something a person did that the secretariat must be able to trace. Append-only.

    Never holds a secret: no password, no token, no link that opens anything.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    # Each app registers its actions and their labels (portal.lib.audit).
    action = models.CharField(_("what"), max_length=40, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_label = models.CharField(_("record"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def get_action_display(self) -> str:
        from portal.lib import audit

        return str(audit.action_label(self.action))

    @property
    def details_display(self) -> list[tuple[str, str]]:
        from portal.lib import audit

        return audit.details_display(self.details)


class OutboundEmail(models.Model):
    """An email waiting to go out, written in the same transaction as its cause.

    A task sends it after commit; a periodic task sends whatever is still
    pending, so a broker outage delays mail and never fails a form. A claim whose
    worker vanished mid-send becomes `unknown`: the mail server may have taken it, so
    it is shown, and resent only by hand.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown")

    kind = models.CharField(_("kind"), max_length=50)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    # Text attachments, such as a calendar entry: [{"filename", "mimetype", "content",
    # "params"}], the params being those of the Content-Type (e.g. {"method": "REQUEST"}).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # After a failed attempt, not before this time (exponential back-off).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Extra headers, such as List-Unsubscribe on the emails one may turn off.
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # A failed or unknown email sent again by hand: the copy that went instead.
    resent_as = models.OneToOneField(
        "self",
        verbose_name=_("resent as"),
        on_delete=models.SET_NULL,
        related_name="resent_from",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "sending", "sent", "failed", "unknown"]),
                name="outbound_email_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.state})"


class DataVersion(models.Model):
    """A number that moves on after committed writes: one row for the records the dashboard
    counts, one for everything pages show (see `portal.dataversion`). What is cached is kept
    under the number it was computed at, so a write makes every earlier entry unreachable."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self) -> str:
        return str(self.version)
