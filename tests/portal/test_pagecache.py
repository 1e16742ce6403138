"""Pages seen again are answered from the cache until a committed write, the minute or the
reader changes; what belongs to one request (the CSRF token, waiting messages, writes not
yet committed) is never replayed."""

import re
import zlib
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import dataversion
from portal.lib import pagecache
from portal.lib.ratelimit import RateLimit
from portal.models import AuditEvent
from stakeholders.models import Organisation, Role
from tests.stakeholders.factories import OrganisationFactory, UserFactory

# Real commits: the pages' version moves on after a transaction commits, as in service.
pytestmark = pytest.mark.django_db(transaction=True)

FROM_ORGANISATIONS = 'FROM "stakeholders_organisation"'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory(name="Ministry of Internal Affairs")


@pytest.fixture
def secretariat():  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.SECRETARIAT)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert pagecache.CSRF_PLACEHOLDER not in text
    return text


def statements(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        page(client, url)
    return [query["sql"] for query in captured]


def test_a_page_seen_again_comes_from_the_cache(client, secretariat, organisation):
    client.force_login(secretariat)
    url = reverse("stakeholders:organisation_list")
    first = page(client, url)
    assert "Ministry of Internal Affairs" in first
    again = statements(client, url)
    assert not [sql for sql in again if FROM_ORGANISATIONS in sql]
    assert [sql for sql in again if "portal_dataversion" in sql]
    assert TOKEN.sub("", page(client, url)) == TOKEN.sub("", first)


def test_a_committed_write_shows_at_once(client, secretariat, organisation):
    client.force_login(secretariat)
    url = organisation.get_absolute_url()
    assert "Ministry of Internal Affairs" in page(client, url)
    Organisation.objects.filter(pk=organisation.pk).update(name="Ministry of Justice")
    shown = page(client, url)
    assert "Ministry of Justice" in shown and "Ministry of Internal Affairs" not in shown


def test_each_reader_gets_a_page_of_their_own(client, secretariat, organisation):
    url = reverse("stakeholders:organisation_list")
    add = reverse("stakeholders:organisation_create")
    client.force_login(secretariat)
    assert add in page(client, url)
    client.force_login(UserFactory(role=Role.PARTNER))
    assert add not in page(client, url)


def test_a_cached_form_carries_the_readers_own_csrf_token(secretariat, organisation):
    url = reverse("stakeholders:organisation_list")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(secretariat)
    second.force_login(secretariat)  # the same account in another browser
    kept = TOKEN.findall(page(first, url))
    served = TOKEN.findall(page(second, url))
    assert served and set(served).isdisjoint(kept)
    # The language buttons of the cached page post with that token.
    answer = second.post(
        reverse("set_language"), {"language": "ru", "csrfmiddlewaretoken": served[0]}
    )
    assert answer.status_code == 302
    refused = second.post(
        reverse("set_language"), {"language": "ru", "csrfmiddlewaretoken": "x" * 64}
    )
    assert refused.status_code == 403


def test_waiting_messages_are_shown_not_replayed(client, secretariat, organisation):
    client.force_login(secretariat)
    url = reverse("stakeholders:organisation_list")
    page(client, url)
    storage = CookieStorage(HttpRequest())
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Organisation saved.")]
    )
    assert "Organisation saved." in page(client, url)
    assert "Organisation saved." not in page(client, url)


def test_writes_not_yet_committed_are_shown_to_their_own_transaction(
    client, secretariat, organisation
):
    client.force_login(secretariat)
    url = organisation.get_absolute_url()
    page(client, url)
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(name="Ministry of Justice")
        assert dataversion.pending(connection)
        assert "Ministry of Justice" in page(client, url)
        transaction.set_rollback(True)
    assert "Ministry of Internal Affairs" in page(client, url)


def test_the_minute_makes_a_page_of_its_own(client, secretariat, organisation):
    client.force_login(secretariat)
    url = reverse("stakeholders:organisation_list")
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC), tick=False):
        page(client, url)
        assert not [sql for sql in statements(client, url) if FROM_ORGANISATIONS in sql]
    with time_machine.travel(datetime(2026, 3, 2, 9, 1, 0, tzinfo=UTC), tick=False):
        assert [sql for sql in statements(client, url) if FROM_ORGANISATIONS in sql]


def test_the_language_and_an_htmx_target_make_a_page_of_their_own(rf, secretariat):
    def key(language: str, **headers: str) -> tuple[object, ...]:
        request = rf.get("/directory/organisations/?q=x", **headers)
        request.user, request.LANGUAGE_CODE = secretariat, language
        return pagecache._key(request)

    assert key("en") == key("en")
    assert len({key("en"), key("ru"), key("en", HTTP_HX_REQUEST="true")}) == 3
    assert key("en", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rows") != key(
        "en", HTTP_HX_REQUEST="true"
    )


def test_only_plain_pages_are_kept(client, secretariat, monkeypatch):
    kept: list[object] = []
    monkeypatch.setattr(pagecache, "keep", lambda parts, *rest: kept.append(parts))
    client.force_login(secretariat)
    assert client.get(reverse("stakeholders:organisation_detail", args=[999999])).status_code == 404
    assert client.get(reverse("stakeholders:organisation_list"), HTTP_HX_REQUEST="true")
    assert len(kept) == 1
    client.logout()
    client.get(reverse("stakeholders:organisation_list"))
    assert len(kept) == 1


