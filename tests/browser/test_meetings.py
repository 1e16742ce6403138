"""The secretariat plans a meeting, an invitee answers through the emailed link, and the
secretariat records who came."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from meetings.models import Attendance, Invitation, Meeting, Response
from stakeholders.models import MechanismRole, StakeholderGroup
from tests.stakeholders.factories import OrganisationFactory, PersonFactory

TITLE = "Sixth coordination meeting"
DASH = "\u2013"  # between the ends of a span of time


def _label(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def _log_in_as_secretariat(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/secretariat/")


def _pick(page: Page, label: str, typed: str, option: str) -> None:
    page.get_by_role("combobox", name=label).fill(typed)
    page.get_by_role("option", name=option).click()


def _add_item(page: Page, title: str, minutes: int) -> None:
    page.get_by_role("link", name="Add item").click()
    page.get_by_label(_label("Title")).first.fill(title)
    page.get_by_label(_label("Duration (minutes)")).fill(str(minutes))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Agenda item added.")


def test_the_secretariat_plans_a_meeting_and_an_invitee_answers_through_the_link(
    live_server, page, csp_violations
):
    call_command("load_demo", "--force", verbosity=0)
    shelter = OrganisationFactory(
        name="Tashkent Shelter Foundation", stakeholder_group=StakeholderGroup.NATIONAL_NGO
    )
    lawyers = OrganisationFactory(
        name="Association of Lawyers", stakeholder_group=StakeholderGroup.NATIONAL_NGO
    )
    invitee = PersonFactory(
        full_name="Malika Yusupova",
        organisation=shelter,
        mechanism_role=MechanismRole.FOCAL_POINT,
        email="malika@example.org",
    )
    PersonFactory(organisation=lawyers, mechanism_role=MechanismRole.ALTERNATE)
    _log_in_as_secretariat(page, live_server.url)

    # Plan the meeting: the series and its next number are proposed.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Meetings", exact=True
    ).click()
    page.get_by_role("link", name="Plan a meeting").click()
    expect(page.get_by_label(_label("Number"))).to_have_value("6")
    page.get_by_label(_label("Title")).first.fill(TITLE)
    page.get_by_label(_label("Starts")).fill("2031-10-21T10:00")
    page.get_by_label(_label("Ends")).fill("2031-10-21T09:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text(
        "The meeting must end after it starts."
    )
    expect(
        page.locator(".invalid-feedback", has_text="The meeting must end after it starts.")
    ).to_be_visible()
    expect(page.get_by_label(_label("Title")).first).to_have_value(TITLE)
    page.get_by_label(_label("Ends")).fill("2031-10-21T12:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Meeting planned.")
    expect(page.get_by_test_id("meeting-when")).to_have_text(
        f"21 October 2031, 10:00{DASH}12:00 (Asia/Tashkent)"
    )

    # Two agenda items, the second moved up without reloading the page.
    _add_item(page, "Updates from the partners", 30)
    _add_item(page, "Opening", 10)
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Move “Opening” up").click()
    items = page.get_by_test_id("agenda-item")
    expect(items.first).to_contain_text("Opening")
    expect(items.first.get_by_test_id("agenda-time")).to_have_text(f"10:00{DASH}10:10")
    expect(items.nth(1).get_by_test_id("agenda-time")).to_have_text(f"10:10{DASH}10:40")
    assert page.evaluate("window.notReloaded") is True

    # Invite two organisations through their contacts.
    page.get_by_role("link", name="Invitations", exact=True).click()
    _pick(page, "Organisation", "shelter", "Tashkent Shelter Foundation")
    page.get_by_role("button", name="Invite organisation").click()
    expect(page.get_by_role("status").first).to_contain_text("1 person invited.")
    _pick(page, "Organisation", "lawyers", "Association of Lawyers")
    page.get_by_role("button", name="Invite organisation").click()
    invited = page.get_by_test_id("invited-organisation")
    expect(invited.filter(has_text="Tashkent Shelter Foundation")).to_contain_text(
        "Malika Yusupova"
    )
    expect(invited.filter(has_text="Association of Lawyers")).to_have_count(1)

    # The invitee answers through the link of the email, without logging in.
    (email,) = [m for m in mail.outbox if m.to == [invitee.email]]
    link = re.search(r"https?://\S+/meetings/rsvp/\S+/", email.body).group(0)
    answer_page = page.context.browser.new_page()
    answer_page.goto(live_server.url + link[link.index("/meetings/") :])
    expect(answer_page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    answer_page.get_by_role("radio", name="Attending", exact=True).check()
    answer_page.get_by_role("button", name="Save answer").click()
    expect(answer_page.get_by_role("status")).to_contain_text("your answer is saved")
    expect(answer_page.get_by_test_id("current-answer")).to_contain_text("Attending")
    answer_page.close()
    assert Invitation.objects.get(person=invitee).response == Response.ACCEPTED

    # The day comes: the secretariat records who came, a whole organisation at once.
    meeting = Meeting.objects.get(title=TITLE)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Attendance", exact=True).click()
    page.get_by_test_id("attendance-organisation").filter(
        has_text="Tashkent Shelter Foundation"
    ).get_by_role("button", name="Attended").click()
    expect(page.get_by_role("status").first).to_contain_text("Attendance saved")
    summary = page.get_by_test_id("attendance-summary")
    expect(summary).to_contain_text(re.compile(r"1 of \d+ invitees attended"))
    expect(page.get_by_test_id("absent-organisations")).to_contain_text("Association of Lawyers")
    assert Invitation.objects.get(person=invitee).attendance == Attendance.ATTENDED

    assert csp_violations == []


def test_a_partner_marks_its_action_item_done_in_place(live_server, page, csp_violations):
    from datetime import date

    from meetings.models import ActionItem, ActionItemStatus
    from stakeholders.models import Organisation

    call_command("load_demo", "--force", verbosity=0)
    item = ActionItem.objects.create(
        meeting=Meeting.objects.get(number=4),
        description="Share the IOM screening guide with the airport trainers",
        owner_organisation=Organisation.objects.get(short_name="IOM"),
        due_on=date(2031, 12, 1),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("partner@example.org")
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Action items", exact=True
    ).click()

    # The Fourth meeting's minutes are public: its items show, but only the partner's own
    # can be updated.
    rows = page.get_by_test_id("action-item-row")
    own = rows.filter(has_text="IOM screening guide")
    others = rows.filter(has_text="Training of Trainers")
    expect(others).to_have_count(1)
    expect(others.get_by_role("combobox")).to_have_count(0)
    page.evaluate("window.notReloaded = true")
    own.get_by_label("Status").select_option(label="Done")
    own.get_by_label("Note").fill("Guide shared on 1 December")
    own.get_by_role("button", name="Save").click()

    # The row comes back from the server with an empty note: the update is saved.
    own = page.get_by_test_id("action-item-row").filter(has_text="IOM screening guide")
    expect(own.get_by_label("Note")).to_have_value("")
    expect(own.get_by_label("Status")).to_have_value("done")
    assert page.evaluate("window.notReloaded") is True
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.completed_at is not None
    assert item.updates.get().note == "Guide shared on 1 December"
    assert csp_violations == []


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()


def test_minutes_are_written_circulated_commented_and_adopted(
    live_server, page, browser, csp_violations
):
    from meetings.models import Minutes, MinutesState

    call_command("load_demo", "--force", verbosity=0)
    fifth = Meeting.objects.get(number=5)
    _log_in(page, live_server.url, "secretariat@example.org")

    # The secretariat writes the minutes, with a list and a link.
    page.goto(f"{live_server.url}{fifth.get_absolute_url()}")
    page.get_by_role("link", name="Write the minutes").click()
    page.get_by_label(_label("Minutes in English")).fill(
        "## Activities\n\n- Airport trainings\n- Study visit\n\n"
        "See [the plan](https://example.org/plan)."
    )
    page.get_by_label(_label("Authoritative language")).select_option(label="English")
    page.get_by_role("button", name="Save").click()
    text = page.get_by_test_id("minutes-text")
    expect(text.get_by_role("listitem")).to_have_count(2)
    expect(text.get_by_role("link", name="the plan")).to_have_attribute("rel", "noopener nofollow")

    # Circulated: the invitees may read them and comment.
    page.get_by_role("button", name="Circulate for comment").click()
    expect(page.get_by_role("status").first).to_be_visible()
    assert Minutes.objects.get(meeting=fifth).state == MinutesState.CIRCULATED
    partner_context = browser.new_context()
    partner = partner_context.new_page()
    _log_in(partner, live_server.url, "partner@example.org")
    partner.goto(f"{live_server.url}{fifth.get_absolute_url()}minutes/")
    expect(partner.get_by_test_id("minutes-text")).to_contain_text("Airport trainings")
    partner.get_by_label(_label("Comment")).fill("Please add the dates of the trainings.")
    partner.get_by_role("button", name="Comment").click()
    expect(partner.get_by_text("Please add the dates of the trainings.")).to_be_visible()
    partner_context.close()

    # Adopted: locked, the comment kept.
    page.reload()
    expect(page.get_by_text("Please add the dates of the trainings.")).to_be_visible()
    page.get_by_role("button", name="Adopt").click()
    expect(page.get_by_role("link", name="Correct")).to_be_visible()
    assert Minutes.objects.get(meeting=fifth).state == MinutesState.ADOPTED
    assert csp_violations == []


def test_a_pickers_error_shows_under_it(live_server, page):
    call_command("load_demo", "--force", verbosity=0)
    _log_in(page, live_server.url, "secretariat@example.org")
    page.goto(f"{live_server.url}/meetings/{Meeting.objects.get(number=4).pk}/action-items/new/")

    page.get_by_label(_label("Action")).first.fill("Report on the trainings")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#id_owner_organisation_error")).to_be_visible()
    expect(page.locator("#id_owner_organisation_error")).to_contain_text("This field is required.")


def test_a_partner_subscribes_to_their_meetings_and_finds_them_on_the_month_page(
    live_server, page, csp_violations
):
    call_command("load_demo", "--force", verbosity=0)
    fifth = Meeting.objects.get(number=5)
    _log_in(page, live_server.url, "partner@example.org")

    # The profile page creates the calendar address and shows it once.
    page.get_by_test_id("current-user").get_by_role("link").click()
    page.get_by_role("button", name="Create a calendar address").click()
    address = page.get_by_label("Your calendar address").input_value()
    path = urlsplit(address).path
    feed = page.request.get(live_server.url + path)
    assert feed.status == 200
    assert fifth.title in feed.text()
    page.reload()
    expect(page.get_by_label("Your calendar address")).to_have_count(0)
    expect(page.get_by_test_id("calendar-feed-state")).to_be_visible()

    # Revoked, the address opens nothing.
    page.get_by_role("button", name="Revoke the address").click()
    expect(page.get_by_role("status")).to_contain_text("Your calendar address no longer works.")
    assert page.request.get(live_server.url + path).status == 404

    # The month page holds the Fifth meeting; its links are reached by the keyboard.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Meetings", exact=True
    ).click()
    page.get_by_role("link", name="Calendar", exact=True).click()
    # Planned 30 days after the demo was loaded: this month or the next.
    if fifth.local_start.month != timezone.localdate().month:
        page.get_by_test_id("next-month").click()
    meeting = page.get_by_test_id("calendar-meeting").filter(has_text=fifth.title)
    meeting.get_by_role("link").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}{fifth.get_absolute_url()}")
    assert csp_violations == []
