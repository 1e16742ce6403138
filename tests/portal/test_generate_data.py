from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stakeholders.models import (
    MechanismRole,
    Organisation,
    Person,
    Role,
    StakeholderGroup,
    User,
)
from tests.stakeholders.factories import OrganisationFactory

SCALE = 0.05


def generate(**options: object) -> str:
    out = StringIO()
    call_command("generate_data", scale=SCALE, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict[str, list[str]]:
    return {
        "organisations": sorted(Organisation.objects.values_list("name", flat=True)),
        "parents": sorted(
            f"{name} < {parent}"
            for name, parent in Organisation.objects.filter(parent__isnull=False).values_list(
                "name", "parent__name"
            )
        ),
        "people": sorted(Person.objects.values_list("email", "full_name").distinct()),
        "users": sorted(User.objects.values_list("email", "role").distinct()),
    }


@pytest.mark.django_db
def test_it_makes_the_counts_of_the_scale():
    generate()

    assert Organisation.objects.count() == 10
    assert Person.objects.count() == 100
    users = User.objects.all()
    assert 3 <= users.count() < 100
    assert users.filter(role=Role.SECRETARIAT).exists()
    assert all(user.person is not None and user.email == user.person.email for user in users)
    assert Person.objects.filter(mechanism_role=MechanismRole.FOCAL_POINT).exists()
    assert all(group in StakeholderGroup.values for group in _groups())
    assert Organisation.history.count() == 10
    assert Person.history.count() == 100


def _groups() -> set[str]:
    return set(Organisation.objects.values_list("stakeholder_group", flat=True))


@pytest.mark.django_db
def test_it_writes_names_in_russian_and_uzbek():
    call_command("generate_data", scale=0.5, stdout=StringIO())

    organisations = Organisation.objects.all()
    assert all(org.name_ru and org.name_uz for org in organisations)
    assert any(any("\u0400" <= c <= "\u04ff" for c in org.name_ru) for org in organisations)
    assert any("ʻ" in org.name_uz or "ʼ" in org.name_uz for org in organisations)


# Flushing inside a test's transaction trips PostgreSQL's deferred constraint checks.
@pytest.mark.django_db(transaction=True)
def test_it_gives_the_same_records_for_the_same_seed():
    generate(seed=7)
    first = snapshot()
    call_command("flush", interactive=False, verbosity=0)

    generate(seed=7)

    assert snapshot() == first
    generate(seed=8)
    assert snapshot() != first


@pytest.mark.django_db
def test_it_replaces_what_an_earlier_run_made():
    generate()
    first = snapshot()

    output = generate()

    assert "removed earlier generated data" in output
    assert snapshot() == first
    assert Organisation.history.count() == 10


@pytest.mark.django_db
def test_it_refuses_a_database_with_records_it_did_not_make():
    OrganisationFactory(name="Ministry of Justice of somewhere real")

    with pytest.raises(CommandError, match="1 organisations"):
        generate()
    assert Person.objects.count() == 0

    generate(force=True)
    assert Organisation.objects.filter(name="Ministry of Justice of somewhere real").exists()
    assert Organisation.objects.count() == 11


@pytest.mark.django_db
def test_it_fills_the_search_column():
    generate()

    org = Organisation.objects.exclude(name_ru="").first()
    assert org is not None
    assert org.search_text
    word = org.name_ru.split()[0].lower()
    assert all("\u0400" <= c <= "\u04ff" for c in word)
    assert org in Organisation.objects.search(word)
    person = Person.objects.first()
    assert person is not None
    assert person in Person.objects.search(person.full_name.lower(), by_email=False)


@pytest.mark.django_db
def test_parents_form_no_loop():
    call_command("generate_data", scale=0.5, stdout=StringIO())

    parent_of = dict(Organisation.objects.values_list("pk", "parent_id"))
    assert any(parent_of.values())
    for pk in parent_of:
        seen = set()
        while pk is not None:
            assert pk not in seen
            seen.add(pk)
            pk = parent_of[pk]


def test_it_refuses_a_scale_of_zero():
    with pytest.raises(CommandError, match="greater than 0"):
        call_command("generate_data", scale=0)
