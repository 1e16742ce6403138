"""Imports as jobs: confirming queues the batch, a task imports it in bulk, the page follows it."""

import re
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from portal.celery import app
from stakeholders.imports import apply as import_apply
from stakeholders.imports import import_batch_apply, import_batch_confirm
from stakeholders.imports.preview import _OrganisationRows, _PersonRows
from stakeholders.models import ImportBatch, Organisation, Person, Role, User
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.stakeholders.test_import import csv_file, latest_batch, preview_url, upload


def progress_url(batch: ImportBatch) -> str:
    return reverse("stakeholders:import_progress", args=[batch.pk])


def make_batch(user: User, kind: str, rows: list[dict[str, str]], **kwargs) -> ImportBatch:
    numbered = [{"_row": str(n), **row} for n, row in enumerate(rows, start=2)]
    return ImportBatch.objects.create(
        kind=kind, file_name=f"{kind}.csv", rows=numbered, uploaded_by=user, **kwargs
    )


def organisation_rows(count: int) -> list[dict[str, str]]:
    """Half the rows update existing organisations, half create new ones, each new
    child under a new parent of the same file."""
    existing = OrganisationFactory.create_batch(count // 2)
    rows = [{"name": o.name, "short_name": f"U{o.pk}", "parent": ""} for o in existing]
    for n in range(count // 4):
        rows.append({"name": f"Parent {count}-{n}", "short_name": "", "parent": ""})
        rows.append(
            {"name": f"Child {count}-{n}", "short_name": "", "parent": f"Parent {count}-{n}"}
        )
    return [{**row, "stakeholder_group": "media"} for row in rows]


@pytest.fixture
def secretariat(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


@pytest.mark.django_db
def test_it_imports_organisations_in_the_same_queries_for_10_and_200_rows(
    secretariat_user, django_assert_num_queries
):
    for count in (12, 200):
        rows = organisation_rows(count)
        batch = make_batch(secretariat_user, "organisations", rows, status="queued")
        # 1. claim the batch: UPDATE … SET status = 'running' WHERE status = 'queued'
        # 2. SAVEPOINT: the import's transaction
        # 3. the organisations named in the file (names and parents), by name_key
        # 4. the organisations with the file's short names
        # 5. lock the organisations to update, and check their versions
        # 6. INSERT the new organisations (parents and children)
        # 7. UPDATE the children's parent, created in the same statement as they
        # 8. INSERT the new organisations' history
        # 9. UPDATE the changed organisations (one CASE per field)
        # 10. INSERT their history
        # 11. the batch: applied, its counts, its rows dropped
        # 12. RELEASE SAVEPOINT
        # (The progress, on PostgreSQL, goes through a connection of its own.)
        with django_assert_num_queries(12):
            counts = import_batch_apply(user=secretariat_user, batch=batch)

        assert counts == {"created": count // 2, "updated": count // 2, "unchanged": 0}
        child = Organisation.objects.get(name=f"Child {count}-0")
        assert child.parent == Organisation.objects.get(name=f"Parent {count}-0")
        [entry] = child.history.all()
        assert entry.parent_id == child.parent_id
        assert entry.history_user == secretariat_user
        assert entry.history_change_reason == "Imported from the file organisations.csv"
        updated = Organisation.objects.get(name=rows[0]["name"])
        assert updated.short_name == rows[0]["short_name"]
        assert updated.version == 2
        assert updated.search_text.endswith(rows[0]["short_name"].lower())
        batch.refresh_from_db()
        assert (batch.status, batch.progress, batch.total, batch.rows) == (
            "applied",
            count,
            count,
            [],
        )


@pytest.mark.django_db
def test_it_imports_people_in_the_same_queries_for_10_and_200_rows(
    secretariat_user, django_assert_num_queries
):
    organisation = OrganisationFactory(name="Ministry of Justice")
    for count in (10, 200):
        people = PersonFactory.create_batch(count // 2, organisation=organisation)
        rows = [
            {
                "full_name": f"{p.full_name} Jr",
                "email": p.email.upper(),
                "organisation": "MINISTRY OF JUSTICE",
            }
            for p in people
        ] + [
            {
                "full_name": f"New {count}-{n}",
                "email": f"new{count}-{n}@example.org",
                "organisation": "Ministry of Justice",
            }
            for n in range(count // 2)
        ]
        batch = make_batch(secretariat_user, "people", rows, status="queued")
        # 1. claim the batch
        # 2. SAVEPOINT
        # 3. the organisations named in the file, by name_key
        # 4. … by short name
        # 5. … and by Russian or Uzbek name
        # 6. the people with the file's email addresses
        # 7. lock the people to update, and check their versions
        # 8. INSERT the new people
        # 9. INSERT their history
        # 10. UPDATE the changed people
        # 11. INSERT their history
        # 12. the accounts of the people whose email changed (here in letter case)
        # 13. the batch: applied
        # 14. RELEASE SAVEPOINT
        with django_assert_num_queries(14):
            counts = import_batch_apply(user=secretariat_user, batch=batch)

        assert counts == {"created": count // 2, "updated": count // 2, "unchanged": 0}
        people[0].refresh_from_db()
        assert people[0].full_name.endswith(" Jr")
        assert people[0].version == 2
        assert people[0].history.latest().history_user == secretariat_user
        assert Person.objects.get(email=f"new{count}-0@example.org").search_text.startswith("new")


@pytest.mark.django_db
def test_the_preview_reads_only_what_the_file_names(secretariat, django_assert_num_queries):
    OrganisationFactory.create_batch(300)
    PersonFactory.create_batch(300)
    for count in (10, 200):
        parents = OrganisationFactory.create_batch(count)
        text = "name,short_name,stakeholder_group,parent,iati_identifier\n" + "".join(
            f"Org {count}-{n},O{count}{n},media,{parent.name},XM-{count}-{n}\n"
            for n, parent in enumerate(parents)
        )
        upload(secretariat, "organisations", csv_file(text))
        batch = latest_batch()
        # The session, the user, the batch; the organisations by name_key (the
        # file's names and parents), by short name, by IATI identifier.
        with django_assert_num_queries(6) as captured:
            response = secretariat.get(preview_url(batch))

        assert response.context["preview"].counts["new"] == count
        assert any(
            "name_key" in q["sql"] and " IN (" in q["sql"] for q in captured.captured_queries
        )
        assert len(_OrganisationRows(batch.rows).by_pk) == count

        people = PersonFactory.create_batch(count, organisation=parents[0])
        text = "full_name,email,organisation\n" + "".join(
            f"{p.full_name},{p.email},{parents[0].short_name}\n" for p in people
        )
        upload(secretariat, "people", csv_file(text, "people.csv"))
        batch = latest_batch()
        # The session, the user, the batch; the organisations by name_key, by short
        # name and by Russian or Uzbek name; the people by email.
        with django_assert_num_queries(7):
            response = secretariat.get(preview_url(batch))

        assert response.context["preview"].counts["unchanged"] == count
        assert len(_PersonRows(batch.rows).by_email) == count


@pytest.mark.django_db
def test_a_second_confirmation_is_refused_and_queues_nothing(
    secretariat, secretariat_user, django_capture_on_commit_callbacks
):
    batch = make_batch(secretariat_user, "organisations", organisation_rows(4))

    with django_capture_on_commit_callbacks() as first:
        response = secretariat.post(preview_url(batch), {"action": "confirm"})
    with django_capture_on_commit_callbacks() as second:
        again = secretariat.post(preview_url(batch), {"action": "confirm"}, follow=True)

    assert response.url == preview_url(batch)
    assert (len(first), len(second)) == (1, 0)
    assert "already been confirmed or discarded" in again.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.total) == ("queued", 4)


@pytest.mark.django_db
def test_the_task_runs_a_queued_batch_once(secretariat_user):
    batch = make_batch(secretariat_user, "organisations", organisation_rows(4), status="queued")

    assert import_batch_apply(user=secretariat_user, batch=batch) is not None
    assert import_batch_apply(user=secretariat_user, batch=batch) is None
    assert Organisation.objects.filter(name__startswith="Child").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "progress", "texts", "polls"),
    [
        ("queued", 0, ["Waiting to start the import of 8 rows", "Refresh"], True),
        ("running", 3, ["Importing… 3 of 8 rows", 'value="3"', "Refresh"], True),
        (
            "applied",
            8,
            ["Import done.", "4 added, 4 updated, 0 unchanged", "/organisations/"],
            False,
        ),
        ("discarded", 0, ["This import was discarded"], False),
    ],
)
def test_the_batch_page_and_its_progress_for_each_state(
    secretariat, secretariat_user, status, progress, texts, polls
):
    batch = make_batch(
        secretariat_user,
        "organisations",
        [],
        status=status,
        progress=progress,
        total=8,
        summary={"created": 4, "updated": 4, "unchanged": 0},
    )

    page = secretariat.get(preview_url(batch)).content.decode()
    fragment = secretariat.get(progress_url(batch), headers={"HX-Request": "true"})

    for text in texts:
        assert text in page
        assert text in fragment.content.decode()
    trigger = 'hx-trigger="every 1s"'
    assert (trigger in page, trigger in fragment.content.decode()) == (polls, polls)
    assert "Confirm import" not in page
    assert "HX-Refresh" not in fragment


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ("errors", "Nothing was imported: some rows have errors now."),
        ("conflict", "Nothing was imported: someone changed the same records meanwhile."),
        ("failed", "Nothing was imported: the import stopped on an unexpected error."),
    ],
)
def test_an_import_that_imported_nothing_shows_why_and_the_preview(
    secretariat, secretariat_user, reason, text
):
    batch = make_batch(
        secretariat_user,
        "organisations",
        [{"name": "Alpha", "stakeholder_group": "media"}],
        summary={"rejected": reason, "rejected_errors": ["Row 2: Something."]},
    )

    page = secretariat.get(preview_url(batch)).content.decode()
    fragment = secretariat.get(progress_url(batch), headers={"HX-Request": "true"})

    assert text in page
    assert "Row 2: Something." in page
    assert "Confirm import" in page
    # A page still polling reloads itself to show the rows.
    assert fragment["HX-Refresh"] == "true"
    assert text in fragment.content.decode()
    assert "hx-trigger" not in fragment.content.decode()


@pytest.mark.django_db
def test_rows_that_went_bad_since_the_preview_import_nothing(secretariat, secretariat_user):
    batch = make_batch(
        secretariat_user,
        "organisations",
        [
            {"name": "Beta", "stakeholder_group": "media"},
            {"name": "Alpha", "stakeholder_group": "media", "iati_identifier": "XM-9"},
        ],
        status="queued",
    )
    # Meanwhile someone adds Alpha, and another organisation takes the identifier.
    OrganisationFactory(name="Alpha")
    OrganisationFactory(name="Gamma", iati_identifier="XM-9")

    assert import_batch_apply(user=secretariat_user, batch=batch) is None

    batch.refresh_from_db()
    assert (batch.status, batch.summary["rejected"], len(batch.rows)) == ("preview", "errors", 2)
    assert not Organisation.objects.filter(name="Beta").exists()
    assert "Duplicate against the database" in secretariat.get(preview_url(batch)).content.decode()


@pytest.mark.django_db
def test_a_clash_in_the_database_imports_nothing(secretariat_user, monkeypatch):
    batch = make_batch(
        secretariat_user,
        "organisations",
        [
            {"name": "Beta", "stakeholder_group": "media"},
            {"name": "Alpha", "stakeholder_group": "media"},
        ],
        status="queued",
    )
    original = import_apply._lock_unchanged

    def someone_adds_alpha(*args, **kwargs):
        OrganisationFactory(name="ALPHA")
        return original(*args, **kwargs)

    monkeypatch.setattr(import_apply, "_lock_unchanged", someone_adds_alpha)

    assert import_batch_apply(user=secretariat_user, batch=batch) is None

    batch.refresh_from_db()
    assert (batch.status, batch.summary["rejected"]) == ("preview", "conflict")
    assert not Organisation.objects.filter(name="Beta").exists()


@pytest.mark.django_db
def test_an_import_ends_the_access_it_deactivates_and_the_login_follows_the_email(
    client, secretariat_user
):
    leaving = UserFactory(role=Role.PARTNER)
    moving = UserFactory(
        role=Role.PARTNER,
        person__email="Moving@Example.org",
        person__organisation=leaving.person.organisation,
    )
    client.force_login(leaving)
    organisation = leaving.person.organisation.name
    rows = [
        {
            "full_name": leaving.person.full_name,
            "email": leaving.email,
            "organisation": organisation,
            "active": "no",
        },
        {
            "full_name": moving.person.full_name,
            "email": "moving@example.org",
            "organisation": organisation,
            "active": "yes",
        },
    ]
    batch = make_batch(secretariat_user, "people", rows, status="queued")

    assert import_batch_apply(user=secretariat_user, batch=batch) == {
        "created": 0,
        "updated": 2,
        "unchanged": 0,
    }

    leaving.refresh_from_db()
    moving.refresh_from_db()
    assert (leaving.is_active, leaving.person.is_active) == (False, False)
    assert client.get(reverse("home")).status_code == 302
    assert moving.email == moving.person.email == "moving@example.org"
    assert moving.is_active


@pytest.mark.django_db
def test_an_account_service_refusal_imports_nothing(secretariat_user):
    organisation = secretariat_user.person.organisation.name
    rows = [
        {"full_name": "Someone New", "email": "new@example.org", "organisation": organisation},
        {
            "full_name": "Me",
            "email": secretariat_user.email,
            "organisation": organisation,
            "active": "no",
        },
    ]
    batch = make_batch(secretariat_user, "people", rows, status="queued")

    assert import_batch_apply(user=secretariat_user, batch=batch) is None

    batch.refresh_from_db()
    assert batch.status == "preview"
    assert batch.summary["rejected_errors"] == [
        "Row 3: The last active secretariat account cannot be deactivated."
    ]
    assert not Person.objects.filter(email="new@example.org").exists()
    secretariat_user.refresh_from_db()
    assert secretariat_user.is_active and secretariat_user.person.is_active


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PARTNER, Role.DONOR])
def test_only_the_secretariat_may_confirm_follow_or_run_an_import(client, secretariat_user, role):
    user = UserFactory(role=role)
    client.force_login(user)
    batch = make_batch(secretariat_user, "organisations", organisation_rows(4))

    # A partner imports activities, but another's batch is not there for them.
    refused = 404 if role == Role.PARTNER else 403
    assert client.get(progress_url(batch)).status_code == refused
    assert client.post(preview_url(batch), {"action": "confirm"}).status_code == refused
    with pytest.raises(PermissionDenied):
        import_batch_confirm(user=user, batch=batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status="queued")
    with pytest.raises(PermissionDenied):
        import_batch_apply(user=user, batch=batch)

    batch.refresh_from_db()
    assert (batch.status, batch.summary["rejected"]) == ("preview", "failed")
    assert not Organisation.objects.filter(name__startswith="Parent").exists()
    client.logout()
    assert client.get(progress_url(batch)).url.startswith(reverse("login"))


