"""The stakeholders' part of the demo story: the seed meeting's organisations and three accounts."""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Model

from portal.lib.demo import ensure
from stakeholders.models import (
    Language,
    MechanismRole,
    Organisation,
    Person,
    Role,
    StakeholderGroup,
    User,
)

DEMO_PASSWORD = "coordination-demo"  # noqa: S105 - documented in the README, demo only

G = StakeholderGroup
ORGANISATIONS: list[tuple[str, str, str, str]] = [
    # (key, name, short name, stakeholder group); the Sub-Commission sits under
    # the National Commission (PARENTS).
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

PARENTS = {"sub-commission": "national-commission"}
RUSSIAN_NAMES = {
    "national-commission": "Национальная комиссия по противодействию торговле людьми и "
    "принудительному труду",
    "mia": "Министерство внутренних дел",
    "mfa": "Министерство иностранных дел",
    "supreme-court": "Верховный суд Республики Узбекистан",
}
UZBEK_NAMES = {
    "mia": "Ichki ishlar vazirligi",
    "mfa": "Tashqi ishlar vazirligi",
    "supreme-court": "Oʻzbekiston Respublikasi Oliy sudi",
}
COUNTRIES = {"us-embassy": "UZ", "inl": "US", "iom": "UZ", "winrock": "UZ", "unodc": "UZ"}

# The people the seed article names, with their positions.
NAMED_PEOPLE: list[tuple[str, str, str, str]] = [
    # (key, full name, position, organisation key)
    ("salikhov", "Azamatbek Salikhov", "National Programme Officer", "unodc"),
    ("rettenmayer", "Nate Rettenmayer", "Director", "inl"),
    (
        "boboev",
        "Akobir Boboev",
        "Head of the Unit for Combating Trafficking in Persons",
        "mia",
    ),
]
# Organisations whose focal point is a named person or a demo account's person.
FOCAL_POINT_OF = {"unodc": "salikhov", "inl": "rettenmayer", "mia": "boboev", "iom": "partner"}

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
            create=partial(
                _create_organisation,
                name=name,
                short_name=short_name,
                group=group,
                name_ru=RUSSIAN_NAMES.get(key, ""),
                name_uz=UZBEK_NAMES.get(key, ""),
                country=COUNTRIES.get(key, "UZ"),
                parent=organisations.get(PARENTS.get(key, "")),
            ),
        )
        organisations[key] = org
        if new:
            created.append(f"organisation {org.name}")

    people: dict[str, Person] = {}
    for key, full_name, position, org_key in NAMED_PEOPLE:
        people[key] = _ensure_person(
            created,
            key,
            match={"full_name__iexact": full_name, "organisation": organisations[org_key]},
            full_name=full_name,
            position=position,
            organisation=organisations[org_key],
            mechanism_role=_role_for(key, org_key),
        )

    for key, email, full_name, org_key, role in ACCOUNTS:
        person = _ensure_person(
            created,
            key,
            match={"email__iexact": email},
            full_name=full_name,
            email=email,
            organisation=organisations[org_key],
            mechanism_role=_role_for(key, org_key),
        )
        people[key] = person
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

    for org_key, org in organisations.items():
        if org_key in FOCAL_POINT_OF:
            continue
        _ensure_person(
            created,
            f"focal-point:{org_key}",
            match={"email__iexact": f"focal.{org_key}@example.org"},
            full_name=f"Focal point, {org.short_name or org.name}",
            position="Focal point for the coordination mechanism",
            email=f"focal.{org_key}@example.org",
            organisation=org,
            mechanism_role=MechanismRole.FOCAL_POINT,
        )
    return created


def _role_for(person_key: str, org_key: str) -> str:
    if FOCAL_POINT_OF.get(org_key) == person_key:
        return MechanismRole.FOCAL_POINT
    return MechanismRole.MEMBER


def _ensure_person(created: list[str], key: str, *, match: dict[str, Any], **fields: Any) -> Person:
    person, new = ensure(
        f"person:{key}",
        Person,
        match=match,
        create=partial(_create, Person, preferred_language=Language.ENGLISH, **fields),
    )
    if new:
        created.append(f"person {person.full_name}")
    return person


def _create_organisation(**fields: Any) -> Organisation:
    group = fields.pop("group")
    return _create(Organisation, stakeholder_group=group, **fields)


def _create[M: Model](model: type[M], **fields: Any) -> M:
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    return obj
