"""The approved activities that answer a framework reference, for the coverage page."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ReviewState
from meetings.coverage import Answer, Source
from stakeholders.models import User

Tags = Activity.framework_references.through


def _published(user: User) -> QuerySet[Activity]:
    return Activity.objects.visible_to(user).filter(review_state=ReviewState.APPROVED)


def answers(user: User, ids: list[int]) -> dict[int, list[Answer]]:
    links = Tags.objects.filter(
        frameworkreference_id__in=ids, activity__in=_published(user)
    ).select_related("activity__lead_organisation")
    found: dict[int, list[Answer]] = {}
    for link in links.order_by("activity__planned_start", "activity_id"):
        activity = link.activity
        found.setdefault(link.frameworkreference_id, []).append(
            Answer(
                code=activity.code,
                title=activity.title,
                url=activity.get_absolute_url(),
                note=f"{activity.lead_organisation.display_name} · {activity.status_label}",
            )
        )
    return found


def answered(user: User) -> Q:
    return Q(
        Exists(
            Tags.objects.filter(frameworkreference_id=OuterRef("pk"), activity__in=_published(user))
        )
    )


SOURCE = Source("activities", _("Activities"), answers, answered)
