"""Framework references: the lists the secretariat keeps, tags, and the coverage page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services as activity_services
from activities.models import Activity, LocationKind, ReviewState
from activities.services import Place
from meetings import services
from meetings.models import FrameworkKind, FrameworkReference
from stakeholders.models import ImportBatch, Role
from tests.activities.factories import ActivityFactory
from tests.meetings.factories import MeetingFactory
from tests.stakeholders.factories import OrganisationFactory, UserFactory
from tests.stakeholders.test_import import confirm, errors_of, latest_batch, outcomes, upload

pytestmark = pytest.mark.django_db

COVERAGE = reverse("meetings:framework_coverage")


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def reference(code="R1", *, kind=FrameworkKind.TIP_RECOMMENDATION, year=2023, **fields):
    return FrameworkReference.objects.create(
        kind=kind, year=year, code=code, text=f"Recommendation {code}", **fields
    )


def form_data(**fields):
    return {
        "kind": FrameworkKind.NAP_MEASURE,
        "year": 2023,
        "code": "2.1",
        "text": "Train airport and border staff to identify victims.",
        **fields,
    }


# The lists


def test_the_secretariat_adds_a_measure_and_a_repeated_number_is_refused(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("meetings:framework_create"), form_data())
    assert response.status_code == 302
    added = FrameworkReference.objects.get()
    assert (added.short_name, added.created_by) == ("NAP 2023 · 2.1", secretariat)

    again = client.post(reverse("meetings:framework_create"), form_data(text="Other"))
    assert again.status_code == 200
    assert "This framework has this number already that year." in again.content.decode()
    out_of_range = client.post(reverse("meetings:framework_create"), form_data(year=1900))
    assert out_of_range.status_code == 200
    assert FrameworkReference.objects.count() == 1


def test_numbers_sort_as_numbers(secretariat):
    for code in ("1.10", "1.9", "R2", "R10"):
        reference(code, kind=FrameworkKind.NAP_MEASURE)
    assert list(FrameworkReference.objects.values_list("code", flat=True)) == [
        "1.9",
        "1.10",
        "R2",
        "R10",
    ]


def test_an_edit_started_before_anothers_save_is_refused(client, secretariat):
    measure = reference("3.1")
    client.force_login(secretariat)
    url = reverse("meetings:framework_edit", args=[measure.pk])
    fields = form_data(kind=measure.kind, code="3.1", version=1, is_active="on")

    assert client.post(url, {**fields, "text": "First"}).status_code == 302
    stale = client.post(url, {**fields, "text": "Second"})

    assert stale.status_code == 200
    assert FrameworkReference.objects.get().text == "First"


@pytest.mark.parametrize("role", [Role.PARTNER, Role.DONOR])
def test_only_the_secretariat_keeps_the_lists(client, role):
    measure = reference()
    client.force_login(UserFactory(role=role))

    assert client.post(reverse("meetings:framework_create"), form_data()).status_code == 403
    edit = reverse("meetings:framework_edit", args=[measure.pk])
    assert client.post(edit, form_data(version=1)).status_code == 403
    assert client.get(COVERAGE).status_code == 200
    assert FrameworkReference.objects.count() == 1


# Tags


def test_decisions_and_action_items_are_tagged_through_their_forms(client, secretariat):
    meeting = MeetingFactory()
    first, second = reference("R1"), reference("R2")
    client.force_login(secretariat)

    client.post(
        reverse("meetings:decision_create", args=[meeting.pk]),
        {"text": "Train airport staff", "framework_references": [first.pk, second.pk]},
    )
    decision = meeting.decisions.get()
    assert set(decision.framework_references.all()) == {first, second}

    edit = reverse("meetings:decision_edit", args=[decision.pk])
    page = client.get(edit).content.decode()
    assert f'value="{first.pk}" selected' in page
    client.post(edit, {"text": decision.text, "framework_references": [second.pk], "version": 1})
    decision.refresh_from_db()
    assert list(decision.framework_references.all()) == [second]
    assert decision.version == 2

    owner = OrganisationFactory()
    client.post(
        reverse("meetings:action_item_create", args=[meeting.pk]),
        {
            "description": "Report on the trainings",
            "owner_organisation": owner.pk,
            "due_on": "2031-12-01",
            "framework_references": [first.pk],
        },
    )
    assert list(meeting.action_items.get().framework_references.all()) == [first]


def test_a_retired_reference_stays_on_what_it_tags_but_is_not_added(secretariat):
    meeting = MeetingFactory()
    old, retired_later = reference("R1"), reference("R2")
    decision = services.decision_create(
        user=secretariat, meeting=meeting, data={"text": "A", "framework_references": [old]}
    )
    FrameworkReference.objects.filter(pk__in=[old.pk, retired_later.pk]).update(is_active=False)
    old.refresh_from_db()
    retired_later.refresh_from_db()

    services.decision_update(
        user=secretariat,
        decision=decision,
        data={"text": "A", "framework_references": [old]},
        version=decision.version,
    )
    assert list(decision.framework_references.all()) == [old]
    with pytest.raises(Exception, match="retired"):
        services.decision_update(
            user=secretariat,
            decision=decision,
            data={"text": "A", "framework_references": [old, retired_later]},
            version=decision.version,
        )


def test_a_partner_tags_its_activity_when_logging_it(client):
    partner = UserFactory(role=Role.PARTNER)
    measure = reference("2.1", kind=FrameworkKind.NAP_MEASURE)
    client.force_login(partner)

    response = client.post(
        reverse("activities:activity_create"),
        {
            "title": "Training for airport staff",
            "type": "training",
            "primary_pillar": "protection",
            "target_groups": ["airport_transport_staff"],
            "lead_organisation": partner.person.organisation_id,
            "status": "planned",
            "planned_start": "2031-11-06",
            "planned_end": "2031-11-08",
            "modality": "in_person",
            "regions": ["UZ-BU"],
            "label": "amber",
            "framework_references": [measure.pk],
        },
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert list(activity.framework_references.all()) == [measure]
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "NAP 2023 · 2.1" in page


# Coverage


def test_the_coverage_page_lists_what_answers_each_reference_as_the_user_may_see_it(
    client, secretariat
):
    answered, unanswered = reference("R1"), reference("R2")
    meeting = MeetingFactory()
    services.decision_create(
        user=secretariat,
        meeting=meeting,
        data={"text": "Train airport staff", "framework_references": [answered]},
    )
    published = ActivityFactory(
        title="Published training", review_state=ReviewState.APPROVED, label="green"
    )
    draft = ActivityFactory(title="Draft training")
    for activity in (published, draft):
        activity.framework_references.add(answered)
    donor = UserFactory(role=Role.DONOR)

    client.force_login(secretariat)
    page = client.get(COVERAGE).content.decode()
    assert "Train airport staff" in page and "Published training" in page
    # Only approved activities answer a reference.
    assert "Draft training" not in page

    client.force_login(donor)
    response = client.get(COVERAGE)
    page = response.content.decode()
    # The decision's minutes are not circulated: the donor does not see it.
    assert "Train airport staff" not in page
    assert "Published training" in page
    rows = {row["reference"]: row["count"] for row in response.context["rows"]}
    assert rows == {answered: 1, unanswered: 0}

    only_unanswered = client.get(COVERAGE, {"answered": "no"})
    assert [row["reference"] for row in only_unanswered.context["rows"]] == [unanswered]
    assert only_unanswered.context["unanswered_count"] == 1
    filtered = client.get(COVERAGE, {"kind": "nap_measure"})
    assert filtered.context["rows"] == []


def test_an_odd_query_string_gets_the_whole_page(client, secretariat):
    reference()
    client.force_login(secretariat)
    response = client.get(COVERAGE, {"year": "twenty", "kind": "x", "page": "-1", "answered": "?"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1


def test_a_year_no_reference_has_yet_shows_none_rather_than_every_year(client, secretariat):
    reference()
    client.force_login(secretariat)
    response = client.get(COVERAGE, {"year": "2031"})
    assert response.context["rows"] == [] and response.context["total"] == 0
    assert '<option value="2031" selected>' in response.content.decode()
    assert len(client.get(COVERAGE, {"year": "1899"}).context["rows"]) == 1


def _coverage_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(COVERAGE).status_code == 200
    return len(queries)


def _tagged_world(secretariat, size):
    meeting = MeetingFactory()
    owner = OrganisationFactory()
    for number in range(size):
        tag = reference(f"S{size}-{number}")
        services.decision_create(
            user=secretariat,
            meeting=meeting,
            data={"text": f"D{number}", "framework_references": [tag]},
        )
        services.action_item_create(
            user=secretariat,
            meeting=meeting,
            data={
                "description": f"A{number}",
                "owner_organisation": owner,
                "due_on": date(2031, 12, 1),
                "framework_references": [tag],
            },
        )
        activity = ActivityFactory(review_state=ReviewState.APPROVED)
        activity.framework_references.add(tag)


def test_the_coverage_page_reads_as_many_queries_for_3_as_for_20(client, secretariat):
    client.force_login(secretariat)
    _tagged_world(secretariat, 3)
    small = _coverage_queries(client)
    FrameworkReference.objects.all().delete()
    _tagged_world(secretariat, 20)

    # Session, user, years, the two counts, the page's ids and rows, and for each kind of
    # answer (decisions, action items, activities) its first five of each and its counts.
    assert small == _coverage_queries(client) <= 14


def test_a_reference_shows_three_answers_of_a_kind_and_counts_the_rest(client, secretariat):
    tag = reference("R9")
    for number in range(7):
        activity = ActivityFactory(
            title=f"Answer {number}",
            review_state=ReviewState.APPROVED,
            planned_start=date(2031, 1, 1 + number),
            planned_end=date(2031, 1, 1 + number),
        )
        activity.framework_references.add(tag)
    client.force_login(secretariat)

    response = client.get(COVERAGE)

    (row,) = response.context["rows"]
    (activities,) = [group for group in row["answers"] if group["count"]]
    assert (row["count"], activities["count"], activities["more"]) == (7, 7, 4)
    # The latest first.
    assert [answer.title for answer in activities["shown"]] == [f"Answer {n}" for n in (6, 5, 4)]
    assert "and 4 more" in response.content.decode()


# Import


def test_a_years_list_is_imported_and_a_second_upload_updates_its_texts(client, secretariat):
    client.force_login(secretariat)
    header = "framework,year,number,text,text_ru\n"
    from tests.stakeholders.test_import import csv_file

    upload(
        client,
        "framework_references",
        csv_file(
            header + "tip,2023,R1,Prosecute traffickers.,\nNAP,2023,2.1,Train staff.,\n", "tip.csv"
        ),
    )
    batch = latest_batch()
    assert outcomes(batch) == [(2, "new"), (3, "new")]
    confirm(client, batch)
    assert FrameworkReference.objects.count() == 2

    upload(
        client,
        "framework_references",
        csv_file(
            header + "tip,2023,R1,Prosecute traffickers.,Преследовать торговцев.\n"
            "tip,2023,R2,Screen migrants.,\n",
            "tip.csv",
        ),
    )
    batch = latest_batch()
    assert outcomes(batch) == [(2, "update"), (3, "new")]
    confirm(client, batch)
    assert FrameworkReference.objects.get(code="R1").text_ru == "Преследовать торговцев."
    assert FrameworkReference.objects.count() == 3


def test_bad_rows_of_a_list_are_reported_and_nothing_is_imported(client, secretariat):
    client.force_login(secretariat)
    from tests.stakeholders.test_import import csv_file

    upload(
        client,
        "framework_references",
        csv_file(
            "framework,year,number,text\nun,2023,1,A\ntip,1800,2,B\ntip,2023,3,\n"
            "tip,2023,4,C\ntip,2023,4,D\n",
            "bad.csv",
        ),
    )
    batch = latest_batch()
    assert errors_of(batch) == {
        2: ["Framework: “un” is not nap or tip."],
        3: ["Year: “1800” is not a year between 2000 and 2100."],
        4: ["Text: this column is required."],
        6: ["Row 5 has the same framework, year and number."],
    }
    confirm(client, batch)
    assert batch.__class__.objects.get(pk=batch.pk).status == ImportBatch.Status.PREVIEW
    assert not FrameworkReference.objects.exists()


# Red activities


def test_a_red_activity_names_its_readers(client):
    partner = UserFactory(role=Role.PARTNER)
    organisation = partner.person.organisation
    named = UserFactory(role=Role.PARTNER, person__organisation=organisation)
    other = UserFactory(role=Role.PARTNER, person__organisation=organisation)
    data = {
        "title": "Closed consultation",
        "type": "workshop",
        "primary_pillar": "protection",
        "target_groups": ["social_workers"],
        "lead_organisation": organisation,
        "planned_start": date(2031, 11, 6),
        "planned_end": date(2031, 11, 6),
        "label": "red",
    }
    place = [Place(kind=LocationKind.NATIONAL)]
    with pytest.raises(Exception, match="named"):
        activity_services.activity_create(user=partner, data=data, places=place)

    activity = activity_services.activity_create(
        user=partner, data={**data, "named_people": [named.person]}, places=place
    )
    Activity.objects.filter(pk=activity.pk).update(review_state=ReviewState.APPROVED)

    assert Activity.objects.visible_to(named).filter(pk=activity.pk).exists()
    assert not Activity.objects.visible_to(other).filter(pk=activity.pk).exists()

    client.force_login(partner)
    form = client.get(reverse("activities:activity_create")).content.decode()
    assert 'value="red"' in form and named.person.full_name in form


def test_a_measure_with_personal_data_is_refused_unless_the_secretariat_says_why(
    client, secretariat
):
    client.force_login(secretariat)
    url = reverse("meetings:framework_create")
    refused = client.post(url, form_data(text="Call +998 90 123 45 67 for shelters."))
    assert refused.status_code == 200
    assert "This looks like personal data" in refused.content.decode()
    assert not FrameworkReference.objects.exists()

    saved = client.post(
        url,
        form_data(
            text="Hotline office at +998 71 200 00 00 answers in three languages.",
            save_anyway="on",
            save_anyway_reason="The number of a public office, quoted in the plan.",
        ),
    )
    assert saved.status_code == 302
    assert FrameworkReference.objects.count() == 1
