from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stakeholders import demo as stakeholders_demo


class Command(BaseCommand):
    help = (
        "Load the demo story (the seed coordination meeting's organisations, people and three "
        "demo accounts). Creates what is missing; never changes what is there."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo data even with DEBUG off (for a trial installation only).",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: the demo accounts have a published password. "
                "Use --force to load them anyway, on a trial installation only."
            )
        created = stakeholders_demo.load()
        for line in created:
            self.stdout.write(f"created {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({len(created)} created)."
                if created
                else "Demo data ready (nothing was missing)."
            )
        )
