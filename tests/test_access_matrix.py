"""The portal's access matrix: who may open which URL, for every URL the project has.

Each row reads: (URL name, object, role, method) -> expected status. The
object is the record the URL is about, taken from the visitor's own
organisation ("own") or from another one ("other"). A role of None is an
anonymous visitor. Every URL pattern needs at least one row: a new view
without its rows fails `test_every_url_pattern_has_rows`.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stakeholders.models import AccountLink, ImportBatch, MechanismRole, Role
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

S, P, D, A = Role.SECRETARIAT, Role.PARTNER, Role.DONOR, None
ROLES = (S, P, D, A)

# URL namespaces left out of the matrix, with the reason.
EXEMPT_NAMESPACES = {
    "admin": "Django's admin, for superusers only, guarded by Django itself",
}


def rows_for(name, target, method, secretariat, partner, donor, anonymous):
    return [
        (name, target, S, method, secretariat),
        (name, target, P, method, partner),
        (name, target, D, method, donor),
        (name, target, A, method, anonymous),
    ]


LOGIN = 302  # an anonymous visitor is sent to the login page
MATRIX = [
    # Portal
    *rows_for("home", None, "GET", 302, 302, 302, LOGIN),
    *rows_for("secretariat_home", None, "GET", 200, 403, 403, LOGIN),
    *rows_for("partner_home", None, "GET", 403, 200, 403, LOGIN),
    *rows_for("donor_home", None, "GET", 403, 403, 200, LOGIN),
    *rows_for("healthz", None, "GET", 200, 200, 200, 200),
    *rows_for("favicon", None, "GET", 301, 301, 301, 301),
    *rows_for("set_language", None, "POST", 302, 302, 302, 302),
    *rows_for("set_language", None, "GET", 405, 405, 405, 405),
    # Accounts
    *rows_for("login", None, "GET", 302, 302, 302, 200),
    *rows_for("logout", None, "POST", 302, 302, 302, 302),
    *rows_for("logout", None, "GET", 405, 405, 405, 405),
    *rows_for("password_change", None, "GET", 200, 200, 200, LOGIN),
    *rows_for("password_change_done", None, "GET", 200, 200, 200, LOGIN),
    *rows_for("password_reset", None, "GET", 200, 200, 200, 200),
    *rows_for("password_reset_done", None, "GET", 200, 200, 200, 200),
    *rows_for("password_reset", None, "POST", 200, 200, 200, 200),
    *rows_for("profile", None, "GET", 200, 200, 200, LOGIN),
    *rows_for("profile", None, "POST", 200, 200, 200, LOGIN),
    *rows_for("password_set", "invitation", "GET", 200, 200, 200, 200),
    *rows_for("password_set", "bad_token", "GET", 404, 404, 404, 404),
    # Portal access
    *rows_for("stakeholders:person_grant_access", "own_person", "POST", 302, 302, 403, LOGIN),
    *rows_for("stakeholders:person_grant_access", "other_person", "POST", 302, 404, 403, LOGIN),
    *rows_for("stakeholders:person_grant_access", "other_person", "GET", 405, 405, 405, 405),
    *rows_for("stakeholders:user_list", None, "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:user_export", None, "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:user_change_role", "other_account", "POST", 302, 403, 403, LOGIN),
    *rows_for("stakeholders:user_set_active", "other_account", "POST", 302, 403, 403, LOGIN),
    *rows_for("stakeholders:user_set_active", "other_account", "GET", 405, 405, 405, 405),
    *rows_for("stakeholders:audit_list", None, "GET", 200, 403, 403, LOGIN),
    # Directory: organisations
    *rows_for("stakeholders:organisation_list", None, "GET", 200, 200, 200, LOGIN),
    *rows_for("stakeholders:organisation_choices", None, "GET", 200, 200, 200, LOGIN),
    *rows_for("stakeholders:organisation_detail", "own_org", "GET", 200, 200, 200, LOGIN),
    *rows_for("stakeholders:organisation_detail", "other_org", "GET", 200, 200, 200, LOGIN),
    *rows_for("stakeholders:organisation_detail", "inactive_org", "GET", 200, 404, 404, LOGIN),
    *rows_for("stakeholders:organisation_create", None, "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:organisation_create", None, "POST", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:organisation_edit", "own_org", "GET", 200, 200, 403, LOGIN),
    *rows_for("stakeholders:organisation_edit", "own_org", "POST", 200, 200, 403, LOGIN),
    *rows_for("stakeholders:organisation_edit", "other_org", "GET", 200, 404, 403, LOGIN),
    *rows_for("stakeholders:organisation_edit", "other_org", "POST", 200, 404, 403, LOGIN),
    *rows_for("stakeholders:organisation_set_active", "own_org", "POST", 302, 403, 403, LOGIN),
    *rows_for("stakeholders:organisation_set_active", "other_org", "POST", 302, 403, 403, LOGIN),
    *rows_for("stakeholders:organisation_set_active", "other_org", "GET", 405, 405, 405, 405),
    *rows_for("stakeholders:organisation_merge", "other_org", "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:organisation_merge", "own_org", "POST", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:organisation_export", "csv", "GET", 200, 200, 200, LOGIN),
    *rows_for("stakeholders:organisation_export", "xlsx", "GET", 200, 200, 200, LOGIN),
    # Directory: people
    *rows_for("stakeholders:person_list", None, "GET", 200, 200, 200, LOGIN),
    *rows_for("stakeholders:person_detail", "own_person", "GET", 200, 200, 200, LOGIN),
    *rows_for("stakeholders:person_detail", "other_person", "GET", 200, 200, 200, LOGIN),
    *rows_for("stakeholders:person_detail", "inactive_person", "GET", 200, 404, 404, LOGIN),
    *rows_for("stakeholders:person_create", None, "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:person_create", None, "POST", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:person_edit", "own_person", "GET", 200, 200, 403, LOGIN),
    *rows_for("stakeholders:person_edit", "own_person", "POST", 200, 200, 403, LOGIN),
    *rows_for("stakeholders:person_edit", "other_person", "GET", 200, 404, 403, LOGIN),
    *rows_for("stakeholders:person_edit", "other_person", "POST", 200, 404, 403, LOGIN),
    *rows_for("stakeholders:person_set_active", "own_person", "POST", 302, 403, 403, LOGIN),
    *rows_for("stakeholders:person_set_active", "other_person", "POST", 302, 403, 403, LOGIN),
    *rows_for("stakeholders:person_anonymise", "other_person", "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:person_anonymise", "own_person", "POST", 302, 403, 403, LOGIN),
    *rows_for("stakeholders:person_export", "csv", "GET", 200, 200, 200, LOGIN),
    *rows_for("stakeholders:person_export", "xlsx", "GET", 200, 200, 200, LOGIN),
    # Directory: import
    *rows_for("stakeholders:import_upload", "organisations", "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:import_upload", "people", "POST", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:import_upload", "nonsense", "GET", 404, 403, 403, LOGIN),
    *rows_for("stakeholders:import_template", "csv", "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:import_template", "xlsx", "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:import_preview", "batch", "GET", 200, 403, 403, LOGIN),
    *rows_for("stakeholders:import_progress", "batch", "GET", 200, 403, 403, LOGIN),
]


def pattern_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            yield from pattern_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_pattern_has_rows():
    covered = {row[0] for row in MATRIX}
    missing = sorted(set(pattern_names()) - covered)

    assert missing == [], f"URL patterns without rows in the access matrix: {missing}"


def test_every_row_names_a_real_url_pattern():
    assert {row[0] for row in MATRIX} <= set(pattern_names())


@pytest.fixture
def world(db):
    """Organisations and people for the visitor of each role, and another organisation."""
    users = {}
    for role in (S, P, D):
        user = UserFactory(role=role, person__mechanism_role=MechanismRole.FOCAL_POINT)
        colleague = PersonFactory(organisation=user.person.organisation)
        users[role] = (user, user.person.organisation, colleague)
    other_org = OrganisationFactory()
    other_person = PersonFactory(organisation=other_org)
    inactive_org = OrganisationFactory(is_active=False)
    inactive_person = PersonFactory(organisation=other_org, is_active=False)
    other_account = UserFactory(role=P, person__organisation=other_org)
    _link, token = AccountLink.objects.issue(
        user=UserFactory(role=P, person__organisation=other_org), role=P
    )
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.ORGANISATIONS,
        file_name="organisations.csv",
        rows=[],
        uploaded_by=users[S][0],
    )
    return {
        "users": users,
        "other_org": other_org,
        "other_person": other_person,
        "inactive_org": inactive_org,
        "inactive_person": inactive_person,
        "batch": batch,
        "other_account": other_account,
        "invitation": token,
    }


def url_for(name, target, role, world):
    own_role = role or P
    _user, own_org, colleague = world["users"][own_role]
    args = {
        None: [],
        "own_org": [own_org.pk],
        "other_org": [world["other_org"].pk],
        "inactive_org": [world["inactive_org"].pk],
        "own_person": [colleague.pk],
        "other_person": [world["other_person"].pk],
        "inactive_person": [world["inactive_person"].pk],
        "batch": [world["batch"].pk],
        "other_account": [world["other_account"].pk],
        "invitation": [world["invitation"]],
        "bad_token": ["not-a-token"],
        "csv": ["csv"],
        "xlsx": ["xlsx"],
        "organisations": ["organisations"],
        "people": ["people"],
        "nonsense": ["nonsense"],
    }[target]
    if name == "stakeholders:import_template":
        args = ["organisations", *args]
    return reverse(name, args=args)


@pytest.mark.parametrize(
    ("name", "target", "role", "method", "expected"),
    MATRIX,
    ids=[f"{r[0]}-{r[1]}-{r[2] or 'anonymous'}-{r[3]}" for r in MATRIX],
)
def test_access(client, world, name, target, role, method, expected):
    if role is not None:
        client.force_login(world["users"][role][0])
    url = url_for(name, target, role, world)

    response = client.generic(method, url)

    assert response.status_code == expected, f"{method} {url} as {role}"
    if role is None and expected == LOGIN and name not in {"set_language", "logout"}:
        assert response.url.startswith(reverse("login"))
