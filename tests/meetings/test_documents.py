import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.audit import Action
from meetings.models import Document
from portal.lib.sensitivity import Label
from portal.models import AuditEvent
from stakeholders.models import Role
from stakeholders.services import organisation_merge
from tests import files
from tests.meetings.factories import (
    AgendaItemFactory,
    InvitationFactory,
    MeetingFactory,
    OrganisationInvitationFactory,
)
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

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


def stored_files(folder="documents"):
    """Every file the storage holds under `folder`."""
    try:
        folders, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return set()
    found = {f"{folder}/{name}" for name in names}
    for sub in folders:
        found |= stored_files(f"{folder}/{sub}")
    return found


def upload(user, meeting, content, name, **data):
    return services.document_upload(
        user=user,
        meeting=meeting,
        file=SimpleUploadedFile(name, content),
        file_name=name,
        data={"kind": "agenda", "label": Label.AMBER, **data},
    )


def upload_url(meeting, item=None):
    url = reverse("meetings:document_upload", args=[meeting.pk])
    return f"{url}?item={item.pk}" if item else url


# Uploads


def test_the_secretariat_uploads_a_pdf_stored_under_a_generated_name(secretariat, client_of):
    meeting = MeetingFactory()
    before = stored_files()

    response = client_of(secretariat).post(
        upload_url(meeting),
        {
            "file": SimpleUploadedFile("Повестка дня.pdf", files.pdf_bytes()),
            "title": "",
            "kind": "agenda",
            "agenda_item": "",
            "label": "green",
        },
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.title == "Повестка дня"
    assert document.original_name == "Повестка дня.pdf"
    assert document.file_type == "pdf"
    assert document.size == len(files.pdf_bytes())
    assert document.uploaded_by == secretariat
    assert document.organisation == secretariat.person.organisation
    assert stored_files() - before == {document.file.name}
    assert document.file.name.startswith(f"documents/{document.uploaded_at.year}/")
    assert "Повестка" not in document.file.name
    assert ".pdf" not in document.file.name
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == files.pdf_bytes()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (files.zip_bytes(), "agenda.docx", "a ZIP archive"),
        (files.HTML, "agenda.pdf", "an HTML page"),
        (files.SVG, "logo.svg", "an SVG image"),
        (files.exe_bytes(), "setup.pdf", "a Windows program"),
        (b"", "empty.pdf", "The submitted file is empty."),
        (files.pdf_bytes() + b" " * 1024, "large.pdf", "larger than"),
        (files.pdf_bytes(), "agenda.docx", "its name ends in “.docx”"),
    ],
)
@override_settings(MAX_DOCUMENT_BYTES=1024)
def test_a_refused_file_gets_its_message_and_nothing_is_stored(
    secretariat, client_of, content, name, message
):
    meeting = MeetingFactory()
    before = stored_files()

    response = client_of(secretariat).post(
        upload_url(meeting),
        {"file": SimpleUploadedFile(name, content), "kind": "agenda", "label": "amber"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == before


def test_a_partner_uploads_to_the_item_its_organisation_presents():
    partner = UserFactory(role=Role.PARTNER)
    meeting = MeetingFactory()
    own = AgendaItemFactory(meeting=meeting, presenter_organisation=partner.person.organisation)
    other = AgendaItemFactory(meeting=meeting, presenter_organisation=OrganisationFactory())

    document = upload(partner, meeting, files.docx_bytes(), "slides.docx", agenda_item=own)

    assert document.agenda_item == own
    assert document.organisation == partner.person.organisation
    with pytest.raises(PermissionDenied):
        upload(partner, meeting, files.docx_bytes(), "slides.docx", agenda_item=other)
    with pytest.raises(PermissionDenied):
        upload(partner, meeting, files.docx_bytes(), "slides.docx")


def test_an_item_of_another_meeting_is_refused(secretariat):
    with pytest.raises(PermissionDenied):
        upload(
            secretariat,
            MeetingFactory(),
            files.pdf_bytes(),
            "a.pdf",
            agenda_item=AgendaItemFactory(),
        )


def test_the_partner_form_offers_only_its_items(client_of):
    partner = UserFactory(role=Role.PARTNER)
    meeting = MeetingFactory()
    InvitationFactory(meeting=meeting, person=partner.person)
    own = AgendaItemFactory(meeting=meeting, presenter_organisation=partner.person.organisation)
    other = AgendaItemFactory(meeting=meeting)
    client = client_of(partner)

    page = client.get(upload_url(meeting, own)).content.decode()
    forged = client.post(
        upload_url(meeting),
        {
            "file": SimpleUploadedFile("a.pdf", files.pdf_bytes()),
            "kind": "agenda",
            "agenda_item": other.pk,
            "label": "amber",
        },
    )

    assert own.title in page
    assert other.title not in page
    assert forged.status_code == 200
    assert not Document.objects.exists()


def test_a_title_with_personal_data_is_refused_for_a_partner(client_of):
    partner = UserFactory(role=Role.PARTNER)
    meeting = MeetingFactory()
    InvitationFactory(meeting=meeting, person=partner.person)
    own = AgendaItemFactory(meeting=meeting, presenter_organisation=partner.person.organisation)
    before = stored_files()

    response = client_of(partner).post(
        upload_url(meeting),
        {
            "file": SimpleUploadedFile("a.pdf", files.pdf_bytes()),
            "title": "Call +998 90 123 45 67",
            "kind": "agenda",
            "agenda_item": own.pk,
            "label": "amber",
        },
    )

    assert response.status_code == 200
    assert "phone number" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == before


def test_red_needs_named_people(secretariat):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        upload(secretariat, MeetingFactory(), files.pdf_bytes(), "a.pdf", label=Label.RED)


# Downloads


def test_a_download_is_an_attachment_with_a_safe_name(secretariat, client_of):
    document = upload(secretariat, MeetingFactory(), files.pdf_bytes(), "../../Отчёт\r\n.pdf")

    response = client_of(secretariat).get(reverse("meetings:document_download", args=[document.pk]))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%D0%9E%D1%82%D1%87%D1%91%D1%82.pdf" in disposition
    assert ".." not in disposition
    assert "\r" not in disposition and "\n" not in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == files.pdf_bytes()


@pytest.mark.parametrize(
    ("label", "audited"), [("green", False), ("amber", True), ("clear", False)]
)
def test_amber_and_red_downloads_are_audited(secretariat, client_of, label, audited):
    document = upload(secretariat, MeetingFactory(), files.pdf_bytes(), "a.pdf", label=label)

    client_of(secretariat).get(reverse("meetings:document_download", args=[document.pk]))

    events = AuditEvent.objects.filter(action=Action.DOCUMENT_DOWNLOADED)
    assert events.exists() == audited


def test_a_red_download_is_audited(secretariat, client_of):
    meeting = MeetingFactory()
    named = InvitationFactory(meeting=meeting).person
    document = upload(
        secretariat, meeting, files.pdf_bytes(), "a.pdf", label=Label.RED, named_people=[named]
    )

    client_of(secretariat).get(reverse("meetings:document_download", args=[document.pk]))

    assert AuditEvent.objects.filter(action=Action.DOCUMENT_DOWNLOADED).count() == 1


def test_a_guessed_id_is_404(secretariat, client_of):
    response = client_of(secretariat).get(reverse("meetings:document_download", args=[99999]))

    assert response.status_code == 404


def test_a_file_missing_from_the_store_is_404_not_500(secretariat, client_of):
    document = upload(secretariat, MeetingFactory(), files.pdf_bytes(), "a.pdf")
    default_storage.delete(document.file.name)

    response = client_of(secretariat).get(reverse("meetings:document_download", args=[document.pk]))

    assert response.status_code == 404


# Deletion


def test_deleting_removes_the_file_after_commit_and_is_audited(
    secretariat, django_capture_on_commit_callbacks
):
    document = upload(secretariat, MeetingFactory(), files.pdf_bytes(), "a.pdf")
    name = document.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.document_delete(user=secretariat, document=document)
        assert default_storage.exists(name)
    for callback in callbacks:
        callback()

    assert not default_storage.exists(name)
    assert not Document.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DOCUMENT_DELETED).count() == 1


def test_only_the_uploaders_organisation_or_the_secretariat_deletes(secretariat):
    uploader = UserFactory(role=Role.PARTNER)
    colleague = UserFactory(role=Role.PARTNER, person__organisation=uploader.person.organisation)
    stranger = UserFactory(role=Role.PARTNER)
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, presenter_organisation=uploader.person.organisation)
    document = upload(uploader, meeting, files.pdf_bytes(), "a.pdf", agenda_item=item)

    with pytest.raises(PermissionDenied):
        services.document_delete(user=stranger, document=document)
    services.document_delete(user=colleague, document=document)

    assert not Document.objects.exists()


