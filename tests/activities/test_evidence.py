import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import ActivityDocument, ReviewState
from stakeholders.models import Role
from tests import files
from tests.activities.factories import ActivityFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return UserFactory(role=Role.PARTNER)


def test_the_lead_organisation_adds_evidence_read_by_those_who_read_the_activity(client, partner):
    activity = ActivityFactory(
        lead_organisation=partner.person.organisation,
        review_state=ReviewState.APPROVED,
        label="green",
    )
    client.force_login(partner)

    response = client.post(
        reverse("activities:evidence_upload", args=[activity.pk]),
        {"file": SimpleUploadedFile("Отчёт.pdf", files.pdf_bytes()), "title": ""},
    )
    document = ActivityDocument.objects.get()
    client.force_login(UserFactory(role=Role.DONOR))
    download = client.get(reverse("activities:evidence_download", args=[document.pk]))

    assert response.status_code == 302
    assert document.title == "Отчёт" and document.file.name.startswith("evidence/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == files.pdf_bytes()


def test_a_refused_file_is_named_and_nothing_is_stored(client, partner):
    activity = ActivityFactory(lead_organisation=partner.person.organisation)
    client.force_login(partner)

    response = client.post(
        reverse("activities:evidence_upload", args=[activity.pk]),
        {"file": SimpleUploadedFile("photo.png", files.HTML)},
    )

    assert "an HTML page" in response.content.decode()
    assert not ActivityDocument.objects.exists()


def test_another_organisation_neither_adds_nor_reads_a_drafts_evidence(client, partner):
    draft = ActivityFactory()
    document = ActivityDocument.objects.create(
        activity=draft,
        title="Agenda",
        file=default_storage.save("evidence/test", SimpleUploadedFile("a", files.pdf_bytes())),
        original_name="a.pdf",
        file_type="pdf",
        size=len(files.pdf_bytes()),
        sha256="0" * 64,
    )
    client.force_login(partner)

    assert client.get(reverse("activities:evidence_upload", args=[draft.pk])).status_code == 404
    assert (
        client.get(reverse("activities:evidence_download", args=[document.pk])).status_code == 404
    )


def test_deleting_evidence_removes_its_file_after_commit(
    client, partner, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(lead_organisation=partner.person.organisation)
    client.force_login(partner)
    client.post(
        reverse("activities:evidence_upload", args=[activity.pk]),
        {"file": SimpleUploadedFile("a.pdf", files.pdf_bytes())},
    )
    name = ActivityDocument.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:evidence_delete", args=[ActivityDocument.objects.get().pk]))

    assert not ActivityDocument.objects.exists()
    assert not default_storage.exists(name)
