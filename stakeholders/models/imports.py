"""Files of organisations or people, kept from upload to confirmation."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from stakeholders.models.accounts import User


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def visible_to(self, user: User | AnonymousUser) -> ImportBatchQuerySet:
        """The batches `user` may read (stakeholders.permissions)."""
        from stakeholders.permissions import import_batch_visibility

        return self.filter(import_batch_visibility(user))


class ImportBatch(models.Model):
    """An uploaded file of records (see `stakeholders.imports.kinds`), kept until imported."""

    class Kind(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organisations")
        PEOPLE = "people", _("People")
        ACTIVITIES = "activities", _("Activities")
        FRAMEWORK_REFERENCES = "framework_references", _("Framework references")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Awaiting confirmation")
        QUEUED = "queued", _("Waiting to be imported")
        RUNNING = "running", _("Importing")
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
    # How far a running import is: rows written of rows in the file (see imports.apply).
    confirmed_by = models.ForeignKey(
        User,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # When the batch was queued or started, to find one a lost task or a dead worker left.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    progress = models.PositiveIntegerField(_("rows imported"), default=0)
    total = models.PositiveIntegerField(_("rows to import"), default=0)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["organisations", "people", "activities", "framework_references"]
                ),
                name="import_batch_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["preview", "queued", "running", "applied", "discarded"]
                ),
                name="import_batch_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
