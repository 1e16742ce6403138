"""Django's migrate, with the data versions unwatched while it runs and moved on after it."""

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand

from portal import dataversion


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        with dataversion.migrating():
            super().handle(*args, **options)
