"""Summary rows: what the dashboard counts for the readers who see every record (the
secretariat), one row a record (a meeting, an action item, an approved activity, a trend
note) or a group of participant rows, with the days and codes the figures filter and group
by already worked out.

They are rebuilt from the records by `activities.summary` when the figures' data version
(`portal.dataversion`) has moved on since they were built, which every write path moves,
and only read while their version is the current one. A row's key is its record's id where
it has one, so that the figures' own conditions (the selectors' `Q`s) apply to both.
Nothing here points at a record with a constraint: a deleted record leaves its row until
the next rebuild, which the deletion's own version move asks for.
"""

from django.db import models

from meetings.models import Meeting
from stakeholders.models import Organisation


class SummaryRow(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class SummaryState(SummaryRow):
    """The one row saying which figures' data version the summary rows were built from, and
    on which day."""

    version = models.BigIntegerField()
    built_on = models.DateField()


class SummaryActivity(SummaryRow):
    """An approved activity: its days (actual, else planned) and what the figures group by."""

    id = models.BigIntegerField(primary_key=True)
    first_day = models.DateField()
    last_day = models.DateField()
    status = models.TextField()
    type = models.TextField()
    primary_pillar = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["first_day", "last_day"], name="summary_activity_days")]


class SummaryPlace(SummaryRow):
    """A place an approved activity is held in (a region, nationwide or a country abroad),
    with the activity's days: one row an activity and place."""

    activity_id = models.BigIntegerField()
    first_day = models.DateField()
    last_day = models.DateField()
    kind = models.TextField()
    region = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["first_day", "last_day"], name="summary_place_days")]


class SummaryPeople(SummaryRow):
    """People of the participant rows of approved activities, summed by the day their
    activity ended and something more: at most a row a day and value, however many
    activities."""

    last_day = models.DateField(db_index=True)
    female = models.IntegerField()
    male = models.IntegerField()
    undisclosed = models.IntegerField()

    class Meta:
        abstract = True


class SummaryPeopleByGroup(SummaryPeople):
    """... by the quarter of that day (its first day) and the rows' target group."""

    quarter = models.DateField()
    target_group = models.TextField()


class SummaryPeopleByPlace(SummaryPeople):
    """... by the rows' place: a region's code, nationwide, or empty for a country abroad."""

    place = models.TextField()


class SummaryMeeting(SummaryRow):
    """A meeting: the day it starts (in the portal's time zone), its invitees, those who
    attended, walk-ins, all who attended by sex, and the organisations and stakeholder groups
    with someone who attended."""

    meeting = models.OneToOneField(
        Meeting,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    status = models.TextField()
    starts_at = models.DateTimeField()
    day = models.DateField(db_index=True)
    invited = models.IntegerField()
    attended = models.IntegerField()
    walk_ins = models.IntegerField()
    female = models.IntegerField()
    male = models.IntegerField()
    undisclosed = models.IntegerField()
    organisations = models.IntegerField()
    groups = models.IntegerField()


class SummaryItem(SummaryRow):
    """An action item: the day the meeting it was raised at started, its owner, status, due
    day and day of completion (days in the portal's time zone)."""

    id = models.BigIntegerField(primary_key=True)
    day = models.DateField(db_index=True)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.TextField()
    due_on = models.DateField()
    completed_on = models.DateField(null=True)


class SummaryTrend(SummaryRow):
    """A trend note: its kind, status, the day its observation began (observed from, else
    written, in the portal's time zone) and whether an approved activity answers it."""

    id = models.BigIntegerField(primary_key=True)
    trend_type = models.TextField()
    status = models.TextField()
    since = models.DateField(db_index=True)
    answered = models.BooleanField()


class SummaryCoverage(SummaryRow):
    """The framework references of a year and kind, and those answered."""

    year = models.IntegerField()
    kind = models.TextField()
    answered = models.IntegerField()
    everything = models.IntegerField()
