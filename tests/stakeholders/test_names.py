"""Organisation names are unique after normalisation, on SQLite and PostgreSQL alike."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from stakeholders import services
from stakeholders.models import Organisation, StakeholderGroup
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

EXISTING = "Министерство юстиции"


@pytest.mark.parametrize(
    "twin",
    [
        "МИНИСТЕРСТВО ЮСТИЦИИ",  # another letter case, Cyrillic
        "министерство юстиции",
        "Министерство\u200b юстиции",  # a zero-width space
        "Министерство  юстиции",  # a double space
        " Министерство юстиции ",
        "Министерство\u00a0юстиции",  # a no-break space  # noqa: RUF001
    ],
)
def test_a_name_differing_only_in_form_is_a_duplicate(secretariat_user, twin):
    OrganisationFactory(name=EXISTING)

    with pytest.raises(ValidationError, match="already exists"):
        services.organisation_create(
            user=secretariat_user,
            data={"name": twin, "stakeholder_group": StakeholderGroup.MINISTRY},
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name=twin, stakeholder_group=StakeholderGroup.MINISTRY)


def test_the_form_says_so_on_the_name_field(client, secretariat_user):
    OrganisationFactory(name="Oʻzbekiston Respublikasi Oliy sudi")
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:organisation_create"),
        {"name": "O'ZBEKISTON RESPUBLIKASI OLIY SUDI", "stakeholder_group": "judiciary"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "An organisation with this name already exists."
    ]


def test_different_names_stay_different(secretariat_user):
    OrganisationFactory(name=EXISTING)

    services.organisation_create(
        user=secretariat_user,
        data={"name": "Министерство юстиции Республики", "stakeholder_group": "ministry"},
    )

    assert Organisation.objects.filter(name__startswith="Министерство").count() == 2
