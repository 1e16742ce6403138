"""No lost updates: an edit based on an older version saves nothing and shows what changed."""

import pytest
from django.test import Client
from django.urls import reverse

from stakeholders import services
from stakeholders.models import Organisation, Person
from tests.stakeholders.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def form_data(response):
    """What the edit form would post back as it was shown."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def two_editors(secretariat_user):
    first, second = Client(), Client()
    first.force_login(secretariat_user)
    second.force_login(secretariat_user)
    return first, second


def test_the_second_save_of_an_organisation_sees_the_conflict_and_the_first_stays(
    secretariat_user,
):
    organisation = OrganisationFactory(name="Ministry of Justice", website="")
    url = reverse("stakeholders:organisation_edit", args=[organisation.pk])
    first, second = two_editors(secretariat_user)
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))

    saved = first.post(url, {**first_form, "website": "https://justice.example.org"})
    conflict = second.post(url, {**second_form, "name": "Ministry of Justice of Uzbekistan"})

    assert saved.status_code == 302
    assert conflict.status_code == 200
    page = conflict.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    assert "https://justice.example.org" in page  # what the first editor changed
    assert conflict.context["form"]["name"].value() == "Ministry of Justice of Uzbekistan"
    assert conflict.context["form"]["website"].value() == "https://justice.example.org"
    organisation.refresh_from_db()
    assert organisation.name == "Ministry of Justice"
    assert organisation.website == "https://justice.example.org"
    # Saving again, now from the current version, is a deliberate choice and keeps both.
    again = second.post(url, form_data(conflict))
    assert again.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Ministry of Justice of Uzbekistan"
    assert organisation.website == "https://justice.example.org"


def test_when_both_changed_a_field_the_form_keeps_yours_and_shows_theirs(secretariat_user):
    organisation = OrganisationFactory(short_name="MOJ")
    url = reverse("stakeholders:organisation_edit", args=[organisation.pk])
    first, second = two_editors(secretariat_user)
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))

    first.post(url, {**first_form, "short_name": "MINJUST"})
    conflict = second.post(url, {**second_form, "short_name": "MoJ"})

    assert conflict.context["form"]["short_name"].value() == "MoJ"
    assert [(c["old"], c["new"]) for c in conflict.context["conflict"]] == [("MOJ", "MINJUST")]


def test_the_second_save_of_a_person_sees_the_conflict_and_the_first_stays(secretariat_user):
    person = PersonFactory(full_name="Aziz Karimov", position="Adviser")
    url = reverse("stakeholders:person_edit", args=[person.pk])
    first, second = two_editors(secretariat_user)
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))

    first.post(url, {**first_form, "position": "Head of unit"})
    conflict = second.post(url, {**second_form, "phone": "+998 71 200 00 00"})

    assert conflict.status_code == 200
    assert [(c["label"], c["old"], c["new"]) for c in conflict.context["conflict"]] == [
        ("Position", "Adviser", "Head of unit")
    ]
    # The other's change is in the form, since this person left the position as it was.
    assert conflict.context["form"]["position"].value() == "Head of unit"
    assert conflict.context["form"]["phone"].value() == "+998 71 200 00 00"
    person.refresh_from_db()
    assert (person.position, person.phone) == ("Head of unit", "")


def test_a_change_outside_the_form_also_moves_the_version(secretariat_user):
    person = PersonFactory()
    url = reverse("stakeholders:person_edit", args=[person.pk])
    editor = Client()
    editor.force_login(secretariat_user)
    shown = form_data(editor.get(url))

    services.person_set_active(user=secretariat_user, person=person, active=False)
    response = editor.post(url, {**shown, "position": "Adviser"})

    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).is_active is False


def test_a_form_without_its_version_is_refused_with_a_message(client, secretariat_user):
    organisation = OrganisationFactory()
    url = reverse("stakeholders:organisation_edit", args=[organisation.pk])
    client.force_login(secretariat_user)
    data = form_data(client.get(url))
    del data["version"]

    response = client.post(url, {**data, "name": "Renamed"})

    assert response.status_code == 200
    assert Organisation.objects.get(pk=organisation.pk).name == organisation.name


def test_a_parent_changed_meanwhile_is_offered_and_chosen_in_the_conflicting_form(
    secretariat_user,
):
    first_parent, second_parent = OrganisationFactory(), OrganisationFactory()
    organisation = OrganisationFactory(parent=first_parent)
    url = reverse("stakeholders:organisation_edit", args=[organisation.pk])
    first, second = two_editors(secretariat_user)
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))

    first.post(url, {**first_form, "parent": second_parent.pk})
    conflict = second.post(url, {**second_form, "website": "https://example.org"})

    page = conflict.content.decode()
    assert f'<option value="{second_parent.pk}" selected>' in page
    again = second.post(url, form_data(conflict))
    assert again.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.parent, organisation.website) == (second_parent, "https://example.org")
