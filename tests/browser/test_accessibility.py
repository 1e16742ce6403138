"""axe-core finds no WCAG 2 A/AA violation on the pages people use most."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from stakeholders.models import Organisation, Person

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()


def violations(page: Page) -> list[str]:
    # Evaluated through the browser's debugging protocol, which the page's CSP does not govern.
    page.evaluate(AXE)
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
            });
            return result.violations.map(
                v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")
            );
        }"""
    )
    return list(found)


@pytest.fixture
def logged_in(live_server, page):
    call_command("load_demo", "--force", verbosity=0)
    page.goto(f"{live_server.url}/accounts/login/")
    assert violations(page) == []
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/secretariat/")
    return page


def test_the_directory_pages_have_no_accessibility_violations(live_server, logged_in):
    page = logged_in
    organisation = Organisation.objects.get(short_name="IOM")
    person = Person.objects.filter(organisation=organisation).first()
    urls = [
        reverse("secretariat_home"),
        reverse("stakeholders:organisation_list"),
        reverse("stakeholders:organisation_detail", args=[organisation.pk]),
        reverse("stakeholders:organisation_edit", args=[organisation.pk]),
        reverse("stakeholders:person_list"),
        reverse("stakeholders:person_detail", args=[person.pk]),
        reverse("stakeholders:person_create"),
        reverse("stakeholders:user_list"),
        reverse("stakeholders:audit_list"),
        reverse("profile"),
    ]
    found = {}
    for url in urls:
        page.goto(live_server.url + url)
        if problems := violations(page):
            found[url] = problems

    assert found == {}


def test_the_meeting_pages_have_no_accessibility_violations(live_server, logged_in):
    from meetings.models import Meeting, RsvpLink

    page = logged_in
    held = Meeting.objects.get(number=4)
    coming = Meeting.objects.get(number=5)
    _link, token = RsvpLink.objects.issue(invitation=coming.invitations.first())
    invited = coming.organisation_invitations.first()
    urls = [
        reverse("meetings:meeting_list"),
        reverse("meetings:meeting_detail", args=[held.pk]),
        reverse("meetings:meeting_detail", args=[coming.pk]),
        reverse("meetings:meeting_edit", args=[coming.pk]),
        reverse("meetings:meeting_invite", args=[coming.pk]),
        reverse("meetings:meeting_attendance", args=[held.pk]),
        reverse("meetings:meeting_sign_in_sheet", args=[held.pk]),
        reverse("meetings:agenda_item_create", args=[coming.pk]),
        reverse("meetings:series_list"),
        reverse("meetings:series_detail", args=[held.series_id]),
        reverse("meetings:rsvp", args=[token]),
        reverse("meetings:organisation_invitation_letter", args=[invited.pk]),
        reverse("meetings:organisation_invitation_delegates", args=[invited.pk]),
        reverse("meetings:letter_templates"),
        reverse("meetings:action_item_list"),
        reverse("meetings:action_item_detail", args=[held.action_items.first().pk]),
        reverse("meetings:action_item_create", args=[held.pk]),
        reverse("meetings:decision_create", args=[held.pk]),
        reverse("meetings:minutes_detail", args=[held.pk]),
        reverse("meetings:minutes_compare", args=[held.pk]),
        reverse("meetings:minutes_edit", args=[coming.pk]),
        reverse("meetings:minutes_correct", args=[held.pk]),
        reverse("meetings:document_upload", args=[coming.pk]),
        reverse("meetings:document_edit", args=[held.documents.first().pk]),
        reverse("meetings:meeting_print", args=[held.pk]),
        reverse("meetings:meeting_calendar"),
        reverse("meetings:meeting_calendar") + f"?month={held.starts_at:%Y-%m}",
    ]
    found = {}
    for url in urls:
        page.goto(live_server.url + url)
        if problems := violations(page):
            found[url] = problems

    assert found == {}


def test_the_profile_with_a_calendar_feed_has_no_accessibility_violations(live_server, logged_in):
    page = logged_in
    page.goto(live_server.url + reverse("profile"))
    page.get_by_role("button", name="Create a calendar address").click()
    expect(page.get_by_label("Your calendar address")).to_be_visible()
    shown_once = violations(page)
    page.reload()
    expect(page.get_by_test_id("calendar-feed-state")).to_be_visible()

    assert (shown_once, violations(page)) == ([], [])


def test_the_activity_pages_have_no_accessibility_violations(live_server, logged_in):
    from activities.models import Activity

    page = logged_in
    activity = Activity.objects.order_by("pk").first()
    urls = [
        reverse("activities:activity_list"),
        reverse("activities:activity_list") + "?review=approved&region=UZ-BU",
        reverse("activities:activity_create"),
        reverse("activities:activity_detail", args=[activity.pk]),
        reverse("activities:activity_edit", args=[activity.pk]),
        reverse("activities:activity_participants", args=[activity.pk]),
    ]
    found = {}
    for url in urls:
        page.goto(live_server.url + url)
        if problems := violations(page):
            found[url] = problems

    assert found == {}


def test_the_trend_and_framework_pages_have_no_accessibility_violations(live_server, logged_in):
    from activities.trend_models import TrendNote
    from meetings.models import FrameworkReference

    page = logged_in
    note = TrendNote.objects.order_by("pk").first()
    reference = FrameworkReference.objects.order_by("pk").first()
    urls = [
        reverse("activities:trend_board"),
        reverse("activities:trend_list") + "?without_response=yes",
        reverse("activities:trend_create"),
        reverse("activities:trend_detail", args=[note.pk]),
        reverse("activities:trend_edit", args=[note.pk]),
        reverse("meetings:framework_coverage"),
        reverse("meetings:framework_edit", args=[reference.pk]),
        reverse("stakeholders:import_upload", args=["activities"]),
    ]
    found = {}
    for url in urls:
        page.goto(live_server.url + url)
        if problems := violations(page):
            found[url] = problems

    assert found == {}


def test_the_dashboard_pages_have_no_accessibility_violations(live_server, logged_in):
    from activities.dashboard_models import NationalFigure, Target

    page = logged_in
    urls = [
        reverse("dashboard") + "?period=year&year=2023",
        reverse("dashboard_targets"),
        reverse("dashboard_target_create"),
        reverse("dashboard_target_edit", args=[Target.objects.order_by("pk").first().pk]),
        reverse("national_figures") + "?period=year&year=2023",
        reverse("national_figure_create"),
        reverse("national_figure_edit", args=[NationalFigure.objects.order_by("pk").first().pk]),
    ]
    found = {}
    for url in urls:
        page.goto(live_server.url + url)
        # The charts' table views open too.
        for summary in page.locator("details.table-view > summary").all():
            summary.click()
        if problems := violations(page):
            found[url] = problems

    assert found == {}