def test_an_edit_keeps_the_file_and_checks_the_version(secretariat):
    from portal.lib.versions import VersionConflict

    document = upload(secretariat, MeetingFactory(), files.pdf_bytes(), "a.pdf")
    name = document.file.name

    services.document_update(
        user=secretariat,
        document=document,
        data={"title": "Agenda, final", "kind": "agenda", "agenda_item": None, "label": "green"},
        version=1,
    )
    document.refresh_from_db()

    assert (document.title, document.label, document.file.name) == ("Agenda, final", "green", name)
    with pytest.raises(VersionConflict):
        services.document_update(
            user=secretariat, document=document, data={"title": "Stale"}, version=1
        )


def test_a_forged_field_is_refused(secretariat):
    document = upload(secretariat, MeetingFactory(), files.pdf_bytes(), "a.pdf")

    with pytest.raises(PermissionDenied):
        services.document_update(
            user=secretariat, document=document, data={"sha256": "0" * 64}, version=1
        )


# Who reads a document, by label and reader (invited, other, named person)


def _readers():
    """A meeting its organisation is invited to; readers of each kind."""
    invited_org = OrganisationFactory()
    meeting = MeetingFactory()
    OrganisationInvitationFactory(meeting=meeting, organisation=invited_org)
    named = UserFactory(role=Role.PARTNER)
    InvitationFactory(meeting=meeting, person=named.person)
    return meeting, {
        "secretariat": UserFactory(role=Role.SECRETARIAT),
        "invited partner": UserFactory(role=Role.PARTNER, person__organisation=invited_org),
        "invited donor": UserFactory(role=Role.DONOR, person__organisation=invited_org),
        "other partner": UserFactory(role=Role.PARTNER),
        "other donor": UserFactory(role=Role.DONOR),
        "named person": named,
    }


