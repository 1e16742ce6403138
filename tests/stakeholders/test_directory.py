import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stakeholders import services
from stakeholders.models import MechanismRole, Organisation, Person, Role, StakeholderGroup
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ORG_LIST = reverse("stakeholders:organisation_list")
PERSON_LIST = reverse("stakeholders:person_list")


def organisation_post(org, **changes):
    data = {
        "name": org.name,
        "name_ru": org.name_ru,
        "name_uz": org.name_uz,
        "short_name": org.short_name,
        "stakeholder_group": org.stakeholder_group,
        "parent": org.parent_id or "",
        "country": org.country.code or "",
        "website": org.website,
        "iati_identifier": org.iati_identifier,
        "iati_type": org.iati_type,
        "description": org.description,
    }
    if org.pk is not None:
        data["version"] = Organisation.objects.get(pk=org.pk).version
    return {**data, **changes}


def person_post(person, **changes):
    data = {
        "full_name": person.full_name,
        "position": person.position,
        "organisation": person.organisation_id or "",
        "email": person.email,
        "phone": person.phone,
        "preferred_language": person.preferred_language,
        "mechanism_role": person.mechanism_role,
    }
    if person.pk is not None:
        data["version"] = Person.objects.get(pk=person.pk).version
    return {**data, **changes}


# The organisation list: search, filters, sorting, pagination, queries


def names_on(response):
    return [org.name for org in response.context["page"].object_list]


def test_the_list_finds_an_organisation_by_a_lower_case_cyrillic_name(client, partner_user):
    OrganisationFactory(name="Ministry of Internal Affairs", name_ru="Министерство внутренних дел")
    OrganisationFactory(name="Supreme Court")
    client.force_login(partner_user)

    response = client.get(ORG_LIST, {"q": "министерство"})

    assert names_on(response) == ["Ministry of Internal Affairs"]


def test_the_list_finds_by_acronym_and_uzbek_name_whatever_the_apostrophe(client, donor_user):
    OrganisationFactory(name="International Organization for Migration", short_name="IOM")
    OrganisationFactory(name="Supreme Court", name_uz="Oʻzbekiston Oliy sudi")
    client.force_login(donor_user)

    assert names_on(client.get(ORG_LIST, {"q": "iom"})) == [
        "International Organization for Migration"
    ]
    assert names_on(client.get(ORG_LIST, {"q": "o'zbekiston"})) == ["Supreme Court"]


def test_the_list_shows_the_name_in_the_readers_language(client, partner_user):
    OrganisationFactory(name="Ministry of Foreign Affairs", name_ru="Министерство иностранных дел")
    partner_user.person.preferred_language = "ru"
    partner_user.person.save()
    client.force_login(partner_user)

    assert "Министерство иностранных дел" in client.get(ORG_LIST).content.decode()


def test_the_list_filters_by_group_country_and_active_state(client, secretariat_user):
    OrganisationFactory(name="Embassy A", stakeholder_group=StakeholderGroup.EMBASSY, country="US")
    OrganisationFactory(name="Embassy B", stakeholder_group=StakeholderGroup.EMBASSY, country="EE")
    OrganisationFactory(
        name="Old embassy", stakeholder_group=StakeholderGroup.EMBASSY, is_active=False
    )
    client.force_login(secretariat_user)

    assert names_on(client.get(ORG_LIST, {"group": "embassy"})) == ["Embassy A", "Embassy B"]
    assert names_on(client.get(ORG_LIST, {"group": "embassy", "country": "EE"})) == ["Embassy B"]
    assert names_on(client.get(ORG_LIST, {"group": "embassy", "active": "no"})) == ["Old embassy"]
    assert len(names_on(client.get(ORG_LIST, {"group": "embassy", "active": "all"}))) == 3


def test_partners_never_see_inactive_organisations_even_when_asking(client, partner_user):
    OrganisationFactory(name="Old embassy", is_active=False)
    client.force_login(partner_user)

    assert "Old embassy" not in names_on(client.get(ORG_LIST, {"active": "no"}))


def test_the_list_sorts_by_the_chosen_column(client, secretariat_user):
    OrganisationFactory(name="Alpha", short_name="ZZ")
    OrganisationFactory(name="Beta", short_name="AA")
    client.force_login(secretariat_user)

    names = names_on(client.get(ORG_LIST, {"sort": "short_name"}))
    assert names.index("Beta") < names.index("Alpha")
    names = names_on(client.get(ORG_LIST, {"sort": "-name"}))
    assert names.index("Beta") < names.index("Alpha")


