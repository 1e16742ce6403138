"""The dashboard's figures against a small hand-built data set, counted by hand: for the
figure functions and for the page, with the lists they link to."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities import figures
from activities.models import (
    ActivityLocation,
    ActivityOrganisation,
    ActivityParticipants,
    ActivityRevision,
    LocationKind,
    OrganisationRole,
    ReviewState,
)
from activities.trend_models import TrendNote
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    FrameworkKind,
    FrameworkReference,
    Invitation,
    MeetingStatus,
)
from portal import dataversion
from portal.lib.periods import Period, parse
from portal.lib.sensitivity import Label
from stakeholders.models import Person, Role, StakeholderGroup, User
from tests.activities.factories import ActivityFactory
from tests.meetings.factories import InvitationFactory, MeetingFactory
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TASHKENT = ZoneInfo("Asia/Tashkent")
TODAY = date(2026, 11, 28)
TIP_2023 = Period("tip", date(2023, 4, 1), date(2024, 3, 31))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TASHKENT)


class World:
    """Two partner organisations, a donor, meetings on the edges of TIP 2023, action items
    done on time and a day late, activities in every review state, trend notes."""

    def __init__(self) -> None:
        self.partner_org = OrganisationFactory(name="Youth Centre")
        self.other_org = OrganisationFactory(name="Lawyers' Union")
        self.donor_org = OrganisationFactory(
            name="Embassy", stakeholder_group=StakeholderGroup.EMBASSY
        )
        self.secretariat = UserFactory(role=Role.SECRETARIAT)
        self.partner = UserFactory(role=Role.PARTNER, person__organisation=self.partner_org)
        self.donor = UserFactory(role=Role.DONOR, person__organisation=self.donor_org)
        self._meetings()
        self._action_items()
        self._activities()
        self._trends()

    def _meetings(self) -> None:
        # Held on the first day of TIP 2023, at 10:00, and late on its last day.
        self.first = MeetingFactory(
            starts_at=local(2023, 4, 1, 10), status=MeetingStatus.HELD, number=1
        )
        self.last = MeetingFactory(
            starts_at=local(2024, 3, 31, 23, 30), status=MeetingStatus.HELD, number=2
        )
        # The first day of the next TIP year; and one planned, never held, within the year.
        self.next = MeetingFactory(
            starts_at=local(2024, 4, 1, 0, 10), status=MeetingStatus.HELD, number=3
        )
        MeetingFactory(starts_at=local(2023, 6, 1, 10), number=4)
        attended, absent = Attendance.ATTENDED, Attendance.ABSENT
        InvitationFactory(
            meeting=self.first, person__organisation=self.partner_org, attendance=attended
        )
        InvitationFactory(
            meeting=self.first, person__organisation=self.other_org, attendance=attended
        )
        InvitationFactory(
            meeting=self.first, person__organisation=self.other_org, attendance=absent
        )
        InvitationFactory(
            meeting=self.first,
            person__organisation=self.other_org,
            attendance=attended,
            is_walk_in=True,
        )
        InvitationFactory(
            meeting=self.last, person__organisation=self.partner_org, attendance=attended
        )
        InvitationFactory(
            meeting=self.next, person__organisation=self.partner_org, attendance=absent
        )

    def _action_items(self) -> None:
        due = date(2023, 5, 1)

        def item(meeting, owner, status, completed=None, due_on=due):  # type: ignore[no-untyped-def]
            return ActionItem.objects.create(
                meeting=meeting,
                description="Report on the trainings",
                owner_organisation=owner,
                due_on=due_on,
                status=status,
                completed_at=completed,
            )

        # Done on the day it was due, at 23:30 in Tashkent (18:30 UTC): on time.
        item(self.first, self.partner_org, ActionItemStatus.DONE, local(2023, 5, 1, 23, 30))
        # Done one day late, just after midnight.
        item(self.first, self.partner_org, ActionItemStatus.DONE, local(2023, 5, 2, 0, 10))
        item(self.first, self.other_org, ActionItemStatus.OPEN)  # overdue
        item(self.first, self.other_org, ActionItemStatus.IN_PROGRESS, due_on=date(2099, 1, 1))
        item(self.next, self.partner_org, ActionItemStatus.OPEN)  # raised after the period

    def _activity(self, review: str, start: date, end: date, **data):  # type: ignore[no-untyped-def]
        data.setdefault("lead_organisation", self.partner_org)
        data.setdefault("label", Label.GREEN)
        return ActivityFactory(
            review_state=review, planned_start=start, planned_end=end, region="UZ-BU", **data
        )

    def _people(self, activity, female=0, male=0, undisclosed=0, group="police"):  # type: ignore[no-untyped-def]
        ActivityParticipants.objects.create(
            activity=activity,
            target_group=group,
            location=activity.locations.get(),
            female=female,
            male=male,
            undisclosed=undisclosed,
        )

    def _activities(self) -> None:
        approved = ReviewState.APPROVED
        # Spans the start of TIP 2023 (and two quarters); ends within it.
        self.spanning = self._activity(
            approved, date(2023, 3, 20), date(2023, 4, 10), status="completed"
        )
        self._people(self.spanning, female=5, male=3, undisclosed=1)
        # Under way on the last day, ends (actual dates) after it: not reached in TIP 2023.
        self.late = self._activity(
            approved,
            date(2024, 3, 1),
            date(2024, 3, 5),
            status="completed",
            actual_start=date(2024, 3, 31),
            actual_end=date(2024, 4, 2),
            lead_organisation=self.other_org,
        )
        self._people(self.late, female=10)
        # Approved, with a revision waiting whose figures are far larger.
        self.revised = self._activity(
            approved,
            date(2023, 6, 1),
            date(2023, 6, 2),
            status="completed",
            primary_pillar="protection",
        )
        self._people(self.revised, male=7, group="judges")
        ActivityRevision.objects.create(
            activity=self.revised,
            fields={"title": "Much bigger"},
            participants=[{"target_group": "judges", "female": 1000, "male": 1000}],
        )
        # Red, for named people only: the donor is not named.
        self.red = self._activity(
            approved, date(2023, 12, 1), date(2023, 12, 2), status="completed", label=Label.RED
        )
        self.red.named_people.add(self.secretariat.person)
        self._people(self.red, female=20)
        # Not approved: never counted.
        for review in (ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED):
            self._people(
                self._activity(review, date(2023, 7, 1), date(2023, 7, 2), status="completed"),
                female=100,
            )
        # Funded by the donor, led by the other organisation, nationwide.
        self.funded = self._activity(
            approved, date(2023, 9, 1), date(2023, 9, 30), lead_organisation=self.other_org
        )
        ActivityOrganisation.objects.create(
            activity=self.funded, organisation=self.donor_org, role=OrganisationRole.FUNDING
        )
        ActivityLocation.objects.filter(activity=self.funded).update(
            kind=LocationKind.NATIONAL, region=""
        )

    def _trends(self) -> None:
        def note(**data):  # type: ignore[no-untyped-def]
            data.setdefault("trend_type", "recruitment_method")
            return TrendNote.objects.create(
                code=f"TRD-2023-{TrendNote.objects.count() + 1:04d}",
                title="Recruitment over messaging apps",
                summary="Offers of work abroad",
                source_type="partner_observation",
                confidence="reported",
                direction="outbound",
                source_organisation=self.partner_org,
                label=Label.GREEN,
                **data,
            )

        note(observed_from=date(2023, 4, 1))
        late = note(trend_type="route")  # written on the last evening of the period
        TrendNote.objects.filter(pk=late.pk).update(created_at=local(2024, 3, 31, 22))
        note(observed_from=date(2024, 4, 1))  # after it


@pytest.fixture
def world() -> World:
    return World()


def scope(user, period=TIP_2023, **filters):  # type: ignore[no-untyped-def]
    return figures.scope_for(user, period, TODAY, **filters)


def test_meetings_held_counts_the_first_and_the_last_day_in_the_portals_time_zone(world):
    assert figures.meetings_held(scope(world.secretariat)) == 2
    # The meeting at 00:10 on 1 April 2024 is the next TIP year's.
    next_year = Period("tip", date(2024, 4, 1), date(2025, 3, 31))
    assert figures.meetings_held(scope(world.secretariat, next_year)) == 1


def test_attendance_is_invitees_who_attended_over_invitees_walk_ins_apart(world):
    rate = figures.attendance(scope(world.secretariat))
    assert (rate.part, rate.whole, rate.apart) == (3, 4, 1)
    assert rate.percent == 75


def test_action_items_done_on_time_counts_the_due_day_and_not_a_day_late(world):
    seen = scope(world.secretariat)
    assert figures.items_raised(seen) == 4
    assert figures.items_done(seen) == 2
    assert figures.items_on_time(seen) == 1
    assert figures.items_overdue(seen) == 1


def test_an_activity_spanning_two_quarters_is_under_way_in_each(world):
    q1, q2 = (
        parse({"period": "quarter", "year": "2023", "quarter": "1"}, TODAY)[0],
        Period("quarter", date(2023, 4, 1), date(2023, 6, 30)),
    )
    assert figures.activities_under_way(scope(world.secretariat, q1)).get() == world.spanning
    assert set(figures.activities_under_way(scope(world.secretariat, q2))) == {
        world.spanning,
        world.revised,
    }


def test_people_reached_count_each_activity_once_in_the_period_it_ended(world):
    # spanning 5/3/1, revised 0/7/0, red 20/0/0; `late` ended after the period.
    assert figures.people_reached(scope(world.secretariat)) == figures.People(25, 10, 1)
    assert figures.activities(scope(world.secretariat)) == 5


def test_donors_never_get_unapproved_activities_revisions_or_what_a_label_withholds(world):
    donor = scope(world.donor)
    # No red activity, no pending revision's 1,000s, no drafts' 100s.
    assert figures.people_reached(donor) == figures.People(5, 10, 1)
    assert figures.activities(donor) == 4
    by_group = {row.code: row.value for row in figures.people_by_group(donor).rows}
    assert by_group["judges"] == figures.People(0, 7, 0)


def test_a_partners_figures_are_its_organisations_whatever_the_query_asks(world):
    partner = scope(world.partner, organisation=world.other_org.pk)
    assert partner.organisation == world.partner_org.pk
    assert figures.meetings_held(partner) == 2  # invited to both
    assert figures.attendance(partner) == figures.Rate(2, 2, 0)
    assert figures.items_raised(partner) == 2
    # The partner leads spanning, revised and red (red: not named, so not seen).
    assert figures.activities(partner) == 2


def test_filters_keep_the_funders_activities_and_the_nationwide_ones(world):
    assert figures.activities(scope(world.secretariat, funder=world.donor_org.pk)) == 1
    assert figures.activities(scope(world.secretariat, region="national")) == 1
    assert figures.activities(scope(world.secretariat, pillar="protection")) == 1


def test_trend_notes_new_in_the_period_by_observation_else_by_writing(world):
    seen = scope(world.secretariat)
    assert figures.trends_new(seen) == 2
    rows = {row.code: row.value for row in figures.trends_by_type(seen).rows}
    assert rows["recruitment_method"] == 1 and rows["route"] == 1


def test_a_us_fiscal_year_and_a_tip_year_hold_their_first_day_and_not_the_day_after_the_last(
    world,
):
    fy2024 = parse({"period": "fy", "year": "2024"}, TODAY)[0]
    MeetingFactory(starts_at=local(2023, 10, 1, 0, 5), status=MeetingStatus.HELD, number=5)
    MeetingFactory(starts_at=local(2024, 10, 1, 0, 5), status=MeetingStatus.HELD, number=6)
    # 1 October 2023, 31 March 2024 and 1 April 2024; not 1 October 2024.
    assert figures.meetings_held(scope(world.secretariat, fy2024)) == 3


def test_the_year_earlier_is_beside_each_key_figure(world, client):
    client.force_login(world.secretariat)
    response = client.get(reverse("dashboard"), {"period": "tip", "year": "2024"})
    shown = response.context["key_figures"]["meetings_held"]
    assert (shown["value"], shown["earlier"]) == (1, 2)
    assert response.context["earlier"].label == "TIP 2023\u201324"
    assert shown["earlier_link"].startswith(reverse("meetings:meeting_list"))


def test_a_year_earlier_than_a_link_can_name_is_shown_without_one(world, client):
    client.force_login(world.secretariat)
    response = client.get(reverse("dashboard"), {"period": "year", "year": "2000"})
    shown = response.context["key_figures"]["meetings_held"]
    assert shown["earlier"] == 0 and shown["earlier_link"] is None
    assert shown["link"] is not None
    earlier = response.content.decode().split('data-testid="figure-meetings_held"')[1]
    assert "<a" not in earlier.split('data-testid="earlier"')[1].split("</p>")[0]


LIST_COUNT_FIGURES = (
    "meetings_held",
    "items_raised",
    "items_done",
    "items_on_time",
    "items_overdue",
    "activities",
    "trends_new",
    "trends_without_response",
)


@pytest.mark.parametrize("role", ["secretariat", "donor", "partner"])
def test_each_figures_link_opens_a_list_whose_count_or_totals_equal_it(world, client, role):
    client.force_login(getattr(world, role))
    page = client.get(reverse("dashboard"), {"period": "tip", "year": "2023"})
    for key, shown in page.context["key_figures"].items():
        listed = client.get(shown["link"])
        assert listed.status_code == 200, key
        if key in LIST_COUNT_FIGURES:
            assert listed.context["page"].paginator.count == shown["value"], key
        elif key == "attendance":
            totals = listed.context["attendance"]
            assert (totals["attended"], totals["invited"], totals["walk_ins"]) == (
                shown["value"].part,
                shown["value"].whole,
                shown["value"].apart,
            )
            assert (
                listed.context["page"].paginator.count
                == page.context["key_figures"]["meetings_held"]["value"]
            )
        elif key == "people_reached":
            reached = listed.context["reached"]
            assert (reached["female"], reached["male"], reached["undisclosed"]) == (
                shown["value"].female,
                shown["value"].male,
                shown["value"].undisclosed,
            )


def test_each_table_rows_link_opens_a_list_that_counts_the_same(world, client):
    client.force_login(world.secretariat)
    page = client.get(reverse("dashboard"), {"period": "tip", "year": "2023"})
    tables = page.context["tables"]
    for key in ("activities_by_status", "activities_by_type", "activities_by_region"):
        for row in tables[key]["table"].rows:
            if row.value:
                listed = client.get(row.link)
                assert listed.context["page"].paginator.count == row.value, (key, row.code)
    for key in ("people_by_group", "people_by_region", "people_by_quarter"):
        for row in tables[key]["table"].rows:
            if row.value.total:
                reached = client.get(row.link).context["reached"]
                assert reached["total"] == row.value.total, (key, row.code)
    for row in tables["items_by_owner"]["table"].rows:
        assert client.get(row.link).context["page"].paginator.count == row.value["raised"]


@pytest.mark.parametrize(
    "query",
    [
        {"period": "tip", "year": "twenty"},
        {"period": "custom", "from": "2024-02-30", "to": "2024-01-01"},
        {"period": "quarter", "year": "2024", "quarter": "5"},
        {"period": "custom", "from": "1900-01-01", "to": "2100-01-01"},
        {"organisation": "x", "funder": "-1", "award": "99999", "pillar": "<b>", "region": "UZ"},
        {"period": "\x00", "year": "9" * 40},
    ],
)
def test_malformed_periods_and_filters_give_a_page_never_an_error(world, client, query):
    client.force_login(world.donor)
    response = client.get(reverse("dashboard"), query)
    assert response.status_code == 200
    if "period" in query:
        assert "could not be read" in response.content.decode()
        assert response.context["period"] == parse({}, timezone.localdate())[0]


@pytest.mark.parametrize(
    "url_name",
    [
        "meetings:meeting_list",
        "meetings:action_item_list",
        "activities:activity_list",
        "activities:trend_list",
    ],
)
def test_a_list_given_a_malformed_period_says_so_and_answers(world, client, url_name):
    client.force_login(world.secretariat)
    response = client.get(reverse(url_name), {"period": "fy", "year": "1066"})
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()


def test_the_page_shows_how_each_figure_is_counted_from_its_docstring(world, client):
    client.force_login(world.donor)
    body = client.get(reverse("dashboard")).content.decode()
    for figure in figures.FIGURES.values():
        assert figure.compute.__doc__
        assert str(figure.how).replace("'", "&#x27;") in body


def test_the_dashboard_makes_as_many_queries_whatever_the_data(world, client):
    client.force_login(world.secretariat)
    query = {"period": "tip", "year": "2023"}
    client.get(reverse("dashboard"), query)

    def queries() -> int:
        dataversion._bump()  # the cached figures are out of date: all are computed
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboard"), query).status_code == 200
        return len(captured)

    few = queries()
    for n in range(20):
        meeting = MeetingFactory(
            starts_at=local(2023, 5, 1, 10) + timedelta(days=n),
            status=MeetingStatus.HELD,
            number=100 + n,
        )
        InvitationFactory(meeting=meeting, person=PersonFactory(organisation=world.other_org))
        ActionItem.objects.create(
            meeting=meeting,
            description="Report",
            owner_organisation=OrganisationFactory(),
            due_on=date(2023, 6, 1),
        )
        activity = world._activity(ReviewState.APPROVED, date(2023, 5, 1), date(2023, 5, 2))
        world._people(activity, female=1)
    # One aggregate a figure, for the period and a year earlier, whatever the number of rows.
    assert queries() == few
    assert few <= 40


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DONOR, Role.PARTNER])
def test_generated_data_ten_times_larger_takes_as_many_queries(client, role):
    def queries(scale: float) -> int:
        call_command("generate_data", scale=scale, stdout=StringIO())
        user = User.objects.filter(role=role, email__endswith="@bench.example.org").first()
        client.force_login(user)
        dataversion._bump()  # the cache cleared: every figure computed
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get(reverse("dashboard"), {"period": "year", "year": "2024"}).status_code
                == 200
            )
        return len(captured)

    assert queries(0.02) == queries(0.2)


def test_a_donors_home_shows_three_key_figures_of_this_quarter(world, client):
    today = timezone.localdate()
    meeting = MeetingFactory(
        starts_at=local(today.year, today.month, today.day, 0, 1),
        status=MeetingStatus.HELD,
        number=50,
    )
    # Donors see the meetings they were invited to (and those with open adopted minutes).
    MeetingFactory(starts_at=meeting.starts_at, status=MeetingStatus.HELD, number=51)
    InvitationFactory(meeting=meeting, person=world.donor.person)
    client.force_login(world.donor)
    response = client.get(reverse("donor_home"))
    shown = {figure.key: value for figure, value in response.context["key_figures"]}
    assert set(shown) == {"meetings_held", "activities", "people_reached"}
    assert shown["meetings_held"] == 1
    assert response.context["quarter"] == parse({}, today)[0]
    assert reverse("dashboard") in response.content.decode()


def test_organisations_and_groups_represented_at_each_meeting(world):
    world.other_org.stakeholder_group = StakeholderGroup.EMBASSY
    world.other_org.save()
    rows = figures.representation(scope(world.secretariat)).rows
    # Oldest first: the first meeting (the partner, and the other organisation twice, one a
    # walk-in; one absent), then the last (the partner).
    assert [(row.value["organisations"], row.value["groups"]) for row in rows] == [(2, 2), (1, 1)]
    assert rows[0].link == reverse("meetings:meeting_detail", args=[world.first.pk])


def test_attendance_by_sex_counts_everyone_who_attended_walk_ins_included(world, client):
    attended = Invitation.objects.filter(
        meeting__in=[world.first, world.last], attendance=Attendance.ATTENDED
    ).order_by("pk")
    for invitation, sex in zip(attended, ["female", "female", "male", "undisclosed"], strict=True):
        Person.objects.filter(pk=invitation.person_id).update(sex=sex)
    table = figures.attendance_by_sex(scope(world.secretariat))
    assert {row.code: row.value for row in table.rows} == {
        "female": 2,
        "male": 1,
        "undisclosed": 1,
    }
    client.force_login(world.secretariat)
    totals = client.get(table.rows[0].link).context["attendance"]
    assert (totals["attended_female"], totals["attended_male"], totals["attended_undisclosed"]) == (
        2,
        1,
        1,
    )


def test_framework_coverage_of_the_year_the_period_ends_in(world, client):
    answered = FrameworkReference.objects.create(
        kind=FrameworkKind.TIP_RECOMMENDATION, year=2024, code="R1", text="Train airport staff."
    )
    FrameworkReference.objects.create(
        kind=FrameworkKind.TIP_RECOMMENDATION, year=2024, code="R2", text="Shelter victims."
    )
    FrameworkReference.objects.create(
        kind=FrameworkKind.TIP_RECOMMENDATION, year=2023, code="R1", text="Another year."
    )
    world.spanning.framework_references.add(answered)
    # A draft answering it counts for nobody but its readers, and not at all: not approved.
    draft = world._activity(ReviewState.DRAFT, date(2023, 7, 1), date(2023, 7, 2))
    draft.framework_references.add(FrameworkReference.objects.get(code="R2", year=2024))
    rows = {row.code: row for row in figures.coverage(scope(world.donor)).rows}
    assert rows["tip_recommendation"].value == {"answered": 1, "all": 2}
    assert rows["nap_measure"].value == {"answered": 0, "all": 0}
    client.force_login(world.donor)
    listed = client.get(rows["tip_recommendation"].link)
    assert listed.context["page"].paginator.count == 1
