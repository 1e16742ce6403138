from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from meetings import audit, coverage, imports, selectors, services  # noqa: F401
        from meetings.views.feeds import calendar_feed_panel
        from stakeholders import engagement, profile_panels
        from stakeholders.signals import access_ended

        audit.register()
        services.register_merge_handler()
        engagement.register(selectors.engagement)
        engagement.register(selectors.open_action_items)
        profile_panels.register(
            template="meetings/includes/calendar_feed_panel.html", context=calendar_feed_panel
        )
        access_ended.connect(
            services.calendar_feeds_revoke_on_access_ended,
            dispatch_uid="meetings.calendar_feeds_revoke_on_access_ended",
        )
