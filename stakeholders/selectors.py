"""Permission-scoped reads of the directory."""

from typing import Any

from stakeholders.models import Organisation, Person


def directory_summary(*, user: Any) -> dict[str, int]:
    """Counts of the organisations and people the user may see."""
    return {
        "organisations": Organisation.objects.visible_to(user).count(),
        "people": Person.objects.visible_to(user).count(),
    }
