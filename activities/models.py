"""Partners' activities: what they run (trainings, study visits, campaigns), where, for whom,
with how many participants, reviewed by the secretariat before the figures count.

Vocabularies follow DOMAIN.md; codes are stored, labels shown in the reader's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from meetings.models import FrameworkReference, Meeting
from portal.lib.search import FoldedSearch
from portal.lib.sensitivity import Labelled
from portal.lib.uploads import FileType
from portal.lib.urls import record_url
from portal.lib.versions import Versioned
from stakeholders.models import Organisation

if TYPE_CHECKING:
    from stakeholders.models import User


class Pillar(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    PROTECTION = "protection", _("Protection")
    PROSECUTION = "prosecution", pgettext_lazy("pillar", "Prosecution")
    PARTNERSHIP = "partnership", _("Partnership")


class ActivityType(models.TextChoices):
    TRAINING = "training", _("Training")
    TRAINING_OF_TRAINERS = "training_of_trainers", _("Training of trainers")
    STUDY_VISIT = "study_visit", _("Study visit")
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")
    AWARENESS_CAMPAIGN = "awareness_campaign", _("Awareness campaign")
    LEGAL_POLICY_DRAFTING = "legal_policy_drafting", _("Legal and policy drafting")
    RESEARCH_ASSESSMENT = "research_assessment", _("Research and assessment")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    VICTIM_SERVICES_SUPPORT = "victim_services_support", _("Support to victim services")


class TargetGroup(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTORS = "prosecutors", _("Prosecutors")
    JUDGES = "judges", _("Judges")
    BORDER_MIGRATION_OFFICERS = "border_migration_officers", _("Border and migration officers")
    AIRPORT_TRANSPORT_STAFF = "airport_transport_staff", _("Airport and transport staff")
    LABOUR_INSPECTORS = "labour_inspectors", _("Labour inspectors")
    CONSULAR_STAFF = "consular_staff", _("Consular staff")
    SOCIAL_WORKERS = "social_workers", _("Social workers")
    EDUCATORS_STUDENTS = "educators_students", _("Educators and students")
    LABOUR_MIGRANTS = "labour_migrants", _("Labour migrants")
    MEDIA = "media", _("Media")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    GENERAL_PUBLIC = "general_public", _("General public")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# The IATI activity-status code of each status (a completed activity is 3 until closed).
IATI_STATUS = {"planned": 1, "ongoing": 2, "completed": 3, "cancelled": 5, "postponed": 6}
# Statuses in which an activity has actually started, so may carry actual dates.
UNDER_WAY = (ActivityStatus.ONGOING, ActivityStatus.COMPLETED)


class ReviewState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("activity review", "Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class Region(models.TextChoices):
    """The regions of Uzbekistan by their ISO 3166-2:UZ codes."""

    KARAKALPAKSTAN = "UZ-QR", _("Republic of Karakalpakstan")
    ANDIJAN = "UZ-AN", _("Andijan")
    BUKHARA = "UZ-BU", _("Bukhara")
    FERGANA = "UZ-FA", _("Fergana")
    JIZZAKH = "UZ-JI", _("Jizzakh")
    KASHKADARYA = "UZ-QA", _("Kashkadarya")
    KHOREZM = "UZ-XO", _("Khorezm")
    NAMANGAN = "UZ-NG", _("Namangan")
    NAVOIY = "UZ-NW", _("Navoiy")
    SAMARKAND = "UZ-SA", _("Samarkand")
    SURKHANDARYA = "UZ-SU", _("Surkhandarya")
    SYRDARYA = "UZ-SI", _("Syrdarya")
    TASHKENT_REGION = "UZ-TO", _("Tashkent Region")
    TASHKENT_CITY = "UZ-TK", _("Tashkent City")


class LocationKind(models.TextChoices):
    REGION = "region", _("Region of Uzbekistan")
    NATIONAL = "national", _("Nationwide")
    COUNTRY = "country", _("Abroad")


class ActivityModality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class OrganisationRole(models.IntegerChoices):
    """IATI's participating-organisation roles."""

    FUNDING = 1, _("Funding")
    ACCOUNTABLE = 2, _("Accountable")
    EXTENDING = 3, _("Extending")
    IMPLEMENTING = 4, _("Implementing")


