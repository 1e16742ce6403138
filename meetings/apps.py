from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from meetings import audit, selectors, services
        from stakeholders import engagement

        audit.register()
        services.register_merge_handler()
        engagement.register(selectors.engagement)
        engagement.register(selectors.open_action_items)
