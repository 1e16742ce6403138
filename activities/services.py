"""Writes to activities: logging them, where they happen and who took part, and their review.

Each service checks who may do it (`activities.permissions`) and raises `PermissionDenied`
or a `ValidationError` a person can read; views call them, never the models.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import permissions
from activities.audit import Action
from activities.models import (
    OPEN_REVISION,
    Activity,
    ActivityDocument,
    ActivityLocation,
    ActivityOrganisation,
    ActivityParticipants,
    ActivityRevision,
    Award,
    CallForUpdates,
    LocationKind,
    OrganisationUpdate,
    ReviewState,
    RevisionState,
    TrustedOrganisation,
    UpdateState,
)
from meetings.models import FrameworkReference, Meeting
from meetings.services.frameworks import references_set, split_tags
from portal.lib import uploads
from portal.lib.audit import audit
from portal.lib.sensitivity import check_named_people
from portal.lib.uploads import UploadRefused, check_upload
from portal.lib.versions import claim_fresh, claim_version
from stakeholders.models import Organisation, User


@dataclass(frozen=True)
class Place:
    """A location as a form gives it: a region code, the whole country, or a country code."""

    kind: str
    region: str = ""
    country: str = ""


@dataclass(frozen=True)
class Count:
    """A participant row as a form gives it."""

    target_group: str
    location: ActivityLocation
    female: int
    male: int
    undisclosed: int


def _split(
    data: dict[str, Any], named_people: list[Any] | None
) -> tuple[dict[str, Any], list[Any] | None, list[FrameworkReference] | None]:
    """A form's data apart from the named people and the framework references it holds."""
    data, tags = split_tags(data)
    if "named_people" in data:
        named_people = list(data["named_people"])
        data = {name: value for name, value in data.items() if name != "named_people"}
    return data, named_people, tags


def _check_fields(user: User, data: dict[str, Any]) -> None:
    if not set(data) <= permissions.ACTIVITY_FIELDS:
        raise PermissionDenied
    lead = data.get("lead_organisation")
    if lead is not None and not permissions.may_lead(user, lead.pk):
        raise ValidationError(
            {"lead_organisation": _("You log activities of your own organisation only.")}
        )


def _next_code(activity: Activity) -> str:
    year = activity.planned_start.year
    prefix = f"ACT-{year}-"
    highest = Activity.objects.filter(code__startswith=prefix).aggregate(n=Max("code"))["n"]
    number = int(highest.rsplit("-", 1)[1]) + 1 if highest else 1
    return f"{prefix}{number:04d}"


def _set_places(activity: Activity, places: list[Place]) -> None:
    """Make the activity's locations these; participant rows of a location removed go too."""
    wanted = {(p.kind, p.region, p.country) for p in places}
    for location in activity.locations.all():
        key = (location.kind, location.region, location.country)
        if key in wanted:
            wanted.discard(key)
        else:
            location.delete()
    for kind, region, country in sorted(wanted):
        location = ActivityLocation(activity=activity, kind=kind, region=region, country=country)
        location.full_clean(exclude=["activity"])
        location.save()


def _set_organisations(activity: Activity, organisations: list[tuple[Organisation, int]]) -> None:
    activity.organisations.all().delete()
    ActivityOrganisation.objects.bulk_create(
        ActivityOrganisation(activity=activity, organisation=organisation, role=role)
        for organisation, role in dict.fromkeys(organisations)
        if organisation.pk != activity.lead_organisation_id
    )


def _save(activity: Activity, named_people: list[Any] | None) -> None:
    activity.full_clean(exclude=["code"])
    if named_people is not None:
        check_named_people(activity.label, named_people)
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        raise ValidationError(
            {"external_id": _("The lead organisation has another activity with this reference.")}
        ) from None
    if named_people is not None:
        activity.named_people.set(named_people)