def test_the_list_pages_by_25(client, secretariat_user):
    OrganisationFactory.create_batch(30)
    client.force_login(secretariat_user)

    first = client.get(ORG_LIST)
    second = client.get(ORG_LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 31 - 25  # and the user's own
    assert client.get(ORG_LIST, {"page": "999"}).status_code == 200


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_makes_the_same_queries_whatever_the_number_of_organisations(
    client, secretariat_user, django_assert_num_queries, count
):
    parent = OrganisationFactory(name="AAA Parent", short_name="AAAP")
    for org in OrganisationFactory.create_batch(count, parent=parent):
        PersonFactory.create_batch(2, organisation=org)
    client.force_login(secretariat_user)

    # session; user with person and organisation; count; the page's ids, sorted on a
    # narrow query; the page's rows with their parents and people counts
    with django_assert_num_queries(5):
        response = client.get(ORG_LIST)
    assert response.content.decode().count("AAAP") >= min(count, 24)


@pytest.mark.parametrize("count", [10, 200])
def test_the_person_list_makes_the_same_queries_whatever_the_number_of_people(
    client, donor_user, django_assert_num_queries, count
):
    PersonFactory.create_batch(count)
    client.force_login(donor_user)

    # session; user with person and organisation; count; the page's ids, sorted on a
    # narrow query; the page's rows with their organisations
    with django_assert_num_queries(5):
        client.get(PERSON_LIST)


# Who may change what


def test_a_partner_edits_its_own_organisations_profile(client, partner_user):
    org = partner_user.person.organisation
    client.force_login(partner_user)

    response = client.post(
        reverse("stakeholders:organisation_edit", args=[org.pk]),
        organisation_post(org, website="https://iom.example.org"),
    )

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.website == "https://iom.example.org"


def test_a_partner_cannot_change_its_group_or_parent_even_with_a_forged_form(client, partner_user):
    org = partner_user.person.organisation
    other = OrganisationFactory()
    client.force_login(partner_user)

    client.post(
        reverse("stakeholders:organisation_edit", args=[org.pk]),
        organisation_post(org, stakeholder_group=StakeholderGroup.DONOR, parent=other.pk),
    )

    org.refresh_from_db()
    assert org.stakeholder_group == StakeholderGroup.NATIONAL_NGO
    assert org.parent is None
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            user=partner_user, organisation=org, data={"stakeholder_group": StakeholderGroup.DONOR}
        )


