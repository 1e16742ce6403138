from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services
from activities.audit import Action
from activities.models import (
    Activity,
    ActivityLocation,
    ActivityOrganisation,
    ActivityParticipants,
    Award,
    LocationKind,
    ReviewState,
)
from activities.services import Count, Place
from portal.models import AuditEvent
from stakeholders.models import Role
from stakeholders.services import organisation_merge
from tests.activities.factories import ActivityFactory
from tests.stakeholders.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BUKHARA = Place(kind=LocationKind.REGION, region="UZ-BU")


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def partner():
    return UserFactory(role=Role.PARTNER)


def data(partner, **fields):
    return {
        "title": "Training for airport staff",
        "type": "training",
        "primary_pillar": "prevention",
        "target_groups": ["airport_transport_staff"],
        "lead_organisation": partner.person.organisation,
        "planned_start": date(2031, 11, 6),
        "planned_end": date(2031, 11, 8),
        **fields,
    }


def log(partner, **fields):
    return services.activity_create(user=partner, data=data(partner, **fields), places=[BUKHARA])


# Logging


def test_a_partner_logs_a_draft_led_by_its_organisation_with_a_code(partner):
    first = log(partner)
    second = log(partner, title="Second training")

    assert (first.code, second.code) == ("ACT-2031-0001", "ACT-2031-0002")
    assert first.review_state == ReviewState.DRAFT
    assert list(first.locations.values_list("region", flat=True)) == ["UZ-BU"]


def test_a_forged_lead_organisation_is_refused(partner):
    with pytest.raises(ValidationError):
        log(partner, lead_organisation=OrganisationFactory())
    assert not Activity.objects.exists()


def test_a_donor_logs_nothing():
    donor = UserFactory(role=Role.DONOR)

    with pytest.raises(PermissionDenied):
        log(donor)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"planned_end": date(2031, 11, 1)}, "planned_end"),
        ({"actual_start": date(2031, 11, 6)}, "actual_start"),
        (
            {
                "status": "completed",
                "actual_start": date(2031, 11, 8),
                "actual_end": date(2031, 11, 6),
            },
            "actual_end",
        ),
        ({"target_groups": ["pirates"]}, "target_groups"),
        ({"budget": 100}, "currency"),
    ],
)
def test_bad_dates_and_codes_are_refused_and_nothing_is_saved(partner, fields, field):
    with pytest.raises(ValidationError) as refused:
        log(partner, **fields)

    assert field in refused.value.message_dict
    assert not Activity.objects.exists()


def test_a_duplicate_own_reference_is_refused(partner):
    log(partner, external_id="IOM-7")

    with pytest.raises(ValidationError) as refused:
        log(partner, external_id="IOM-7")

    assert "another activity with this reference" in str(refused.value)
    assert Activity.objects.count() == 1


def test_the_form_re_renders_with_a_message_and_saves_nothing(client, partner):
    client.force_login(partner)

    response = client.post(
        reverse("activities:activity_create"),
        {
            "title": "Training",
            "type": "training",
            "primary_pillar": "prevention",
            "target_groups": ["police"],
            "lead_organisation": partner.person.organisation_id,
            "status": "planned",
            "planned_start": "2031-11-08",
            "planned_end": "2031-11-06",
            "modality": "in_person",
            "label": "amber",
        },
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "The planned end cannot be before the planned start." in text
    assert "Say where the activity takes place." in text
    assert not Activity.objects.exists()


def test_a_long_form_lists_what_to_correct_at_its_top(client, partner):
    client.force_login(partner)

    response = client.post(
        reverse("activities:activity_create"),
        {"title": "Training", "type": "training", "primary_pillar": "prevention"},
    )

    text = response.content.decode()
    summary = text.split('data-testid="error-summary"')[1].split("</section>")[0]
    assert text.index('data-testid="error-summary"') < text.index('name="title"')
    assert 'href="#id_target_groups_0">Target groups</a>: This field is required.' in summary
    assert 'href="#id_title"' not in summary  # only the fields that need correcting


# Review


def test_submit_return_with_a_comment_fix_resubmit_and_approve(partner, secretariat):
    activity = log(partner)
    services.activity_submit(user=partner, activity=activity)

    with pytest.raises(ValidationError):
        services.activity_return(user=secretariat, activity=activity, comment="  ")
    services.activity_return(user=secretariat, activity=activity, comment="Add the participants.")
    activity.refresh_from_db()
    assert (activity.review_state, activity.review_comment) == (
        ReviewState.RETURNED,
        "Add the participants.",
    )

    services.activity_update(
        user=partner, activity=activity, data={"title": "Fixed"}, version=activity.version
    )
    services.activity_submit(user=partner, activity=activity)
    services.activity_approve(user=secretariat, activity=activity)

    activity.refresh_from_db()
    assert activity.review_state == ReviewState.APPROVED
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        Action.SUBMITTED,
        Action.RETURNED,
        Action.SUBMITTED,
        Action.APPROVED,
    ]
    assert activity.history.count() >= 5