READS = {
    # label:   secretariat, invited partner, invited donor, other partner, other donor, named
    "clear": (True, True, True, True, True, True),
    "green": (True, True, True, True, True, True),
    "amber": (True, True, True, False, False, True),
    "red": (True, False, False, False, False, True),
}


@pytest.mark.parametrize("label", READS)
def test_who_reads_a_document_by_its_label(label):
    meeting, readers = _readers()
    uploader = readers["secretariat"]
    document = upload(
        uploader,
        meeting,
        files.pdf_bytes(),
        "a.pdf",
        label=label,
        named_people=[readers["named person"].person] if label == "red" else [],
    )

    reads = tuple(
        Document.objects.visible_to(user).filter(pk=document.pk).exists()
        for user in readers.values()
    )

    assert reads == READS[label]


def test_the_uploaders_organisation_reads_its_amber_document_without_an_invitation():
    partner = UserFactory(role=Role.PARTNER)
    colleague = UserFactory(role=Role.PARTNER, person__organisation=partner.person.organisation)
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, presenter_organisation=partner.person.organisation)
    document = upload(partner, meeting, files.pdf_bytes(), "a.pdf", agenda_item=item)

    assert Document.objects.visible_to(colleague).filter(pk=document.pk).exists()


# The meeting page


def test_the_meeting_page_lists_what_the_reader_may_read(secretariat, client_of):
    meeting = MeetingFactory()
    partner = UserFactory(role=Role.PARTNER)
    InvitationFactory(meeting=meeting, person=partner.person)
    item = AgendaItemFactory(meeting=meeting, presenter_organisation=partner.person.organisation)
    upload(secretariat, meeting, files.pdf_bytes(), "a.pdf", title="Agenda for all")
    upload(secretariat, meeting, files.pdf_bytes(), "b.pdf", title="Slides", agenda_item=item)
    upload(
        secretariat,
        meeting,
        files.pdf_bytes(),
        "c.pdf",
        title="Restricted note",
        label=Label.RED,
        named_people=[PersonFactory()],
    )

    page = client_of(partner).get(meeting.get_absolute_url()).content.decode()

    assert "Agenda for all" in page
    assert "Slides" in page
    assert "Restricted note" not in page
    assert upload_url(meeting, item) in page.replace("&amp;", "&")


def test_the_meeting_page_reads_as_many_queries_for_2_documents_as_for_20(secretariat, client_of):
    client = client_of(secretariat)
    counts = []
    for size in (2, 20):
        meeting = MeetingFactory()
        item = AgendaItemFactory(meeting=meeting)
        for number in range(size):
            upload(
                secretariat,
                meeting,
                files.pdf_bytes(),
                f"{number}.pdf",
                agenda_item=item if number % 2 else None,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(meeting.get_absolute_url()).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_a_merge_moves_the_uploaders_organisation(secretariat):
    duplicate, keep = OrganisationFactory(), OrganisationFactory()
    partner = UserFactory(role=Role.PARTNER, person__organisation=duplicate)
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, presenter_organisation=duplicate)
    document = upload(partner, meeting, files.pdf_bytes(), "a.pdf", agenda_item=item)

    organisation_merge(user=secretariat, duplicate=duplicate, keep=keep)
    document.refresh_from_db()

    assert document.organisation == keep


@pytest.mark.parametrize(("kind", "selected"), [("attendance_sheet", True), ("nonsense", False)])
def test_the_attendance_page_offers_the_signed_sheet_as_a_document(
    secretariat, client_of, kind, selected
):
    meeting = MeetingFactory()
    client = client_of(secretariat)

    attendance = client.get(reverse("meetings:meeting_attendance", args=[meeting.pk]))
    form = client.get(f"{upload_url(meeting)}?kind={kind}")

    assert f"{upload_url(meeting)}?kind=attendance_sheet" in attendance.content.decode()
    assert form.status_code == 200
    chosen = '<option value="attendance_sheet" selected>' in form.content.decode()
    assert chosen == selected
