from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities and trends")

    def ready(self) -> None:
        from activities import (  # noqa: F401
            audit,
            coverage,
            figures,
            imports,
            merge,
            reminders,
            selectors,
            trend_selectors,
        )
        from meetings import calendar_entries
        from meetings import coverage as framework_coverage
        from meetings import prompts as meeting_prompts
        from meetings.services.reminders import register_source
        from portal import dataversion
        from stakeholders import engagement

        audit.register()
        merge.register_merge_handler()
        engagement.register(selectors.engagement)
        calendar_entries.register(selectors.planned_on_calendar)
        register_source(reminders.call_chases)
        framework_coverage.register(coverage.SOURCE)
        meeting_prompts.register(trend_selectors.meeting_prompts)
        dataversion.count(*figures.counted_models())