# One import through a real worker --------------------------------------------------


@pytest.fixture
def worker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only (the CI pass on PostgreSQL and Redis): on SQLite, the single "
    "writer, the progress is written only at the start and the end of an import",
)
def test_an_import_runs_in_the_worker_and_the_page_follows_its_progress(
    client, secretariat_user, worker, monkeypatch
):
    # Chunks of two rows, and the worker waits after the first chunk until the test
    # has seen it, so that the page shows a step between 0 and the total for sure.
    monkeypatch.setattr(import_apply, "CHUNK_SIZE", 2)
    seen = threading.Event()
    write_progress = import_apply._Progress.__call__

    def progress_then_wait(self, done):
        write_progress(self, done)
        if done < 6:
            seen.wait(timeout=20)

    monkeypatch.setattr(import_apply._Progress, "__call__", progress_then_wait)
    client.force_login(secretariat_user)
    text = "name,stakeholder_group\n" + "".join(f"Worker {n},media\n" for n in range(6))
    upload(client, "organisations", csv_file(text))
    batch = latest_batch()

    response = client.post(preview_url(batch), {"action": "confirm"})

    assert response.url == preview_url(batch)
    steps: list[str] = []
    deadline = time.monotonic() + 30
    fragment = ""
    while time.monotonic() < deadline:
        fragment = client.get(progress_url(batch)).content.decode()
        state = re.search(r'data-state="(\w+)"', fragment)[1]
        if state == "running" and (match := re.search(r"Importing… (\d+) of 6 rows", fragment)):
            steps.append(match[1])
            if match[1] not in ("0", "6"):
                seen.set()
        if state != "running" and state != "queued":
            break
        time.sleep(0.1)
    seen.set()

    assert any(step not in ("0", "6") for step in steps), steps
    assert 'data-state="applied"' in fragment
    assert "Import done." in fragment
    assert "6 added, 0 updated, 0 unchanged" in fragment
    assert Organisation.objects.filter(name__startswith="Worker ").count() == 6


