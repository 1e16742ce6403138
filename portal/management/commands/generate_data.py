"""`manage.py generate_data`: a reproducible directory of any size, for benchmarks.

The portal knows no app's models here. Each app with data to generate has a `generate`
module (`<app>/generate.py`, or a package) that exposes

    generate(*, scale: float, rng: random.Random, log: Callable[[str], None]) -> None

and, so that a second run can replace the first and real data is never touched,

    foreign_records() -> list[str]              # what it finds that it did not make
    clear(*, log: Callable[[str], None]) -> None  # delete what it made

The apps are called in INSTALLED_APPS order (`clear` in reverse, so that later apps' records
go before the ones they point to), each with a random generator of its own seeded from the
seed and the app's label: adding an app's generator leaves the other apps' data unchanged.
"""

import random
import time
from argparse import ArgumentParser
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.module_loading import autodiscover_modules, module_has_submodule

DEFAULT_SEED = 20250401


class Command(BaseCommand):
    help = (
        "Fill the database with a reproducible, made-up directory for benchmarks: at scale 1, "
        "200 organisations (some under others), 2,000 people and 50 portal accounts of every "
        "role. Every account's password is 'coordination-demo'. The same --scale and --seed "
        "make the same records. Generated people and accounts have email addresses at "
        "bench.example.org and generated organisations a website under "
        "https://bench.example.org/; that is how the command knows its own records. A run "
        "replaces the records an earlier run made. It refuses to run when the database holds "
        "any other organisation, person or account (real data, the demo data, a superuser), "
        "unless --force is given, in which case those are left as they are and the new "
        "records are added beside them."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Size: 1 makes 200 organisations, 2,000 people and 50 accounts; fractions "
            "allowed (0.05 makes 10 organisations and 100 people). Default 1.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed of the random choices. Default {DEFAULT_SEED}.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when the database holds records this command did not make.",
        )

    def handle(
        self, *args: Any, scale: float, seed: int, force: bool = False, **options: Any
    ) -> None:
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        generators = _generators()
        if not generators:
            raise CommandError("No app has a generate module.")

        foreign = [
            f"{label}: {', '.join(found)}"
            for label, module in generators
            if hasattr(module, "foreign_records") and (found := module.foreign_records())
        ]
        if foreign and not force:
            raise CommandError(
                "The database holds records this command did not make ("
                + "; ".join(foreign)
                + "). Use an empty database (e.g. `manage.py flush`), or --force to add "
                "generated records beside them."
            )

        started = time.monotonic()
        try:
            with transaction.atomic():
                for _label, module in reversed(generators):
                    if hasattr(module, "clear"):
                        module.clear(log=self._log)
                for label, module in generators:
                    self._log(f"{label}:")
                    # Made-up records, not secrets: a seeded generator is the point.
                    rng = random.Random(f"{seed}:{label}")  # noqa: S311
                    module.generate(scale=scale, rng=rng, log=self._log)
        except ProtectedError as error:
            raise CommandError(
                "Records made by an earlier run could not be removed because other records "
                f"point to them ({error.args[0]}). Empty the database (`manage.py flush`) and "
                "run again."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated data at scale {scale:g}, seed {seed}, "
                f"in {time.monotonic() - started:.1f} s."
            )
        )

    def _log(self, line: str) -> None:
        self.stdout.write(f"  {line}")


def _generators() -> list[tuple[str, ModuleType]]:
    """Each installed app's `generate` module that has a `generate` function, in app order."""
    autodiscover_modules("generate")
    found = []
    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, "generate"):
            continue
        module = import_module(f"{app_config.name}.generate")
        if callable(getattr(module, "generate", None)):
            found.append((app_config.label, module))
    return found