@transaction.atomic
def activity_create(
    *,
    user: User,
    data: dict[str, Any],
    places: list[Place],
    organisations: list[tuple[Organisation, int]] | None = None,
    named_people: list[Any] | None = None,
) -> Activity:
    """Log an activity as a draft, led by the user's organisation (the secretariat: any)."""
    if not permissions.can_create_activity(user):
        raise PermissionDenied
    data, named_people, tags = _split(data, named_people)
    _check_fields(user, data)
    if data.get("lead_organisation") is None:
        raise ValidationError({"lead_organisation": _("Say which organisation leads it.")})
    if not places:
        raise ValidationError({"regions": _("Say where the activity takes place.")})
    activity = Activity(created_by=user, **data)
    activity.code = "pending"
    activity.full_clean(exclude=["code"])
    # One new code at a time: the year's highest is read under this lock.
    Organisation.objects.select_for_update().filter(pk=activity.lead_organisation_id).first()
    activity.code = _next_code(activity)
    _save(activity, named_people or [])
    _set_places(activity, places)
    _set_organisations(activity, organisations or [])
    references_set(activity, tags)
    return activity


@transaction.atomic
def activity_update(
    *,
    user: User,
    activity: Activity,
    data: dict[str, Any],
    version: int,
    places: list[Place] | None = None,
    organisations: list[tuple[Organisation, int]] | None = None,
    named_people: list[Any] | None = None,
) -> Activity:
    """Change a draft or returned activity (the secretariat: any)."""
    if not permissions.can_edit_activity(user, activity):
        raise PermissionDenied
    data, named_people, tags = _split(data, named_people)
    _check_fields(user, data)
    claim_version(activity, version)
    for name, value in data.items():
        setattr(activity, name, value)
    _save(activity, named_people)
    if places is not None:
        if not places:
            raise ValidationError({"regions": _("Say where the activity takes place.")})
        _set_places(activity, places)
    if organisations is not None:
        _set_organisations(activity, organisations)
    references_set(activity, tags)
    return activity


def _check_rows(
    activity: Activity,
    rows: list[Count],
    *,
    allowed: set[Hashable],
    place_of: Callable[[ActivityLocation], Hashable],
) -> None:
    """Participant rows must count the activity's target groups at its places, each pair
    once, none negative. `place_of` names a row's place among the `allowed` ones: the
    location itself when it is saved, its (kind, region, country) in a revision."""
    errors = []
    seen = set()
    for number, row in enumerate(rows, start=1):
        place = place_of(row.location)
        if place not in allowed:
            errors.append(
                _("Row %(n)s: the location is not one of the activity's.") % {"n": number}
            )
        if row.target_group not in activity.target_groups:
            errors.append(
                _("Row %(n)s: the target group is not one of the activity's.") % {"n": number}
            )
        if min(row.female, row.male, row.undisclosed) < 0:
            errors.append(_("Row %(n)s: counts cannot be negative.") % {"n": number})
        if (row.target_group, place) in seen:
            errors.append(
                _("Row %(n)s: this target group and location are counted already.") % {"n": number}
            )
        seen.add((row.target_group, place))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def participants_set(*, user: User, activity: Activity, rows: list[Count]) -> None:
    """Record who took part: counts by target group and location, replacing earlier rows."""
    if not permissions.can_edit_activity(user, activity):
        raise PermissionDenied
    claim_fresh(activity)
    _check_rows(
        activity,
        rows,
        allowed=set(activity.locations.values_list("pk", flat=True)),
        place_of=lambda location: location.pk,
    )
    activity.participants.all().delete()
    ActivityParticipants.objects.bulk_create(
        ActivityParticipants(
            activity=activity,
            target_group=row.target_group,
            location=row.location,
            female=row.female,
            male=row.male,
            undisclosed=row.undisclosed,
        )
        for row in rows
    )


@transaction.atomic
def activity_submit(*, user: User, activity: Activity) -> None:
    """Send a draft or returned activity for the secretariat's review."""
    if not permissions.can_submit_activity(user, activity):
        raise PermissionDenied
    claim_fresh(activity)
    if activity.review_state not in permissions.EDITABLE_STATES:
        raise ValidationError(_("Only a draft or a returned activity is submitted."))
    if is_trusted(activity.lead_organisation_id):
        activity.review_state = ReviewState.APPROVED
        activity.approved_on_trust = True
        activity.review_comment = ""
        activity.save(
            update_fields=["review_state", "approved_on_trust", "review_comment", "updated_at"]
        )
        audit(action=Action.APPROVED_ON_TRUST, actor=user, target=activity)
        activities_submitted(activity.lead_organisation_id)
        return
    activity.review_state = ReviewState.SUBMITTED
    activity.save(update_fields=["review_state", "updated_at"])
    audit(action=Action.SUBMITTED, actor=user, target=activity)
    activities_submitted(activity.lead_organisation_id)


