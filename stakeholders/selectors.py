"""Permission-scoped reads of the directory: every page and export gets its rows here.

The lists take the cleaned data of their filter form: the query string is
parsed once, by the form, never here.
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from portal.models import AuditEvent
from stakeholders import permissions
from stakeholders.models import AccountLink, Organisation, Person, User

ORGANISATION_SORTS: dict[str, str | Combinable] = {
    "name": Lower("name"),
    "-name": Lower("name").desc(),
    "short_name": Lower("short_name"),
    "-short_name": Lower("short_name").desc(),
    "group": "stakeholder_group",
    "-group": "-stakeholder_group",
    "country": "country",
    "-country": "-country",
    "people": "people_count",
    "-people": "-people_count",
}
PERSON_SORTS: dict[str, str | Combinable] = {
    "name": Lower("full_name"),
    "-name": Lower("full_name").desc(),
    "organisation": Lower("organisation__name"),
    "-organisation": Lower("organisation__name").desc(),
    "role": "mechanism_role",
    "-role": "-mechanism_role",
}
ACTIVE = {"yes": True, "no": False}


def _active(user: User, filters: Mapping[str, Any]) -> bool | None:
    """The secretariat chooses active, inactive or all; others only see active records."""
    if not permissions.can_see_inactive(user):
        return True
    return ACTIVE.get(filters.get("active") or "yes")


def organisation_list(*, user: User, filters: Mapping[str, Any]) -> QuerySet[Organisation]:
    """The organisations the user may see, searched, filtered and sorted as `filters` say."""
    # A subquery, not a join and GROUP BY: the database counts the people of the rows on
    # the page only, unless the list is sorted by that count.
    people = (
        Person.objects.filter(organisation=OuterRef("pk"), is_active=True)
        .order_by()
        .values("organisation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    qs = (
        Organisation.objects.visible_to(user)
        .search(filters.get("q") or "")
        .select_related("parent")
        .annotate(people_count=Coalesce(Subquery(people), 0))
    )
    if group := filters.get("group"):
        qs = qs.filter(stakeholder_group=group)
    if country := filters.get("country"):
        qs = qs.filter(country=country)
    active = _active(user, filters)
    if active is not None:
        qs = qs.filter(is_active=active)
    sort = ORGANISATION_SORTS.get(filters.get("sort") or "", ORGANISATION_SORTS["name"])
    return qs.order_by(sort, Lower("name"), "pk")


def person_list(*, user: User, filters: Mapping[str, Any]) -> QuerySet[Person]:
    """The people the user may see, searched, filtered and sorted as `filters` say."""
    qs = (
        Person.objects.visible_to(user)
        .search(filters.get("q") or "", by_email=permissions.can_search_by_email(user))
        .select_related("organisation")
    )
    if (organisation := filters.get("organisation")) is not None:
        qs = qs.filter(organisation=organisation)
    if role := filters.get("role"):
        qs = qs.filter(mechanism_role=role)
    active = _active(user, filters)
    if active is not None:
        qs = qs.filter(is_active=active)
    sort = PERSON_SORTS.get(filters.get("sort") or "", PERSON_SORTS["name"])
    return qs.order_by(sort, Lower("full_name"), "pk")


def organisation_choices(*, user: User, query: str, limit: int = 20) -> list[Organisation]:
    """Active organisations the user may see whose name matches, for a picker."""
    return list(
        Organisation.objects.visible_to(user)
        .filter(is_active=True)
        .search(query)
        .order_by(Lower("name"), "pk")[:limit]
    )


def person_choices(
    *, user: User, query: str, organisation: int | None = None, limit: int = 20
) -> list[Person]:
    """Active people the user may see whose name matches, for a picker; only those of
    `organisation` when given."""
    people = Person.objects.visible_to(user).filter(is_active=True, anonymised_at=None)
    if organisation is not None:
        people = people.filter(organisation_id=organisation)
    by_email = permissions.can_search_by_email(user)
    return list(
        people.search(query, by_email=by_email)
        .select_related("organisation")
        .order_by(Lower("full_name"), "pk")[:limit]
    )


def organisation_detail(*, user: User, pk: int) -> Organisation | None:
    """One organisation the user may see, with what its page shows, or None."""
    return (
        Organisation.objects.visible_to(user)
        .select_related("parent", "merged_into")
        .filter(pk=pk)
        .first()
    )


def organisation_people(*, user: User, organisation: Organisation) -> QuerySet[Person]:
    return (
        Person.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "mechanism_role", "full_name")
    )


def organisation_children(*, user: User, organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(user).filter(parent=organisation).order_by("name")


def person_detail(*, user: User, pk: int) -> Person | None:
    """One person the user may see, or None."""
    return (
        Person.objects.visible_to(user).select_related("organisation", "user").filter(pk=pk).first()
    )


def _pending_invitation() -> Exists:
    """Whether the account has an invitation link not yet used, revoked or expired."""
    return Exists(
        AccountLink.objects.filter(user=OuterRef("pk"), purpose=AccountLink.Purpose.INVITATION)
        .live()
        .order_by()
    )


def directory_summary(*, user: User) -> dict[str, int]:
    """Counts for the home page: active organisations and people the user may see, the
    people of the user's own organisation and, for the secretariat, the accounts."""
    own = user.organisation
    people = Person.objects.visible_to(user).filter(is_active=True)
    summary = {
        "organisations": Organisation.objects.visible_to(user).filter(is_active=True).count(),
        "people": people.count(),
        "own_people": people.filter(organisation=own).count() if own else 0,
    }
    if permissions.can_manage_accounts(user):
        accounts = User.objects.visible_to(user).filter(is_active=True, person__isnull=False)
        summary["accounts"] = accounts.count()
        summary["pending_invitations"] = accounts.filter(_pending_invitation()).count()
    return summary