def test_a_partner_cannot_edit_what_is_submitted_nor_approve_it(partner, secretariat):
    activity = log(partner)
    services.activity_submit(user=partner, activity=activity)

    with pytest.raises(PermissionDenied):
        services.activity_update(
            user=partner, activity=activity, data={"title": "x"}, version=activity.version
        )
    with pytest.raises(PermissionDenied):
        services.activity_approve(user=partner, activity=activity)


# Participants


def test_participants_are_counted_by_group_and_own_location(partner):
    activity = log(partner, target_groups=["airport_transport_staff", "police"])
    bukhara = activity.locations.get()
    elsewhere = ActivityFactory().locations.get()

    services.participants_set(
        user=partner,
        activity=activity,
        rows=[
            Count("airport_transport_staff", bukhara, 12, 8, 1),
            Count("police", bukhara, 3, 9, 0),
        ],
    )
    with pytest.raises(ValidationError):
        services.participants_set(
            user=partner, activity=activity, rows=[Count("police", elsewhere, 1, 1, 0)]
        )
    with pytest.raises(ValidationError):
        services.participants_set(
            user=partner, activity=activity, rows=[Count("judges", bukhara, 1, 1, 0)]
        )
    with pytest.raises(ValidationError):
        services.participants_set(
            user=partner, activity=activity, rows=[Count("police", bukhara, -1, 1, 0)]
        )

    assert sorted(ActivityParticipants.objects.values_list("target_group", "female", "male")) == [
        ("airport_transport_staff", 12, 8),
        ("police", 3, 9),
    ]


def test_the_participants_page_refuses_a_negative_count(client, partner):
    activity = log(partner)
    client.force_login(partner)
    location = activity.locations.get()

    response = client.post(
        reverse("activities:activity_participants", args=[activity.pk]),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-target_group": "airport_transport_staff",
            "form-0-location": location.pk,
            "form-0-female": "-3",
            "form-0-male": "2",
            "form-0-undisclosed": "0",
        },
    )

    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    assert not ActivityParticipants.objects.exists()


# Who sees what


def approved(lead, **fields):
    activity = ActivityFactory(lead_organisation=lead, review_state=ReviewState.APPROVED, **fields)
    return activity


def visible(user, activity):
    return Activity.objects.visible_to(user).filter(pk=activity.pk).exists()


def test_drafts_are_the_lead_organisations_and_the_secretariats(partner, secretariat):
    draft = ActivityFactory(lead_organisation=partner.person.organisation)
    colleague = UserFactory(role=Role.PARTNER, person__organisation=partner.person.organisation)
    stranger = UserFactory(role=Role.PARTNER)

    assert visible(partner, draft) and visible(colleague, draft) and visible(secretariat, draft)
    assert not visible(stranger, draft)
    assert not visible(UserFactory(role=Role.DONOR), draft)


@pytest.mark.parametrize(
    ("label", "participating", "donor", "stranger"),
    [
        ("green", True, True, True),
        ("amber", True, True, False),
    ],
)
def test_an_approved_activity_is_read_by_its_label(label, participating, donor, stranger):
    lead = OrganisationFactory()
    donor_org = OrganisationFactory()
    award = Award.objects.create(
        donor=donor_org,
        number="INL-1",
        title="Airport trainings",
        starts_on=date(2031, 1, 1),
        ends_on=date(2031, 12, 31),
    )
    activity = approved(lead, label=label, award=award)
    partner_org = OrganisationFactory()
    ActivityOrganisation.objects.create(activity=activity, organisation=partner_org, role=4)

    assert (
        visible(UserFactory(role=Role.PARTNER, person__organisation=partner_org), activity)
        == participating
    )
    assert visible(UserFactory(role=Role.DONOR, person__organisation=donor_org), activity) == donor
    assert visible(UserFactory(role=Role.PARTNER), activity) == stranger