def test_a_cache_that_fails_is_a_miss(client, secretariat, organisation, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    client.force_login(secretariat)
    assert "Ministry of Internal Affairs" in page(client, reverse("stakeholders:organisation_list"))


def test_none_kept_when_switched_off(client, secretariat, organisation, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(secretariat)
    url = reverse("stakeholders:organisation_list")
    page(client, url)
    assert [sql for sql in statements(client, url) if FROM_ORGANISATIONS in sql]


def test_the_pages_version_moves_on_writes_a_page_may_show_only():
    pages, figures = dataversion.current(dataversion.PAGES), dataversion.current()
    AuditEvent.objects.create(action="test.recorded")
    assert dataversion.current(dataversion.PAGES) == pages + 1
    assert dataversion.current() == figures  # the dashboard counts no audit event
    session = SessionStore()
    session["seen"] = True
    session.save()
    assert dataversion.current(dataversion.PAGES) == pages + 1


def test_migrations_are_not_watched_and_move_both_versions_on_however_they_end():
    pages, figures = dataversion.current(dataversion.PAGES), dataversion.current()
    with pytest.raises(RuntimeError), dataversion.migrating():
        AuditEvent.objects.create(action="test.recorded")
        assert dataversion.current(dataversion.PAGES) == pages
        raise RuntimeError("a migration failed")
    assert dataversion.current(dataversion.PAGES) == pages + 1
    assert dataversion.current() == figures + 1
    call_command("migrate", verbosity=0)
    assert dataversion.current(dataversion.PAGES) == pages + 2
    assert dataversion.current() == figures + 2
    AuditEvent.objects.create(action="test.recorded")  # watched again
    assert dataversion.current(dataversion.PAGES) == pages + 3


def test_the_pages_version_moves_after_the_figures_version(monkeypatch):
    moved: list[int] = []
    real = dataversion._move
    monkeypatch.setattr(
        dataversion, "_move", lambda which, *rest: (moved.append(which), real(which, *rest))
    )
    with transaction.atomic():
        AuditEvent.objects.create(action="test.recorded")  # a page shows it: PAGES
        OrganisationFactory()  # a figure counts it: FIGURES
    assert dataversion.FIGURES in moved and moved[-1] == dataversion.PAGES


def _request(rf, user, path="/directory/organisations/"):  # type: ignore[no-untyped-def]
    request = rf.get(path)
    request.user, request.LANGUAGE_CODE = user, "en"
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _served(rf, user, answer, path="/directory/organisations/"):  # type: ignore[no-untyped-def]
    """How many times `answer` ran for two requests of the same page."""
    runs: list[int] = []

    def render(request):  # type: ignore[no-untyped-def]
        runs.append(1)
        return answer(request)

    for _ in range(2):
        request = _request(rf, user, path)
        pagecache.serve(request, lambda request=request: render(request))
    return len(runs)


def test_a_page_that_leaves_something_for_later_is_not_kept(rf, secretariat):
    def plain(request):  # type: ignore[no-untyped-def]
        return HttpResponse("<p>Organisations</p>")

    def private(request):  # type: ignore[no-untyped-def]
        return HttpResponse("<p>Organisations</p>", headers={"Cache-Control": "private"})

    def download(request):  # type: ignore[no-untyped-def]
        return HttpResponse("<p>x</p>", headers={"Content-Disposition": "attachment"})

    def remembers(request):  # type: ignore[no-untyped-def]
        request.session["shown_once"] = "secret"
        return HttpResponse("<p>Organisations</p>")

    def tells_later(request):  # type: ignore[no-untyped-def]
        messages.info(request, "Imported.")
        return HttpResponse("<p>Organisations</p>")

    assert _served(rf, secretariat, plain) == 1
    for answer in (private, download, remembers, tells_later):
        assert _served(rf, secretariat, answer, path=f"/{answer.__name__}/") == 2


def test_a_reader_keeps_a_bounded_number_of_pages_a_minute(rf, secretariat, monkeypatch):
    monkeypatch.setattr(pagecache, "_KEEPS", RateLimit("page-cache-test", 2, 60))

    def plain(request):  # type: ignore[no-untyped-def]
        return HttpResponse("<p>Organisations</p>")

    assert [_served(rf, secretariat, plain, path=f"/?x={n}") for n in range(3)] == [1, 1, 2]


def test_pages_are_kept_compressed_in_a_cache_of_their_own(
    client, secretariat, organisation, monkeypatch
):
    kept: list[tuple[object, ...]] = []
    real = pagecache.keep
    monkeypatch.setattr(pagecache, "keep", lambda *args: (kept.append(args), real(*args)))
    client.force_login(secretariat)
    page(client, reverse("stakeholders:organisation_list"))
    [(_parts, (packed, content_type), _timeout, alias)] = kept
    assert alias == pagecache.ALIAS and content_type.startswith("text/html")
    assert b"Ministry of Internal Affairs" not in packed
    assert "Ministry of Internal Affairs" in zlib.decompress(packed).decode()
    assert caches[pagecache.ALIAS] is not caches["default"]


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite allows one writer at a time")
def test_a_write_on_a_connection_of_its_own_moves_the_versions_through_it(organisation):
    side = connections.create_connection("default")
    try:
        with (
            transaction.atomic(),
            CaptureQueriesContext(connection) as on_default,
            side.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE stakeholders_organisation SET website = %s WHERE id = %s",
                ["https://mia.example.org", organisation.pk],
            )
            cursor.execute("SELECT id, version FROM portal_dataversion ORDER BY id")
            moved = dict(cursor.fetchall())
        # Moved at once, in the writer's own autocommit; nothing ran in the open transaction.
        assert moved == {
            dataversion.FIGURES: dataversion.current(),
            dataversion.PAGES: dataversion.current(dataversion.PAGES),
        }
        assert not [query for query in on_default if "portal_dataversion" in query["sql"]]
    finally:
        side.close()
