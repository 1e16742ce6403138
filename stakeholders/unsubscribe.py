"""Turning optional emails off from the email itself (RFC 8058 one-click, and a page).

Each optional email (reminders, the digest) carries a link of its own and the headers that
let a mail program offer "unsubscribe". Invitations, changes and cancellations are not
optional and carry neither.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from portal.lib.versions import claim_version
from stakeholders.models import EmailChoice, Person, UnsubscribeLink


def unsubscribe_link(person: Person, choice: EmailChoice) -> tuple[str, dict[str, str]]:
    """A new link that turns `choice` off for `person`, and the headers to send with it."""
    _link, token = UnsubscribeLink.objects.issue(person=person, choice=choice)
    url = settings.PORTAL_URL + reverse("unsubscribe", args=[token])
    return url, {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@transaction.atomic
def unsubscribe(*, link: UnsubscribeLink) -> bool:
    """Turn off the emails the link is for; False when they were off already."""
    person = Person.objects.select_for_update().get(pk=link.person_id)
    link.use()
    if not getattr(person, link.choice):
        return False
    claim_version(person, person.version)
    setattr(person, link.choice, False)
    person.save(update_fields=[link.choice, "version", "updated_at"])
    return True
