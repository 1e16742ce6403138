# Russian names are written in Cyrillic, whose letters look like Latin ones on purpose.
# ruff: noqa: RUF001
"""The stakeholders' part of `manage.py generate_data`: organisations, people and accounts.

Every record made here carries a marker that real data never has, so that the command can
tell generated records from the others and replace only its own: generated people and users
have an email address at `bench.example.org` (a domain reserved for examples, RFC 2606), and
generated organisations a website under `https://bench.example.org/`.
"""

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.test.utils import override_settings
from simple_history.utils import bulk_create_with_history

from stakeholders.demo import DEMO_PASSWORD
from stakeholders.generate import names
from stakeholders.models import (
    Language,
    MechanismRole,
    Organisation,
    Person,
    Role,
    StakeholderGroup,
    User,
)

EMAIL_DOMAIN = "bench.example.org"
WEBSITE_PREFIX = f"https://{EMAIL_DOMAIN}/"
PASSWORD = DEMO_PASSWORD
CHANGE_REASON = "generate_data"
BATCH_SIZE = 1000

ORGANISATIONS_PER_SCALE = 200
PEOPLE_PER_SCALE = 2000
USERS_PER_SCALE = 50
MIN_USERS = 5

G = StakeholderGroup
# How often each kind of top-level organisation comes up.
ROOT_KINDS: list[tuple[str, int]] = [
    ("national", 12),
    ("agency", 8),
    ("embassy", 10),
    ("ngo", 35),
    ("academia", 10),
    ("company", 15),
    ("media", 10),
]
# Units under an organisation (a regional office or a department) are this share of the rest.
UNIT_SHARE = 0.35
MAX_DEPTH = 2


@dataclass
class _Org:
    obj: Organisation
    depth: int
    holds_units: bool
    parent: "_Org | None" = None
    body: names.Body | None = None


def counts(scale: float) -> tuple[int, int, int]:
    """Organisations, people and users made at a scale; a small scale still makes a few."""
    organisations = max(1, round(ORGANISATIONS_PER_SCALE * scale))
    users = max(MIN_USERS, round(USERS_PER_SCALE * scale))
    # Enough people that every account finds an active one to belong to.
    people = max(2 * users, round(PEOPLE_PER_SCALE * scale))
    return organisations, people, users


def foreign_records() -> list[str]:
    """What the database holds that this generator did not make, e.g. ["3 organisations"]."""
    found = {
        "organisations": Organisation.objects.exclude(website__startswith=WEBSITE_PREFIX),
        "people": Person.objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}"),
        "users": User.objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}"),
    }
    return [f"{qs.count()} {label}" for label, qs in found.items() if qs.exists()]


def clear(*, log: Callable[[str], None]) -> None:
    """Delete the generated users, people and organisations, and their history."""
    # A history row per deleted record, only to delete it next, made a rerun slow.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        users = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()[0]
        people = Person.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
        organisations = Organisation.objects.filter(website__startswith=WEBSITE_PREFIX)
        people_count = people.delete()[0]
        # Units first would need a tree walk; cutting the links lets one DELETE take them all.
        organisations.update(parent=None, merged_into=None)
        organisations_count = organisations.delete()[0]
    Person.history.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
    Organisation.history.filter(website__startswith=WEBSITE_PREFIX).delete()
    if users or people_count or organisations_count:
        log(
            f"removed earlier generated data: {organisations_count} organisations, "
            f"{people_count} people, {users} users (objects, with what cascades)"
        )


def generate(*, scale: float, rng: random.Random, log: Callable[[str], None]) -> None:
    """Make the organisations (with units under them), their people, and some accounts."""
    n_organisations, n_people, n_users = counts(scale)
    taken = {name.casefold() for name in Organisation.objects.values_list("name", flat=True)}
    taken_iati = set(
        Organisation.objects.exclude(iati_identifier="").values_list("iati_identifier", flat=True)
    )
    orgs = _organisations(n_organisations, rng, taken, taken_iati)
    for depth in range(MAX_DEPTH + 1):
        tier = [org.obj for org in orgs if org.depth == depth]
        for obj in tier:
            obj.refresh_search_text()
        bulk_create_with_history(
            tier, Organisation, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
        )
    log(f"organisations: {len(orgs)} ({sum(1 for o in orgs if o.parent)} under another)")

    people = _people(n_people, orgs, rng)
    for person in people:
        person.refresh_search_text()
    people = bulk_create_with_history(
        people, Person, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
    )
    inactive = sum(1 for p in people if not p.is_active)
    log(f"people: {len(people)} ({inactive} inactive)")

    users = _users(n_users, people, rng)
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    by_role = ", ".join(f"{sum(1 for u in users if u.role == r)} {r}" for r in Role.values)
    log(f"users: {len(users)} ({by_role}), password {PASSWORD!r}")


