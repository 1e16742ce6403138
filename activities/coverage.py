"""The approved activities that answer a framework reference, for the coverage page."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ReviewState
from meetings.coverage import Answer, Answers, Source, first_and_counts
from stakeholders.models import User

Tags = Activity.framework_references.through


def _published(user: User) -> QuerySet[Activity]:
    return Activity.objects.visible_to(user).filter(review_state=ReviewState.APPROVED)


def answers(user: User, ids: list[int]) -> Answers:
    links = Tags.objects.filter(
        frameworkreference_id__in=ids, activity__in=_published(user)
    ).select_related("activity__lead_organisation")
    found: dict[int, list[Answer]] = {}
    first, counts = first_and_counts(links, "-activity__planned_start", "activity_id")
    for link in first:
        activity = link.activity
        found.setdefault(link.frameworkreference_id, []).append(
            Answer(
                code=activity.code,
                title=activity.title,
                url=activity.get_absolute_url(),
                note=f"{activity.lead_organisation.display_name} · {activity.status_label}",
            )
        )
    return Answers(found, counts)


def answered(user: User) -> Q:
    tagged = Tags.objects.filter(activity__in=_published(user))
    return Q(pk__in=tagged.values("frameworkreference_id"))


SOURCE = Source("activities", _("Activities"), answers, answered)
