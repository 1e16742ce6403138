from datetime import timedelta

from django.db import models

from portal.lib.sensitivity import Labelled
from portal.lib.tokens import SecretToken
from stakeholders import merging
from stakeholders.models import Organisation, User


class Gathering(models.Model):
    """Stands in for a meeting: a convener, and invited organisations."""

    title = models.CharField(max_length=100)
    convener = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    organisations = models.ManyToManyField(Organisation, related_name="gatherings", blank=True)

    def __str__(self) -> str:
        return self.title


class Seat(models.Model):
    """Stands in for an invitation: one per organisation and gathering."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="seats")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gathering", "organisation"], name="one_seat")
        ]

    def __str__(self) -> str:
        return f"{self.gathering} · {self.organisation}"


class Note(Labelled):
    """Stands in for a labelled record (minutes, an activity): it belongs to an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.text


class FeedToken(SecretToken):
    """Stands in for a calendar-feed token: reusable, several live at once."""

    VALID_FOR = timedelta(days=365)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")


class OneTimeToken(SecretToken):
    """A single-use token with no expiry of its own."""

    SINGLE_USE = True

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")


def move_references(merge: merging.Merge) -> None:
    duplicate, keep = merge.duplicate, merge.keep
    Gathering.objects.filter(convener=duplicate).update(convener=keep)
    for gathering in Gathering.objects.filter(organisations=duplicate):
        gathering.organisations.remove(duplicate)
        gathering.organisations.add(keep)
    # Where both had a seat, the kept organisation's seat stays and the duplicate's goes.
    taken = Seat.objects.filter(organisation=keep).values("gathering")
    Seat.objects.filter(organisation=duplicate, gathering__in=taken).delete()
    Seat.objects.filter(organisation=duplicate).update(organisation=keep)
    Note.objects.filter(organisation=duplicate).update(organisation=keep)


def register_merge_handler() -> None:
    merging.register(
        move_references,
        covers=[
            (Gathering, "convener"),
            (Gathering, "organisations"),
            (Seat, "organisation"),
            (Note, "organisation"),
        ],
    )
