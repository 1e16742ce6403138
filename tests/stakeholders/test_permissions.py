"""The directory's permission predicates as tables: role, relation to the record, answer."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from stakeholders import permissions
from stakeholders.models import MechanismRole, Organisation, Person, Role
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

S, P, D = Role.SECRETARIAT, Role.PARTNER, Role.DONOR
FOCAL = "focal point"
MEMBER = "member"


def make_user(role, *, kind=MEMBER, active=True):
    mechanism_role = MechanismRole.FOCAL_POINT if kind == FOCAL else MechanismRole.MEMBER
    return UserFactory(role=role, is_active=active, person__mechanism_role=mechanism_role)


def organisation_for(user, relation):
    """The user's own organisation, another one, or one in a given state."""
    if relation == "own":
        return user.person.organisation
    if relation == "own merged":
        organisation = user.person.organisation
        organisation.merged_into = OrganisationFactory()
        organisation.is_active = False
        organisation.save()
        return organisation
    if relation == "own inactive":
        organisation = user.person.organisation
        Organisation.objects.filter(pk=organisation.pk).update(is_active=False)
        organisation.refresh_from_db()
        return organisation
    return OrganisationFactory()


def person_for(user, relation):
    """A colleague of the user, a colleague with an account, someone elsewhere, …"""
    own = user.person.organisation
    if relation == "own":
        return PersonFactory(organisation=own)
    if relation == "own with account":
        return UserFactory(role=P, person__organisation=own).person
    if relation == "own inactive":
        return PersonFactory(organisation=own, is_active=False)
    if relation == "own anonymised":
        return PersonFactory(organisation=own, is_active=False, anonymised_at=timezone.now())
    return PersonFactory()


ORG_FIELDS = permissions.ORGANISATION_FIELDS
ORG_PARTNER = permissions.ORGANISATION_PARTNER_FIELDS
NONE = frozenset()


@pytest.mark.parametrize(
    ("role", "relation", "expected"),
    [
        (S, "own", ORG_FIELDS),
        (S, "other", ORG_FIELDS),
        (S, "own merged", NONE),
        (P, "own", ORG_PARTNER),
        (P, "other", NONE),
        (P, "own inactive", NONE),
        (P, "own merged", NONE),
        (D, "own", NONE),
        (D, "other", NONE),
    ],
)
def test_organisation_editable_fields(role, relation, expected):
    user = make_user(role)

    assert permissions.organisation_editable_fields(user, organisation_for(user, relation)) == (
        expected
    )


def test_an_inactive_secretariat_account_may_edit_nothing():
    user = make_user(S, active=False)

    assert permissions.organisation_editable_fields(user, OrganisationFactory()) == NONE


PERSON_ALL = permissions.PERSON_FIELDS
PERSON_PARTNER = permissions.PERSON_PARTNER_FIELDS


@pytest.mark.parametrize(
    ("role", "relation", "expected"),
    [
        (S, "own", PERSON_ALL),
        (S, "other", PERSON_ALL),
        (S, "own inactive", PERSON_ALL),
        (S, "own anonymised", NONE),
        (P, "own", PERSON_PARTNER),
        (P, "own with account", PERSON_PARTNER - {"email"}),
        (P, "own inactive", NONE),
        (P, "other", NONE),
        (D, "own", NONE),
        (D, "other", NONE),
    ],
)
def test_person_editable_fields(role, relation, expected):
    user = make_user(role)

    assert permissions.person_editable_fields(user, person_for(user, relation)) == expected


@pytest.mark.parametrize(
    ("role", "relation", "expected"),
    [(S, "other", True), (P, "other", True), (D, "own", True), (D, "other", False)],
)
def test_can_see_contact(role, relation, expected):
    user = make_user(role)

    assert permissions.can_see_contact(user, person_for(user, relation)) is expected


@pytest.mark.parametrize(
    ("role", "kind", "relation", "expected"),
    [
        (S, MEMBER, "other", [S, P, D]),
        (S, MEMBER, "own inactive", []),
        (S, MEMBER, "own anonymised", []),
        (P, FOCAL, "own", [P]),
        (P, FOCAL, "own inactive", []),
        (P, FOCAL, "other", []),
        (P, MEMBER, "own", []),
        (D, FOCAL, "own", []),
    ],
)
def test_invitable_roles(role, kind, relation, expected):
    user = make_user(role, kind=kind)

    assert permissions.invitable_roles(user, person_for(user, relation)) == expected


@pytest.mark.parametrize(
    ("role", "active", "manage", "accounts", "read", "search_by_email"),
    [
        (S, True, True, True, True, True),
        (P, True, False, False, True, True),
        (D, True, False, False, True, False),
        (S, False, False, False, False, False),
        ("", True, False, False, False, False),
    ],
)
def test_page_predicates(role, active, manage, accounts, read, search_by_email):
    user = UserFactory(role=role, is_active=active)

    assert permissions.can_manage_directory(user) is manage
    assert permissions.can_manage_accounts(user) is accounts
    assert permissions.can_read_directory(user) is read
    assert permissions.can_search_by_email(user) is search_by_email


@pytest.mark.parametrize(
    ("who", "sees_active", "sees_inactive"),
    [
        (S, True, True),
        (P, True, False),
        (D, True, False),
        ("no role", False, False),
        ("inactive secretariat", False, False),
        ("visitor", False, False),
    ],
)
def test_who_sees_which_organisations_and_people(who, sees_active, sees_inactive):
    active_org, inactive_org = OrganisationFactory(), OrganisationFactory(is_active=False)
    active_person = PersonFactory(organisation=active_org)
    inactive_person = PersonFactory(organisation=active_org, is_active=False)
    user = {
        "no role": lambda: UserFactory(role=""),
        "inactive secretariat": lambda: UserFactory(role=S, is_active=False),
        "visitor": AnonymousUser,
    }.get(who, lambda: UserFactory(role=who))()

    organisations = set(Organisation.objects.visible_to(user))
    people = set(Person.objects.visible_to(user))

    assert (active_org in organisations, inactive_org in organisations) == (
        sees_active,
        sees_inactive,
    )
    assert (active_person in people, inactive_person in people) == (sees_active, sees_inactive)


def test_the_last_active_secretariat_account_is_known():
    only = UserFactory(role=S)
    assert permissions.is_last_secretariat(only)
    other = UserFactory(role=S)
    assert not permissions.is_last_secretariat(only)
    other.is_active = False
    other.save()
    assert permissions.is_last_secretariat(only)


def test_roles_are_read_only_in_the_permission_modules():
    """No role test outside the apps' permissions.py (and the model that stores it)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in [*root.glob("portal/**/*.py"), *root.glob("stakeholders/**/*.py")]:
        if path.name == "permissions.py" or "migrations" in path.parts:
            continue
        text = path.read_text()
        for needle in ("Role.SECRETARIAT", "Role.PARTNER", "Role.DONOR", ".role =="):
            if needle in text and path.name not in {"demo.py", "__init__.py", "names.py"}:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    for path in root.glob("templates/**/*.html"):
        text = path.read_text()
        for needle in ("is_secretariat", "is_partner", "is_donor", "user.role"):
            if needle in text:
                offenders.append(f"{path.relative_to(root)}: {needle}")

    assert offenders == []
