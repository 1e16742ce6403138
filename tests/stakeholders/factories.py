import factory

from stakeholders.models import Language, Organisation, Person, Role, StakeholderGroup, User

PASSWORD = "a-long-test-password-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    stakeholder_group = StakeholderGroup.NATIONAL_NGO


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    preferred_language = Language.ENGLISH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.SelfAttribute("person.email")
    person = factory.SubFactory(PersonFactory)
    role = Role.PARTNER
    password = factory.django.Password(PASSWORD)