def user_list(*, user: User, filters: Mapping[str, Any]) -> QuerySet[User]:
    """The accounts, filtered by organisation, role and state, with their pending invitations."""
    qs = (
        User.objects.visible_to(user)
        .filter(person__isnull=False)
        .select_related("person__organisation")
        .annotate(pending_invitations=_pending_invitation())
    )
    if (organisation := filters.get("organisation")) is not None:
        qs = qs.filter(person__organisation=organisation)
    if role := filters.get("role"):
        qs = qs.filter(role=role)
    active = ACTIVE.get(filters.get("active") or "yes")
    if active is not None:
        qs = qs.filter(is_active=active)
    # By subqueries, not joins: to sort a few hundred accounts the planner would otherwise
    # hash-join every person in the directory.
    person = Person.objects.filter(pk=OuterRef("person_id")).order_by()
    return qs.order_by(
        Subquery(person.values("organisation__name")[:1]),
        Subquery(person.values("full_name")[:1]),
        "pk",
    )


def person_access(*, user: User, person: Person) -> dict[str, Any]:
    """What the person page shows about the person's portal access: all of it to the
    secretariat; the account and invitations to a focal point who may invite the person."""
    if not permissions.can_see_access(user, person):
        return {}
    account: User | None = getattr(person, "user", None)
    links = list(account.account_links.select_related("invited_by__person")[:10]) if account else []
    if not permissions.can_manage_accounts(user):
        return {"account": account, "links": links, "events": [], "can_manage": False}
    events = (
        AuditEvent.objects.visible_to(user)
        .filter(target_type=ContentType.objects.get_for_model(Person), target_id=person.pk)
        .select_related("actor__person")[:20]
    )
    return {"account": account, "links": links, "events": list(events), "can_manage": True}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_list(*, user: User, filters: Mapping[str, Any]) -> QuerySet[AuditEvent]:
    """Audit events the user may browse, filtered as `filters` (cleaned form data) say.

    Dates are days in the portal's time zone, turned into aware bounds so that the
    index on the time of the event is used.
    """
    qs = AuditEvent.objects.visible_to(user).select_related("actor__person")
    if action := filters.get("action"):
        qs = qs.filter(action=action)
    if q := filters.get("q"):
        qs = qs.filter(Q(actor_label__icontains=q) | Q(target_label__icontains=q))
    if date_from := filters.get("date_from"):
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to := filters.get("date_to"):
        qs = qs.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return qs
