"""`manage.py load_demo`: the demo story, from each app's `demo` module.

Each app with demo data has a `demo` module whose `load() -> list[str]` creates what is
missing of its part (through `portal.lib.demo.ensure`) and says what it created. The apps
load in INSTALLED_APPS order, so that meetings find the directory's organisations.
"""

from argparse import ArgumentParser
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = (
        "Load the demo story (the seed coordination meeting's organisations, people and three "
        "demo accounts, its series of meetings). Creates what is missing; never changes what "
        "is there."
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
        created: list[str] = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                if module_has_submodule(config.module, "demo"):
                    created.extend(import_module(f"{config.name}.demo").load())
        for line in created:
            self.stdout.write(f"created {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({len(created)} created)."
                if created
                else "Demo data ready (nothing was missing)."
            )
        )