def _organisations(
    count: int, rng: random.Random, taken: set[str], taken_iati: set[str]
) -> list[_Org]:
    orgs: list[_Org] = []
    can_hold_units: list[_Org] = []
    misses = 0
    while len(orgs) < count:
        if can_hold_units and rng.random() < UNIT_SHARE:
            parent = rng.choice(can_hold_units)
            org = _unit(parent, rng)
        else:
            org = _root(rng)
        if misses > 100:
            # Every combination is used up: number the name.
            org.obj.name = f"{org.obj.name} No. {len(orgs) + 1}"
        if org.obj.name.casefold() in taken:
            misses += 1
            continue
        misses = 0
        if org.obj.iati_identifier in taken_iati:
            org.obj.iati_identifier = ""
        elif org.obj.iati_identifier:
            taken_iati.add(org.obj.iati_identifier)
        taken.add(org.obj.name.casefold())
        org.obj.website = f"{WEBSITE_PREFIX}organisations/{len(orgs) + 1}"
        if org.parent is not None:
            org.obj.parent = org.parent.obj
        if org.holds_units and org.depth < MAX_DEPTH:
            can_hold_units.append(org)
        orgs.append(org)
    return orgs


def _root(rng: random.Random) -> _Org:
    kind = rng.choices([k for k, _ in ROOT_KINDS], weights=[w for _, w in ROOT_KINDS])[0]
    region = rng.choice(names.REGIONS)
    word = rng.choice(names.WORDS)
    org = Organisation(country="UZ")
    body = None
    if kind == "national":
        body = rng.choice(names.NATIONAL_BODIES)
        _name(org, body.en, body.ru, body.uz, body.short, body.group)
        org.iati_type = "10"
    elif kind == "agency":
        agency = rng.choice(names.AGENCIES)
        _name(org, agency.en, agency.ru, agency.uz, agency.short, agency.group)
        org.iati_identifier, org.iati_type = agency.iati_identifier, agency.iati_type
        org.country = agency.country
    elif kind == "embassy":
        en, ru, uz, _code = rng.choice(names.EMBASSY_COUNTRIES)
        _name(
            org,
            f"Embassy of {en} in Uzbekistan",
            f"Посольство {ru} в Узбекистане",
            f"{uz}ning Oʻzbekistondagi elchixonasi",
            "",
            G.EMBASSY,
        )
    elif kind == "ngo":
        en, ru, uz = rng.choice(names.NGO_KINDS)
        _name(
            org,
            f'{en} "{word}" ({region.city_en})',
            f"{ru} «{names.cyrillic(word)}» ({region.city_ru})",
            f"«{word}» {uz} ({region.city_uz})",
            word,
            G.NATIONAL_NGO,
        )
        org.iati_type = "22"
    elif kind == "academia":
        en, ru, uz = rng.choice(names.INSTITUTE_FIELDS)
        _name(
            org,
            f"{region.city_en} Institute of {en}",
            f"Институт {ru} ({region.city_ru})",
            f"{region.city_uz} {uz} instituti",
            "",
            G.ACADEMIA,
        )
        org.iati_type = "80"
    elif kind == "company":
        en, ru, uz = rng.choice(names.INDUSTRIES)
        _name(
            org,
            f"{word} {en} LLC",
            f"ООО «{names.cyrillic(word)} {ru}»",
            f"«{word} {uz}» MChJ",
            "",
            G.PRIVATE_SECTOR,
        )
        org.iati_type = "70"
    else:
        en, ru, uz = rng.choice(names.MEDIA_KINDS)
        _name(
            org,
            f"{word} {en}",
            f"{names.cyrillic(word)} {ru}",
            f"{word} {uz}",
            "",
            G.MEDIA,
        )
    holds_units = kind in ("agency", "ngo") or (body is not None and bool(body.unit_en))
    return _Org(obj=org, depth=0, holds_units=holds_units, body=body)


def _unit(parent: _Org, rng: random.Random) -> _Org:
    """A regional office under a top-level body, or an anti-trafficking department under that."""
    above = parent.obj
    org = Organisation(
        stakeholder_group=above.stakeholder_group,
        country=above.country,
        iati_type=above.iati_type,
    )
    body = parent.body
    if parent.depth == 0:
        region = rng.choice(names.REGIONS)
        if body is not None and body.unit_en:
            _name(
                org,
                body.unit_en.format(r=region.en),
                body.unit_ru.format(r=region.ru),
                body.unit_uz.format(r=region.uz),
                "",
                above.stakeholder_group,
            )
        else:
            _name(
                org,
                f"{above.name}, {region.city_en} office",
                f"{above.name_ru}, филиал в г. {region.city_ru}",
                f"{above.name_uz}, {region.city_uz} filiali",
                "",
                above.stakeholder_group,
            )
    else:
        _name(
            org,
            f"{above.name}, Department for Combating Trafficking in Persons",
            f"{above.name_ru}, отдел по противодействию торговле людьми",
            f"{above.name_uz}, odam savdosiga qarshi kurashish boʻlimi",
            "",
            above.stakeholder_group,
        )
    # Only a national body's regional office has an anti-trafficking department of its own.
    holds_units = parent.depth == 0 and body is not None and bool(body.unit_en)
    return _Org(obj=org, depth=parent.depth + 1, holds_units=holds_units, parent=parent, body=body)


