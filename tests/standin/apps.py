from django.apps import AppConfig


class StandinConfig(AppConfig):
    """Models that stand in for the later apps' in tests of the shared mechanisms."""

    name = "tests.standin"
    label = "standin"

    def ready(self) -> None:
        from tests.standin import models

        models.register_merge_handler()
