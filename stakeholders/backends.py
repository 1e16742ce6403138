from typing import Any

from django.contrib.auth.backends import ModelBackend

from stakeholders.models import User


class EmailBackend(ModelBackend):
    """Logs in by email in any letter case (see UserManager.get_by_natural_key).

    Loads the user together with their person and organisation, which every
    page shows in its navigation.
    """

    def get_user(self, user_id: Any) -> User | None:
        # get(), not first(): no ORDER BY to compile on every request.
        try:
            user = User.objects.select_related("person__organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
