from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities and trends")

    def ready(self) -> None:
        from activities import audit, coverage, imports, merge, reminders, selectors  # noqa: F401
        from meetings import calendar_entries
        from meetings import coverage as framework_coverage
        from meetings.services.reminders import register_source
        from stakeholders import engagement

        audit.register()
        merge.register_merge_handler()
        engagement.register(selectors.engagement)
        calendar_entries.register(selectors.planned_on_calendar)
        register_source(reminders.call_chases)
        framework_coverage.register(coverage.SOURCE)