@transaction.atomic
def activity_approve(*, user: User, activity: Activity) -> None:
    """Approve a submitted activity: its figures count from now on."""
    if not permissions.can_review_activities(user):
        raise PermissionDenied
    claim_fresh(activity)
    if activity.review_state != ReviewState.SUBMITTED:
        raise ValidationError(_("Only a submitted activity is approved."))
    activity.review_state = ReviewState.APPROVED
    activity.review_comment = ""
    activity.approved_on_trust = False
    activity.save(
        update_fields=["review_state", "review_comment", "approved_on_trust", "updated_at"]
    )
    audit(action=Action.APPROVED, actor=user, target=activity)


@transaction.atomic
def activity_return(*, user: User, activity: Activity, comment: str) -> None:
    """Send a submitted activity back to its organisation, saying what to change."""
    if not permissions.can_review_activities(user):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    claim_fresh(activity)
    returnable = activity.review_state == ReviewState.SUBMITTED or (
        activity.review_state == ReviewState.APPROVED and activity.approved_on_trust
    )
    if not returnable:
        raise ValidationError(
            _("Only a submitted activity, or one approved on trust, is returned.")
        )
    activity.review_state = ReviewState.RETURNED
    activity.review_comment = comment
    activity.approved_on_trust = False
    activity.save(
        update_fields=["review_state", "review_comment", "approved_on_trust", "updated_at"]
    )
    audit(action=Action.RETURNED, actor=user, target=activity, details={"comment": comment})


def places_of(activity: Activity) -> list[Place]:
    return [
        Place(kind=location.kind, region=location.region, country=location.country)
        for location in activity.locations.all()
    ]


NATIONAL = Place(kind=LocationKind.NATIONAL)


AWARD_FIELDS = frozenset(
    {"donor", "number", "title", "starts_on", "ends_on", "ceiling", "currency"}
)


@transaction.atomic
def award_save(
    *, user: User, data: dict[str, Any], award: Award | None = None, version: int | None = None
) -> Award:
    """Record a funding award, or change one (with the version its form started from)."""
    if not permissions.can_manage_awards(user):
        raise PermissionDenied
    if not set(data) <= AWARD_FIELDS:
        raise PermissionDenied
    if award is None:
        award = Award()
    else:
        claim_version(award, version or 0)
    for name, value in data.items():
        setattr(award, name, value)
    award.full_clean()
    award.save()
    return award


# Revisions of approved activities