def test_a_guessed_id_of_another_organisations_draft_is_404(client, partner):
    draft = ActivityFactory()
    client.force_login(partner)

    assert client.get(reverse("activities:activity_detail", args=[draft.pk])).status_code == 404


# Merging and cost


def test_merging_moves_the_lead_and_the_participating_organisation(secretariat):
    duplicate, keep = OrganisationFactory(), OrganisationFactory()
    led = ActivityFactory(lead_organisation=duplicate)
    joined = ActivityFactory()
    ActivityOrganisation.objects.create(activity=joined, organisation=duplicate, role=4)

    organisation_merge(user=secretariat, duplicate=duplicate, keep=keep)

    led.refresh_from_db()
    assert led.lead_organisation == keep
    assert ActivityOrganisation.objects.get(activity=joined).organisation == keep


def test_the_list_makes_as_many_queries_for_10_as_for_60_activities(client, secretariat):
    client.force_login(secretariat)
    counts = []
    for size in (10, 60):
        Activity.objects.all().delete()
        for _ in range(size):
            ActivityFactory()
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("activities:activity_list") + "?region=UZ-BU").status_code == 200
            )
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert ActivityLocation.objects.count() == 60


def test_the_demo_holds_the_activities_the_fourth_meeting_heard_of():
    from django.core.management import call_command

    call_command("load_demo", "--force", verbosity=0)
    call_command("load_demo", "--force", verbosity=0)  # a second run creates nothing more

    titles = set(Activity.objects.values_list("title", flat=True))
    assert "Training of Trainers seminar on trafficking in persons" in titles
    assert {"Bukhara", "Fergana", "Namangan"} <= {
        t.rsplit(" ", 1)[1] for t in titles if t.startswith("Training for airport employees")
    }
    airport = Activity.objects.filter(title__startswith="Training for airport employees")
    assert airport.count() == 3
    assert all(a.award and a.award.donor.short_name == "INL" for a in airport)
    assert all(a.meeting and a.meeting.number == 4 for a in airport)
    assert ActivityParticipants.objects.filter(activity__in=airport).count() == 6


def test_the_home_pages_count_what_waits_for_review_and_what_was_returned(
    client, partner, secretariat
):
    submitted = log(partner)
    services.activity_submit(user=partner, activity=submitted)
    returned = log(partner, title="Second")
    services.activity_submit(user=partner, activity=returned)
    services.activity_return(user=secretariat, activity=returned, comment="Dates?")

    client.force_login(secretariat)
    secretariat_home = client.get(reverse("secretariat_home"))
    client.force_login(partner)
    partner_home = client.get(reverse("partner_home"))

    assert secretariat_home.context["activities_to_review"] == 1
    assert partner_home.context["activities_needing_action"] == 1
    assert "1 activity returned, or ended without" in partner_home.content.decode()


def test_the_organisation_page_counts_the_activities_it_led(client, partner):
    log(partner)
    client.force_login(partner)

    page = client.get(
        reverse("stakeholders:organisation_detail", args=[partner.person.organisation_id])
    )

    figures = [(str(label), value) for label, value in page.context["more_engagement"]]
    assert ("Activities led", 1) in figures


# Funding awards


def test_the_secretariat_keeps_awards_and_bad_ones_are_refused(client, secretariat):
    donor = OrganisationFactory()
    client.force_login(secretariat)
    url = reverse("activities:award_create")

    bad = client.post(
        url,
        {
            "donor": donor.pk,
            "number": "INL-1",
            "title": "Airport trainings",
            "starts_on": "2031-12-31",
            "ends_on": "2031-01-01",
            "ceiling": "1000",
            "currency": "dollars",
        },
    )
    good = client.post(
        url,
        {
            "donor": donor.pk,
            "number": "INL-1",
            "title": "Airport trainings",
            "starts_on": "2031-01-01",
            "ends_on": "2031-12-31",
            "ceiling": "1000",
            "currency": "usd",
        },
    )

    text = bad.content.decode()
    assert "The award cannot end before it starts." in text
    assert "Three letters, such as USD or UZS." in text
    assert good.status_code == 302
    award = Award.objects.get()
    assert (award.currency, award.donor) == ("USD", donor)
    assert "INL-1" in client.get(reverse("activities:award_list")).content.decode()


