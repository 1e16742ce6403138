import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from meetings import selectors, services
from meetings.models import ActionItem, ActionItemStatus, Decision
from stakeholders.models import Role
from tests.meetings.factories import START, MeetingFactory, SeriesFactory
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def raise_item(user, meeting, owner, *, due=date(2031, 12, 1), **data):
    return services.action_item_create(
        user=user,
        meeting=meeting,
        data={
            "description": "Report on the trainings",
            "owner_organisation": owner,
            "due_on": due,
            **data,
        },
    )


def test_decisions_are_numbered_by_meeting(secretariat):
    meeting = MeetingFactory(number=4)

    first = services.decision_create(user=secretariat, meeting=meeting, data={"text": "A"})
    second = services.decision_create(user=secretariat, meeting=meeting, data={"text": "B"})

    assert (first.code, second.code) == ("4/1", "4/2")


def test_a_decision_is_superseded_by_a_later_one_only(secretariat):
    series = SeriesFactory()
    earlier = MeetingFactory(series=series, number=3, starts_at=START - timedelta(days=90))
    later = MeetingFactory(series=series, number=4)
    old = services.decision_create(user=secretariat, meeting=earlier, data={"text": "Old"})
    new = services.decision_create(user=secretariat, meeting=later, data={"text": "New"})

    with pytest.raises(ValidationError):
        services.decision_supersede(user=secretariat, decision=new, by=old)
    services.decision_supersede(user=secretariat, decision=old, by=new)

    assert Decision.objects.get(pk=old.pk).superseded_by == new


def test_completed_at_is_set_on_done_and_cleared_on_reopening(secretariat):
    item = raise_item(secretariat, MeetingFactory(), OrganisationFactory())

    services.action_item_set_status(user=secretariat, item=item, status=ActionItemStatus.DONE)
    assert ActionItem.objects.get().completed_at is not None
    services.action_item_set_status(user=secretariat, item=item, status=ActionItemStatus.OPEN)

    item = ActionItem.objects.get()
    assert (item.status, item.completed_at) == (ActionItemStatus.OPEN, None)
    assert [u.to_status for u in item.updates.order_by("pk")] == ["done", "open"]


def test_the_database_keeps_completed_at_and_done_together(secretariat):
    item = raise_item(secretariat, MeetingFactory(), OrganisationFactory())

    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(status=ActionItemStatus.DONE)


def test_dropping_needs_a_note(secretariat):
    item = raise_item(secretariat, MeetingFactory(), OrganisationFactory())

    with pytest.raises(ValidationError):
        services.action_item_set_status(
            user=secretariat, item=item, status=ActionItemStatus.DROPPED
        )
    services.action_item_set_status(
        user=secretariat, item=item, status=ActionItemStatus.DROPPED, note="Done by others"
    )
    assert ActionItem.objects.get().status == ActionItemStatus.DROPPED


def test_any_user_of_the_owner_updates_and_another_organisations_gets_404(secretariat, client):
    owner = OrganisationFactory()
    item = raise_item(secretariat, MeetingFactory(), owner)
    donor_of_owner = UserFactory(role=Role.DONOR, person__organisation=owner)
    stranger = UserFactory(role=Role.PARTNER)
    url = reverse("meetings:action_item_status", args=[item.pk])

    client.force_login(stranger)
    assert client.post(url, {"status": "done"}).status_code == 404
    client.force_login(donor_of_owner)
    client.post(url, {"status": "in_progress", "owner_organisation": stranger.organisation.pk})

    item = ActionItem.objects.get()
    assert (item.status, item.owner_organisation) == (ActionItemStatus.IN_PROGRESS, owner)
    with pytest.raises(PermissionDenied):
        services.action_item_update(
            user=donor_of_owner,
            item=item,
            data={"owner_organisation": stranger.organisation},
            version=item.version,
        )


def test_the_owner_person_must_belong_to_the_owner_organisation(secretariat, client):
    meeting = MeetingFactory()
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:action_item_create", args=[meeting.pk]),
        {
            "description": "Report",
            "owner_organisation": OrganisationFactory().pk,
            "owner_person": PersonFactory().pk,
            "due_on": "2031-12-01",
        },
    )

    assert response.status_code == 200
    assert "must belong to the owner organisation" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_an_item_past_its_due_date_is_overdue_with_days_late(secretariat):
    item = raise_item(secretariat, MeetingFactory(), OrganisationFactory(), due=date(2031, 12, 1))
    done = raise_item(secretariat, MeetingFactory(), OrganisationFactory(), due=date(2031, 11, 1))
    services.action_item_set_status(user=secretariat, item=done, status=ActionItemStatus.DONE)

    with time_machine.travel(date(2031, 12, 11)):
        assert list(ActionItem.objects.overdue()) == [item]
        assert ActionItem.objects.get(pk=item.pk).days_late == 10
        assert ActionItem.objects.get(pk=done.pk).days_late == 0