def _name(org: Organisation, en: str, ru: str, uz: str, short: str, group: str) -> None:
    org.name, org.name_ru, org.name_uz, org.short_name = en, ru, uz, short
    org.stakeholder_group = group


INTERNATIONAL_GROUPS = {
    G.EMBASSY,
    G.DONOR,
    G.UN_AGENCY,
    G.INTERNATIONAL_ORGANISATION,
    G.INTERNATIONAL_NGO,
}


def _people(count: int, orgs: list[_Org], rng: random.Random) -> list[Person]:
    """People spread unevenly over the organisations; the first in each is its focal point."""
    people: list[Person] = []
    has_focal_point: set[int] = set()
    # Top-level organisations hold more people than their units.
    weights = [3.0 if org.depth == 0 else 1.0 for org in orgs]
    placed = rng.choices(orgs, weights=weights, k=count)
    for index, org in enumerate(placed, start=1):
        organisation = org.obj
        full_name, email_name = _person_name(organisation, rng)
        if organisation.pk not in has_focal_point:
            has_focal_point.add(organisation.pk)
            mechanism_role = MechanismRole.FOCAL_POINT
        else:
            mechanism_role = rng.choices(
                [MechanismRole.ALTERNATE, MechanismRole.MEMBER], weights=[1, 4]
            )[0]
        people.append(
            Person(
                full_name=full_name,
                position=rng.choice(names.POSITIONS),
                organisation=organisation,
                email=f"{email_name}.{index:05d}@{EMAIL_DOMAIN}",
                phone=f"+998 9{rng.randint(0, 9)} {rng.randint(100, 999)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                preferred_language=rng.choices(Language.values, weights=[3, 4, 3])[0],
                mechanism_role=mechanism_role,
                # A few have left; focal points are current by definition.
                is_active=mechanism_role == MechanismRole.FOCAL_POINT or rng.random() > 0.03,
            )
        )
    return people


def _person_name(organisation: Organisation, rng: random.Random) -> tuple[str, str]:
    """A full name and its email-safe spelling, e.g. ("Gulnora Gʻofurova", "gulnora.gofurova")."""
    woman = rng.random() < 0.5
    if organisation.stakeholder_group in INTERNATIONAL_GROUPS and rng.random() < 0.5:
        first = rng.choice(names.INTERNATIONAL_FIRST.split())
        last = rng.choice(names.INTERNATIONAL_LAST.split())
        return f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}"
    if rng.random() < 0.2:
        first_cyr, first_lat = rng.choice(names.RUSSIAN_WOMEN if woman else names.RUSSIAN_MEN)
        last_cyr, last_lat, gendered = rng.choice(names.RUSSIAN_SURNAMES)
        if woman and gendered:
            last_cyr, last_lat = last_cyr + "а", last_lat + "a"
        return f"{first_cyr} {last_cyr}", f"{first_lat}.{last_lat}"
    first = rng.choice((names.UZBEK_WOMEN if woman else names.UZBEK_MEN).split())
    last = rng.choice(names.UZBEK_SURNAMES.split()) + ("a" if woman else "")
    return f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}"


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == "-"))


# Which organisations each role's accounts come from, when there are any.
ROLE_GROUPS: dict[str, set[str]] = {
    Role.SECRETARIAT: {G.NATIONAL_COORDINATION_BODY, G.UN_AGENCY},
    Role.DONOR: {G.DONOR, G.EMBASSY},
    Role.PARTNER: set(),
}


def _users(count: int, people: list[Person], rng: random.Random) -> list[User]:
    """Accounts for some active people: a fifth secretariat, half partners, the rest donors."""
    others = rng.choices(
        [Role.SECRETARIAT, Role.PARTNER, Role.DONOR], weights=[2, 5, 3], k=count - 1
    )
    roles = [Role.SECRETARIAT, *others]
    # One hash for all: hashing is slow on purpose, and every account shares the password.
    password = make_password(PASSWORD)
    free = [p for p in people if p.is_active and p.organisation is not None]
    rng.shuffle(free)
    group_of = {p.pk: p.organisation.stakeholder_group for p in free if p.organisation}
    pools = {
        role: [p for p in free if group_of[p.pk] in wanted] + free
        for role, wanted in ROLE_GROUPS.items()
    }
    taken: set[int] = set()
    users: list[User] = []
    for role in roles:
        # The role's own kind of organisation first, then anyone; taken ones are near the front.
        person = next(p for p in pools[role] if p.pk not in taken)
        taken.add(person.pk)
        users.append(User(email=person.email, role=role, person=person, password=password))
    return users