def _jsonable(value: Any) -> Any:
    """A field's value as a revision keeps it; lists of codes in a fixed order, so that a
    form listing them in another order proposes no change."""
    if isinstance(value, list):
        return sorted(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _place_key(place: Place | ActivityLocation) -> list[str]:
    return [place.kind, place.region, place.country]


def open_revision(activity: Activity) -> ActivityRevision | None:
    return activity.revisions.filter(state__in=OPEN_REVISION).first()


@transaction.atomic
def revision_propose(
    *,
    user: User,
    activity: Activity,
    data: dict[str, Any] | None = None,
    places: list[Place] | None = None,
    rows: list[Count] | None = None,
) -> ActivityRevision:
    """Propose changes to an approved activity: they wait for review in its one open
    revision, and the approved version stays published meanwhile."""
    if not permissions.can_propose_revision(user, activity):
        raise PermissionDenied
    claim_fresh(activity)
    if data is not None:
        _check_fields(user, data)
        if data.get("lead_organisation") not in (None, activity.lead_organisation):
            raise ValidationError(
                {"lead_organisation": _("A revision keeps the lead organisation.")}
            )
        # The proposal must make a valid activity: checked on a copy, never saved.
        trial = Activity.objects.get(pk=activity.pk)
        for name, value in data.items():
            setattr(trial, name, value)
        trial.full_clean(exclude=["code"])
    if rows is not None:
        allowed = places if places is not None else activity.locations.all()
        _check_rows(
            activity,
            rows,
            allowed={tuple(_place_key(place)) for place in allowed},
            place_of=lambda location: tuple(_place_key(location)),
        )
    revision = open_revision(activity) or ActivityRevision(activity=activity)
    revision.activity = activity
    if data is not None:
        revision.fields = {
            name: _jsonable(value)
            for name, value in data.items()
            if _jsonable(value) != _jsonable(getattr(activity, name))
        }
    if places is not None:
        current = sorted(_place_key(location) for location in activity.locations.all())
        proposed = sorted(_place_key(place) for place in places)
        revision.places = proposed if proposed != current else None
    if rows is not None:
        revision.participants = [
            [row.target_group, _place_key(row.location), row.female, row.male, row.undisclosed]
            for row in rows
        ]
    revision.state = RevisionState.SUBMITTED
    revision.proposed_by = user
    revision.proposed_at = timezone.now()
    revision.comment = ""
    revision.save()
    audit(action=Action.REVISION_SUBMITTED, actor=user, target=activity)
    activities_submitted(activity.lead_organisation_id)
    if is_trusted(activity.lead_organisation_id):
        _publish(revision, decided_by=None)
        activity.approved_on_trust = True
        activity.save(update_fields=["approved_on_trust", "updated_at"])
        audit(action=Action.APPROVED_ON_TRUST, actor=user, target=activity)
    return revision


@transaction.atomic
def revision_approve(*, user: User, revision: ActivityRevision) -> None:
    """Publish a revision: its values become the activity's."""
    if not permissions.can_review_activities(user):
        raise PermissionDenied
    claim_fresh(revision.activity)
    revision = ActivityRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.state != RevisionState.SUBMITTED:
        raise ValidationError(_("Only a submitted revision is approved."))
    _publish(revision, decided_by=user)
    audit(action=Action.REVISION_APPROVED, actor=user, target=revision.activity)


def _publish(revision: ActivityRevision, *, decided_by: User | None) -> None:
    """Make a revision's values the activity's."""
    activity = revision.activity
    for name, value in revision.fields.items():
        field = Activity._meta.get_field(name)
        if not isinstance(field, models.Field) or name not in permissions.ACTIVITY_FIELDS:
            raise PermissionDenied
        setattr(activity, field.attname, field.to_python(value) if value is not None else None)
    activity.full_clean(exclude=["code"])
    activity.save()
    if revision.places is not None:
        _set_places(activity, [Place(*place) for place in revision.places])
    if revision.participants is not None:
        locations = {tuple(_place_key(loc)): loc for loc in activity.locations.all()}
        activity.participants.all().delete()
        ActivityParticipants.objects.bulk_create(
            ActivityParticipants(
                activity=activity,
                target_group=group,
                location=locations[tuple(place)],
                female=women,
                male=men,
                undisclosed=undisclosed,
            )
            for group, place, women, men, undisclosed in revision.participants
            if tuple(place) in locations
        )
    revision.state = RevisionState.APPROVED
    revision.decided_by = decided_by
    revision.decided_at = timezone.now()
    revision.save()


@transaction.atomic
def revision_return(*, user: User, revision: ActivityRevision, comment: str) -> None:
    """Send a revision back with what to change; nothing published changes."""
    if not permissions.can_review_activities(user):
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    revision = ActivityRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.state != RevisionState.SUBMITTED:
        raise ValidationError(_("Only a submitted revision is returned."))
    revision.state = RevisionState.RETURNED
    revision.comment = comment
    revision.decided_by = user
    revision.decided_at = timezone.now()
    revision.save()
    audit(
        action=Action.REVISION_RETURNED,
        actor=user,
        target=revision.activity,
        details={"comment": comment},
    )


@transaction.atomic
def revision_withdraw(*, user: User, revision: ActivityRevision) -> None:
    """The proposing organisation takes its open revision back."""
    if not permissions.can_propose_revision(user, revision.activity):
        raise PermissionDenied
    updated = ActivityRevision.objects.filter(pk=revision.pk, state__in=OPEN_REVISION).update(
        state=RevisionState.WITHDRAWN, decided_by=user, decided_at=timezone.now()
    )
    if updated != 1:
        raise ValidationError(_("Only an open revision is withdrawn."))


def is_trusted(organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return TrustedOrganisation.objects.filter(organisation_id=organisation_id).exists()


@transaction.atomic
def trust_set(
    *, user: User, organisation: Organisation, trusted: bool, request: Any = None
) -> None:
    """Trust an organisation (its submissions are approved as they come), or no longer."""
    if not permissions.can_manage_trust(user):
        raise PermissionDenied
    if trusted:
        _trust, created = TrustedOrganisation.objects.get_or_create(
            organisation=organisation, defaults={"granted_by": user}
        )
        if created:
            audit(action=Action.TRUST_GRANTED, actor=user, target=organisation, request=request)
    elif TrustedOrganisation.objects.filter(organisation=organisation).delete()[0]:
        audit(action=Action.TRUST_WITHDRAWN, actor=user, target=organisation, request=request)


# Calls for updates


def _invited_organisations(meeting: Meeting) -> set[int]:
    invited = set(meeting.organisation_invitations.values_list("organisation_id", flat=True))
    invited |= set(
        meeting.invitations.filter(organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    return {pk for pk in invited if pk}


@transaction.atomic
def call_open(*, user: User, meeting: Meeting, deadline: date) -> CallForUpdates:
    """Ask the meeting's invited organisations for their activities by `deadline`."""
    if not permissions.can_manage_calls(user):
        raise PermissionDenied
    if CallForUpdates.objects.filter(meeting=meeting).exists():
        raise ValidationError({"meeting": _("This meeting has a call for updates already.")})
    if deadline > meeting.starts_at.date():
        raise ValidationError({"deadline": _("The deadline must come before the meeting.")})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    call = CallForUpdates.objects.create(meeting=meeting, deadline=deadline, opened_by=user)
    OrganisationUpdate.objects.bulk_create(
        OrganisationUpdate(call=call, organisation_id=pk)
        for pk in sorted(_invited_organisations(meeting))
    )
    return call


def _answer(organisation_id: int | None, state: str) -> int:
    """Record an organisation's first answer to the open calls: it changes once."""
    if organisation_id is None:
        return 0
    return OrganisationUpdate.objects.filter(
        organisation_id=organisation_id,
        state=UpdateState.PENDING,
        call__deadline__gte=timezone.localdate(),
    ).update(state=state, answered_at=timezone.now())


def activities_submitted(organisation_id: int | None) -> None:
    """An organisation submitted or revised an activity: its open calls are answered."""
    _answer(organisation_id, UpdateState.SUBMITTED)


@transaction.atomic
def call_nothing_new(*, user: User, call: CallForUpdates) -> None:
    """An organisation's focal point says it has nothing new for the call."""
    own = user.person.organisation_id if user.person else None
    answer = OrganisationUpdate.objects.filter(call=call, organisation_id=own or 0).first()
    if answer is None or not permissions.can_answer_call(user, answer.organisation_id):
        raise PermissionDenied
    if answer.state != UpdateState.PENDING:
        raise ValidationError(_("Your organisation has answered this call already."))
    if call.deadline < timezone.localdate():
        raise ValidationError(_("The deadline has passed."))
    OrganisationUpdate.objects.filter(pk=answer.pk, state=UpdateState.PENDING).update(
        state=UpdateState.NOTHING_NEW, answered_at=timezone.now()
    )


# Evidence


def evidence_upload(
    *, user: User, activity: Activity, file: Any, file_name: str, title: str
) -> ActivityDocument:
    """Check a file's content, store it under a generated name and attach it to the activity;
    the file is removed again when recording fails."""
    if not permissions.can_add_evidence(user, activity):
        raise PermissionDenied
    try:
        checked = check_upload(file, name=file_name, size=getattr(file, "size", None))
    except UploadRefused as refused:
        raise ValidationError({"file": refused.message}) from None
    document = ActivityDocument(
        activity=activity,
        title=(title.strip() or checked.original_name.rsplit(".", 1)[0])[:255],
        original_name=checked.original_name,
        file_type=checked.file_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    document.full_clean(exclude=["file"])
    with uploads.stored(file, "evidence") as name, transaction.atomic():
        document.file.name = name
        document.save()
    return document


@transaction.atomic
def evidence_delete(*, user: User, document: ActivityDocument) -> None:
    """Remove a document; its file goes once the deletion is committed."""
    if not permissions.can_add_evidence(user, document.activity):
        raise PermissionDenied
    name = document.file.name
    document.delete()
    uploads.delete_after_commit(name)
