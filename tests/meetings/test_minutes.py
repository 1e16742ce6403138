import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import (
    ActionItem,
    Decision,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesState,
    Statement,
)
from portal.models import AuditEvent, OutboundEmail
from stakeholders.models import Role
from tests.meetings.factories import (
    InvitationFactory,
    MeetingFactory,
    OrganisationInvitationFactory,
)
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def write_minutes(user, meeting, *, label="amber", named_people=(), **texts):
    texts = texts or {"text_en": "We met.", "authoritative_language": "en"}
    return services.minutes_create(
        user=user,
        meeting=meeting,
        data={"label": label, "named_people": list(named_people), **texts},
    )


def circulated(user, meeting, **kwargs):
    minutes = write_minutes(user, meeting, **kwargs)
    services.minutes_circulate(user=user, minutes=minutes)
    minutes.refresh_from_db()
    return minutes


# Workflow


def test_only_the_secretariat_writes_minutes():
    partner = UserFactory(role=Role.PARTNER)

    with pytest.raises(PermissionDenied):
        write_minutes(partner, MeetingFactory())


def test_the_authoritative_language_must_be_written(secretariat):
    with pytest.raises(ValidationError):
        write_minutes(secretariat, MeetingFactory(), text_en="We met.", authoritative_language="ru")


def test_red_minutes_must_name_people(secretariat):
    with pytest.raises(ValidationError):
        write_minutes(secretariat, MeetingFactory(), label="red")


def test_a_forged_field_is_refused(secretariat):
    minutes = write_minutes(secretariat, MeetingFactory())

    with pytest.raises(PermissionDenied):
        services.minutes_update(
            user=secretariat,
            minutes=minutes,
            data={"state": "adopted", "text_en": "x", "authoritative_language": "en"},
            version=minutes.version,
        )


def test_adopted_minutes_are_locked_and_corrected_by_a_new_revision(secretariat):
    minutes = circulated(secretariat, MeetingFactory())
    services.minutes_adopt(user=secretariat, minutes=minutes)
    minutes.refresh_from_db()

    with pytest.raises(ValidationError):
        services.minutes_update(
            user=secretariat,
            minutes=minutes,
            data={"text_en": "Rewritten.", "authoritative_language": "en"},
            version=minutes.version,
        )
    with pytest.raises(ValidationError):
        services.minutes_correct(
            user=secretariat,
            minutes=minutes,
            data={"text_en": "We met twice.", "authoritative_language": "en"},
            reason="",
        )
    services.minutes_correct(
        user=secretariat,
        minutes=minutes,
        data={"text_en": "We met twice.", "authoritative_language": "en"},
        reason="The date of the second sitting",
    )

    revisions = list(minutes.revisions.order_by("number").values_list("number", "text_en"))
    assert revisions == [(1, "We met."), (2, "We met twice.")]
    assert all(r.adopted_at for r in MinutesRevision.objects.filter(minutes=minutes))
    assert Minutes.objects.get(pk=minutes.pk).state == MinutesState.ADOPTED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "meeting_minutes_circulated",
        "meeting_minutes_adopted",
        "meeting_minutes_corrected",
    } <= actions


def test_comments_are_taken_while_circulated_only(secretariat):
    minutes = write_minutes(secretariat, MeetingFactory())
    partner = UserFactory(role=Role.PARTNER)

    with pytest.raises(ValidationError):
        services.minutes_comment(user=partner, minutes=minutes, text="Agreed")
    services.minutes_circulate(user=secretariat, minutes=minutes)
    minutes.refresh_from_db()
    comment = services.minutes_comment(user=partner, minutes=minutes, text="Agreed")

    assert comment.revision.number == 1


def test_a_statement_takes_the_speakers_organisation_and_the_next_place(secretariat):
    minutes = write_minutes(secretariat, MeetingFactory())
    speaker = PersonFactory()

    first = services.statement_create(
        user=secretariat, minutes=minutes, data={"speaker": speaker, "text": "A"}
    )
    second = services.statement_create(
        user=secretariat, minutes=minutes, data={"speaker": speaker, "text": "B"}
    )

    assert (first.organisation, first.order, second.order) == (speaker.organisation, 1, 2)


# Circulation emails


