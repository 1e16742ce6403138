"""The stakeholders' part of the demo story: the seed meeting's organisations and three accounts."""

from functools import partial

from django.db import transaction

from portal.lib.demo import ensure
from stakeholders.models import Language, Organisation, Person, Role, StakeholderGroup, User

DEMO_PASSWORD = "coordination-demo"  # noqa: S105 - documented in the README, demo only

G = StakeholderGroup
ORGANISATIONS: list[tuple[str, str, str, str]] = [
    # (key, name, short name, stakeholder group)
    (
        "national-commission",
        "National Commission on Combating Trafficking in Persons and Forced Labor",
        "National Commission",
        G.NATIONAL_COORDINATION_BODY,
    ),
    (
        "sub-commission",
        "Sub-Commission on Combating Trafficking in Persons",
        "Sub-Commission",
        G.NATIONAL_COORDINATION_BODY,
    ),
    ("supreme-court", "Supreme Court of the Republic of Uzbekistan", "Supreme Court", G.JUDICIARY),
    ("supreme-judicial-council", "Supreme Judicial Council", "SJC", G.JUDICIARY),
    ("mia", "Ministry of Internal Affairs", "MIA", G.LAW_ENFORCEMENT),
    ("mfa", "Ministry of Foreign Affairs", "MFA", G.MINISTRY),
    ("us-embassy", "U.S. Embassy in Uzbekistan", "U.S. Embassy", G.EMBASSY),
    (
        "inl",
        "U.S. State Department's Bureau of International Narcotics and Law Enforcement Affairs",
        "INL",
        G.DONOR,
    ),
    ("iom", "International Organization for Migration", "IOM", G.INTERNATIONAL_ORGANISATION),
    ("winrock", "Winrock International", "Winrock", G.INTERNATIONAL_NGO),
    ("istiqbolli-avlod", 'NGO "Istiqbolli Avlod"', "Istiqbolli Avlod", G.NATIONAL_NGO),
    ("unodc", "United Nations Office on Drugs and Crime", "UNODC", G.UN_AGENCY),
]

ACCOUNTS: list[tuple[str, str, str, str, Role]] = [
    # (key, email, full name, organisation key, role)
    (
        "secretariat",
        "secretariat@example.org",
        "Demo Secretariat Officer",
        "unodc",
        Role.SECRETARIAT,
    ),
    ("partner", "partner@example.org", "Demo IOM Focal Point", "iom", Role.PARTNER),
    ("donor", "donor@example.org", "Demo INL Programme Manager", "inl", Role.DONOR),
]


@transaction.atomic
def load() -> list[str]:
    """Create what is missing of the stakeholders' demo data; return what was created."""
    created: list[str] = []
    organisations: dict[str, Organisation] = {}
    for key, name, short_name, group in ORGANISATIONS:
        org, new = ensure(
            f"organisation:{key}",
            Organisation,
            match={"name__iexact": name},
            create=partial(_create_organisation, name=name, short_name=short_name, group=group),
        )
        organisations[key] = org
        if new:
            created.append(f"organisation {org.name}")

    for key, email, full_name, org_key, role in ACCOUNTS:
        person, new = ensure(
            f"person:{key}",
            Person,
            match={"email__iexact": email},
            create=partial(
                Person.objects.create,
                full_name=full_name,
                email=email,
                organisation=organisations[org_key],
                preferred_language=Language.ENGLISH,
            ),
        )
        if new:
            created.append(f"person {person.full_name}")
        user, new = ensure(
            f"user:{key}",
            User,
            match={"email__iexact": email},
            create=partial(
                User.objects.create_user, email, DEMO_PASSWORD, role=role, person=person
            ),
        )
        if new:
            created.append(f"account {user.email}")
    return created


def _create_organisation(*, name: str, short_name: str, group: str) -> Organisation:
    org = Organisation(name=name, short_name=short_name, stakeholder_group=group)
    org.full_clean()
    org.save()
    return org
