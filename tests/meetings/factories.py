from datetime import UTC, datetime, timedelta

import factory

from meetings.models import AgendaItem, Invitation, Meeting, MeetingSeries, OrganisationInvitation
from tests.stakeholders.factories import OrganisationFactory, PersonFactory

# A Tuesday, 10:00 in Tashkent (UTC+5).
START = datetime(2031, 10, 21, 5, 0, tzinfo=UTC)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Coordination meetings {n}")
    convener = factory.SubFactory(OrganisationFactory)
    default_venue = "UN House, Tashkent"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    series = factory.SubFactory(SeriesFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Coordination meeting {n}")
    starts_at = START
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=3))
    time_zone = "Asia/Tashkent"
    venue = "UN House, Tashkent"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")
    duration_minutes = 30


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")


class OrganisationInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationInvitation

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)
