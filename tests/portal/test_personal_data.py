import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Invitation, Response
from portal.lib.personal_data import find_personal_data
from portal.models import AuditEvent, OutboundEmail
from stakeholders.models import Role
from tests.meetings.factories import MeetingFactory
from tests.stakeholders.factories import PersonFactory, UserFactory


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Write to a.b@mail.uz for details", "email"),
        ("Call +998 90 123 45 67 after 18:00", "phone"),
        ("her number is 90 123-45-67", "phone"),
        ("landline (71) 239-12-34", "phone"),
        ("+7 (912) 345-67-89", "phone"),
        ("passport AA1234567", "passport"),
        ("PINFL 31234567890123", "pinfl"),
        ("file 901234567", "number"),
    ],
)
def test_it_flags_what_looks_like_personal_data(text, kind):
    assert [f.kind for f in find_personal_data(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "The meeting of 2023-10-24 adopted decision 4/2.",
        "Held on 24.10.2023, 10:00 to 13:00.",
        "DAC code 15190, purpose 15130",
        "A budget of 1 250 000 UZS, and 1,250,000 USD from the donor",
        "The report is at https://example.org/reports/2023/1234567890/final",
        "Hotline 1146, open 24/7",
        "Trainings on 6-8 November 2023 for 120 airport staff in 3 regions",
        "Between 2022 and 2023",
    ],
)
def test_it_lets_coordination_text_pass(text):
    assert find_personal_data(text) == []


@pytest.fixture
def secretariat(db):
    return UserFactory(role=Role.SECRETARIAT)


def agenda_form(**overrides):
    return {"title": "Shelter update", "kind": "update", "duration_minutes": 15, **overrides}


def test_a_flagged_agenda_description_re_renders_with_the_message(client, secretariat):
    meeting = MeetingFactory()
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:agenda_item_create", args=[meeting.pk]),
        agenda_form(description="Contact the survivor at +998 90 123 45 67"),
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "looks like personal data" in body and "phone number" in body
    assert "never personal data of victims" in body
    assert not AgendaItem.objects.exists()


def test_the_secretariat_saves_anyway_with_a_reason_and_it_is_audited(client, secretariat):
    meeting = MeetingFactory()
    client.force_login(secretariat)
    url = reverse("meetings:agenda_item_create", args=[meeting.pk])
    text = "Venue: office 12, phone of the reception +998 71 200 00 00"

    without_reason = client.post(url, agenda_form(description=text, save_anyway="on"))
    saved = client.post(
        url,
        agenda_form(
            description=text, save_anyway="on", save_anyway_reason="The venue's reception desk"
        ),
    )

    assert without_reason.status_code == 200
    assert "Say why this text may be saved" in without_reason.content.decode()
    assert saved.status_code == 302
    item = AgendaItem.objects.get()
    event = AuditEvent.objects.get(action="personal_data_override")
    assert (event.actor, event.target_id) == (secretariat, item.pk)
    assert event.details["reason"] == "The venue's reception desk"
    assert "+998" not in str(event.details)


def test_an_rsvp_comment_with_personal_data_is_refused_without_override(client, secretariat):
    from meetings import services

    meeting = MeetingFactory()
    person = PersonFactory()
    services.invite_people(user=secretariat, meeting=meeting, people=[person])
    token = OutboundEmail.objects.get().body.split("/meetings/rsvp/")[1].split("/")[0]
    url = reverse("meetings:rsvp", args=[token])

    response = client.post(
        url, {"action": "answer", "response": "accepted", "comment": "reach me at a@b.uz"}
    )

    assert response.status_code == 200
    assert "looks like personal data" in response.content.decode()
    assert "save_anyway" not in response.content.decode()
    assert Invitation.objects.get().response == Response.PENDING