def test_matters_arising_bring_back_earlier_open_items_of_the_series(secretariat):
    series = SeriesFactory()
    third = MeetingFactory(series=series, number=3, starts_at=START - timedelta(days=90))
    fourth = MeetingFactory(series=series, number=4)
    elsewhere = MeetingFactory(starts_at=START - timedelta(days=90))
    owner = OrganisationFactory()
    still_open = raise_item(secretariat, third, owner)
    in_progress = raise_item(secretariat, third, owner)
    services.action_item_set_status(
        user=secretariat, item=in_progress, status=ActionItemStatus.IN_PROGRESS
    )
    done = raise_item(secretariat, third, owner)
    services.action_item_set_status(user=secretariat, item=done, status=ActionItemStatus.DONE)
    raise_item(secretariat, elsewhere, owner)

    arising = selectors.follow_up(user=secretariat, meeting=fourth)["matters_arising"]

    assert [(org, set(items)) for org, items in arising] == [(owner, {still_open, in_progress})]


def test_the_owner_sees_its_items_and_others_do_not(secretariat):
    owner = OrganisationFactory()
    item = raise_item(secretariat, MeetingFactory(), owner)

    assert list(
        ActionItem.objects.visible_to(UserFactory(role=Role.DONOR, person__organisation=owner))
    ) == [item]
    assert not ActionItem.objects.visible_to(UserFactory(role=Role.PARTNER)).exists()


def _register_queries(client, count, secretariat):
    ActionItem.objects.all().delete()
    Decision.objects.all().delete()
    meeting = MeetingFactory()
    decision = services.decision_create(user=secretariat, meeting=meeting, data={"text": "D"})
    for index in range(count):
        raise_item(
            secretariat,
            meeting,
            OrganisationFactory(),
            due=date(2031, 1, 1) + timedelta(days=index),
            owner_person=None,
            decision=decision,
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("meetings:action_item_list"))
    assert response.status_code == 200
    return len(queries)


def test_the_register_reads_as_many_queries_for_10_as_for_200(secretariat, client):
    client.force_login(secretariat)

    counts = [_register_queries(client, n, secretariat) for n in (10, 200)]

    # Session, user, series of the filter, count, page ids, page rows, their meetings,
    # decisions, organisations and people (none here).
    assert counts[0] == counts[1] <= 10


def test_the_xlsx_holds_exactly_the_filtered_rows(secretariat, client):
    meeting = MeetingFactory()
    mine, theirs = OrganisationFactory(name="Shelter"), OrganisationFactory()
    for owner in (mine, mine, theirs):
        raise_item(secretariat, meeting, owner)
    client.force_login(secretariat)

    response = client.get(
        reverse("meetings:action_item_export", args=["xlsx"]), {"organisation": mine.pk}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "meeting"
    assert [row[4] for row in rows[1:]] == ["Shelter", "Shelter"]


def test_a_status_update_in_place_answers_the_row(secretariat, client):
    owner = OrganisationFactory()
    item = raise_item(secretariat, MeetingFactory(), owner)
    partner = UserFactory(role=Role.PARTNER, person__organisation=owner)
    client.force_login(partner)

    response = client.post(
        reverse("meetings:action_item_status", args=[item.pk]),
        {"status": "dropped"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="action-item-{item.pk}"')
    assert "Say why the item is dropped." in body
    assert ActionItem.objects.get().status == ActionItemStatus.OPEN


def test_home_and_organisation_pages_count_open_and_overdue_items(secretariat, client):
    owner = OrganisationFactory()
    partner = UserFactory(role=Role.PARTNER, person__organisation=owner)
    raise_item(secretariat, MeetingFactory(), owner, due=date(2031, 12, 1))
    raise_item(secretariat, MeetingFactory(), owner, due=date(2032, 6, 1))
    raise_item(secretariat, MeetingFactory(), OrganisationFactory(), due=date(2031, 12, 1))

    with time_machine.travel(date(2032, 1, 10)):
        client.force_login(partner)
        home = client.get(reverse("partner_home"))
        page = client.get(owner.get_absolute_url())

    assert home.context["overdue_items"] == 1
    assert ("Open action items", 2) in page.context["more_engagement"]
