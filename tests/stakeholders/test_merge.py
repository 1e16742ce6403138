"""Merging organisations: every app's handler moves its own references."""

import pytest
from django.apps import apps
from django.core import checks
from django.db import models
from django.urls import reverse

from stakeholders import merging, services
from stakeholders.models import Organisation
from tests.stakeholders.factories import OrganisationFactory, PersonFactory
from tests.standin.models import Gathering, Seat

pytestmark = pytest.mark.django_db


def test_a_merge_moves_a_many_to_many_reference_and_a_foreign_key(client, secretariat_user):
    duplicate, keep = OrganisationFactory(), OrganisationFactory()
    gathering = Gathering.objects.create(title="Fourth meeting", convener=duplicate)
    gathering.organisations.add(duplicate)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:organisation_merge", args=[duplicate.pk]), {"keep": keep.pk}
    )

    assert response.status_code == 302
    gathering.refresh_from_db()
    assert gathering.convener == keep
    assert list(gathering.organisations.all()) == [keep]


def test_a_merge_resolves_a_unique_clash_without_an_error(client, secretariat_user):
    duplicate, keep = OrganisationFactory(), OrganisationFactory()
    both = Gathering.objects.create(title="Both invited", convener=keep)
    only_duplicate = Gathering.objects.create(title="Duplicate invited", convener=keep)
    Seat.objects.create(gathering=both, organisation=duplicate, note="duplicate's")
    Seat.objects.create(gathering=both, organisation=keep, note="kept")
    Seat.objects.create(gathering=only_duplicate, organisation=duplicate)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:organisation_merge", args=[duplicate.pk]), {"keep": keep.pk}
    )

    assert response.status_code == 302
    assert Seat.objects.filter(organisation=duplicate).count() == 0
    assert Seat.objects.get(gathering=both).note == "kept"
    assert Seat.objects.get(gathering=only_duplicate).organisation == keep


def test_a_merge_moves_people_units_earlier_merges_and_writes_history(secretariat_user):
    duplicate, keep = OrganisationFactory(), OrganisationFactory()
    person = PersonFactory(organisation=duplicate)
    unit = OrganisationFactory(parent=duplicate)
    earlier = OrganisationFactory(is_active=False, merged_into=duplicate)

    services.organisation_merge(user=secretariat_user, duplicate=duplicate, keep=keep)

    person.refresh_from_db()
    unit.refresh_from_db()
    earlier.refresh_from_db()
    assert (person.organisation, unit.parent, earlier.merged_into) == (keep, keep, keep)
    assert person.history.first().history_change_reason.startswith("Merged")
    duplicate.refresh_from_db()
    assert (duplicate.is_active, duplicate.merged_into) == (False, keep)


def test_a_reference_to_organisation_without_a_handler_fails_the_system_check():
    assert merging.every_reference_has_a_merge_handler() == []

    class Stray(models.Model):  # noqa: DJ008
        # Hidden from Organisation (no reverse accessor), yet it must move on a merge.
        organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "standin"

    try:
        errors = merging.every_reference_has_a_merge_handler()
    finally:
        del apps.all_models["standin"]["stray"]
        apps.clear_cache()

    assert [error.id for error in errors] == ["stakeholders.E001"]
    assert "standin.stray.organisation" in errors[0].msg
    assert isinstance(errors[0], checks.Error)
    assert merging.every_reference_has_a_merge_handler() == []