def test_circulating_emails_each_invitee_who_may_read_them_in_their_language(
    secretariat, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(title="Fourth meeting", title_ru="Четвёртое заседание")
    russian = InvitationFactory(meeting=meeting, person__preferred_language="ru").person
    english = InvitationFactory(meeting=meeting, person__preferred_language="en").person
    named = InvitationFactory(meeting=meeting).person
    InvitationFactory(meeting=meeting, person__email="")

    with django_capture_on_commit_callbacks(execute=True):
        circulated(secretariat, meeting)
    emails = {e.recipient: e for e in OutboundEmail.objects.all()}

    assert set(emails) == {russian.email, english.email, named.email}
    assert emails[english.email].subject == (
        "[Participating organisations] Minutes for comment: Fourth meeting"
    )
    assert emails[russian.email].language == "ru"
    assert emails[russian.email].subject.startswith("[")
    assert "Четвёртое заседание" in emails[russian.email].subject
    assert "We met." not in emails[english.email].body
    assert len(mail.outbox) == 3

    OutboundEmail.objects.all().delete()
    red = MeetingFactory()
    for person in (russian, named):
        InvitationFactory(meeting=red, person=person)
    circulated(secretariat, red, label="red", named_people=[named])

    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [named.email]
    assert OutboundEmail.objects.get().subject.startswith("[Named people only] ")


# Who reads minutes, statements, decisions and action items

INVITED, OTHER, NAMED = "invited", "other", "named"


def _world(secretariat, state, label):
    """A meeting with minutes in `state` and `label`, a statement, a decision and an action
    item owned by a third organisation; an invited organisation, another one, and a named
    person of another organisation."""
    invited_org, other_org, owner = (OrganisationFactory() for _ in range(3))
    meeting = MeetingFactory()
    OrganisationInvitationFactory(meeting=meeting, organisation=invited_org)
    named = PersonFactory(organisation=other_org)
    minutes = write_minutes(
        secretariat, meeting, label=label, named_people=[named] if label == "red" else []
    )
    services.statement_create(
        user=secretariat, minutes=minutes, data={"speaker": PersonFactory(), "text": "Said"}
    )
    services.decision_create(user=secretariat, meeting=meeting, data={"text": "Agreed"})
    ActionItem.objects.create(
        meeting=meeting, description="Do", owner_organisation=owner, due_on="2031-12-01"
    )
    if state != MinutesState.DRAFT:
        services.minutes_circulate(user=secretariat, minutes=minutes)
    if state == MinutesState.ADOPTED:
        minutes.refresh_from_db()
        services.minutes_adopt(user=secretariat, minutes=minutes)
    return meeting, {
        INVITED: {"person__organisation": invited_org},
        OTHER: {"person__organisation": other_org},
        NAMED: {"person": named},
    }


# (state, label, role, reader): reads the minutes and what follows them?
READS = [
    # drafts are the secretariat's
    ("draft", "green", Role.PARTNER, INVITED, False),
    ("draft", "clear", Role.DONOR, INVITED, False),
    ("draft", "amber", Role.SECRETARIAT, OTHER, True),
    # circulated: the invitees, within the label
    ("circulated", "amber", Role.PARTNER, INVITED, True),
    ("circulated", "amber", Role.DONOR, INVITED, True),
    ("circulated", "amber", Role.PARTNER, OTHER, False),
    ("circulated", "green", Role.PARTNER, OTHER, False),
    ("circulated", "clear", Role.DONOR, OTHER, False),
    ("circulated", "red", Role.PARTNER, INVITED, False),
    ("circulated", "red", Role.PARTNER, NAMED, False),  # named, but not invited
    ("circulated", "amber", Role.SECRETARIAT, OTHER, True),
    # adopted: the label decides
    ("adopted", "amber", Role.PARTNER, INVITED, True),
    ("adopted", "amber", Role.PARTNER, OTHER, False),
    ("adopted", "amber", Role.DONOR, OTHER, False),
    ("adopted", "green", Role.PARTNER, OTHER, True),
    ("adopted", "green", Role.DONOR, OTHER, True),
    ("adopted", "clear", Role.PARTNER, OTHER, True),
    ("adopted", "red", Role.PARTNER, INVITED, False),
    ("adopted", "red", Role.DONOR, NAMED, True),
    ("adopted", "red", Role.PARTNER, OTHER, False),
    ("adopted", "red", Role.SECRETARIAT, OTHER, True),
]


@pytest.mark.parametrize(("state", "label", "role", "reader", "reads"), READS)
def test_who_reads_minutes_statements_decisions_and_action_items(
    secretariat, state, label, role, reader, reads
):
    meeting, readers = _world(secretariat, state, label)
    user = UserFactory(role=role, **readers[reader])

    seen = [
        Minutes.objects.visible_to(user).filter(meeting=meeting).exists(),
        Statement.objects.visible_to(user).filter(minutes__meeting=meeting).exists(),
        Decision.objects.visible_to(user).filter(meeting=meeting).exists(),
        ActionItem.objects.visible_to(user).filter(meeting=meeting).exists(),
    ]

    assert seen == [reads] * 4


def test_the_owner_organisation_sees_its_action_item_without_the_minutes(secretariat):
    meeting, _readers = _world(secretariat, "draft", "amber")
    item = ActionItem.objects.get(meeting=meeting)
    owner = UserFactory(role=Role.DONOR, person__organisation=item.owner_organisation)

    assert list(ActionItem.objects.visible_to(owner)) == [item]
    assert not Decision.objects.visible_to(owner).exists()


@pytest.mark.parametrize(("label", "opens"), [("clear", True), ("green", True), ("amber", False)])
def test_adopted_public_minutes_open_their_meeting_to_every_portal_user(secretariat, label, opens):
    meeting, _readers = _world(secretariat, "adopted", label)
    stranger = UserFactory(role=Role.PARTNER)
    no_person = UserFactory(role=Role.DONOR, person=None, email="donor@example.org")

    assert Meeting.objects.visible_to(stranger).filter(pk=meeting.pk).exists() is opens
    assert Meeting.objects.visible_to(no_person).filter(pk=meeting.pk).exists() is opens


# Pages


@pytest.fixture
def client_of(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def _invited_reader(meeting, language, role=Role.PARTNER):
    user = UserFactory(role=role, person__preferred_language=language)
    InvitationFactory(meeting=meeting, person=user.person)
    return user


def test_each_reader_sees_their_language_or_the_authoritative_text_saying_so(
    secretariat, client_of
):
    meeting = MeetingFactory()
    english = _invited_reader(meeting, "en", Role.DONOR)
    uzbek = _invited_reader(meeting, "uz")
    circulated(
        secretariat,
        meeting,
        text_ru="Заседание состоялось.",
        text_en="The meeting took place.",
        authoritative_language="ru",
    )
    url = reverse("meetings:minutes_detail", args=[meeting.pk])

    english_page = client_of(english).get(url)
    uzbek_page = client_of(uzbek).get(url)
    side_by_side = client_of(uzbek).get(reverse("meetings:minutes_compare", args=[meeting.pk]))

    assert "The meeting took place." in english_page.content.decode()
    assert "Заседание состоялось." not in english_page.content.decode()
    assert not english_page.context["fell_back"]
    assert uzbek_page.context["language"] == "ru"
    assert uzbek_page.context["fell_back"]
    assert 'data-testid="minutes-fallback"' in uzbek_page.content.decode()
    assert "Заседание состоялось." in uzbek_page.content.decode()
    both = side_by_side.content.decode()
    assert "Заседание состоялось." in both
    assert "The meeting took place." in both
    assert [code for code, *_rest in side_by_side.context["columns"]] == ["en", "ru"]


def test_draft_minutes_are_hidden_outside_the_secretariat(secretariat, client_of):
    meeting = MeetingFactory()
    invitee = _invited_reader(meeting, "en")
    write_minutes(secretariat, meeting)
    url = reverse("meetings:minutes_detail", args=[meeting.pk])

    assert client_of(invitee).get(url).status_code == 404
    assert client_of(secretariat).get(url).status_code == 200


def test_circulated_minutes_are_read_by_invitees_and_404_for_others(secretariat, client_of):
    meeting = MeetingFactory()
    invitee = _invited_reader(meeting, "en")
    circulated(secretariat, meeting)
    url = reverse("meetings:minutes_detail", args=[meeting.pk])

    assert client_of(invitee).get(url).status_code == 200
    assert client_of(UserFactory(role=Role.PARTNER)).get(url).status_code == 404


def test_the_edit_form_refuses_adopted_minutes(secretariat, client_of):
    meeting = MeetingFactory()
    minutes = circulated(secretariat, meeting)
    services.minutes_adopt(user=secretariat, minutes=minutes)
    minutes.refresh_from_db()
    client = client_of(secretariat)

    response = client.post(
        reverse("meetings:minutes_edit", args=[meeting.pk]),
        {
            "label": "amber",
            "text_en": "Rewritten.",
            "authoritative_language": "en",
            "version": minutes.version,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:minutes_correct", args=[meeting.pk])
    assert list(MinutesRevision.objects.values_list("text_en", flat=True)) == ["We met."]


def test_a_correction_through_the_page_keeps_revision_1_readable(secretariat, client_of):
    meeting = MeetingFactory()
    invitee = _invited_reader(meeting, "en")
    minutes = circulated(secretariat, meeting)
    services.minutes_adopt(user=secretariat, minutes=minutes)

    client_of(secretariat).post(
        reverse("meetings:minutes_correct", args=[meeting.pk]),
        {"text_en": "We met twice.", "authoritative_language": "en", "reason": "A sitting"},
    )
    url = reverse("meetings:minutes_detail", args=[meeting.pk])
    latest = client_of(invitee).get(url)
    first = client_of(invitee).get(url, {"revision": 1})

    assert "We met twice." in latest.content.decode()
    assert "We met." in first.content.decode()
    assert "We met twice." not in first.content.decode()
    assert client_of(invitee).get(url, {"revision": 3}).status_code == 404


def test_the_minutes_are_rendered_as_safe_markdown(secretariat, client_of):
    meeting = MeetingFactory()
    write_minutes(
        secretariat,
        meeting,
        text_en=(
            "## Agreed\n\n- first\n- [site](https://example.org)\n\n"
            '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="y">'
        ),
        authoritative_language="en",
    )

    page = client_of(secretariat).get(reverse("meetings:minutes_detail", args=[meeting.pk]))
    text = str(page.context["text"])

    assert "<h2>Agreed</h2>" in text
    assert "<li>first</li>" in text
    assert 'rel="noopener nofollow"' in text
    assert "<script" not in text
    assert "javascript:" not in text.replace("[x](javascript:alert(1))", "")
    assert "<img" not in text


def test_a_partners_comment_with_personal_data_is_refused(secretariat, client_of):
    meeting = MeetingFactory()
    invitee = _invited_reader(meeting, "en")
    circulated(secretariat, meeting)

    response = client_of(invitee).post(
        reverse("meetings:minutes_comment", args=[meeting.pk]),
        {"text": "Call me on +998 90 123 45 67"},
    )

    assert response.status_code == 200
    assert "personal data" in response.content.decode()
    assert not MinutesComment.objects.exists()


def test_the_secretariat_may_save_a_flagged_statement_with_a_reason(secretariat, client_of):
    meeting = MeetingFactory()
    speaker = InvitationFactory(meeting=meeting).person
    write_minutes(secretariat, meeting)

    response = client_of(secretariat).post(
        reverse("meetings:statement_create", args=[meeting.pk]),
        {
            "speaker": speaker.pk,
            "text": "The hotline office is at +998 71 239 12 34.",
            "save_anyway": "on",
            "save_anyway_reason": "An office's number, not a person's",
        },
    )

    assert response.status_code == 302
    assert Statement.objects.get().organisation == speaker.organisation
    assert AuditEvent.objects.filter(action="personal_data_override").exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _minuted_meeting(secretariat, size):
    meeting = MeetingFactory()
    minutes = circulated(secretariat, meeting)
    for number in range(size):
        speaker = InvitationFactory(meeting=meeting).person
        services.statement_create(
            user=secretariat, minutes=minutes, data={"speaker": speaker, "text": f"S{number}"}
        )
        services.minutes_comment(user=secretariat, minutes=minutes, text=f"C{number}")
        services.decision_create(user=secretariat, meeting=meeting, data={"text": f"D{number}"})
    return meeting


def test_the_minutes_and_meeting_pages_read_as_many_queries_for_5_as_for_50(secretariat, client_of):
    small, large = _minuted_meeting(secretariat, 5), _minuted_meeting(secretariat, 50)
    client = client_of(secretariat)

    # Session, user, minutes with their meeting, revisions with authors, statements with
    # speakers, organisations and agenda items, comments with authors, the comment form's
    # agenda items.
    minutes_pages = [
        _queries(client, reverse("meetings:minutes_detail", args=[m.pk])) for m in (small, large)
    ]
    meeting_pages = [_queries(client, m.get_absolute_url()) for m in (small, large)]

    assert minutes_pages[0] == minutes_pages[1] <= 7
    # The meeting page's decisions bring their framework references in one more query; the
    # meeting being its series' next, two more ask whether one comes before it and count the
    # trends without response.
    assert meeting_pages[0] == meeting_pages[1] <= 15


def test_the_secretariat_home_lists_held_meetings_whose_minutes_are_to_circulate(
    secretariat, client_of
):
    unwritten = MeetingFactory(status="held")
    drafted = MeetingFactory(status="held")
    write_minutes(secretariat, drafted)
    done = MeetingFactory(status="held")
    circulated(secretariat, done)
    MeetingFactory()  # planned

    page = client_of(secretariat).get(reverse("secretariat_home"))

    assert set(page.context["minutes_to_circulate"]) == {unwritten, drafted}
    assert 'data-testid="minutes-to-circulate"' in page.content.decode()


# Statements: corrected, reordered and removed until the minutes are adopted


def _statements(secretariat, meeting, count=3):
    minutes = write_minutes(secretariat, meeting)
    speaker = InvitationFactory(meeting=meeting).person
    made = [
        services.statement_create(
            user=secretariat,
            minutes=minutes,
            data={"speaker": speaker, "text": f"Statement {n}"},
        )
        for n in range(1, count + 1)
    ]
    return minutes, made


def _order(minutes):
    return list(minutes.statements.order_by("order").values_list("text", flat=True))


def test_a_statement_is_corrected_with_its_version(secretariat):
    from portal.lib.versions import VersionConflict

    _minutes, (first, *_rest) = _statements(secretariat, MeetingFactory())
    other = OrganisationFactory()

    services.statement_update(
        user=secretariat,
        statement=first,
        data={"text": "Corrected", "organisation": other},
        version=first.version,
    )

    first.refresh_from_db()
    assert (first.text, first.organisation, first.version) == ("Corrected", other, 2)
    with pytest.raises(VersionConflict):
        services.statement_update(
            user=secretariat, statement=first, data={"text": "Stale"}, version=1
        )


def test_statements_move_up_and_down_and_stay_numbered(secretariat):
    minutes, (first, _second, third) = _statements(secretariat, MeetingFactory())

    services.statement_move(user=secretariat, statement=third, direction="up")
    services.statement_move(user=secretariat, statement=first, direction="up")  # already first

    assert _order(minutes) == ["Statement 1", "Statement 3", "Statement 2"]
    assert list(minutes.statements.order_by("order").values_list("order", flat=True)) == [1, 2, 3]
    with pytest.raises(ValidationError):
        services.statement_move(user=secretariat, statement=first, direction="sideways")


def test_statements_are_locked_once_the_minutes_are_adopted(secretariat, client):
    minutes, (first, *_rest) = _statements(secretariat, MeetingFactory())
    services.minutes_adopt(user=secretariat, minutes=minutes)

    with pytest.raises(ValidationError):
        services.statement_update(
            user=secretariat, statement=first, data={"text": "Late"}, version=first.version
        )
    with pytest.raises(ValidationError):
        services.statement_move(user=secretariat, statement=first, direction="down")
    with pytest.raises(ValidationError):
        services.statement_delete(user=secretariat, statement=first)
    client.force_login(secretariat)
    page = client.get(reverse("meetings:statement_edit", args=[first.pk]))

    assert page.status_code == 302
    assert Statement.objects.filter(pk=first.pk, text="Statement 1").exists()


def test_a_statement_is_removed_and_only_by_the_secretariat(secretariat):
    minutes, (first, *_rest) = _statements(secretariat, MeetingFactory())
    partner = UserFactory(role=Role.PARTNER)

    with pytest.raises(PermissionDenied):
        services.statement_delete(user=partner, statement=first)
    services.statement_delete(user=secretariat, statement=first)

    assert _order(minutes) == ["Statement 2", "Statement 3"]


def test_the_edit_form_keeps_the_text_on_a_personal_data_refusal(secretariat, client):
    _minutes, (first, *_rest) = _statements(secretariat, MeetingFactory())
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:statement_edit", args=[first.pk]),
        {"speaker": first.speaker_id, "text": "Call me on +998 90 123 45 67", "version": 1},
    )

    assert response.status_code == 200
    assert "+998 90 123 45 67" in response.content.decode()
    first.refresh_from_db()
    assert first.text == "Statement 1"
