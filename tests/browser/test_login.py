import re

from django.core.management import call_command
from playwright.sync_api import expect


def test_the_secretariat_logs_in_and_sees_the_home_page(live_server, page, csp_violations):
    call_command("load_demo", "--force", verbosity=0)

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("Email address").fill("Secretariat@Example.org")
    page.get_by_label("Password").fill("coordination-demo")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/secretariat/")
    expect(page.get_by_role("heading", name="Welcome, Demo Secretariat Officer")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_contain_text("UNODC")
    expect(page.get_by_test_id("home-cards")).to_contain_text("Organisations")
    assert csp_violations == []


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(live_server, page):
    call_command("load_demo", "--force", verbosity=0)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("partner@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text("do not match an active account")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("partner@example.org")


def test_the_language_switcher_translates_the_page(live_server, page):
    call_command("load_demo", "--force", verbosity=0)
    page.goto(f"{live_server.url}/accounts/login/")

    page.get_by_role("button", name="Русский").click()

    expect(page.get_by_role("heading", name="Войти")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
