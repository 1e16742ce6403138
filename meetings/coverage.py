"""What answers each framework reference: the decisions and action items of the meetings,
and what other apps register (the activities).

Each source gives, for a user and a page of references, the records that user may see that
answer them, in one query whatever their number; and the condition that a reference is
answered at all, for the "nothing answers it yet" filter. The meetings know no other app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetings.models import ActionItem, Decision, FrameworkReference
from stakeholders.models import User


@dataclass(frozen=True)
class Answer:
    code: str
    title: str
    url: str
    note: str


@dataclass(frozen=True)
class Source:
    key: str
    heading: str | Promise
    # The answers the user may see, by reference id, for these references.
    answers: Callable[[User, list[int]], dict[int, list[Answer]]]
    # On FrameworkReference: the references that have at least one answer the user may see.
    answered: Callable[[User], Q]


_sources: list[Source] = []


def register(source: Source) -> None:
    if all(known.key != source.key for known in _sources):
        _sources.append(source)


def sources() -> list[Source]:
    return list(_sources)


def answered(user: User) -> Q:
    """References with an answer the user may see, from any source."""
    found = Q(pk__in=[])
    for source in _sources:
        found |= source.answered(user)
    return found


def _decisions(user: User, ids: list[int]) -> dict[int, list[Answer]]:
    links = FrameworkReference.decisions.through.objects.filter(
        frameworkreference_id__in=ids,
        decision__in=Decision.objects.visible_to(user),
    ).select_related("decision__meeting")
    found: dict[int, list[Answer]] = {}
    for link in links.order_by("decision__meeting__starts_at", "decision__number"):
        decision = link.decision
        found.setdefault(link.frameworkreference_id, []).append(
            Answer(
                code=decision.code,
                title=decision.local_text,
                url=decision.meeting.get_absolute_url() + "#follow-up",
                note=decision.meeting.local_title,
            )
        )
    return found


def _decisions_answered(user: User) -> Q:
    through = FrameworkReference.decisions.through.objects.filter(
        frameworkreference_id=OuterRef("pk"), decision__in=Decision.objects.visible_to(user)
    )
    return Q(Exists(through))


def _action_items(user: User, ids: list[int]) -> dict[int, list[Answer]]:
    links = FrameworkReference.action_items.through.objects.filter(
        frameworkreference_id__in=ids,
        actionitem__in=ActionItem.objects.visible_to(user),
    ).select_related("actionitem__meeting", "actionitem__owner_organisation")
    found: dict[int, list[Answer]] = {}
    for link in links.order_by("actionitem__due_on", "actionitem_id"):
        item = link.actionitem
        found.setdefault(link.frameworkreference_id, []).append(
            Answer(
                code=item.owner_organisation.display_name,
                title=item.local_description,
                url=item.get_absolute_url(),
                note=str(item.get_status_display()),
            )
        )
    return found


def _action_items_answered(user: User) -> Q:
    through = FrameworkReference.action_items.through.objects.filter(
        frameworkreference_id=OuterRef("pk"), actionitem__in=ActionItem.objects.visible_to(user)
    )
    return Q(Exists(through))


register(Source("decisions", _("Decisions"), _decisions, _decisions_answered))
register(Source("action_items", _("Action items"), _action_items, _action_items_answered))
