"""Organisation pickers: scoped JSON for type-ahead, and a search that works without it."""

import pytest
from django.urls import reverse

from stakeholders.models import Person
from tests.stakeholders.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHOICES = reverse("stakeholders:organisation_choices")


def test_the_choices_are_the_organisations_the_user_may_pick(client, partner_user):
    OrganisationFactory(name="Istiqbolli Avlod", name_ru="Истикболли Авлод")
    OrganisationFactory(name="Istiqbol Centre", is_active=False)
    client.force_login(partner_user)

    response = client.get(CHOICES, {"q": "истикбол"})

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Istiqbolli Avlod"]


def test_the_choices_are_at_most_twenty_and_nothing_without_a_query(client, partner_user):
    for number in range(30):
        OrganisationFactory(name=f"Regional Centre {number}")
    client.force_login(partner_user)

    assert len(client.get(CHOICES, {"q": "regional"}).json()["results"]) == 20
    assert client.get(CHOICES).json() == {"results": []}


def test_pages_never_render_every_organisation_as_a_choice(client, secretariat_user):
    for number in range(30):
        OrganisationFactory(name=f"Regional Centre {number}")
    client.force_login(secretariat_user)

    page = client.get(reverse("stakeholders:person_create")).content.decode()

    assert "Regional Centre" not in page


def test_without_javascript_one_match_is_taken_at_once(client, secretariat_user):
    organisation = OrganisationFactory(name="International Organization for Migration")
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:person_create"),
        {
            "full_name": "Malika Yusupova",
            "organisation": "",
            "organisation__q": "migration",
            "preferred_language": "ru",
            "mechanism_role": "member",
        },
    )

    assert response.status_code == 302
    assert Person.objects.get(full_name="Malika Yusupova").organisation == organisation


def test_without_javascript_several_matches_come_back_as_choices(client, secretariat_user):
    for number in range(25):
        OrganisationFactory(name=f"Regional Centre {number}")
    client.force_login(secretariat_user)
    data = {
        "full_name": "Malika Yusupova",
        "organisation": "",
        "organisation__q": "regional centre",
        "preferred_language": "ru",
        "mechanism_role": "member",
    }

    response = client.post(reverse("stakeholders:person_create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert "Choose one of the records matching “regional centre”." in form.errors["organisation"]
    offered = [value for value, _label in form.fields["organisation"].widget.choices if value]
    assert len(offered) == 20
    # The person picks one and saves; nothing typed is lost.
    response = client.post(
        reverse("stakeholders:person_create"), {**data, "organisation": offered[3]}
    )
    assert response.status_code == 302


def test_without_javascript_no_match_says_so(client, secretariat_user):
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:person_create"),
        {"full_name": "X", "organisation__q": "zzz", "mechanism_role": "member"},
    )

    assert (
        "Nothing matches “zzz”; try fewer letters."
        in response.context["form"].errors["organisation"]
    )


def test_a_picker_refuses_an_organisation_the_user_may_not_pick(client, secretariat_user):
    inactive = OrganisationFactory(is_active=False)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:person_create"),
        {
            "full_name": "X",
            "organisation": inactive.pk,
            "preferred_language": "en",
            "mechanism_role": "member",
        },
    )

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors


@pytest.mark.parametrize("count", [10, 500])
def test_the_users_page_makes_the_same_queries_whatever_the_number_of_organisations(
    client, secretariat_user, django_assert_num_queries, count
):
    OrganisationFactory.create_batch(count)
    UserFactory.create_batch(3)
    client.force_login(secretariat_user)
    url = reverse("stakeholders:user_list")

    # session, user, organisation filter's chosen record, count, the page's ids, the
    # page's accounts
    with django_assert_num_queries(6):
        response = client.get(url, {"organisation": secretariat_user.organisation.pk})

    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 500])
def test_the_person_page_makes_the_same_queries_whatever_the_number_of_organisations(
    client, secretariat_user, django_assert_max_num_queries, count
):
    OrganisationFactory.create_batch(count)
    person = UserFactory(person__organisation=secretariat_user.organisation).person
    client.force_login(secretariat_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("stakeholders:person_detail", args=[person.pk]))

    assert response.status_code == 200