def test_a_partner_cannot_edit_another_organisation(client, partner_user):
    other = OrganisationFactory(website="")
    client.force_login(partner_user)

    response = client.post(
        reverse("stakeholders:organisation_edit", args=[other.pk]),
        organisation_post(other, website="https://forged.example.org"),
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.website == ""


def test_a_partner_cannot_make_itself_focal_point(client, partner_user):
    person = partner_user.person
    client.force_login(partner_user)

    response = client.post(
        reverse("stakeholders:person_edit", args=[person.pk]),
        person_post(person, mechanism_role=MechanismRole.FOCAL_POINT, phone="+998 71 000 00 00"),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.mechanism_role == MechanismRole.MEMBER
    assert person.phone == "+998 71 000 00 00"
    with pytest.raises(PermissionDenied):
        services.person_update(
            user=partner_user, person=person, data={"mechanism_role": MechanismRole.FOCAL_POINT}
        )


def test_a_partner_cannot_change_the_email_of_an_account_holder(client, partner_user):
    colleague = UserFactory(
        role=Role.PARTNER, person__organisation=partner_user.person.organisation
    )
    old_email = colleague.person.email
    client.force_login(partner_user)

    client.post(
        reverse("stakeholders:person_edit", args=[colleague.person.pk]),
        person_post(colleague.person, email="taken.over@example.org"),
    )

    colleague.refresh_from_db()
    colleague.person.refresh_from_db()
    assert colleague.person.email == old_email
    assert colleague.email == old_email
    with pytest.raises(PermissionDenied):
        services.person_update(
            user=partner_user, person=colleague.person, data={"email": "taken.over@example.org"}
        )


def test_a_partner_changes_the_email_of_a_colleague_without_an_account(client, partner_user):
    colleague = PersonFactory(organisation=partner_user.person.organisation)
    client.force_login(partner_user)

    client.post(
        reverse("stakeholders:person_edit", args=[colleague.pk]),
        person_post(colleague, email="new.address@example.org"),
    )

    colleague.refresh_from_db()
    assert colleague.email == "new.address@example.org"


def test_the_secretariat_changing_an_account_holders_email_changes_their_login(
    client, secretariat_user
):
    holder = UserFactory(role=Role.PARTNER)
    client.force_login(secretariat_user)

    client.post(
        reverse("stakeholders:person_edit", args=[holder.person.pk]),
        person_post(holder.person, email="moved@example.org"),
    )

    holder.refresh_from_db()
    assert holder.email == "moved@example.org"


def test_donors_see_contact_details_of_their_own_organisation_only(client, donor_user):
    own = PersonFactory(organisation=donor_user.person.organisation, email="own@example.org")
    other = PersonFactory(email="other@example.org", phone="+998 90 123 45 67")
    client.force_login(donor_user)

    listing = client.get(PERSON_LIST).content.decode()
    assert "own@example.org" in listing
    assert "other@example.org" not in listing
    assert "+998 90 123 45 67" not in listing
    detail = client.get(reverse("stakeholders:person_detail", args=[other.pk])).content.decode()
    assert "other@example.org" not in detail
    detail = client.get(reverse("stakeholders:person_detail", args=[own.pk])).content.decode()
    assert "own@example.org" in detail
    org_page = client.get(reverse("stakeholders:organisation_detail", args=[other.organisation_id]))
    assert "other@example.org" not in org_page.content.decode()


def test_donors_can_edit_nothing(donor_user):
    org = donor_user.person.organisation
    with pytest.raises(PermissionDenied):
        services.organisation_update(user=donor_user, organisation=org, data={"website": ""})
    with pytest.raises(PermissionDenied):
        services.person_update(user=donor_user, person=donor_user.person, data={"phone": "1"})
    with pytest.raises(PermissionDenied):
        services.organisation_create(user=donor_user, data={"name": "X"})


# Creating and validating


def test_the_secretariat_adds_an_organisation_and_a_person(client, secretariat_user):
    parent = OrganisationFactory(name="National Commission")
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:organisation_create"),
        {
            "name": "Sub-Commission on Combating Trafficking in Persons",
            "short_name": "Sub-Commission",
            "stakeholder_group": StakeholderGroup.NATIONAL_COORDINATION_BODY,
            "parent": parent.pk,
            "country": "UZ",
        },
    )
    org = Organisation.objects.get(short_name="Sub-Commission")
    assert response.url == org.get_absolute_url()
    assert org.parent == parent

    response = client.post(
        reverse("stakeholders:person_create"),
        {
            "full_name": "Dilnoza Karimova",
            "organisation": org.pk,
            "email": "d.karimova@example.org",
            "preferred_language": "uz",
            "mechanism_role": MechanismRole.FOCAL_POINT,
        },
    )
    person = Person.objects.get(email="d.karimova@example.org")
    assert response.url == person.get_absolute_url()
    assert person.organisation == org


def test_a_duplicate_name_in_another_case_is_refused_with_a_message(client, secretariat_user):
    OrganisationFactory(name="Winrock International")
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:organisation_create"),
        {"name": "WINROCK international", "stakeholder_group": StakeholderGroup.INTERNATIONAL_NGO},
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Organisation.objects.filter(name__iexact="winrock international").count() == 1


def test_an_iati_identifier_is_unique_when_given(secretariat_user):
    OrganisationFactory(iati_identifier="XM-DAC-41127")
    OrganisationFactory(iati_identifier="")

    with pytest.raises(ValidationError):
        services.organisation_create(
            user=secretariat_user,
            data={"name": "Other", "stakeholder_group": "donor", "iati_identifier": "XM-DAC-41127"},
        )
    services.organisation_create(
        user=secretariat_user, data={"name": "No IATI", "stakeholder_group": "donor"}
    )


def test_a_parent_cannot_be_the_organisation_or_one_of_its_descendants(client, secretariat_user):
    top = OrganisationFactory()
    middle = OrganisationFactory(parent=top)
    bottom = OrganisationFactory(parent=middle)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:organisation_edit", args=[top.pk]),
        organisation_post(top, parent=bottom.pk),
    )

    assert response.status_code == 200
    assert "cannot sit under itself" in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None
    with pytest.raises(ValidationError):
        services.organisation_update(user=secretariat_user, organisation=top, data={"parent": top})


