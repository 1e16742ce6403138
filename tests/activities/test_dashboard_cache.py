"""The dashboard's figures are cached under the data version, which every committed write to
a counted record moves on: through a service, a bulk write, a merge or a task."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import dashboard_views, services
from activities.models import ActivityParticipants, ReviewState
from meetings.models import FrameworkKind, FrameworkReference
from portal import dataversion
from portal.models import AuditEvent
from stakeholders.models import ImportBatch, Organisation
from stakeholders.services import organisation_merge
from stakeholders.tasks import apply_import_batch
from tests.activities.test_dashboard import World

# Real commits: the version moves on after a transaction commits, as it does in service.
pytestmark = pytest.mark.django_db(transaction=True)

TIP_2023 = {"period": "tip", "year": "2023"}


@pytest.fixture
def world() -> World:
    return World()


def shown(client, key: str, **query: str):  # type: ignore[no-untyped-def]
    response = client.get(reverse("dashboard"), {**TIP_2023, **query})
    assert response.status_code == 200
    return response.context["key_figures"][key]["value"]


def test_a_second_request_runs_no_aggregate_query(world, client):
    client.force_login(world.secretariat)
    client.get(reverse("dashboard"), TIP_2023)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("dashboard"), TIP_2023)
    statements = [query["sql"].upper() for query in captured]
    assert not [sql for sql in statements if "COUNT(" in sql or "SUM(" in sql]
    assert any("PORTAL_DATAVERSION" in sql for sql in statements)


def test_readers_who_see_differently_get_their_own_figures(world, client):
    client.force_login(world.secretariat)
    assert shown(client, "activities") == 5
    client.force_login(world.donor)
    assert shown(client, "activities") == 4  # the red one is withheld, cache or not


def test_a_figure_changes_after_an_activity_it_counts_is_approved(world, client):
    submitted = world._activity(ReviewState.SUBMITTED, date(2023, 7, 1), date(2023, 7, 2))
    client.force_login(world.secretariat)
    before = dataversion.current()
    assert shown(client, "activities") == 5
    services.activity_approve(user=world.secretariat, activity=submitted)
    assert dataversion.current() == before + 1
    assert shown(client, "activities") == 6


def test_a_figure_changes_after_an_approved_revision_rewrites_the_participants_in_bulk(
    world, client
):
    client.force_login(world.secretariat)
    assert shown(client, "people_reached").male == 10
    revised = world.revised
    row = services.Count("airport_transport_staff", revised.locations.get(), 0, 17, 0)
    revision = services.revision_propose(user=world.partner, activity=revised, rows=[row])
    services.revision_approve(user=world.secretariat, revision=revision)
    assert ActivityParticipants.objects.get(activity=revised).male == 17
    assert shown(client, "people_reached").male == 20


def test_a_figure_changes_after_a_merge_moves_what_it_counts(world, client):
    client.force_login(world.secretariat)
    other, partner = world.other_org, world.partner_org
    assert shown(client, "items_raised", organisation=str(partner.pk)) == 2
    organisation_merge(user=world.secretariat, duplicate=other, keep=partner)
    assert shown(client, "items_raised", organisation=str(partner.pk)) == 4


def test_a_figure_changes_after_a_change_made_by_a_task(world, client):
    # The items' owner is renamed in Russian by an import the worker applies.
    world.secretariat.person.preferred_language = "ru"
    world.secretariat.person.save()
    client.force_login(world.secretariat)

    def owners() -> set[str]:
        response = client.get(reverse("dashboard"), TIP_2023)
        return {row.label for row in response.context["tables"]["items_by_owner"]["table"].rows}

    assert "Союз юристов" not in owners()
    batch = ImportBatch.objects.create(
        kind="organisations",
        file_name="organisations.csv",
        rows=[
            {
                "_row": "2",
                "name": world.other_org.name,
                "name_ru": "Союз юристов",
                "stakeholder_group": world.other_org.stakeholder_group,
            }
        ],
        uploaded_by=world.secretariat,
        status="queued",
    )
    apply_import_batch(batch.pk, world.secretariat.pk)
    assert Organisation.objects.get(pk=world.other_org.pk).name_ru == "Союз юристов"
    assert "Союз юристов" in owners()


def test_writes_elsewhere_and_rolled_back_writes_move_nothing(world):
    before = dataversion.current()
    AuditEvent.objects.create(action="test.nothing_counted")
    assert dataversion.current() == before
    try:
        with transaction.atomic():
            Organisation.objects.filter(pk=world.other_org.pk).update(website="https://x.org")
            raise RuntimeError
    except RuntimeError:
        pass
    assert dataversion.current() == before


def test_many_writes_in_one_transaction_move_the_version_once(world):
    before = dataversion.current()
    with transaction.atomic():
        for organisation in Organisation.objects.all():
            organisation.save()
        Organisation.objects.update(website="https://example.org")
    assert dataversion.current() == before + 1


def test_a_cache_that_fails_is_a_miss(world, client, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    client.force_login(world.secretariat)
    assert shown(client, "activities") == 5


def test_only_valid_filters_fill_the_cache(world, client, monkeypatch):
    kept: list[object] = []
    monkeypatch.setattr(dashboard_views, "keep", lambda parts, value, timeout: kept.append(parts))
    client.force_login(world.secretariat)
    for junk in ({"pillar": "no-such-pillar"}, {"organisation__q": "lawyers"}):
        assert client.get(reverse("dashboard"), {**TIP_2023, **junk}).status_code == 200
    assert kept == []
    client.get(reverse("dashboard"), TIP_2023)
    # A malformed period is the current quarter's page, kept under its key.
    client.get(reverse("dashboard"), {"period": "tip", "year": "x" * 90})
    client.get(reverse("dashboard"))
    assert len(kept) == 3 and kept[1] == kept[2] != kept[0]


def test_many_to_many_links_and_framework_references_move_the_version(world):
    before = dataversion.current()
    world.spanning.named_people.add(world.donor.person)
    assert dataversion.current() == before + 1
    reference = FrameworkReference.objects.create(
        kind=FrameworkKind.TIP_RECOMMENDATION, year=2024, code="R9", text="Train judges."
    )
    assert dataversion.current() == before + 2
    world.spanning.framework_references.add(reference)
    assert dataversion.current() == before + 3


def test_a_cached_page_shows_no_period_field_another_reader_typed(world, client):
    client.force_login(world.secretariat)
    client.get(reverse("dashboard"), {"period": "year", "year": "2023", "from": "2031-05-05"})
    body = client.get(reverse("dashboard"), {"period": "year", "year": "2023"}).content.decode()
    assert "2031-05-05" not in body
