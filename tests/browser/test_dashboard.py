"""A donor opens the dashboard from the home page, changes the period, opens a chart's table
view, reads how a figure is counted and follows a figure to the list behind it."""

import re

from django.core.management import call_command
from playwright.sync_api import Page, expect


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()


def test_a_donor_changes_the_period_and_follows_a_figure(live_server, page, csp_violations):
    call_command("load_demo", "--force", verbosity=0)
    _log_in(page, live_server.url, "donor@example.org")
    expect(page.get_by_test_id("key-figure-cards")).to_be_visible()
    page.get_by_role("link", name="Open the dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"Q\d \d{4}"))

    filters = page.get_by_test_id("dashboard-filters")
    filters.get_by_label("Period").select_option("year")
    filters.get_by_label("Year", exact=True).select_option("2023")
    filters.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard: 2023")
    expect(page).to_have_url(re.compile(r"period=year&year=2023"))

    # A chart and its table view.
    region = page.get_by_test_id("table-activities_by_region")
    expect(region.get_by_role("img", name="Activities by region")).to_be_visible()
    table = region.get_by_test_id("table-view-activities_by_region")
    expect(table.get_by_role("table")).to_be_hidden()
    table.get_by_text("Show as a table").click()
    expect(table.get_by_role("row", name=re.compile(r"^Bukhara 1$"))).to_be_visible()

    held = page.get_by_test_id("figure-meetings_held")
    expect(held.get_by_test_id("earlier")).to_contain_text("2022")
    held.get_by_text("How is this counted?").click()
    expect(held).to_contain_text("Meetings marked held")
    count = held.get_by_test_id("value").inner_text()
    held.get_by_test_id("value").click()
    expect(page.get_by_test_id("period-banner")).to_contain_text("Limited to 2023")
    expect(page.get_by_text(re.compile(rf"^{count} meetings?$"))).to_be_visible()
    assert not csp_violations
