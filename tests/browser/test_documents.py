"""The secretariat uploads a PDF to an agenda item; an invited partner downloads it and adds
the calendar feed on the profile page."""

from urllib.parse import urlsplit

from django.core.management import call_command
from playwright.sync_api import Page, expect

from meetings.models import Document, Meeting
from tests.files import HTML, pdf_bytes

PDF_NAME = "Повестка дня.pdf"


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()


def test_the_secretariat_uploads_to_an_item_and_an_invited_partner_downloads(
    live_server, page, csp_violations
):
    call_command("load_demo", "--force", verbosity=0)
    fifth = Meeting.objects.get(number=5)
    first_item = fifth.agenda_items.order_by("position").first()
    _log_in(page, live_server.url, "secretariat@example.org")
    page.goto(f"{live_server.url}{fifth.get_absolute_url()}")

    page.get_by_test_id("agenda-item").first.get_by_test_id("agenda-upload").click()
    # An HTML page named .pdf is refused, and says what it is.
    page.get_by_label("File").set_input_files(
        {"name": "agenda.pdf", "mimeType": "application/pdf", "buffer": HTML}
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("This file is an HTML page.")
    expect(page.locator(".invalid-feedback", has_text="This file is an HTML page.")).to_be_visible()
    page.get_by_label("File").set_input_files(
        {"name": PDF_NAME, "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_label("Title").fill("Draft agenda with times")
    page.get_by_label("Sensitivity").select_option("amber")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Document uploaded.")
    listed = page.get_by_test_id("agenda-item").first.get_by_test_id("document-link")
    expect(listed).to_have_text("Draft agenda with times")
    assert Document.objects.get(title="Draft agenda with times").agenda_item == first_item

    page.get_by_role("button", name="Log out").click()
    _log_in(page, live_server.url, "partner@example.org")
    page.goto(f"{live_server.url}{fifth.get_absolute_url()}")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Draft agenda with times").click()
    download = downloading.value

    assert download.suggested_filename == PDF_NAME
    with open(download.path(), "rb") as saved:
        assert saved.read() == pdf_bytes()

    # The partner adds the meeting to their calendar program through the profile page.
    page.get_by_test_id("current-user").get_by_role("link").click()
    page.get_by_role("button", name="Create a calendar address").click()
    address = page.get_by_label("Your calendar address").input_value()
    feed = page.request.get(live_server.url + urlsplit(address).path)
    assert feed.status == 200
    assert fifth.title in feed.text()
    assert csp_violations == []
