"""Permission-scoped reads of the directory: every page and export gets its rows here."""

from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower
from django.utils import timezone

from portal.models import AuditEvent
from stakeholders.accounts import invitable_roles
from stakeholders.models import AccountInvitation, Organisation, Person, User

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


def id_param(value: str | None) -> int | None:
    """A record id from a query string, or None for anything that is not one."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _active_filter(user: Any, params: Mapping[str, str]) -> bool | None:
    """The secretariat chooses active, inactive or all; others only see active records."""
    value = params.get("active", "yes")
    if not getattr(user, "is_secretariat", False):
        return True
    return {"yes": True, "no": False}.get(value)


def organisation_list(*, user: Any, params: Mapping[str, str]) -> QuerySet[Organisation]:
    """The organisations the user may see, searched, filtered and sorted as `params` ask."""
    qs = (
        Organisation.objects.visible_to(user)
        .search(params.get("q", ""))
        .select_related("parent")
        .annotate(people_count=Count("people", filter=Q(people__is_active=True)))
    )
    if group := params.get("group"):
        qs = qs.filter(stakeholder_group=group)
    if country := params.get("country"):
        qs = qs.filter(country=country)
    active = _active_filter(user, params)
    if active is not None:
        qs = qs.filter(is_active=active)
    sort = ORGANISATION_SORTS.get(params.get("sort", ""), ORGANISATION_SORTS["name"])
    return qs.order_by(sort, Lower("name"), "pk")


def person_list(*, user: Any, params: Mapping[str, str]) -> QuerySet[Person]:
    """The people the user may see, searched, filtered and sorted as `params` ask."""
    qs = (
        Person.objects.visible_to(user)
        # Donors do not see others' email addresses, so they cannot search by them.
        .search(params.get("q", ""), by_email=not getattr(user, "is_donor", False))
        .select_related("organisation", "user")
    )
    if (organisation := id_param(params.get("organisation"))) is not None:
        qs = qs.filter(organisation_id=organisation)
    if role := params.get("role"):
        qs = qs.filter(mechanism_role=role)
    active = _active_filter(user, params)
    if active is not None:
        qs = qs.filter(is_active=active)
    sort = PERSON_SORTS.get(params.get("sort", ""), PERSON_SORTS["name"])
    return qs.order_by(sort, Lower("full_name"), "pk")


def organisation_detail(*, user: Any, pk: int) -> Organisation | None:
    """One organisation the user may see, with what its page shows, or None."""
    return (
        Organisation.objects.visible_to(user)
        .select_related("parent", "merged_into")
        .filter(pk=pk)
        .first()
    )


def organisation_people(*, user: Any, organisation: Organisation) -> QuerySet[Person]:
    return (
        Person.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "mechanism_role", "full_name")
    )


def organisation_children(*, user: Any, organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(user).filter(parent=organisation).order_by("name")


def person_detail(*, user: Any, pk: int) -> Person | None:
    """One person the user may see, or None."""
    return (
        Person.objects.visible_to(user).select_related("organisation", "user").filter(pk=pk).first()
    )


def directory_summary(*, user: Any) -> dict[str, int]:
    """Counts for the home page: active organisations and people the user may see, the
    people of the user's own organisation and, for the secretariat, the accounts."""
    own = getattr(user, "organisation", None)
    people = Person.objects.visible_to(user).filter(is_active=True)
    summary = {
        "organisations": Organisation.objects.visible_to(user).filter(is_active=True).count(),
        "people": people.count(),
        "own_people": people.filter(organisation=own).count() if own else 0,
    }
    accounts = User.objects.visible_to(user).filter(is_active=True, person__isnull=False)
    if getattr(user, "is_secretariat", False):
        summary["accounts"] = accounts.count()
        summary["pending_invitations"] = (
            accounts.filter(
                invitations__purpose=AccountInvitation.Purpose.INVITATION,
                invitations__used_at=None,
                invitations__revoked_at=None,
                invitations__expires_at__gt=timezone.now(),
            )
            .distinct()
            .count()
        )
    return summary


def user_list(*, user: Any, params: Mapping[str, str]) -> QuerySet[User]:
    """The accounts, filtered by organisation, role and state, with their pending invitations."""
    now = timezone.now()
    qs = (
        User.objects.visible_to(user)
        .filter(person__isnull=False)
        .select_related("person__organisation")
        .annotate(
            pending_invitations=Count(
                "invitations",
                filter=Q(
                    invitations__purpose=AccountInvitation.Purpose.INVITATION,
                    invitations__used_at=None,
                    invitations__revoked_at=None,
                    invitations__expires_at__gt=now,
                ),
            )
        )
    )
    if (organisation := id_param(params.get("organisation"))) is not None:
        qs = qs.filter(person__organisation_id=organisation)
    if role := params.get("role"):
        qs = qs.filter(role=role)
    active = {"yes": True, "no": False}.get(params.get("active", "yes"))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("person__organisation__name", "person__full_name", "pk")


def person_access(*, user: Any, person: Person) -> dict[str, Any]:
    """What the person page shows about the person's portal access: all of it to the
    secretariat; the account and invitations to a focal point who may invite the person."""
    secretariat = getattr(user, "is_secretariat", False)
    if not secretariat and not invitable_roles(actor=user, person=person):
        return {}
    account = getattr(person, "user", None)
    invitations = (
        list(account.invitations.select_related("invited_by__person")[:10]) if account else []
    )
    if not secretariat:
        return {"account": account, "invitations": invitations, "events": []}
    events = (
        AuditEvent.objects.visible_to(user)
        .filter(target_type=ContentType.objects.get_for_model(Person), target_id=person.pk)
        .select_related("actor__person")[:20]
    )
    return {"account": account, "invitations": invitations, "events": list(events)}


def audit_list(*, user: Any, params: Mapping[str, Any]) -> QuerySet[AuditEvent]:
    """Audit events the user may browse, filtered as `params` ask (cleaned filter form data)."""
    qs = AuditEvent.objects.visible_to(user).select_related("actor__person")
    if action := params.get("action"):
        qs = qs.filter(action=action)
    if q := params.get("q"):
        qs = qs.filter(Q(actor_label__icontains=q) | Q(target_label__icontains=q))
    if date_from := params.get("date_from"):
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to := params.get("date_to"):
        qs = qs.filter(created_at__date__lte=date_to)
    return qs
