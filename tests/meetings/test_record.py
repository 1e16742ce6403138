import io
import os
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument
from pypdf import PdfReader

from meetings import record_pdf, services
from meetings.models import Attendance, Invitation, Meeting
from stakeholders.models import Language, Role
from tests.meetings.factories import AgendaItemFactory, InvitationFactory, MeetingFactory
from tests.stakeholders.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def client_of(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def held_meeting(secretariat, *, label="amber"):
    """A meeting held yesterday, a partner organisation attending, with minutes in Russian
    (authoritative) and English, a decision and an action item."""
    meeting = MeetingFactory(starts_at=timezone.now() - timedelta(days=1))
    AgendaItemFactory(meeting=meeting, title="Review of the situation", position=1)
    partner_org = OrganisationFactory()
    came = InvitationFactory(meeting=meeting, person__organisation=partner_org)
    services.attendance_record(
        user=secretariat, meeting=meeting, marks={came.pk: Attendance.ATTENDED}
    )
    minutes = services.minutes_create(
        user=secretariat,
        meeting=meeting,
        data={
            "label": label,
            "named_people": [came.person] if label == "red" else [],
            "text_ru": "## Обзор\n\nУчастники обсудили вербовку через **социальные сети**.",  # noqa: RUF001
            "text_en": "## Review\n\nParticipants discussed recruitment over **social media**.",
            "authoritative_language": "ru",
        },
    )
    services.minutes_circulate(user=secretariat, minutes=minutes)
    services.decision_create(
        user=secretariat, meeting=meeting, data={"text": "Hold airport trainings in Bukhara"}
    )
    services.action_item_create(
        user=secretariat,
        meeting=meeting,
        data={
            "description": "Report on the Training of Trainers seminar",
            "owner_organisation": partner_org,
            "due_on": date.today() + timedelta(days=30),
        },
    )
    return meeting, came


def test_the_print_page_holds_the_label_attendance_agenda_minutes_and_decisions(
    secretariat, client_of
):
    meeting, came = held_meeting(secretariat)

    page = client_of(secretariat).get(reverse("meetings:meeting_print", args=[meeting.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert text.count("TLP:AMBER") >= 2  # header and footer
    assert came.organisation.local_name in text and came.person.full_name in text
    assert "Review of the situation" in text
    assert "<strong>social media</strong>" in text
    assert "Hold airport trainings in Bukhara" in text
    assert "Report on the Training of Trainers seminar" in text
    assert 'class="navbar' not in text


def test_a_donors_copy_omits_what_the_donor_cannot_read(secretariat, client_of):
    meeting, _came = held_meeting(secretariat, label="red")
    donor = UserFactory(role=Role.DONOR)
    InvitationFactory(meeting=meeting, person=donor.person)

    text = client_of(donor).get(reverse("meetings:meeting_print", args=[meeting.pk])).content
    text = text.decode()

    assert meeting.local_title in text
    assert "social media" not in text
    assert "Hold airport trainings in Bukhara" not in text
    assert "Report on the Training of Trainers seminar" not in text
    assert "TLP:AMBER" in text  # without the minutes, the record is the invitees'


def test_the_print_page_is_404_for_a_meeting_the_user_cannot_see(client_of, secretariat):
    meeting, _came = held_meeting(secretariat)
    stranger = UserFactory(role=Role.PARTNER)

    response = client_of(stranger).get(reverse("meetings:meeting_print", args=[meeting.pk]))

    assert response.status_code == 404


def test_the_word_record_opens_and_holds_the_label_and_the_decisions(secretariat, client_of):
    meeting, came = held_meeting(secretariat)

    response = client_of(secretariat).get(
        reverse("meetings:meeting_record_docx", args=[meeting.pk])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = WordDocument(io.BytesIO(response.content))
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    body = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "TLP:AMBER" in header and "TLP:AMBER" in footer
    assert "Hold airport trainings in Bukhara" in body
    assert "Participants discussed recruitment over social media." in body
    assert came.organisation.local_name in cells
    assert "Report on the Training of Trainers seminar" in cells


def test_the_word_record_survives_characters_word_cannot_hold(secretariat, client_of):
    meeting, _came = held_meeting(secretariat)
    services.decision_create(user=secretariat, meeting=meeting, data={"text": "Bell\x07 and tab"})

    response = client_of(secretariat).get(
        reverse("meetings:meeting_record_docx", args=[meeting.pk])
    )

    assert response.status_code == 200
    assert "Bell and tab" in "\n".join(
        p.text for p in WordDocument(io.BytesIO(response.content)).paragraphs
    )


def test_the_record_shows_the_readers_language_when_written_in_it(secretariat, client_of):
    meeting, _came = held_meeting(secretariat)
    url = reverse("meetings:meeting_print", args=[meeting.pk])
    english = UserFactory(role=Role.SECRETARIAT, person__preferred_language=Language.ENGLISH)
    uzbek = UserFactory(role=Role.SECRETARIAT, person__preferred_language=Language.UZBEK)

    in_english = client_of(english).get(url).content.decode()
    in_uzbek = client_of(uzbek).get(url).content.decode()

    assert "Participants discussed recruitment" in in_english
    assert "Участники" not in in_english
    assert "Участники обсудили вербовку" in in_uzbek


# PDF tests skip where WeasyPrint or Pango is missing, except in CI, which installs them.
needs_pdf = pytest.mark.skipif(
    not record_pdf.pdf_available() and os.environ.get("CI", "").lower() != "true",
    reason="WeasyPrint or its system libraries (Pango) are missing: no PDF here",
)


@needs_pdf
def test_the_seed_meetings_pdf_holds_its_russian_minutes_and_its_label(client_of):
    call_command("load_demo", "--force", verbosity=0)
    fourth = Meeting.objects.get(number=4)
    secretariat = UserFactory(role=Role.SECRETARIAT, person__preferred_language=Language.RUSSIAN)
    client = client_of(secretariat)

    response = client.get(reverse("meetings:meeting_record_pdf", args=[fourth.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "TLP:GREEN" in text
    assert "Участники согласились" in text


def test_without_weasyprint_the_pdf_link_is_hidden_and_the_address_explains(
    secretariat, client_of, monkeypatch
):
    monkeypatch.setattr(record_pdf, "pdf_available", lambda: False)
    from meetings.views import meetings as meeting_views
    from meetings.views import record as record_views

    monkeypatch.setattr(record_views, "pdf_available", lambda: False)
    monkeypatch.setattr(meeting_views, "pdf_available", lambda: False)
    meeting, _came = held_meeting(secretariat)
    client = client_of(secretariat)

    detail = client.get(meeting.get_absolute_url()).content.decode()
    printed = client.get(reverse("meetings:meeting_print", args=[meeting.pk])).content.decode()
    pdf = client.get(reverse("meetings:meeting_record_pdf", args=[meeting.pk]))

    pdf_url = reverse("meetings:meeting_record_pdf", args=[meeting.pk])
    assert pdf_url not in detail and pdf_url not in printed
    assert pdf.status_code == 200
    assert "PDF not available" in pdf.content.decode()


@needs_pdf
@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data", "file:///etc/passwd", "data:,x"]
)
def test_the_pdf_fetches_nothing(url):
    with pytest.raises(ValueError, match="fetches nothing"):
        record_pdf._fetcher()()(url)
    html = f'<html><head><link rel="stylesheet" href="{url}"></head><body><p>x</p></body></html>'

    assert record_pdf.html_to_pdf(html).startswith(b"%PDF-")


def test_the_print_page_makes_as_many_queries_for_2_as_for_20_invitees(secretariat, client_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(secretariat)
    counts = []
    for size in (2, 20):
        meeting, _came = held_meeting(secretariat)
        for _ in range(size):
            InvitationFactory(meeting=meeting, person__organisation=OrganisationFactory())
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("meetings:meeting_print", args=[meeting.pk]))
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert Invitation.objects.count() > 20
