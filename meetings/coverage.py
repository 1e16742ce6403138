"""What answers each framework reference: the decisions and action items of the meetings,
and what other apps register (the activities).

Each source gives, for a user and a page of references, the records that user may see that
answer them, in one query whatever their number; and the condition that a reference is
answered at all, for the "nothing answers it yet" filter. The meetings know no other app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
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

    def __post_init__(self) -> None:
        # Shortened here, once, rather than by a template filter for each answer shown.
        if len(self.title) > TITLE_LENGTH:
            object.__setattr__(self, "title", self.title[: TITLE_LENGTH - 1].rstrip() + "…")


TITLE_LENGTH = 100


# The answers a page shows of each reference and source; the rest are counted.
SHOWN = 3


@dataclass
class Answers:
    """What answers the references of a page: the first few of each, and how many in all."""

    shown: dict[int, list[Answer]]
    counts: dict[int, int]


@dataclass(frozen=True)
class Source:
    key: str
    heading: str | Promise
    # The answers the user may see of these references: the first SHOWN of each, and counts.
    answers: Callable[[User, list[int]], Answers]
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


def first_and_counts(links: QuerySet[Any], *order_by: str) -> tuple[list[Any], dict[int, int]]:
    """The first SHOWN links of each reference in `order_by` order, and each reference's
    count: two queries, whatever the number of links."""
    ranked = links.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("frameworkreference_id"),
            order_by=[F(name[1:]).desc() if name.startswith("-") else F(name) for name in order_by],
        )
    ).filter(rank__lte=SHOWN)
    counts = dict(
        links.order_by()
        .values("frameworkreference_id")
        .annotate(n=Count("pk"))
        .values_list("frameworkreference_id", "n")
    )
    return list(ranked.order_by("frameworkreference_id", "rank")), counts


def _decisions(user: User, ids: list[int]) -> Answers:
    links = FrameworkReference.decisions.through.objects.filter(
        frameworkreference_id__in=ids,
        decision__in=Decision.objects.visible_to(user),
    ).select_related("decision__meeting")
    found: dict[int, list[Answer]] = {}
    first, counts = first_and_counts(links, "decision__meeting__starts_at", "decision__number")
    for link in first:
        decision = link.decision
        found.setdefault(link.frameworkreference_id, []).append(
            Answer(
                code=decision.code,
                title=decision.local_text,
                url=decision.meeting.get_absolute_url() + "#follow-up",
                note=decision.meeting.local_title,
            )
        )
    return Answers(found, counts)


def _decisions_answered(user: User) -> Q:
    # An uncorrelated subquery: the database reads it once, not once per reference.
    through = FrameworkReference.decisions.through.objects.filter(
        decision__in=Decision.objects.visible_to(user)
    )
    return Q(pk__in=through.values("frameworkreference_id"))


def _action_items(user: User, ids: list[int]) -> Answers:
    links = FrameworkReference.action_items.through.objects.filter(
        frameworkreference_id__in=ids,
        actionitem__in=ActionItem.objects.visible_to(user),
    ).select_related("actionitem__meeting", "actionitem__owner_organisation")
    found: dict[int, list[Answer]] = {}
    first, counts = first_and_counts(links, "actionitem__due_on", "actionitem_id")
    for link in first:
        item = link.actionitem
        found.setdefault(link.frameworkreference_id, []).append(
            Answer(
                code=item.owner_organisation.display_name,
                title=item.local_description,
                url=item.get_absolute_url(),
                note=str(item.get_status_display()),
            )
        )
    return Answers(found, counts)


def _action_items_answered(user: User) -> Q:
    through = FrameworkReference.action_items.through.objects.filter(
        actionitem__in=ActionItem.objects.visible_to(user)
    )
    return Q(pk__in=through.values("frameworkreference_id"))


register(Source("decisions", _("Decisions"), _decisions, _decisions_answered))
register(Source("action_items", _("Action items"), _action_items, _action_items_answered))
