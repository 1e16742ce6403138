"""The secretariat keeps the directory through the forms and the import preview."""

import re
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import Page, expect

from stakeholders.models import Organisation

NATIONAL_COMMISSION = "National Commission on Combating Trafficking in Persons and Forced Labor"
NEW_ORGANISATION = "Anti-Trafficking Legal Aid Network"
CYRILLIC_NAME = "Ассоциация юристов Узбекистана"


def _log_in_as_secretariat(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill("secretariat@example.org")
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/secretariat/")


def _open_from_navigation(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name=name, exact=True
    ).click()
    expect(page.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()


def _label(text: str) -> re.Pattern[str]:
    """A form label as crispy-forms renders it: required ones end with an asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def _pick(page: Page, label: str, typed: str, option: str) -> None:
    """Choose a record in a picker: type part of its name, then click the suggestion."""
    page.get_by_role("combobox", name=label).fill(typed)
    page.get_by_role("option", name=option).click()


def test_the_secretariat_adds_an_organisation_and_a_person_through_the_forms(
    live_server, page, csp_violations
):
    call_command("load_demo", "--force", verbosity=0)
    commission_pk = Organisation.objects.get(name=NATIONAL_COMMISSION).pk
    _log_in_as_secretariat(page, live_server.url)

    _open_from_navigation(page, "Organisations")
    page.get_by_role("link", name="Add organisation").click()
    expect(page.get_by_role("heading", name="New organisation")).to_be_visible()

    # First with the name of an organisation already in the directory, in another letter case.
    page.get_by_label(_label("Name")).fill("international organization for MIGRATION")
    page.get_by_label(_label("Short name")).fill("ATLAN")
    page.get_by_label(_label("Stakeholder group")).select_option(label="National NGO")
    _pick(page, "Parent organisation", "national comm", NATIONAL_COMMISSION)
    page.get_by_label(_label("Country")).select_option(label="Uzbekistan")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("error-summary")).to_contain_text(
        "An organisation with this name already exists."
    )
    expect(
        page.locator(".invalid-feedback", has_text="An organisation with this name already exists.")
    ).to_be_visible()
    expect(page.get_by_label(_label("Name"))).to_have_value(
        "international organization for MIGRATION"
    )
    expect(page.get_by_label(_label("Short name"))).to_have_value("ATLAN")
    expect(page.get_by_label(_label("Stakeholder group"))).to_have_value("national_ngo")
    expect(page.locator("select#id_parent")).to_have_value(str(commission_pk))
    expect(page.get_by_label(_label("Country"))).to_have_value("UZ")

    # Then with a new name: the rest of the form is still filled in.
    page.get_by_label(_label("Name")).fill(NEW_ORGANISATION)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Organisation added.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{NEW_ORGANISATION} (ATLAN)")
    expect(page.get_by_text("National NGO · Uzbekistan")).to_be_visible()
    parent_link = page.get_by_role("link", name=NATIONAL_COMMISSION)
    expect(parent_link).to_be_visible()
    expect(parent_link).to_have_attribute("href", f"/directory/organisations/{commission_pk}/")
    expect(page.get_by_text("No people recorded.")).to_be_visible()

    # A person of the new organisation, from its page.
    page.get_by_role("link", name="Add person").click()
    expect(page.get_by_role("heading", name="New person")).to_be_visible()
    expect(page.locator("select#id_organisation")).to_have_value(
        str(Organisation.objects.get(name=NEW_ORGANISATION).pk)
    )
    page.get_by_label(_label("Full name")).fill("Dilnoza Karimova")
    page.get_by_label(_label("Position")).fill("Legal adviser")
    page.get_by_label(_label("Email")).fill("dilnoza.karimova@example.org")
    page.get_by_label(_label("Role in the mechanism")).select_option(label="Focal point")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Person added.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dilnoza Karimova")
    expect(page.get_by_role("link", name=NEW_ORGANISATION)).to_be_visible()
    expect(page.get_by_role("link", name="dilnoza.karimova@example.org")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Focal point")).to_be_visible()
    expect(page.get_by_role("heading", name="Portal access")).to_be_visible()
    expect(page.get_by_text("No portal account.")).to_be_visible()

    # The organisation's page lists the person as its focal point.
    page.get_by_role("link", name=NEW_ORGANISATION).click()
    people = page.get_by_test_id("organisation-people")
    expect(people).to_contain_text("Dilnoza Karimova")
    expect(people).to_contain_text("Focal point")
    expect(page.get_by_test_id("engagement")).to_contain_text("Focal points")

    assert csp_violations == []


def _upload(page: Page, path: Path) -> None:
    expect(page.get_by_role("heading", name="Import organisations")).to_be_visible()
    page.get_by_label(_label("File")).set_input_files(path)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_test_id("import-counts")).to_be_visible()


def test_the_secretariat_imports_organisations_through_the_preview(
    live_server, page, csp_violations, tmp_path
):
    call_command("load_demo", "--force", verbosity=0)
    good = tmp_path / "new-organisations.csv"
    good.write_text(
        "name,short_name,stakeholder_group,country\n"
        f"{CYRILLIC_NAME},АЮУ,national_ngo,UZ\n"
        "Tashkent Shelter Foundation,TSF,National NGO,Uzbekistan\n",
        encoding="utf-8",
    )
    bad = tmp_path / "with-an-error.csv"
    bad.write_text(
        "name,short_name,stakeholder_group,country\n"
        "Samarkand Migrants Help Desk,SMHD,national_ngo,UZ\n"
        "Bukhara Outreach Group,BOG,space_agency,UZ\n",
        encoding="utf-8",
    )
    _log_in_as_secretariat(page, live_server.url)

    # A file with one bad row: the preview shows the error and cannot be confirmed.
    _open_from_navigation(page, "Organisations")
    page.get_by_role("link", name="Import", exact=True).click()
    _upload(page, bad)
    counts = page.get_by_test_id("import-counts")
    expect(counts).to_contain_text("New: 1")
    expect(counts).to_contain_text("Error: 1")
    rows = page.get_by_test_id("import-rows")
    bad_row = rows.get_by_role("row").filter(has_text="Bukhara Outreach Group")
    expect(bad_row).to_contain_text("Error")
    expect(bad_row).to_contain_text("Stakeholder group")
    expect(bad_row).to_contain_text("space_agency")
    expect(page.get_by_text("Correct the rows with errors in the file")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm import")).to_be_disabled()
    page.get_by_role("button", name="Discard").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The import was discarded; nothing was changed."
    )
    assert not Organisation.objects.filter(name="Samarkand Migrants Help Desk").exists()

    # A good file: two new rows, confirmed.
    _upload(page, good)
    counts = page.get_by_test_id("import-counts")
    expect(counts).to_contain_text("New: 2")
    expect(counts).to_contain_text("Error: 0")
    rows = page.get_by_test_id("import-rows").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=CYRILLIC_NAME)).to_contain_text("New")
    expect(rows.filter(has_text="Tashkent Shelter Foundation")).to_contain_text("New")
    confirm = page.get_by_role("button", name="Confirm import")
    expect(confirm).to_be_enabled()
    confirm.click()

    # A worker imports the rows; the batch page follows it to the end.
    status = page.get_by_test_id("import-status")
    expect(status).to_contain_text("Import done.")
    expect(status).to_contain_text("2 added, 0 updated, 0 unchanged.")
    status.get_by_role("link", name="Go to the organisations").click()
    expect(page).to_have_url(f"{live_server.url}/directory/organisations/")

    # Searching in lower case finds the Cyrillic name.
    page.get_by_role("searchbox", name="Search").fill("юристов узбекистана")
    page.get_by_role("button", name="Filter").click()
    table = page.get_by_test_id("organisation-table")
    expect(table.locator("tbody").get_by_role("row")).to_have_count(1)
    expect(table.get_by_role("link", name=CYRILLIC_NAME)).to_be_visible()
    expect(table).to_contain_text("National NGO")
    expect(page.get_by_text("1 organisation", exact=True)).to_be_visible()
    table.get_by_role("link", name=CYRILLIC_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{CYRILLIC_NAME} (АЮУ)")

    assert csp_violations == []


def test_the_people_list_filters_by_an_organisation_picked_by_typing(live_server, page):
    call_command("load_demo", "--force", verbosity=0)
    _log_in_as_secretariat(page, live_server.url)
    _open_from_navigation(page, "People")

    _pick(page, "Organisation", "migration", "International Organization for Migration")
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"organisation=\d+"))
    table = page.get_by_test_id("person-table")
    expect(table.locator("tbody").get_by_role("row")).to_have_count(1)
    expect(table).to_contain_text("Demo IOM Focal Point")
    expect(page.get_by_role("combobox", name="Organisation")).to_be_visible()
