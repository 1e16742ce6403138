"""Who may do what in the directory and in portal access: the one place roles are read.

Predicates answer for one user (and one record); the `*_visibility` functions
build the Q objects that the models' `visible_to` filter with. Services, views,
forms and the navigation call these; templates get `can_*` flags from views.
Other apps read a user's role through `is_secretariat`, `is_partner` and
`is_donor` here, in their own `permissions.py`.
"""

from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from stakeholders.models import MechanismRole, Organisation, Person, Role, User

NOTHING = Q(pk__in=[])

# What a partner may change of its own organisation and of its own people.
# Everything else (stakeholder group, parent, mechanism role, active state,
# organisation of a person) is the secretariat's.
ORGANISATION_PARTNER_FIELDS = frozenset(
    {
        "name",
        "name_ru",
        "name_uz",
        "short_name",
        "country",
        "website",
        "iati_identifier",
        "iati_type",
        "description",
        "head_name",
        "head_title",
    }
)
ORGANISATION_FIELDS = ORGANISATION_PARTNER_FIELDS | {"stakeholder_group", "parent", "is_active"}
PERSON_PARTNER_FIELDS = frozenset({"full_name", "position", "email", "phone", "preferred_language"})
# The sex of a person is theirs to give (on their profile) or the secretariat's.
PERSON_FIELDS = PERSON_PARTNER_FIELDS | {"organisation", "mechanism_role", "is_active", "sex"}
PROFILE_FIELDS = frozenset(
    {
        "preferred_language",
        "sex",
        "email_meeting_reminders",
        "email_action_item_reminders",
        "email_weekly_digest",
    }
)


# Roles


def has_portal_role(user: User | AnonymousUser) -> TypeGuard[User]:
    """A logged-in, active user with one of the portal's roles."""
    return isinstance(user, User) and user.is_active and user.role in Role.values


def is_secretariat(user: User | AnonymousUser) -> bool:
    return has_portal_role(user) and user.role == Role.SECRETARIAT


def is_partner(user: User | AnonymousUser) -> bool:
    return has_portal_role(user) and user.role == Role.PARTNER


def is_donor(user: User | AnonymousUser) -> bool:
    return has_portal_role(user) and user.role == Role.DONOR


def home_url_name(user: User) -> str | None:
    """The name of the user's home page, or None for a user without a portal role."""
    if not has_portal_role(user):
        return None
    return {
        Role.SECRETARIAT: "secretariat_home",
        Role.PARTNER: "partner_home",
        Role.DONOR: "donor_home",
    }[Role(user.role)]


def _own_organisation_id(user: User) -> int | None:
    person = user.person
    return person.organisation_id if person is not None else None


# Pages


def can_read_directory(user: User) -> bool:
    """Every portal user reads the directory."""
    return has_portal_role(user)


def can_manage_directory(user: User) -> bool:
    """Adding, importing, merging, deactivating and anonymising records."""
    return is_secretariat(user)


def can_edit_records(user: User) -> bool:
    """The edit pages: the secretariat edits any record, a partner its own organisation's."""
    return is_secretariat(user) or is_partner(user)


def can_invite(user: User) -> bool:
    """Giving portal access: the secretariat, and partners' focal points (per person)."""
    return is_secretariat(user) or is_partner(user)


def can_see_inactive(user: User) -> bool:
    return is_secretariat(user)


def can_see_history(user: User) -> bool:
    return is_secretariat(user)


def can_search_by_email(user: User) -> bool:
    """Donors do not see others' email addresses, so they cannot search by them."""
    return has_portal_role(user) and not is_donor(user)


def can_manage_accounts(user: User) -> bool:
    """The users page, role changes, ending and restoring access, the audit trail."""
    return is_secretariat(user)


def can_edit_profile(user: User) -> bool:
    return has_portal_role(user) and user.person is not None


# Records


def organisation_editable_fields(user: User, organisation: Organisation) -> frozenset[str]:
    """The fields of `organisation` the user may change; empty when none."""
    if organisation.merged_into_id is not None:
        return frozenset()
    if is_secretariat(user):
        return ORGANISATION_FIELDS
    if (
        is_partner(user)
        and organisation.is_active
        and organisation.pk == _own_organisation_id(user)
    ):
        return ORGANISATION_PARTNER_FIELDS
    return frozenset()


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    return bool(organisation_editable_fields(user, organisation))


