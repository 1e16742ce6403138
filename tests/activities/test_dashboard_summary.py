"""The summary rows the secretariat's unfiltered figures are counted from: they give what the
records give, figure by figure and type by type; they follow every committed write; they are
never read for a reader who sees less, for a filter, or over a write not yet committed."""

import threading
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities import figures, summary
from activities.dashboard_models import NationalFigure
from activities.models import Activity, ActivityParticipants, ReviewState
from activities.summary_models import SummaryItem, SummaryState
from activities.trend_models import TrendNote
from meetings.models import ActionItem, FrameworkReference, Invitation, Meeting, MeetingStatus
from portal import dataversion
from portal.lib.periods import Period, quarter_of
from stakeholders import merging
from stakeholders.models import Role, User
from tests.activities.test_dashboard import TIP_2023, TODAY, World, scope
from tests.stakeholders.factories import OrganisationFactory, UserFactory

PERIODS = [
    TIP_2023,
    Period("quarter", date(2023, 1, 1), date(2023, 3, 31)),
    Period("quarter", date(2023, 4, 1), date(2023, 6, 30)),
    Period("quarter", date(2024, 1, 1), date(2024, 3, 31)),
    Period("year", date(2024, 1, 1), date(2024, 12, 31)),
    Period("fy", date(2022, 10, 1), date(2023, 9, 30)),
    Period("custom", date(2023, 3, 31), date(2023, 4, 1)),
    Period("custom", date(2024, 3, 31), date(2024, 4, 2)),
    Period("custom", date(2019, 1, 1), date(2026, 12, 31)),
]
KEYS = (*figures.KEY_FIGURES, *figures.TABLES)


@pytest.fixture
def summary_rows(monkeypatch):  # type: ignore[no-untyped-def]
    """Read the summary rows although the test's own transaction wrote the records (tests
    run in one transaction that is never committed); they are rebuilt when a test moves the
    version on."""
    monkeypatch.setattr(summary, "_in_transaction", lambda: False)


def from_summary(user, period, today=TODAY):  # type: ignore[no-untyped-def]
    counted = figures.scope_for(user, period, today)
    found = {key: figures.FIGURES[key].compute(counted) for key in KEYS}
    assert counted.bases["summarised"] is True
    return found


def from_records(monkeypatch, user, period, today=TODAY):  # type: ignore[no-untyped-def]
    with monkeypatch.context() as patched:
        patched.setattr(figures, "_summarised", lambda scope: False)
        counted = figures.scope_for(user, period, today)
        return {key: figures.FIGURES[key].compute(counted) for key in KEYS}


def assert_same(found, expected):  # type: ignore[no-untyped-def]
    for key in KEYS:
        # repr: the same numbers of the same types (an int, not a Decimal summed by SQL).
        assert repr(found[key]) == repr(expected[key]), key


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period", PERIODS, ids=lambda period: f"{period.kind}-{period.start}-{period.end}"
)
def test_the_summary_rows_give_every_figure_the_records_give(monkeypatch, summary_rows, period):
    world = World()
    assert_same(
        from_summary(world.secretariat, period),
        from_records(monkeypatch, world.secretariat, period),
    )


@pytest.mark.django_db
def test_the_hand_counted_figures_from_the_summary_rows(summary_rows):
    world = World()
    found = from_summary(world.secretariat, TIP_2023)
    # The counts of test_dashboard.py, by hand: the meetings on the first and the last day,
    # invitees of held meetings with the walk-in apart, the item done a day late not on time,
    # each activity's people once in the period it ended (red included: the secretariat's).
    assert found["meetings_held"] == 2
    assert found["attendance"] == figures.Rate(3, 4, 1)
    assert (found["items_raised"], found["items_done"], found["items_on_time"]) == (4, 2, 1)
    assert found["items_overdue"] == 1
    assert found["people_reached"] == figures.People(25, 10, 1)
    assert found["activities"] == 5
    assert found["trends_new"] == 2
    next_year = from_summary(world.secretariat, Period("tip", date(2024, 4, 1), date(2025, 3, 31)))
    assert next_year["meetings_held"] == 1  # 00:10 on 1 April 2024, in Tashkent