def test_approved_planned_activities_show_on_the_month_view_and_drafts_do_not(client, partner):
    shown = ActivityFactory(
        title="Approved airport training",
        review_state=ReviewState.APPROVED,
        label="green",
        planned_start=date(2031, 11, 6),
    )
    ActivityFactory(title="Draft of another organisation", planned_start=date(2031, 11, 7))
    client.force_login(partner)

    page = client.get(reverse("meetings:meeting_calendar") + "?month=2031-11").content.decode()

    assert "Approved airport training" in page and shown.get_absolute_url() in page
    assert "Draft of another organisation" not in page


def test_an_ended_activity_without_actual_dates_or_participants_needs_action(client, partner):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    ended = ActivityFactory(
        lead_organisation=partner.person.organisation,
        review_state=ReviewState.APPROVED,
        planned_start=today - timedelta(days=10),
        planned_end=today - timedelta(days=9),
        title="Ended, not reported",
    )
    reported = ActivityFactory(
        lead_organisation=partner.person.organisation,
        review_state=ReviewState.APPROVED,
        status="completed",
        planned_start=today - timedelta(days=10),
        planned_end=today - timedelta(days=9),
        actual_start=today - timedelta(days=10),
        actual_end=today - timedelta(days=9),
        title="Ended and reported",
    )
    ActivityParticipants.objects.create(
        activity=reported,
        target_group="airport_transport_staff",
        location=reported.locations.get(),
        female=3,
    )
    client.force_login(partner)

    listed = client.get(reverse("activities:activity_list") + "?needs_action=on").content.decode()

    assert ended.title in listed and reported.title not in listed
    assert client.get(reverse("partner_home")).context["activities_needing_action"] == 1


def test_a_partner_posting_another_organisations_id_as_lead_is_refused(client, partner):
    other = OrganisationFactory()
    client.force_login(partner)

    response = client.post(
        reverse("activities:activity_create"),
        {
            "title": "Forged lead",
            "type": "training",
            "primary_pillar": "prevention",
            "target_groups": ["police"],
            "lead_organisation": other.pk,
            "status": "planned",
            "planned_start": "2031-11-06",
            "planned_end": "2031-11-07",
            "modality": "in_person",
            "regions": ["UZ-BU"],
            "label": "amber",
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Activity.objects.filter(title="Forged lead").exists()


def test_the_activity_page_makes_as_many_queries_for_2_as_for_20_participant_rows(
    client, secretariat
):
    client.force_login(secretariat)
    counts = []
    for size in (2, 20):
        groups = ["police", "judges", "prosecutors", "labour_inspectors", "social_workers"][
            : max(1, size // 4)
        ]
        activity = ActivityFactory(target_groups=groups)
        for number in range(size // len(groups)):
            location = ActivityLocation.objects.create(
                activity=activity,
                kind=LocationKind.COUNTRY,
                country=["KZ", "TR", "IN", "TH", "AE"][number],
            )
            for group in groups:
                ActivityParticipants.objects.create(
                    activity=activity, target_group=group, location=location, female=1
                )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(activity.get_absolute_url()).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_a_negative_budget_gets_a_plain_message(client, partner):
    client.force_login(partner)

    response = client.post(
        reverse("activities:activity_create"),
        {
            "title": "Training",
            "type": "training",
            "primary_pillar": "prevention",
            "target_groups": ["police"],
            "lead_organisation": partner.person.organisation_id,
            "status": "planned",
            "planned_start": "2031-11-06",
            "planned_end": "2031-11-07",
            "modality": "in_person",
            "regions": ["UZ-BU"],
            "budget": "-5",
            "currency": "USD",
            "label": "amber",
        },
    )

    text = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in text
    assert "Constraint" not in text
    assert not Activity.objects.exists()
