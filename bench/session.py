"""Print, as JSON, what the benchmark needs from the generated data: a logged-in session.

Run with the benchmark's environment (DATABASE_URL and the rest) from the project folder:
`python bench/session.py`. The session is made on the server side, as a login would make it,
for the first generated secretariat account; no password is typed and no login is recorded.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from activities.generate import CODE_PREFIX  # noqa: E402
from activities.models import Activity, ReviewState  # noqa: E402
from meetings.generate import big_meeting, minutes_meeting  # noqa: E402
from stakeholders.generate import EMAIL_DOMAIN  # noqa: E402
from stakeholders.models import Person, Role, User  # noqa: E402

PAGE_SIZE = 25
# A word in many generated positions, so that its search results run to many pages.
SEARCH_TERM = "officer"


def found() -> dict[str, Any]:
    """A session of the first generated secretariat account, and the records the pages
    are about."""
    user = (
        User.objects.filter(
            role=Role.SECRETARIAT, is_active=True, email__endswith=f"@{EMAIL_DOMAIN}"
        )
        .order_by("email")
        .first()
    )
    if user is None:
        sys.exit("No generated secretariat account: run manage.py generate_data first.")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()

    # The people list shows the active people: its last full page of the search.
    matches = Person.objects.search(SEARCH_TERM).filter(is_active=True).count()
    person = Person.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("pk").first()
    meeting = big_meeting()
    with_minutes = minutes_meeting()
    activity = (
        Activity.objects.filter(code__startswith=CODE_PREFIX, review_state=ReviewState.APPROVED)
        .order_by("pk")
        .first()
    )
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "user": user.email,
        "person_id": person.pk if person else None,
        "meeting_id": meeting.pk if meeting else None,
        "minutes_meeting_id": with_minutes.pk if with_minutes else None,
        "activity_id": activity.pk if activity else None,
        # The month page of a month with generated meetings: the big meeting's.
        "month": f"{meeting.local_start:%Y-%m}" if meeting else None,
        "search_term": SEARCH_TERM,
        # The last full page of the search: the deepest OFFSET the list pages through.
        "deep_page": max(1, matches // PAGE_SIZE),
    }


def main() -> None:
    json.dump(found(), sys.stdout)


if __name__ == "__main__":
    main()