@pytest.mark.django_db
def test_generated_data_counts_the_same_from_the_summary_rows(monkeypatch, summary_rows):
    call_command("generate_data", scale=0.05, stdout=StringIO())
    user = User.objects.filter(role=Role.SECRETARIAT, email__endswith="@bench.example.org").first()
    today = date.today()
    periods = [
        quarter_of(date(year, month, 1))
        for year in range(2023, today.year + 1)
        for month in (1, 4, 7, 10)
    ] + [Period("tip", date(2024, 4, 1), date(2025, 3, 31))]
    for period in periods:
        assert_same(
            from_summary(user, period, today), from_records(monkeypatch, user, period, today)
        )


@pytest.mark.django_db
def test_the_secretariat_sees_every_record_the_summary_rows_hold():
    """The rows are shared by every reader `dashboard_sees_everything` names: each must see
    every record they are built from."""
    call_command("generate_data", scale=0.05, stdout=StringIO())
    secretariat = UserFactory(role=Role.SECRETARIAT)
    for model in (Meeting, ActionItem, Activity, TrendNote, FrameworkReference, NationalFigure):
        assert model.objects.visible_to(secretariat).count() == model.objects.count(), model


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["donor", "partner"])
def test_a_reader_who_sees_less_never_reads_the_summary_rows(summary_rows, reader):
    world = World()
    counted = scope(getattr(world, reader))
    with CaptureQueriesContext(connection) as captured:
        for key in KEYS:
            figures.FIGURES[key].compute(counted)
    assert counted.bases["summarised"] is False
    assert not any("activities_summary" in query["sql"] for query in captured)


@pytest.mark.django_db
def test_a_filter_counts_from_the_records(summary_rows):
    world = World()
    counted = scope(world.secretariat, pillar="protection")
    with CaptureQueriesContext(connection) as captured:
        assert figures.activities(counted) == 1
    assert not any("activities_summary" in query["sql"] for query in captured)


@pytest.mark.django_db
def test_the_summary_rows_are_rebuilt_when_the_figures_version_moves(summary_rows):
    world = World()
    assert from_summary(world.secretariat, TIP_2023)["people_reached"].total == 36
    ActivityParticipants.objects.filter(activity=world.spanning).update(female=105)
    # Not moved: the rows built before the change are still the figures' version's.
    assert from_summary(world.secretariat, TIP_2023)["people_reached"].total == 36
    dataversion._bump()
    assert from_summary(world.secretariat, TIP_2023)["people_reached"].total == 136


@pytest.mark.django_db
def test_a_reader_inside_a_transaction_counts_from_the_records():
    world = World()
    # The test's transaction holds World's writes, not yet committed: they are counted, from
    # the records, and no summary row is written from them for other readers.
    counted = scope(world.secretariat)
    assert figures.meetings_held(counted) == 2
    assert counted.bases["summarised"] is False
    assert not SummaryState.objects.exists()


@pytest.mark.django_db
def test_a_failing_rebuild_counts_from_the_records(summary_rows, monkeypatch, caplog):
    world = World()

    def broken(model, rows):  # type: ignore[no-untyped-def]
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(summary, "_fill", broken)
    counted = scope(world.secretariat)
    assert figures.meetings_held(counted) == 2
    assert counted.bases["summarised"] is False
    assert "could not be rebuilt" in caplog.text


@pytest.mark.django_db
def test_rows_built_on_an_earlier_day_are_rebuilt(summary_rows):
    """A version move lost to a database error leaves the rows as they were for a day at
    most, as it leaves the cached figures."""
    world = World()
    assert from_summary(world.secretariat, TIP_2023)["people_reached"].total == 36
    ActivityParticipants.objects.filter(activity=world.spanning).update(female=105)
    assert from_summary(world.secretariat, TIP_2023)["people_reached"].total == 36
    SummaryState.objects.update(built_on=date(2020, 1, 1))
    assert from_summary(world.secretariat, TIP_2023)["people_reached"].total == 136
    assert SummaryState.objects.get().built_on == timezone.localdate()


