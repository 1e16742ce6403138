import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from portal.models import DemoRecord
from stakeholders import demo
from stakeholders.models import MechanismRole, Organisation, Person, Role, StakeholderGroup, User

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "organisations": sorted(Organisation.objects.values_list("pk", "name", "short_name")),
        "people": sorted(Person.objects.values_list("pk", "full_name", "email", "organisation")),
        "users": sorted(User.objects.values_list("pk", "email", "role", "person", "password")),
    }


def test_running_it_twice_leaves_the_same_rows():
    call_command("load_demo", "--force", verbosity=0)
    first = snapshot()

    call_command("load_demo", "--force", verbosity=0)

    assert snapshot() == first
    assert len(first["organisations"]) == len(demo.ORGANISATIONS)
    assert len(first["users"]) == 3


def test_it_creates_the_seed_meetings_organisations_with_their_groups():
    call_command("load_demo", "--force", verbosity=0)

    groups = dict(Organisation.objects.values_list("short_name", "stakeholder_group"))
    assert groups["UNODC"] == StakeholderGroup.UN_AGENCY
    assert groups["INL"] == StakeholderGroup.DONOR
    assert groups["IOM"] == StakeholderGroup.INTERNATIONAL_ORGANISATION
    assert groups["Istiqbolli Avlod"] == StakeholderGroup.NATIONAL_NGO


@pytest.mark.parametrize(
    ("email", "role", "organisation"),
    [
        ("secretariat@example.org", Role.SECRETARIAT, "UNODC"),
        ("partner@example.org", Role.PARTNER, "IOM"),
        ("donor@example.org", Role.DONOR, "INL"),
    ],
)
def test_the_demo_accounts_log_in_with_the_documented_password(rf, email, role, organisation):
    call_command("load_demo", "--force", verbosity=0)

    user = authenticate(rf.post("/accounts/login/"), username=email, password="coordination-demo")

    assert user is not None
    assert user.role == role
    assert user.organisation.short_name == organisation


def test_a_demo_organisation_renamed_by_hand_keeps_its_new_name():
    call_command("load_demo", "--force", verbosity=0)
    iom = Organisation.objects.get(short_name="IOM")
    iom.name = "IOM Uzbekistan Country Office"
    iom.save()
    count = Organisation.objects.count()

    call_command("load_demo", "--force", verbosity=0)

    iom.refresh_from_db()
    assert iom.name == "IOM Uzbekistan Country Office"
    assert Organisation.objects.count() == count


def test_a_changed_demo_password_is_not_reset():
    call_command("load_demo", "--force", verbosity=0)
    user = User.objects.get(email="donor@example.org")
    user.set_password("the-donor-chose-this-one")
    user.save()

    call_command("load_demo", "--force", verbosity=0)

    user.refresh_from_db()
    assert user.check_password("the-donor-chose-this-one")


def test_an_organisation_entered_before_the_demo_is_adopted_not_duplicated():
    existing = Organisation.objects.create(
        name="winrock international", short_name="WI", stakeholder_group=StakeholderGroup.DONOR
    )

    call_command("load_demo", "--force", verbosity=0)

    existing.refresh_from_db()
    assert existing.short_name == "WI"
    assert Organisation.objects.filter(name__iexact="Winrock International").count() == 1
    assert DemoRecord.objects.get(key="organisation:winrock").object_id == existing.pk


def test_a_deleted_demo_row_is_made_again():
    call_command("load_demo", "--force", verbosity=0)
    focal_point = Person.objects.get(email="focal.winrock@example.org")
    focal_point.invitations.all().delete()  # the demo meetings invited them
    focal_point.delete()

    call_command("load_demo", "--force", verbosity=0)

    assert Person.objects.filter(email="focal.winrock@example.org").count() == 1


def test_it_adds_the_named_people_the_parent_and_a_focal_point_for_each_organisation():
    call_command("load_demo", "--force", verbosity=0)

    boboev = Person.objects.get(full_name="Akobir Boboev")
    assert boboev.organisation.short_name == "MIA"
    assert boboev.position == "Head of the Unit for Combating Trafficking in Persons"
    sub = Organisation.objects.get(short_name="Sub-Commission")
    assert sub.parent.short_name == "National Commission"
    without_focal_point = Organisation.objects.exclude(
        people__mechanism_role=MechanismRole.FOCAL_POINT
    )
    assert list(without_focal_point) == []
    assert User.objects.get(email="partner@example.org").person.mechanism_role == (
        MechanismRole.FOCAL_POINT
    )
