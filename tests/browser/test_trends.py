"""A partner records a trend note from the Fourth meeting; the secretariat links an activity
that answers it and marks it addressed."""

import re

from django.core.management import call_command
from playwright.sync_api import Page, expect

from activities.models import Activity
from activities.trend_models import TrendNote, TrendStatus

TITLE = "Offers of work abroad through messaging channels"


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()


def _label(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def test_a_trend_is_recorded_answered_and_addressed(live_server, page, csp_violations):
    call_command("load_demo", "--force", verbosity=0)
    _log_in(page, live_server.url, "partner@example.org")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Trends", exact=True
    ).click()
    expect(page.get_by_test_id("trend-board")).to_be_visible()
    page.get_by_role("link", name="Record a trend").click()
    expect(page.get_by_test_id("form-intro")).to_contain_text("never a case")

    page.get_by_label(_label("Title")).fill(TITLE)
    page.get_by_label(_label("Summary")).fill("Call the recruiter at +998 90 123 45 67.")
    page.get_by_label(_label("Kind of trend")).select_option("recruitment_method")
    page.get_by_label("Online social networks").check()
    page.get_by_label(_label("Source")).select_option("meeting_discussion")
    discussed = page.locator(".ts-wrapper").filter(has=page.locator("#id_meetings-ts-control"))
    discussed.click()
    page.keyboard.type("Fourth")
    page.get_by_role("option", name=re.compile("Fourth")).first.click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("This looks like personal data")
    expect(
        page.locator(".invalid-feedback", has_text="This looks like personal data")
    ).to_be_visible()

    page.get_by_label(_label("Summary")).fill(
        "Young people are offered seasonal work abroad in messaging channels, with fees "
        "asked up front."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("recorded")
    note = TrendNote.objects.get(title=TITLE)
    assert note.meetings.get().number == 4
    page.get_by_role("button", name="Log out").click()

    _log_in(page, live_server.url, "secretariat@example.org")
    page.goto(f"{live_server.url}{note.get_absolute_url()}")
    answer = Activity.objects.get(title="Training of Trainers seminar on trafficking in persons")
    page.get_by_label("Activity code").fill(answer.code)
    page.get_by_label("How it answers the trend").fill("Trainers now cover online recruitment.")
    page.get_by_role("button", name="Link the activity").click()
    expect(page.get_by_test_id("trend-responses")).to_contain_text(answer.code)
    page.get_by_label("Move to").select_option("addressed")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("trend-status")).to_have_text("Addressed")
    note.refresh_from_db()
    assert note.status == TrendStatus.ADDRESSED
    assert csp_violations == []