@pytest.mark.django_db
def test_a_failed_rebuild_is_not_tried_again_for_the_same_version_at_once(
    summary_rows, monkeypatch
):
    world = World()
    tried = []

    def broken(model, rows):  # type: ignore[no-untyped-def]
        tried.append(model)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(summary, "_fill", broken)
    for _ in range(3):
        counted = scope(world.secretariat)
        assert figures.meetings_held(counted) == 2
        assert counted.bases["summarised"] is False
    assert len(tried) == 1
    # The next version is tried again.
    dataversion._bump()
    assert figures.meetings_held(scope(world.secretariat)) == 2
    assert len(tried) == 2


@pytest.mark.django_db
def test_a_merge_moves_the_summary_rows_owner_too(summary_rows):
    world = World()
    from_summary(world.secretariat, TIP_2023)
    keep = OrganisationFactory(name="Lawyers' Union of Uzbekistan")
    merging.run_handlers(merging.Merge(duplicate=world.other_org, keep=keep, reason="twice"))
    assert not SummaryItem.objects.filter(owner_organisation=world.other_org).exists()
    assert SummaryItem.objects.filter(owner_organisation=keep).count() == 2


@pytest.mark.django_db
def test_the_summary_rows_take_as_many_queries_whatever_the_data(client, summary_rows):
    def queries(scale: float) -> int:
        call_command("generate_data", scale=scale, stdout=StringIO())
        user = User.objects.filter(
            role=Role.SECRETARIAT, email__endswith="@bench.example.org"
        ).first()
        client.force_login(user)
        dataversion._bump()
        # The first request rebuilds the rows; the next, for another period, reads them.
        client.get(reverse("dashboard"), {"period": "year", "year": "2024"})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("dashboard"), {"period": "year", "year": "2025"})
        assert response.status_code == 200
        assert not any("activities_activity" in query["sql"] for query in captured)
        return len(captured)

    assert queries(0.02) == queries(0.2)


@pytest.mark.django_db(transaction=True)
def test_committed_writes_of_every_kind_reach_the_summary_rows(client):
    world = World()
    client.force_login(world.secretariat)
    years = iter(range(2015, 2030))

    def page() -> None:
        # A period of its own each time: nothing cached answers.
        query = {"period": "tip", "year": str(next(years))}
        assert client.get(reverse("dashboard"), query).status_code == 200
        assert SummaryState.objects.exists()  # counted from the summary rows

    page()
    # Rebuilding writes only summary rows, which move no version.
    versions = dataversion.current(dataversion.FIGURES), dataversion.current(dataversion.PAGES)
    SummaryState.objects.update(version=-1)
    page()
    assert SummaryState.objects.get().version == versions[0]
    assert versions == (
        dataversion.current(dataversion.FIGURES),
        dataversion.current(dataversion.PAGES),
    )
    # A bulk update, committed: the worker and the admin write so.
    Meeting.objects.filter(pk=world.first.pk).update(status=MeetingStatus.POSTPONED)
    counted = scope(world.secretariat)
    assert figures.meetings_held(counted) == 1
    assert counted.bases["summarised"] is True
    # A deletion in a transaction of its own.
    with transaction.atomic():
        Invitation.objects.filter(meeting=world.last).delete()
    assert figures.attendance(scope(world.secretariat)).whole == 0
    # A write in a rolled-back transaction changes nothing.
    try:
        with transaction.atomic():
            Activity.objects.filter(review_state=ReviewState.APPROVED).delete()
            raise RuntimeError
    except RuntimeError:
        pass
    assert figures.activities(scope(world.secretariat)) == 5
    page()


@pytest.mark.django_db
def test_a_rebuild_finding_the_rows_of_the_version_writes_nothing(summary_rows):
    world = World()
    counted = scope(world.secretariat)
    assert figures.meetings_held(counted) == 2  # built
    with CaptureQueriesContext(connection) as captured:
        summary.rebuild(lambda: figures._summary_sources(counted))
    assert not any(
        query["sql"].lstrip().upper().startswith(("INSERT", "DELETE")) for query in captured
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_readers_rebuilding_at_once_wait_for_one_another():
    world = World()
    counted = scope(world.secretariat)
    sources = lambda: figures._summary_sources(counted)  # noqa: E731
    SummaryState.objects.all().delete()
    errors: list[BaseException] = []

    def rebuild() -> None:
        try:
            summary.rebuild(sources)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=rebuild) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SummaryState.objects.count() == 1
    assert figures.meetings_held(scope(world.secretariat)) == 2
