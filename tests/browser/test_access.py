"""Portal access by invitation: the emailed one-time link, the password, the first page."""

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management import call_command
from playwright.sync_api import Page, expect

from stakeholders.models import MechanismRole, Organisation, Person, User

GOOD_PASSWORD = "Silk-Road-Lanterns-2031"
INVITATION_LINK = re.compile(r"\S+/accounts/password/set/[^/\s]+/")


def _label(text: str) -> re.Pattern[str]:
    """A form label as crispy-forms renders it: required ones end with an asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def _log_in(page: Page, base_url: str, email: str, home: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}{home}")


def _open_person_from_people_list(page: Page, full_name: str) -> None:
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="People", exact=True
    ).click()
    page.get_by_role("searchbox", name="Search").fill(full_name)
    page.get_by_role("button", name="Filter").click()
    page.get_by_test_id("person-table").get_by_role("link", name=full_name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(full_name)


def _link_path(mailoutbox: list[EmailMessage], recipient: str) -> str:
    """The path of the set-password link in the one email sent to `recipient`."""
    emails = [email for email in mailoutbox if email.to == [recipient]]
    assert len(emails) == 1, [email.to for email in mailoutbox]
    match = INVITATION_LINK.search(str(emails[0].body))
    assert match, emails[0].body
    link = match.group(0)
    assert link.startswith(settings.PORTAL_URL + "/accounts/password/set/"), link
    return link.removeprefix(settings.PORTAL_URL)


def _choose_password(page: Page, base_url: str, path: str, email: str) -> None:
    """Open the emailed link, try a password that is too short, then a good one."""
    page.goto(f"{base_url}{path}")
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    expect(page.get_by_text(f"You will log in with {email} and this password.")).to_be_visible()

    page.get_by_label(_label("New password")).fill("short1")
    page.get_by_label(_label("New password confirmation")).fill("short1")
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_text("This password is too short.")).to_be_visible()
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    expect(page).to_have_url(f"{base_url}{path}")

    page.get_by_label(_label("New password")).fill(GOOD_PASSWORD)
    page.get_by_label(_label("New password confirmation")).fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Set password and log in").click()


def _log_out(page: Page, base_url: str) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{base_url}/accounts/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_the_secretariat_gives_access_and_the_person_sets_a_password_from_the_email(
    live_server, page, mailoutbox, csp_violations
):
    call_command("load_demo", "--force", verbosity=0)
    email = "focal.winrock@example.org"
    mailoutbox.clear()
    _log_in(page, live_server.url, "secretariat@example.org", "/secretariat/")

    _open_person_from_people_list(page, "Focal point, Winrock")
    access = page.get_by_role("region", name="Portal access")
    expect(access).to_contain_text("No portal account.")
    grant = page.get_by_test_id("grant-access")
    grant.get_by_label("Role").select_option(label="Partner")
    grant.get_by_role("button", name="Give portal access").click()

    expect(page.get_by_role("status")).to_have_text(
        f"An invitation to set a password was sent to {email}."
    )
    expect(page.get_by_test_id("access-state")).to_contain_text("Invited, no password yet")
    expect(page.get_by_test_id("access-state")).to_contain_text("Partner")
    expect(page.get_by_test_id("invitations")).to_contain_text("pending until")
    expect(grant.get_by_role("button", name="Send a new invitation")).to_be_visible()

    path = _link_path(mailoutbox, email)
    assert mailoutbox[0].subject == "Your access to the Coordination Portal"
    assert 'with the role "Partner"' in " ".join(mailoutbox[0].body.split())

    _log_out(page, live_server.url)
    _choose_password(page, live_server.url, path, email)

    expect(page).to_have_url(f"{live_server.url}/partner/")
    expect(page.get_by_role("status")).to_have_text("Your password is set. Welcome to the portal.")
    expect(page.get_by_role("heading", name="Welcome, Focal point, Winrock")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_contain_text("Winrock")
    user = User.objects.get(email=email)
    assert user.role == "partner"
    assert user.check_password(GOOD_PASSWORD)

    # The link works once.
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", name="This link has been used already")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)

    assert csp_violations == []


def test_a_partner_focal_point_gives_a_colleague_partner_access(
    live_server, page, mailoutbox, csp_violations
):
    call_command("load_demo", "--force", verbosity=0)
    iom = Organisation.objects.get(short_name="IOM")
    colleague = Person(
        full_name="Timur Rakhimov",
        position="Project assistant",
        organisation=iom,
        email="timur.rakhimov@example.org",
        mechanism_role=MechanismRole.MEMBER,
    )
    colleague.full_clean()
    colleague.save()
    mailoutbox.clear()
    _log_in(page, live_server.url, "partner@example.org", "/partner/")

    _open_person_from_people_list(page, "Timur Rakhimov")
    grant = page.get_by_test_id("grant-access")
    expect(grant).to_be_visible()
    # A partner may give the partner role only: no choice is offered.
    expect(grant.get_by_role("combobox")).to_have_count(0)
    expect(page.get_by_label("Role", exact=True)).to_have_count(0)
    grant.get_by_role("button", name="Give portal access").click()

    expect(page.get_by_role("status")).to_have_text(
        "An invitation to set a password was sent to timur.rakhimov@example.org."
    )
    account = User.objects.get(email="timur.rakhimov@example.org")
    assert account.role == "partner"
    assert account.person == colleague
    assert not account.has_usable_password()
    path = _link_path(mailoutbox, "timur.rakhimov@example.org")
    body = " ".join(mailoutbox[0].body.split())
    assert "Demo IOM Focal Point has given you access" in body
    assert 'with the role "Partner"' in body

    _log_out(page, live_server.url)
    _choose_password(page, live_server.url, path, "timur.rakhimov@example.org")
    expect(page).to_have_url(f"{live_server.url}/partner/")
    expect(page.get_by_role("heading", name="Welcome, Timur Rakhimov")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_contain_text("IOM")

    assert csp_violations == []
