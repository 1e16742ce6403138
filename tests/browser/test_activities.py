"""A partner logs a training with two participant rows and submits it; the secretariat
returns it; the partner fixes it and submits it again; the secretariat approves it."""

import re

from django.core.management import call_command
from playwright.sync_api import Page, expect

from activities.models import Activity, ReviewState

TITLE = "Training for border guards in Samarkand"


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()


def _label(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def test_a_training_is_logged_returned_fixed_and_approved(live_server, page, csp_violations):
    call_command("load_demo", "--force", verbosity=0)
    _log_in(page, live_server.url, "partner@example.org")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Activities", exact=True
    ).click()
    page.get_by_role("link", name="Log an activity").click()

    page.get_by_label(_label("Title")).fill(TITLE)
    page.get_by_label(_label("Type")).select_option("training")
    page.get_by_label(_label("Pillar")).select_option("prevention")
    page.get_by_label("Border and migration officers").check()
    page.get_by_label("Police").check()
    page.get_by_label(_label("Planned start")).fill("2031-11-06")
    page.get_by_label(_label("Planned end")).fill("2031-11-07")
    page.get_by_label("Samarkand").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Activity saved as a draft.")

    page.get_by_role("link", name="Participants").click()
    rows = page.get_by_test_id("participant-rows").locator("tbody tr")
    first, second = rows.nth(0), rows.nth(1)
    first.get_by_label(_label("Target group")).select_option("border_migration_officers")
    first.get_by_label(_label("Women")).fill("7")
    first.get_by_label(_label("Men")).fill("14")
    second.get_by_label(_label("Target group")).select_option("police")
    second.get_by_label(_label("Women")).fill("3")
    second.get_by_label(_label("Men")).fill("-2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Ensure this value is greater than or equal to 0.")).to_be_visible()
    page.get_by_test_id("participant-rows").locator("tbody tr").nth(1).get_by_label(
        _label("Men")
    ).fill("9")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Participants saved.")
    expect(page.get_by_test_id("participants")).to_contain_text("33")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_test_id("review-state")).to_have_text("Submitted for review")

    page.get_by_role("button", name="Log out").click()
    _log_in(page, live_server.url, "secretariat@example.org")
    activity = Activity.objects.get(title=TITLE)
    page.goto(live_server.url + activity.get_absolute_url())
    page.get_by_role("button", name="Return", exact=True).click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status"))).to_contain_text(
        "This field is required."
    )
    page.get_by_label("What should change").fill("Say which airport the border guards work at.")
    page.get_by_role("button", name="Return", exact=True).click()
    expect(page.get_by_test_id("review-state")).to_have_text("Returned for changes")

    page.get_by_role("button", name="Log out").click()
    _log_in(page, live_server.url, "partner@example.org")
    page.goto(live_server.url + activity.get_absolute_url())
    expect(page.get_by_test_id("review-comment")).to_contain_text("which airport")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label(_label("Description")).fill("Samarkand airport's border guards.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_test_id("review-state")).to_have_text("Submitted for review")

    page.get_by_role("button", name="Log out").click()
    _log_in(page, live_server.url, "secretariat@example.org")
    page.goto(live_server.url + activity.get_absolute_url())
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("review-state")).to_have_text("Approved")
    activity.refresh_from_db()
    assert activity.review_state == ReviewState.APPROVED
    assert csp_violations == []