class Award(Versioned):
    """A donor's funding award, kept by the secretariat; activities name the one that funds
    them, so a donor sees what its money did."""

    donor = models.ForeignKey(
        Organisation, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="awards"
    )
    number = models.CharField(_("award number"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    starts_on = models.DateField(_("runs from"))
    ends_on = models.DateField(_("runs until"))
    ceiling = models.DecimalField(
        _("ceiling"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)

    class Meta:
        ordering = ["donor__name", "number"]
        verbose_name = _("funding award")
        verbose_name_plural = _("funding awards")
        constraints = [
            models.UniqueConstraint(fields=["donor", "number"], name="award_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="award_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ceiling__isnull=True) | Q(ceiling__gte=0), name="award_ceiling"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The award cannot end before it starts.")})
        if self.ceiling is not None and not self.currency:
            raise ValidationError({"currency": _("Say the ceiling's currency.")})


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: User | AnonymousUser) -> ActivityQuerySet:
        from activities.permissions import activity_visibility

        return self.filter(activity_visibility(user))


class Activity(FoldedSearch, Labelled, Versioned):
    """An activity a partner runs, reviewed before its figures count."""

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    external_id = models.CharField(
        _("own reference"),
        max_length=60,
        blank=True,
        help_text=_("Your organisation's own reference for it, if any."),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(
        pgettext_lazy("activity", "type"), max_length=30, choices=ActivityType.choices
    )
    primary_pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices)
    other_pillars = models.JSONField(_("other pillars"), default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="activities_led",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    modality = models.CharField(
        _("modality"),
        max_length=20,
        choices=ActivityModality.choices,
        default=ActivityModality.IN_PERSON,
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    award = models.ForeignKey(
        Award,
        verbose_name=_("funding award"),
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("announced at"),
        on_delete=models.SET_NULL,
        related_name="activities",
        null=True,
        blank=True,
    )
    outcome_summary = models.TextField(_("outcome summary"), blank=True)
    framework_references = models.ManyToManyField(
        FrameworkReference,
        verbose_name=_("framework references"),
        related_name="activities",
        blank=True,
        help_text=_(
            "The measures of the National Action Plan and the TIP recommendations it answers."
        ),
    )
    review_state = models.CharField(
        _("review"), max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    # Approved on submitting, its lead organisation being trusted: it may still be returned.
    approved_on_trust = models.BooleanField(_("approved on trust"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_start", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="activity_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=False, actual_end__gte=F("actual_start")),
                name="activity_actual_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=UNDER_WAY)
                | Q(actual_start__isnull=True, actual_end__isnull=True),
                name="activity_actual_dates_when_under_way",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="activity_budget"
            ),
            models.UniqueConstraint(
                fields=["lead_organisation", "external_id"],
                condition=~Q(external_id=""),
                name="activity_external_id_unique",
                violation_error_message=_(
                    "The lead organisation has another activity with this reference."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["review_state", "planned_start"], name="activity_review"),
            models.Index(fields=["type", "planned_start"], name="activity_type"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return record_url("activities:activity_detail", self.pk)

    def search_parts(self) -> tuple[str, ...]:
        return (self.code, self.title, self.description, self.external_id)

    @property
    def type_label(self) -> str:
        return str(ActivityType(self.type).label)

    @property
    def pillar_label(self) -> str:
        return str(Pillar(self.primary_pillar).label)

    @property
    def status_label(self) -> str:
        return str(ActivityStatus(self.status).label)

    @property
    def review_label(self) -> str:
        return str(ReviewState(self.review_state).label)

    @property
    def target_group_labels(self) -> list[str]:
        return [
            str(TargetGroup(code).label)
            for code in self.target_groups
            if code in TargetGroup.values
        ]

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if (self.actual_start or self.actual_end) and self.status not in UNDER_WAY:
            errors["actual_start"] = _(
                "Actual dates are for an activity that is ongoing or completed."
            )
        if self.actual_end and not self.actual_start:
            errors["actual_start"] = _("An actual end needs an actual start.")
        elif self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end cannot be before the actual start.")
        if bad := [g for g in self.target_groups if g not in TargetGroup.values]:
            errors["target_groups"] = _("Unknown target groups: %(codes)s.") % {
                "codes": ", ".join(map(str, bad))
            }
        if bad := [p for p in self.other_pillars if p not in Pillar.values]:
            errors["other_pillars"] = _("Unknown pillars: %(codes)s.") % {
                "codes": ", ".join(map(str, bad))
            }
        if self.budget is not None and not self.currency:
            errors["currency"] = _("Say the budget's currency.")
        if errors:
            raise ValidationError(errors)


class ActivityOrganisation(models.Model):
    """Another organisation taking part in an activity, in one of IATI's roles."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activity_roles",
    )
    role = models.PositiveSmallIntegerField(
        _("role"), choices=OrganisationRole.choices, default=OrganisationRole.IMPLEMENTING
    )

    class Meta:
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation", "role"], name="activity_organisation_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=OrganisationRole.values), name="activity_organisation_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} ({self.role})"


class ActivityLocation(models.Model):
    """Where an activity takes place: a region of Uzbekistan, the whole country, or abroad."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="locations")
    kind = models.CharField(_("where"), max_length=10, choices=LocationKind.choices)
    region = models.CharField(_("region"), max_length=5, choices=Region.choices, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)

    class Meta:
        ordering = ["kind", "region", "country"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="region", country="") & ~Q(region="")
                | Q(kind="national", region="", country="")
                | Q(kind="country", region="") & ~Q(country=""),
                name="activity_location_kind",
            ),
            models.UniqueConstraint(
                fields=["activity", "kind", "region", "country"], name="activity_location_unique"
            ),
        ]
        # The list's region filter looks activities up by region.
        indexes = [models.Index(fields=["region", "activity"], name="activity_location_region")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == LocationKind.REGION:
            return str(Region(self.region).label)
        if self.kind == LocationKind.COUNTRY:
            from django_countries import countries

            return str(countries.name(self.country)) or self.country
        return str(LocationKind.NATIONAL.label)


class ActivityParticipants(models.Model):
    """How many took part, by sex, for one target group at one of the activity's locations.
    Counts only: never names."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    target_group = models.CharField(_("target group"), max_length=40, choices=TargetGroup.choices)
    location = models.ForeignKey(
        ActivityLocation,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    female = models.PositiveIntegerField(_("women"), default=0)
    male = models.PositiveIntegerField(_("men"), default=0)
    undisclosed = models.PositiveIntegerField(
        pgettext_lazy("participants", "not disclosed"), default=0
    )

    class Meta:
        verbose_name = _("participants")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "target_group", "location"],
                name="activity_participants_unique",
            ),
            models.CheckConstraint(
                condition=Q(female__gte=0, male__gte=0, undisclosed__gte=0),
                name="activity_participants_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_group} @ {self.location_id}"

    @property
    def total(self) -> int:
        return self.female + self.male + self.undisclosed

    @property
    def target_group_label(self) -> str:
        return str(TargetGroup(self.target_group).label)


class RevisionState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REVISION = (RevisionState.SUBMITTED, RevisionState.RETURNED)


class ActivityRevision(models.Model):
    """Changes a partner proposes to an approved activity. Until the secretariat approves
    them, the activity as approved is what every list, figure and export reads."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="revisions")
    state = models.CharField(
        _("state"), max_length=20, choices=RevisionState.choices, default=RevisionState.SUBMITTED
    )
    # The proposed values of the activity's own fields (dates written ISO, records by id).
    fields = models.JSONField(_("proposed fields"), default=dict)
    # The proposed places, [kind, region, country] each, when they change.
    places = models.JSONField(_("proposed places"), null=True, blank=True)
    # The proposed participant rows, [target group, [kind, region, country], women, men,
    # not disclosed] each, when they change.
    participants = models.JSONField(_("proposed participants"), null=True, blank=True)
    comment = models.TextField(_("review comment"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("activity revision")
        verbose_name_plural = _("activity revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(state__in=["submitted", "returned"]),
                name="activity_one_open_revision",
            ),
            models.CheckConstraint(
                condition=Q(state__in=RevisionState.values), name="activity_revision_state"
            ),
        ]

    def __str__(self) -> str:
        return f"Revision {self.pk} of {self.activity_id} ({self.state})"

    @property
    def state_label(self) -> str:
        return str(RevisionState(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REVISION


class TrustedOrganisation(models.Model):
    """An organisation whose activities and revisions are approved as they are submitted, so
    that one officer's review does not hold everyone up; the secretariat may still return
    them."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="activity_trust",
    )
    since = models.DateTimeField(_("trusted since"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("trusted organisation")
        verbose_name_plural = _("trusted organisations")

    def __str__(self) -> str:
        return f"Trusted: {self.organisation_id}"


class UpdateState(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    SUBMITTED = "submitted", _("Submitted activities")
    NOTHING_NEW = "nothing_new", _("Nothing new")


class CallForUpdates(models.Model):
    """Before a meeting, the secretariat asks the invited organisations to log or update
    their activities by a deadline; each answers by submitting, or says it has nothing new."""

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="call_for_updates",
    )
    deadline = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("call for updates")
        verbose_name_plural = _("calls for updates")

    def __str__(self) -> str:
        return f"Call for updates before {self.meeting_id}"

    def get_absolute_url(self) -> str:
        return record_url("activities:call_detail", self.pk)


class OrganisationUpdate(models.Model):
    """An invited organisation's answer to a call for updates; it changes once."""

    call = models.ForeignKey(CallForUpdates, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="update_answers",
    )
    state = models.CharField(
        _("answer"), max_length=20, choices=UpdateState.choices, default=UpdateState.PENDING
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("answer to a call for updates")
        verbose_name_plural = _("answers to calls for updates")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="organisation_update_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=UpdateState.values), name="organisation_update_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.state}"

    @property
    def state_label(self) -> str:
        return str(UpdateState(self.state).label)


class ActivityDocument(models.Model):
    """Evidence of an activity (an agenda, a report, photos of the training): read by those
    who read the activity, stored under a generated name."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="activity_document_not_empty")
        ]

    def __str__(self) -> str:
        return self.title


# Trend notes, the dashboard's targets and national figures, and its summary rows live in
# modules of their own (activities.trend_models, activities.dashboard_models,
# activities.summary_models); imported here, so that their models are this app's whichever
# module is loaded first.
from activities import dashboard_models, summary_models, trend_models  # noqa: E402, F401
