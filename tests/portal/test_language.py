import pytest
from django.urls import reverse

from stakeholders.models import Language, Role
from tests.stakeholders.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def switch(client, language, next_url):
    return client.post(
        reverse("set_language"), {"language": language, "next": next_url}, follow=True
    )


def test_the_switcher_changes_the_language_of_the_page_for_a_visitor(client):
    page = client.get(reverse("login"))
    assert "Log in" in page.content.decode()

    response = switch(client, "ru", reverse("login"))

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ru"
    assert "Войти" in response.content.decode()


def test_the_switcher_changes_the_navigation_of_a_logged_in_user(client):
    user = UserFactory(role=Role.SECRETARIAT, person__preferred_language=Language.ENGLISH)
    client.force_login(user)
    assert ">Home</a>" in client.get(reverse("secretariat_home")).content.decode()

    response = switch(client, "uz", reverse("secretariat_home"))

    assert ">Bosh sahifa</a>" in response.content.decode()
    user.person.refresh_from_db()
    assert user.person.preferred_language == Language.UZBEK


def test_a_users_preferred_language_applies_without_a_cookie(client):
    user = UserFactory(role=Role.PARTNER, person__preferred_language=Language.RUSSIAN)
    client.force_login(user)

    response = client.get(reverse("partner_home"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.headers["Content-Language"] == "ru"
    assert ">Главная</a>" in response.content.decode()


def test_an_unknown_language_changes_nothing(client):
    user = UserFactory(role=Role.PARTNER, person__preferred_language=Language.ENGLISH)
    client.force_login(user)

    response = switch(client, "xx", reverse("partner_home"))

    assert response.status_code == 200
    user.person.refresh_from_db()
    assert user.person.preferred_language == Language.ENGLISH
    assert ">Home</a>" in response.content.decode()


def test_a_language_chosen_on_the_login_page_is_kept_after_login(client):
    user = UserFactory(role=Role.PARTNER, person__preferred_language=Language.ENGLISH)
    switch(client, "ru", reverse("login"))

    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})

    user.person.refresh_from_db()
    assert user.person.preferred_language == Language.RUSSIAN
    assert client.get(reverse("partner_home")).headers["Content-Language"] == "ru"


def test_logging_in_without_choosing_keeps_the_stored_preference(client):
    user = UserFactory(role=Role.PARTNER, person__preferred_language=Language.UZBEK)

    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})

    user.person.refresh_from_db()
    assert user.person.preferred_language == Language.UZBEK