def person_editable_fields(user: User, person: Person) -> frozenset[str]:
    """The fields of `person` the user may change; empty when none."""
    if person.anonymised_at is not None:
        return frozenset()
    if is_secretariat(user):
        return PERSON_FIELDS
    if (
        is_partner(user)
        and person.is_active
        and person.organisation_id is not None
        and person.organisation_id == _own_organisation_id(user)
    ):
        if person.has_account:
            # The email of an account holder is their login: the secretariat's to change.
            return PERSON_PARTNER_FIELDS - {"email"}
        return PERSON_PARTNER_FIELDS
    return frozenset()


def can_edit_person(user: User, person: Person) -> bool:
    return bool(person_editable_fields(user, person))


def can_see_contact(user: User, person: Person) -> bool:
    """Donors see the email and phone of their own organisation's people only."""
    if not has_portal_role(user):
        return False
    if is_donor(user):
        own = _own_organisation_id(user)
        return own is not None and own == person.organisation_id
    return True


def is_focal_point_of(user: User, organisation_id: int | None) -> bool:
    """A partner who is an active focal point of that organisation."""
    person = user.person
    return (
        is_partner(user)
        and person is not None
        and person.is_active
        and person.mechanism_role == MechanismRole.FOCAL_POINT
        and organisation_id is not None
        and person.organisation_id == organisation_id
    )


def invitable_roles(user: User, person: Person) -> list[str]:
    """The roles `user` may give `person`: all for the secretariat; partner for a focal point
    inviting a colleague of their own organisation; none otherwise."""
    if not person.is_active or person.anonymised_at is not None:
        return []
    if is_secretariat(user):
        return list(Role.values)
    if is_focal_point_of(user, person.organisation_id):
        return [Role.PARTNER]
    return []


def may_invite_account(user: User, account: User | None, role: str) -> bool:
    """Whether `user` may (re)invite into an existing `account` with `role`: ended access is
    restored, and roles are changed, by the secretariat only."""
    if account is None or is_secretariat(user):
        return True
    return account.is_active and account.role == role


def grantable_roles(user: User, person: Person) -> list[str]:
    """The roles a person's page offers to give; a pending account is re-invited with its
    own role; nothing once the person has access."""
    account: User | None = getattr(person, "user", None)
    if account is not None and account.is_active and account.has_usable_password():
        return []
    roles = invitable_roles(user, person)
    if account is not None:
        return (
            [account.role]
            if account.role in roles and may_invite_account(user, account, account.role)
            else []
        )
    return roles


def can_see_access(user: User, person: Person) -> bool:
    """The access panel of a person's page: the secretariat, and a focal point who may
    invite the person."""
    return is_secretariat(user) or bool(invitable_roles(user, person))


def is_last_secretariat(account: User) -> bool:
    """The one active secretariat account left; it may lose neither its role nor its access."""
    return (
        account.is_active
        and account.role == Role.SECRETARIAT
        and not User.objects.filter(is_active=True, role=Role.SECRETARIAT)
        .exclude(pk=account.pk)
        .exists()
    )


# Q-builders for visible_to


def organisation_visibility(user: User | AnonymousUser) -> Q:
    """Every portal user reads the directory; only the secretariat sees inactive records."""
    if not has_portal_role(user):
        return NOTHING
    return Q() if is_secretariat(user) else Q(is_active=True)


def person_visibility(user: User | AnonymousUser) -> Q:
    """Every portal user reads the people; only the secretariat sees inactive ones."""
    return organisation_visibility(user)


def account_visibility(user: User | AnonymousUser) -> Q:
    """The list of accounts is the secretariat's."""
    return Q() if is_secretariat(user) else NOTHING


# The imports of the directory, which only the secretariat makes and reads.
DIRECTORY_IMPORTS = ("organisations", "people")


def import_batch_visibility(user: User | AnonymousUser) -> Q:
    """The secretariat reads every import; others their own uploads of other kinds than
    the directory's (a partner's file of activities)."""
    if is_secretariat(user):
        return Q()
    if not has_portal_role(user):
        return NOTHING
    return Q(uploaded_by=user) & ~Q(kind__in=DIRECTORY_IMPORTS)


def can_read_audit_trail(user: User | AnonymousUser) -> bool:
    return is_secretariat(user)


def can_manage_outbox(user: User | AnonymousUser) -> bool:
    """Emails that failed or whose delivery is unknown, and sending them again."""
    return is_secretariat(user)
