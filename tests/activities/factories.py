from datetime import date

import factory

from activities.models import Activity, ActivityLocation, LocationKind, ReviewState
from tests.stakeholders.factories import OrganisationFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TEST-{n + 1:06d}")
    title = factory.Sequence(lambda n: f"Training of airport staff {n}")
    type = "training"
    primary_pillar = "prevention"
    target_groups = factory.LazyFunction(lambda: ["airport_transport_staff"])
    lead_organisation = factory.SubFactory(OrganisationFactory)
    planned_start = date(2031, 11, 6)
    planned_end = date(2031, 11, 8)
    review_state = ReviewState.DRAFT

    @factory.post_generation
    def region(self, create, extracted, **kwargs):
        if create:
            ActivityLocation.objects.create(
                activity=self, kind=LocationKind.REGION, region=extracted or "UZ-BU"
            )
