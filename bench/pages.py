"""The pages the benchmark measures, addressed with what bench/session.py found in the
generated data; the login page is the baseline, requested without the session."""

from typing import Any

BASELINE = "login"
# The page measured cold: every request misses the cache.
COLD = "dashboard, cold"


def paths(found: dict[str, Any]) -> dict[str, str]:
    meeting = found["meeting_id"]
    return {
        BASELINE: "/accounts/login/",
        "organisations": "/directory/organisations/",
        "people": "/directory/people/",
        "people search, deep page": f"/directory/people/?q={found['search_term']}"
        f"&page={found['deep_page']}",
        "users": "/directory/users/",
        "person": f"/directory/people/{found['person_id']}/",
        "meetings": "/meetings/",
        "meetings, month": f"/meetings/calendar/?month={found['month']}",
        "meeting, 60 invitees": f"/meetings/{meeting}/",
        "action items": "/meetings/action-items/",
        "action items, open and overdue": "/meetings/action-items/?status=open&overdue=yes",
        "minutes": f"/meetings/{found['minutes_meeting_id']}/minutes/",
        "printable record, 60 invitees": f"/meetings/{meeting}/record/",
        "activities": "/activities/",
        "activities, filtered": "/activities/?type=training&region=UZ-SA&review=approved",
        "activity": f"/activities/{found['activity_id']}/",
        "overlap radar": "/activities/radar/",
        "framework coverage": "/meetings/frameworks/",
        "framework coverage, unanswered": "/meetings/frameworks/?answered=no",
        "trend board": "/activities/trends/",
        "trend list, filtered": "/activities/trends/list/?trend_type=route&confidence=reported",
        "dashboard targets": "/dashboard/targets/",
        "national figures": "/dashboard/national-figures/",
        "dashboard, warm": "/dashboard/?period=year&year=2024",
        # Each request a period of its own (bench/cold.lua adds `to`): nothing cached.
        COLD: "/dashboard/?period=custom&from=2023-01-01",
    }