def test_an_email_is_unique_among_active_people_only(client, secretariat_user):
    PersonFactory(email="shared@example.org", is_active=False)
    active = PersonFactory(email="Shared@Example.org")
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:person_create"),
        person_post(
            PersonFactory.build(organisation=active.organisation), email="SHARED@example.org"
        ),
    )

    assert response.status_code == 200
    assert "already has this email" in response.content.decode()


# History, deactivation, merge, anonymisation


def test_saving_without_a_change_adds_no_history_row(client, secretariat_user):
    org = OrganisationFactory()
    client.force_login(secretariat_user)
    before = org.history.count()

    client.post(reverse("stakeholders:organisation_edit", args=[org.pk]), organisation_post(org))
    assert org.history.count() == before

    client.post(
        reverse("stakeholders:organisation_edit", args=[org.pk]),
        organisation_post(org, website="https://changed.example.org"),
    )
    assert org.history.count() == before + 1
    latest = org.history.latest()
    assert latest.history_user == secretariat_user


def test_the_secretariat_sees_who_changed_what_on_the_record(client, secretariat_user):
    org = OrganisationFactory(short_name="OLD")
    client.force_login(secretariat_user)
    client.post(
        reverse("stakeholders:organisation_edit", args=[org.pk]),
        organisation_post(org, short_name="NEW"),
    )

    page = client.get(org.get_absolute_url()).content.decode()

    assert "History" in page
    assert "OLD" in page and "NEW" in page
    assert secretariat_user.display_name in page


def test_partners_do_not_see_the_history(client, partner_user):
    page = client.get(
        reverse("stakeholders:organisation_detail", args=[partner_user.organisation.pk])
    )
    client.force_login(partner_user)
    page = client.get(
        reverse("stakeholders:organisation_detail", args=[partner_user.organisation.pk])
    )

    assert 'id="history-heading"' not in page.content.decode()


def test_deactivating_keeps_the_record_and_hides_it_from_partners(
    client, secretariat_user, partner_user
):
    org = OrganisationFactory()
    client.force_login(secretariat_user)

    client.post(reverse("stakeholders:organisation_set_active", args=[org.pk]), {"active": "0"})

    org.refresh_from_db()
    assert org.is_active is False
    client.force_login(partner_user)
    assert client.get(org.get_absolute_url()).status_code == 404


def test_merge_moves_people_accounts_and_units_and_leaves_no_orphan(client, secretariat_user):
    keep = OrganisationFactory(name="International Organization for Migration", short_name="IOM")
    duplicate = OrganisationFactory(name="IOM Uzbekistan", short_name="", iati_identifier="XM-IOM")
    people = PersonFactory.create_batch(2, organisation=duplicate)
    account = UserFactory(role=Role.PARTNER, person__organisation=duplicate)
    unit = OrganisationFactory(parent=duplicate)
    client.force_login(secretariat_user)

    response = client.post(
        reverse("stakeholders:organisation_merge", args=[duplicate.pk]), {"keep": keep.pk}
    )

    assert response.url == keep.get_absolute_url()
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.is_active is False
    assert duplicate.merged_into == keep
    assert not Person.objects.filter(organisation=duplicate).exists()
    assert not Organisation.objects.filter(parent=duplicate).exists()
    assert {p.pk for p in keep.people.all()} >= {people[0].pk, people[1].pk, account.person.pk}
    account.refresh_from_db()
    assert account.organisation == keep
    unit.refresh_from_db()
    assert unit.parent == keep
    assert keep.iati_identifier == "XM-IOM"
    assert "Merged IOM Uzbekistan into" in duplicate.history.latest().history_change_reason


def test_merging_an_organisation_into_itself_is_refused(secretariat_user):
    org = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.organisation_merge(user=secretariat_user, duplicate=org, keep=org)


def test_anonymising_replaces_personal_fields_and_clears_their_history(client, secretariat_user):
    holder = UserFactory(
        role=Role.PARTNER, person__full_name="Forget Me", person__phone="+998 90 000 00 01"
    )
    person = holder.person
    services.person_update(user=secretariat_user, person=person, data={"position": "Officer"})
    client.force_login(secretariat_user)

    response = client.post(reverse("stakeholders:person_anonymise", args=[person.pk]))

    assert response.status_code == 302
    person.refresh_from_db()
    holder.refresh_from_db()
    assert "Forget Me" not in person.full_name
    assert person.email == "" and person.phone == ""
    assert person.is_active is False
    assert person.organisation is not None
    values = set(person.history.values_list("full_name", "email", "phone"))
    assert all(
        "Forget Me" not in name and email == "" and phone == "" for name, email, phone in values
    )
    assert holder.is_active is False
    assert not holder.has_usable_password()


