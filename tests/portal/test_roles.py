import pytest
from django.urls import reverse

from stakeholders import permissions
from stakeholders.models import Role
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db

S, P, D = Role.SECRETARIAT, Role.PARTNER, Role.DONOR

HOME_PAGES = [
    # (url name, role, expected status)
    ("secretariat_home", S, 200),
    ("secretariat_home", P, 403),
    ("secretariat_home", D, 403),
    ("partner_home", S, 403),
    ("partner_home", P, 200),
    ("partner_home", D, 403),
    ("donor_home", S, 403),
    ("donor_home", P, 403),
    ("donor_home", D, 200),
]


@pytest.mark.parametrize(("url_name", "role", "expected"), HOME_PAGES)
def test_role_homes_admit_only_their_role(client, url_name, role, expected):
    client.force_login(UserFactory(role=role))

    response = client.get(reverse(url_name))

    assert response.status_code == expected
    if expected == 403:
        assert "Not allowed" in response.content.decode()


@pytest.mark.parametrize("url_name", ["secretariat_home", "partner_home", "donor_home", "home"])
def test_anonymous_visitors_are_sent_to_login(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse(url_name)}"


@pytest.mark.parametrize(
    ("role", "home"), [(S, "secretariat_home"), (P, "partner_home"), (D, "donor_home")]
)
def test_home_sends_each_role_to_its_page(client, role, home):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("home")).url == reverse(home)


def test_home_of_a_user_without_a_role_explains_it(client):
    client.force_login(UserFactory(role=""))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Your account has no portal role" in response.content.decode()
    assert client.get(reverse("secretariat_home")).status_code == 403


@pytest.mark.urls("tests.portal.urls")
@pytest.mark.parametrize(("role", "expected"), [(S, 200), (P, 403), (D, 200)])
def test_allowed_admits_the_users_its_predicate_accepts_only(client, role, expected):
    client.force_login(UserFactory(role=role))

    assert client.get("/test/secretariat-or-donor/").status_code == expected


@pytest.mark.urls("tests.portal.urls")
def test_allowed_sends_visitors_to_login(client):
    response = client.get("/test/secretariat-or-donor/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.urls("tests.portal.urls")
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_allowed_answers_405_to_other_methods_before_anything_else(client, method):
    assert client.generic(method, "/test/secretariat-or-donor/").status_code == 405


def test_an_inactive_user_holds_no_role():
    user = UserFactory.build(role=S, is_active=False)

    assert not permissions.has_portal_role(user)
    assert not permissions.is_secretariat(user)


def test_the_navigation_shows_the_users_name_and_organisation(client):
    user = UserFactory(
        role=P, person__full_name="Dilnoza Karimova", person__organisation__short_name="IOM"
    )
    client.force_login(user)

    content = client.get(reverse("partner_home")).content.decode()

    assert "Dilnoza Karimova" in content
    assert "IOM" in content


def test_the_home_pages_count_what_each_role_may_see(client, django_assert_max_num_queries):
    secretariat = UserFactory(role=S)
    partner = UserFactory(role=P)
    UserFactory(role=P, person__organisation=partner.person.organisation)

    client.force_login(secretariat)
    # Session, user, the directory's five figures, the next meetings, those awaiting answers,
    # the overdue action items, the minutes to circulate, the emails that need a look, the
    # activities to review, the trends without response.
    with django_assert_max_num_queries(14):
        page = client.get(reverse("secretariat_home"))
    assert page.context["directory"]["accounts"] == 3
    client.force_login(partner)
    page = client.get(reverse("partner_home"))
    assert page.context["directory"]["own_people"] == 2
    assert "accounts" not in page.context["directory"]
    assert "Your organisation" in page.content.decode()
    assert page.context["activities_needing_action"] == 0
    assert page.context["activities_to_review"] is None
