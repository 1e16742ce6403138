"""`make bench-reminders`: 10,000 reminders fall due at once; how long until every one is
handed to the mail backend, and how many queries each costs.

It makes a database of its own on PostgreSQL (`test_` + the name in
BENCH_REMINDERS_DATABASE_URL, dropped at the end), 100 meetings starting in a day less a
minute with 100 invitees each and a reminder a day before, then runs one sweep (which
records each reminder and queues its email) and the outbox's send-out (which hands them to
a backend that only counts), as beat and the worker would, in one process.
Targets: all 10,000 handed over within 60 s, and at most 8 queries per reminder.
"""

import os
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.update(
    {
        "DATABASE_URL": os.environ.get(
            "BENCH_REMINDERS_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/portal_bench_reminders",
        ),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
)
os.environ.pop("REDIS_URL", None)

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.mail.backends.base import BaseEmailBackend  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

MEETINGS, INVITEES = 100, 100
REMINDERS = MEETINGS * INVITEES
MAX_SECONDS = 60.0
MAX_QUERIES_PER_REMINDER = 8


class CountingBackend(BaseEmailBackend):
    """A mail server that takes everything instantly and counts it."""

    handed_over = 0

    def send_messages(self, email_messages: list[object]) -> int:  # type: ignore[override]
        CountingBackend.handed_over += len(email_messages)
        return len(email_messages)


def _data() -> None:
    from meetings.models import Invitation, Meeting, MeetingSeries, ReminderRule, Response
    from stakeholders.models import Organisation, Person, StakeholderGroup

    organisation = Organisation.objects.create(
        name="Benchmark organisation", stakeholder_group=StakeholderGroup.NATIONAL_NGO
    )
    series = MeetingSeries.objects.create(title="Benchmark series", convener=organisation)
    ReminderRule.objects.create(series=series, offset_minutes=24 * 60)
    starts = timezone.now() + timedelta(days=1) - timedelta(minutes=1)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            series=series,
            number=number,
            title=f"Benchmark meeting {number}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            venue="Conference room",
        )
        for number in range(1, MEETINGS + 1)
    )
    people = Person.objects.bulk_create(
        Person(
            full_name=f"Invitee {number}",
            email=f"invitee{number}@bench.example.org",
            organisation=organisation,
        )
        for number in range(REMINDERS)
    )
    invited_at = timezone.now() - timedelta(days=30)
    Invitation.objects.bulk_create(
        (
            Invitation(
                meeting=meeting,
                person=people[index * INVITEES + offset],
                organisation=organisation,
                response=Response.ACCEPTED,
                invited_at=invited_at,
            )
            for index, meeting in enumerate(meetings)
            for offset in range(INVITEES)
        ),
        batch_size=2000,
    )


def main() -> int:
    from meetings.services.reminders import send_due_reminders
    from portal.celery import app
    from portal.lib.email import send_pending_emails

    settings.MAILERS = {"default": {"BACKEND": "__main__.CountingBackend"}}
    # The sweep hands its emails to the send-out after commit: here, in this process.
    app.conf.task_always_eager = True
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"Database {name} created; {REMINDERS:,} reminders falling due.", flush=True)
    try:
        _data()
        queries = 0

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            result = send_due_reminders()
            send_pending_emails()  # what the worker does after the sweep's commit, again
        elapsed = time.perf_counter() - started
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    per_reminder = queries / REMINDERS
    print(
        f"queued {result.queued:,}, handed to the mail backend {CountingBackend.handed_over:,} "
        f"in {elapsed:.1f} s ({REMINDERS / elapsed:,.0f} a second); "
        f"{queries:,} queries, {per_reminder:.2f} per reminder"
    )
    checks = [
        (
            f"all {REMINDERS:,} handed over within {MAX_SECONDS:.0f} s",
            CountingBackend.handed_over == REMINDERS and elapsed <= MAX_SECONDS,
        ),
        (
            f"at most {MAX_QUERIES_PER_REMINDER} queries per reminder",
            per_reminder <= MAX_QUERIES_PER_REMINDER,
        ),
    ]
    for label, passed in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {label}")
    return 0 if all(passed for _label, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