def test_the_history_names_a_changed_parent(client, secretariat_user):
    org = OrganisationFactory()
    commission = OrganisationFactory(name="National Commission on Trafficking")
    services.organisation_update(
        user=secretariat_user, organisation=org, data={"parent": commission}
    )
    client.force_login(secretariat_user)

    page = client.get(org.get_absolute_url()).content.decode()

    assert "→ National Commission on Trafficking" in page


def test_merging_into_a_unit_of_the_duplicate_leaves_no_parent_loop(secretariat_user):
    commission = OrganisationFactory(name="National Commission")
    sub_commission = OrganisationFactory(name="Sub-Commission", parent=commission)
    agency = OrganisationFactory(name="Agency", parent=sub_commission)

    services.organisation_merge(user=secretariat_user, duplicate=commission, keep=agency)

    agency.refresh_from_db()
    sub_commission.refresh_from_db()
    assert agency.parent is None
    assert sub_commission.parent == agency
    services.organisation_update(
        user=secretariat_user, organisation=sub_commission, data={"website": "https://x.example"}
    )


def test_merging_into_an_inactive_organisation_is_refused(secretariat_user):
    duplicate = OrganisationFactory()
    inactive = OrganisationFactory(is_active=False)

    with pytest.raises(ValidationError):
        services.organisation_merge(user=secretariat_user, duplicate=duplicate, keep=inactive)


def test_a_merged_organisation_cannot_be_edited(client, secretariat_user):
    keep = OrganisationFactory()
    duplicate = OrganisationFactory()
    services.organisation_merge(user=secretariat_user, duplicate=duplicate, keep=keep)
    client.force_login(secretariat_user)

    response = client.get(reverse("stakeholders:organisation_edit", args=[duplicate.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("stakeholders:person_list", {"organisation": "99999999999999999999999"}),
        ("stakeholders:person_list", {"organisation": "²"}),
        ("stakeholders:person_create", {"organisation": "²"}),
        ("stakeholders:person_export", {"organisation": "99999999999999999999999"}),
        ("stakeholders:organisation_list", {"q": "abc\x00def"}),
        ("stakeholders:person_list", {"q": "\x00"}),
    ],
)
def test_odd_query_strings_get_a_page_not_an_error(client, secretariat_user, path, params):
    client.force_login(secretariat_user)
    args = ["csv"] if path.endswith("export") else []

    assert client.get(reverse(path, args=args), params).status_code == 200


def test_donors_cannot_find_people_by_an_email_they_may_not_see(client, donor_user):
    PersonFactory(full_name="Hidden Address", email="focal.mfa@example.org")
    own = PersonFactory(organisation=donor_user.organisation, email="own.colleague@example.org")
    client.force_login(donor_user)

    assert names_of_people(client.get(PERSON_LIST, {"q": "focal.mfa"})) == []
    assert names_of_people(client.get(PERSON_LIST, {"q": own.full_name.lower()})) == [own.full_name]


def test_others_find_people_by_email(client, partner_user):
    PersonFactory(full_name="Found By Address", email="focal.mfa@example.org")
    client.force_login(partner_user)

    assert names_of_people(client.get(PERSON_LIST, {"q": "FOCAL.mfa"})) == ["Found By Address"]


def names_of_people(response):
    return [person.full_name for person in response.context["page"].object_list]


def test_the_history_shows_flags_and_choices_by_name(client, secretariat_user):
    org = OrganisationFactory(country="")
    services.organisation_update(user=secretariat_user, organisation=org, data={"country": "UZ"})
    services.organisation_set_active(user=secretariat_user, organisation=org, active=False)
    client.force_login(secretariat_user)

    page = client.get(org.get_absolute_url()).content.decode()

    assert "→ Uzbekistan" in page
    assert "yes</span> → no" in page


def test_sorting_by_name_ignores_letter_case(client, secretariat_user):
    OrganisationFactory(name="NGO Alpha")
    OrganisationFactory(name="National Bureau")
    client.force_login(secretariat_user)

    names = names_on(client.get(ORG_LIST, {"q": "n"}))

    assert names.index("National Bureau") < names.index("NGO Alpha")
