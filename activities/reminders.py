"""Calls for updates in the reminder sweep: the focal points of organisations that have not
answered are asked, CALL_CHASE_DAYS before the deadline."""

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from activities.models import OrganisationUpdate, UpdateState
from meetings.models import ReminderKind
from meetings.services.reminders import Occurrence, skip_reason
from stakeholders.models import MechanismRole, Person

CALL_CHASE_DAYS = 2


def call_chases(now: datetime) -> Iterator[Occurrence]:
    today = timezone.localdate(now)
    pending = list(
        OrganisationUpdate.objects.filter(
            state=UpdateState.PENDING,
            call__deadline__gte=today,
            call__deadline__lte=today + timedelta(days=CALL_CHASE_DAYS),
        ).select_related("call__meeting")
    )
    if not pending:
        return
    focal_points: dict[int, list[Person]] = {}
    for person in Person.objects.filter(
        organisation_id__in={answer.organisation_id for answer in pending},
        mechanism_role=MechanismRole.FOCAL_POINT,
        is_active=True,
    ).order_by("pk"):
        focal_points.setdefault(person.organisation_id or 0, []).append(person)
    for answer in pending:
        call = answer.call
        due_at = datetime.combine(
            call.deadline - timedelta(days=CALL_CHASE_DAYS),
            time(9),
            tzinfo=timezone.get_current_timezone(),
        )
        for person in focal_points.get(answer.organisation_id, []):
            yield Occurrence(
                key=f"updates:{call.pk}:org:{answer.organisation_id}:person:{person.pk}",
                kind=ReminderKind.UPDATES_CHASE,
                person=person,
                due_at=min(due_at, now),
                meeting=call.meeting,
                skip=skip_reason(person, ReminderKind.UPDATES_CHASE),
                extra=(
                    ("call", call),
                    ("call_url", settings.PORTAL_URL + call.get_absolute_url()),
                    ("log_url", settings.PORTAL_URL + reverse("activities:activity_create")),
                ),
            )