@pytest.mark.django_db
def test_a_batch_whose_task_was_lost_is_queued_again_and_a_dead_workers_is_given_back(
    secretariat_user, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-06-01 10:00:00Z")
    rows = [{"name": "Lost Task Foundation", "stakeholder_group": "media"}]
    lost = make_batch(secretariat_user, "organisations", rows)
    import_batch_confirm(user=secretariat_user, batch=lost)
    dead = make_batch(secretariat_user, "organisations", rows, status="running")
    ImportBatch.objects.filter(pk=dead.pk).update(claimed_at=timezone.now())
    fresh = make_batch(secretariat_user, "organisations", rows)

    time_machine.move_to("2026-06-01 10:06:00Z")
    import_batch_confirm(user=secretariat_user, batch=fresh)
    with django_capture_on_commit_callbacks(execute=True):
        touched = import_apply.import_batches_recover()

    assert touched == 1  # the lost one: the dead worker's is not 30 minutes old yet
    lost.refresh_from_db()
    assert lost.status == ImportBatch.Status.APPLIED
    assert ImportBatch.objects.get(pk=fresh.pk).status == ImportBatch.Status.QUEUED
    time_machine.move_to("2026-06-01 10:40:00Z")
    import_apply.import_batches_recover()
    dead.refresh_from_db()
    assert dead.status == ImportBatch.Status.PREVIEW
    assert dead.summary["rejected"] == "failed"


@pytest.mark.django_db
def test_a_preview_left_for_a_month_is_dropped_with_its_rows(secretariat_user, time_machine):
    time_machine.move_to("2026-06-01 10:00:00Z")
    rows = [{"full_name": "Aziza Rahimova", "organisation": "X"}]
    old = make_batch(secretariat_user, "people", rows)
    time_machine.move_to("2026-06-20 10:00:00Z")
    recent = make_batch(secretariat_user, "people", rows)

    time_machine.move_to("2026-07-02 10:00:00Z")
    import_apply.import_batches_recover()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.rows) == (ImportBatch.Status.DISCARDED, [])
    assert recent.status == ImportBatch.Status.PREVIEW and recent.rows
