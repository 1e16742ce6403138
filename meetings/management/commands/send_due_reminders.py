from typing import Any

from django.core.management.base import BaseCommand

from meetings.services.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Run one reminder sweep: record and queue every reminder that has fallen due."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_due_reminders()
        self.stdout.write(
            f"Reminders: {result.queued} queued, {result.skipped} recorded as skipped."
        )
