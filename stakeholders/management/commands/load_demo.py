from typing import Any

from django.core.management.base import BaseCommand

from stakeholders import demo as stakeholders_demo


class Command(BaseCommand):
    help = (
        "Load the demo story (the seed coordination meeting's organisations and three demo "
        "accounts). Creates what is missing; never changes what is there."
    )

    def handle(self, *args: Any, **options: Any) -> None:
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
