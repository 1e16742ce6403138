"""Emerging-trend notes: recording, labels, status, responses, the board and the prompts."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities import trend_selectors, trend_services
from activities.models import ReviewState
from activities.trend_models import TrendNote, TrendResponse, TrendStatus
from stakeholders.models import Role
from stakeholders.services import organisation_merge
from tests.activities.factories import ActivityFactory
from tests.meetings.factories import InvitationFactory, MeetingFactory
from tests.stakeholders.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return UserFactory(role=Role.PARTNER)


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def form(partner, **fields):
    return {
        "title": "Recruitment through messaging apps",
        "summary": "Offers of seasonal work abroad spread through messaging channels.",
        "trend_type": "recruitment_method",
        "recruitment_methods": ["online_social_networks"],
        "direction": "outbound",
        "destination_countries": ["TR"],
        "source_type": "partner_observation",
        "source_organisation": partner.person.organisation_id,
        "confidence": "reported",
        "label": "amber",
        **fields,
    }


def note_of(organisation, *, label="amber", **fields):
    data = {
        "code": f"TRD-X-{TrendNote.objects.count() + 1}",
        "title": "A pattern",
        "summary": "Seen in the field.",
        "trend_type": "route",
        "source_type": "partner_observation",
        "source_organisation": organisation,
        "label": label,
        **fields,
    }
    return TrendNote.objects.create(**data)


# Recording


def test_a_partner_records_a_note_from_a_meeting(client, partner):
    meeting = MeetingFactory()
    InvitationFactory(meeting=meeting, person=partner.person)
    client.force_login(partner)
    page = client.get(reverse("activities:trend_create"), {"meeting": meeting.pk})
    assert "never a case" in page.content.decode()

    response = client.post(reverse("activities:trend_create"), form(partner, meetings=[meeting.pk]))

    assert response.status_code == 302, response.context["form"].errors
    note = TrendNote.objects.get()
    assert note.code == f"TRD-{timezone.localdate().year}-0001"
    assert (note.status, note.source_organisation) == ("new", partner.person.organisation)
    assert note.destination_countries == ["TR"]
    assert note.created_by == partner
    assert list(note.meetings.all()) == [meeting]
    assert note.history.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"observed_from": "2024-05-01", "observed_to": "2024-04-01"},
            "observed_to",
            "The end of what was observed cannot be before its start.",
        ),
        ({"origin_countries": ["XX"]}, "origin_countries", "Select a valid choice."),
        (
            {"summary": "Victim reachable at +998 90 123 45 67"},
            "summary",
            "This looks like personal data",
        ),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client, partner, fields, field, message
):
    client.force_login(partner)
    response = client.post(reverse("activities:trend_create"), form(partner, **fields))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not TrendNote.objects.exists()


def test_a_forged_source_organisation_is_refused(client, partner):
    other = OrganisationFactory()
    client.force_login(partner)
    response = client.post(
        reverse("activities:trend_create"), form(partner, source_organisation=other.pk)
    )
    assert response.status_code == 200
    assert not TrendNote.objects.exists()
    with pytest.raises(ValidationError):
        trend_services.trend_create(
            user=partner, data={**form(partner), "source_organisation": other, "meetings": []}
        )


def test_a_meeting_the_partner_cannot_see_is_refused(partner):
    hidden = MeetingFactory()
    data = {
        **form(partner),
        "source_organisation": partner.person.organisation,
        "recruitment_methods": [],
        "destination_countries": [],
        "meetings": [hidden],
    }
    with pytest.raises(ValidationError, match="meetings you can see"):
        trend_services.trend_create(user=partner, data=data)


# Who reads


def test_an_amber_note_is_the_source_organisations_and_the_secretariats(client, partner):
    other_partner = UserFactory(role=Role.PARTNER)
    donor = UserFactory(role=Role.DONOR)
    secret = note_of(partner.person.organisation, title="Our amber note")
    url = secret.get_absolute_url()

    client.force_login(partner)
    assert client.get(url).status_code == 200
    for outsider in (other_partner, donor):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        board = client.get(reverse("activities:trend_board"))
        assert "Our amber note" not in board.content.decode()
        assert sum(column["count"] for column in board.context["columns"]) == 0
        listed = client.get(reverse("activities:trend_list"), {"q": "amber"})
        assert listed.context["page"].paginator.count == 0


def test_a_red_note_is_read_by_the_named_only(partner):
    colleague = UserFactory(role=Role.PARTNER, person__organisation=partner.person.organisation)
    named = UserFactory(role=Role.PARTNER)
    note = note_of(partner.person.organisation, label="red")
    note.named_people.add(named.person)
    assert TrendNote.objects.visible_to(named).filter(pk=note.pk).exists()
    assert not TrendNote.objects.visible_to(colleague).filter(pk=note.pk).exists()


# Status


def test_the_source_moves_its_note_between_new_and_monitoring_only(partner, secretariat):
    note = note_of(partner.person.organisation)
    trend_services.trend_set_status(user=partner, note=note, status="monitoring")
    with pytest.raises(PermissionDenied):
        trend_services.trend_set_status(user=partner, note=note, status="archived", reason="x")

    with pytest.raises(ValidationError, match="link one first"):
        trend_services.trend_set_status(user=secretariat, note=note, status="addressed")
    with pytest.raises(ValidationError, match="why"):
        trend_services.trend_set_status(user=secretariat, note=note, status="archived")
    trend_services.trend_set_status(
        user=secretariat, note=note, status="archived", reason="Merged into another note."
    )
    note.refresh_from_db()
    assert (note.status, note.archive_reason) == ("archived", "Merged into another note.")
    assert [h.status for h in note.history.order_by("history_date")] == [
        "new",
        "monitoring",
        "archived",
    ]


def test_addressed_follows_a_response_and_removing_the_last_one_reopens_it(secretariat):
    note = note_of(OrganisationFactory())
    activity = ActivityFactory(review_state=ReviewState.APPROVED)
    response = trend_services.response_add(
        user=secretariat, note=note, activity=activity, text="Trains airport staff"
    )
    trend_services.trend_set_status(user=secretariat, note=note, status="addressed")

    trend_services.response_remove(user=secretariat, response=response)

    note.refresh_from_db()
    assert note.status == TrendStatus.MONITORING


# Responses


def test_links_are_made_from_either_side_by_code(client, partner, secretariat):
    own = ActivityFactory(lead_organisation=partner.person.organisation)
    note = note_of(OrganisationFactory(), label="green")
    client.force_login(partner)

    client.post(
        reverse("activities:activity_trend_add", args=[own.pk]),
        {"code": note.code.lower(), "note": "Covers the same airports"},
    )
    response = TrendResponse.objects.get()
    assert (response.trend, response.activity, response.linked_by) == (note, own, partner)
    assert note.code in client.get(own.get_absolute_url()).content.decode()

    again = client.post(
        reverse("activities:trend_response_add", args=[note.pk]), {"code": own.code}, follow=True
    )
    assert "already answers" in again.content.decode()
    assert TrendResponse.objects.count() == 1


def test_a_partner_cannot_link_to_a_note_or_an_activity_it_cannot_see(client, partner):
    own = ActivityFactory(lead_organisation=partner.person.organisation)
    hidden = note_of(OrganisationFactory())  # another organisation's amber note
    others = ActivityFactory()  # another organisation's draft
    client.force_login(partner)

    page = client.post(
        reverse("activities:activity_trend_add", args=[own.pk]), {"code": hidden.code}, follow=True
    )
    assert "No trend note you can see has the code" in page.content.decode()
    assert (
        client.post(
            reverse("activities:trend_response_add", args=[hidden.pk]), {"code": own.code}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("activities:activity_trend_add", args=[others.pk]), {"code": hidden.code}
        ).status_code
        == 404
    )
    assert not TrendResponse.objects.exists()


def test_a_response_note_with_personal_data_is_refused(client, secretariat):
    note = note_of(OrganisationFactory())
    activity = ActivityFactory(review_state=ReviewState.APPROVED)
    client.force_login(secretariat)
    client.post(
        reverse("activities:trend_response_add", args=[note.pk]),
        {"code": activity.code, "note": "Ask Mr X at x@example.org"},
    )
    assert not TrendResponse.objects.exists()


# Without response


def test_notes_without_response_are_older_than_a_quarter_and_unanswered(secretariat):
    today = timezone.localdate()
    old = today - timedelta(days=120)
    org = OrganisationFactory()
    draft_only = note_of(org, title="Draft only", observed_from=old)
    answered = note_of(org, title="Answered", observed_from=old)
    recent = note_of(org, title="Recent", observed_from=today - timedelta(days=30))
    archived = note_of(
        org, title="Archived", observed_from=old, status="archived", archive_reason="Duplicate"
    )
    TrendResponse.objects.create(trend=draft_only, activity=ActivityFactory())
    TrendResponse.objects.create(
        trend=answered, activity=ActivityFactory(review_state=ReviewState.APPROVED)
    )

    found = trend_selectors.without_response(TrendNote.objects.all())

    assert list(found) == [draft_only]
    assert recent not in found and archived not in found
    assert trend_selectors.without_response_count(user=secretariat) == 1


def test_the_secretariat_is_prompted_on_its_home_and_the_next_meetings_page(client, secretariat):
    note_of(OrganisationFactory(), observed_from=timezone.localdate() - timedelta(days=200))
    upcoming = MeetingFactory(starts_at=timezone.now() + timedelta(days=20))
    later = MeetingFactory(series=upcoming.series, starts_at=timezone.now() + timedelta(days=60))
    client.force_login(secretariat)

    home = client.get(reverse("secretariat_home")).content.decode()
    assert 'data-testid="trends-without-response"' in home
    assert (
        'data-testid="meeting-prompt"' in client.get(upcoming.get_absolute_url()).content.decode()
    )
    assert (
        'data-testid="meeting-prompt"' not in client.get(later.get_absolute_url()).content.decode()
    )


# Board and list


def test_the_board_filters_stay_in_the_url_and_the_list_offers_the_same(client, secretariat):
    org = OrganisationFactory()
    note_of(org, title="To Turkey", destination_countries=["TR"], recruitment_methods=["family"])
    note_of(org, title="Within the country", direction="internal")
    client.force_login(secretariat)

    board = client.get(reverse("activities:trend_board"), {"country": "TR"})
    cards = [note.title for column in board.context["columns"] for note in column["cards"]]
    assert cards == ["To Turkey"]
    assert "country=TR" in board.content.decode()
    listed = client.get(reverse("activities:trend_list"), {"recruitment_method": "family"})
    assert [note.title for note in listed.context["page"].object_list] == ["To Turkey"]
    odd = client.get(reverse("activities:trend_board"), {"country": "??", "observed_from": "x"})
    assert odd.status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_board_and_the_list_make_the_same_queries_for_10_and_60_notes(client, secretariat):
    client.force_login(secretariat)
    org = OrganisationFactory()
    meeting = MeetingFactory()
    for size in (10, 60):
        for number in range(size - TrendNote.objects.count()):
            note = note_of(org, status=TrendStatus.values[number % 3])
            note.meetings.add(meeting)
        counts = (
            _queries(client, reverse("activities:trend_board")),
            _queries(client, reverse("activities:trend_list")),
        )
        if size == 10:
            small = counts
    # Board: session, user, the filters' organisations and meetings, the counts, a query per
    # column with cards. List: session, user, the filters', the page's count, ids and rows.
    assert counts == small
    assert counts[0] <= 10 and counts[1] <= 9


def test_merging_the_source_organisation_moves_its_notes(secretariat):
    keep, duplicate = OrganisationFactory(), OrganisationFactory()
    note = note_of(duplicate)
    organisation_merge(user=secretariat, keep=keep, duplicate=duplicate)
    note.refresh_from_db()
    assert note.source_organisation == keep


def test_a_partner_is_offered_only_what_it_may_do(client, partner, secretariat):
    own = note_of(partner.person.organisation, label="green")
    theirs = ActivityFactory(review_state=ReviewState.APPROVED, label="green")
    other_note = note_of(OrganisationFactory(), label="green")
    trend_services.response_add(user=secretariat, note=other_note, activity=theirs)
    client.force_login(partner)

    page = client.get(own.get_absolute_url())
    assert "reason" not in page.context["status_form"].fields
    activity_page = client.get(theirs.get_absolute_url())
    assert activity_page.context["removable_trend_links"] == set()
    assert "trend_response_remove" not in activity_page.content.decode()
    assert "/activities/trend-responses/" not in activity_page.content.decode()


def test_removing_the_last_answer_says_the_note_is_back_to_monitoring(client, secretariat):
    note = note_of(OrganisationFactory())
    activity = ActivityFactory(review_state=ReviewState.APPROVED)
    response = trend_services.response_add(user=secretariat, note=note, activity=activity)
    trend_services.trend_set_status(user=secretariat, note=note, status="addressed")
    client.force_login(secretariat)

    page = client.post(
        reverse("activities:trend_response_remove", args=[response.pk]), follow=True
    ).content.decode()

    assert "is back to monitoring" in page
