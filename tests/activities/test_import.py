"""Importing activities from a partner's spreadsheet: headers in three languages, drafts only."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from activities.imports import COLUMNS, template_header
from activities.models import Activity, Award, LocationKind, ReviewState
from stakeholders.imports import import_batch_preview
from stakeholders.models import ImportBatch, Role
from tests.activities.factories import ActivityFactory
from tests.stakeholders.factories import OrganisationFactory, UserFactory
from tests.stakeholders.test_import import (
    confirm,
    csv_file,
    errors_of,
    latest_batch,
    outcomes,
    preview_url,
    upload,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

RUSSIAN_HEADER = [
    "Название",
    "Тип",
    "Направление",
    "Целевые группы",
    "Плановое начало",
    "Плановое окончание",
    "Места",
    "Бюджет",
    "Валюта",
    "Собственный номер",
]


@pytest.fixture
def partner(client):
    user = UserFactory(role=Role.PARTNER)
    client.force_login(user)
    return user


def rows_with(header, *rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return csv_file(buffer.getvalue(), "activities.csv")


def test_the_template_has_its_headers_in_each_language(client, partner):
    for language, first in (("en", "Own reference"), ("ru", "Собственный номер")):
        response = client.get(
            reverse("stakeholders:import_template", args=["activities", "xlsx"]),
            {"language": language},
        )
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
        assert header[0] == first
        assert header == template_header(language)
        assert len(header) == len(COLUMNS)
    uzbek = template_header("uz")
    assert uzbek != template_header("en") and uzbek != template_header("ru")
    # Every header reads back as its column, in each language.
    from activities.imports import header_column

    for language in ("en", "ru", "uz"):
        assert [header_column(h) for h in template_header(language)] == list(COLUMNS)


def test_a_template_filled_in_russian_imports_as_drafts_of_the_partners_organisation(
    client, partner
):
    file = rows_with(
        RUSSIAN_HEADER,
        [
            "Тренинг для сотрудников аэропорта",
            "Тренинг",
            "protection",
            "airport_transport_staff; police",
            "14.11.2031",
            "2031-11-15",
            "UZ-BU; UZ-FA",
            "12 500",
            "usd",
            "IOM-17",
        ],
        [
            "Кампания в Намангане",
            "awareness_campaign",
            "prevention",
            "",
            "2031-12-01",
            "2031-12-01",
            "national",
            "",
            "",
            "",
        ],
    )
    response = upload(client, "activities", file)
    batch = latest_batch()
    assert response.status_code == 302 and response.url == preview_url(batch)
    assert batch.kind == "activities" and batch.uploaded_by == partner
    assert outcomes(batch) == [(2, "new"), (3, "new")]
    page = client.get(preview_url(batch))
    assert page.status_code == 200
    assert "Тренинг для сотрудников аэропорта" in page.content.decode()

    confirm(client, batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.summary["created"] == 2
    training, campaign = Activity.objects.order_by("planned_start")
    own = partner.person.organisation
    assert training.lead_organisation == own and campaign.lead_organisation == own
    assert {training.review_state, campaign.review_state} == {ReviewState.DRAFT}
    assert training.type == "training" and training.primary_pillar == "protection"
    assert training.target_groups == ["airport_transport_staff", "police"]
    assert training.planned_start == date(2031, 11, 14)
    assert (training.budget, training.currency) == (Decimal("12500.00"), "USD")
    assert training.external_id == "IOM-17"
    assert training.code.startswith("ACT-2031-")
    assert sorted(loc.region for loc in training.locations.all()) == ["UZ-BU", "UZ-FA"]
    assert [loc.kind for loc in campaign.locations.all()] == [LocationKind.NATIONAL]
    assert training.history.count() == 1


def test_a_row_with_an_unknown_region_code_is_reported_and_nothing_is_imported(client, partner):
    file = rows_with(
        ["title", "type", "pillar", "planned_start", "planned_end", "locations"],
        ["Good row", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU"],
        ["Bad row", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-ZZ"],
    )
    upload(client, "activities", file)
    batch = latest_batch()

    assert errors_of(batch) == {
        3: ["Locations: “UZ-ZZ” is not a region code of Uzbekistan (ISO 3166-2:UZ)."]
    }
    page = client.get(preview_url(batch)).content.decode()
    assert "UZ-ZZ" in page
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert not Activity.objects.exists()


def test_bad_values_are_each_reported(client, partner):
    other = OrganisationFactory(name="Somebody Else", short_name="SE")
    file = rows_with(
        [
            "title",
            "type",
            "pillar",
            "planned_start",
            "planned_end",
            "locations",
            "lead_organisation",
            "status",
            "actual_start",
            "budget",
            "label",
            "description",
        ],
        ["A", "party", "prevention", "2031-11-14", "2031-11-15", "UZ-BU", "", "", "", "", "", ""],
        ["B", "training", "prevention", "2031-11-14", "2031-11-13", "TR", "", "", "", "", "", ""],
        ["C", "training", "prevention", "14/13/2031", "2031-11-15", "UZ", "", "", "", "", "", ""],
        [
            "D",
            "training",
            "prevention",
            "2031-11-14",
            "2031-11-15",
            "UZ-BU",
            "SE",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "E",
            "training",
            "prevention",
            "2031-11-14",
            "2031-11-15",
            "UZ-BU",
            "",
            "planned",
            "2031-11-14",
            "",
            "",
            "",
        ],
        [
            "F",
            "training",
            "prevention",
            "2031-11-14",
            "2031-11-15",
            "UZ-BU",
            "",
            "",
            "",
            "-5",
            "red",
            "Call +998 90 123 45 67",
        ],
    )
    upload(client, "activities", file)
    errors = errors_of(latest_batch())

    assert errors[2] == [
        "Type: “party” is not one of training (Training), training_of_trainers (Training of "
        "trainers), study_visit (Study visit), workshop (Workshop), conference (Conference), "
        "awareness_campaign (Awareness campaign), legal_policy_drafting (Legal and policy "
        "drafting), research_assessment (Research and assessment), technical_assistance "
        "(Technical assistance), victim_services_support (Support to victim services)."
    ]
    assert errors[3] == ["Planned end: The planned end cannot be before the planned start."]
    assert "Planned start: “14/13/2031” is not a day of the calendar." in errors[4]
    assert any("“UZ”" in e for e in errors[4])
    assert errors[5] == ["Lead organisation: you import activities of your own organisation only."]
    assert errors[6] == [
        "Actual start: Actual dates are for an activity that is ongoing or completed."
    ]
    assert "Budget: “-5” is not an amount of zero or more." in errors[7]
    assert any(e.startswith("Sensitivity: red names the people") for e in errors[7])
    assert any(e.startswith("Description: this looks like personal data") for e in errors[7])
    assert other.activities_led.count() == 0


def test_a_row_already_imported_is_left_out_and_a_repeated_reference_refused(client, partner):
    own = partner.person.organisation
    existing = ActivityFactory(lead_organisation=own, external_id="IOM-1")
    ActivityFactory(external_id="IOM-2")  # another organisation's reference: no clash
    file = rows_with(
        ["external_id", "title", "type", "pillar", "planned_start", "planned_end", "locations"],
        ["IOM-1", "Again", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU"],
        ["IOM-2", "New", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU"],
        ["IOM-2", "Twice", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU"],
    )
    upload(client, "activities", file)
    batch = latest_batch()
    assert outcomes(batch) == [(2, "unchanged"), (3, "new"), (4, "error")]
    assert errors_of(batch) == {4: ["Row 3 has the same own reference."]}

    file = rows_with(
        ["external_id", "title", "type", "pillar", "planned_start", "planned_end", "locations"],
        ["IOM-1", "Again", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU"],
        ["IOM-2", "New", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU"],
    )
    upload(client, "activities", file)
    confirm(client, latest_batch())
    assert own.activities_led.count() == 2
    existing.refresh_from_db()
    assert existing.title != "Again"


def test_a_secretariat_row_for_an_organisation_imports_with_its_award(client, secretariat_user):
    client.force_login(secretariat_user)
    iom = OrganisationFactory(name="International Organization for Migration", short_name="IOM")
    donor = OrganisationFactory(name="INL")
    award = Award.objects.create(
        donor=donor,
        number="SINLEC-23",
        title="Airports",
        starts_on=date(2031, 1, 1),
        ends_on=date(2032, 1, 1),
    )
    file = xlsx_file(
        [
            [
                "Title",
                "Type",
                "Pillar",
                "Planned start",
                "Planned end",
                "Locations",
                "Lead organisation",
                "Funding award",
            ],
            [
                "Airport training",
                "training",
                "protection",
                date(2031, 11, 14),
                date(2031, 11, 15),
                "UZ-NG",
                "IOM",
                "sinlec-23",
            ],
            [
                "Lost",
                "training",
                "protection",
                date(2031, 11, 14),
                date(2031, 11, 15),
                "UZ-NG",
                "IOM",
                "NOPE-1",
            ],
        ],
        "activities.xlsx",
    )
    upload(client, "activities", file)
    assert errors_of(latest_batch()) == {3: ["Funding award: no award has the number “NOPE-1”."]}
    file = xlsx_file(
        [
            [
                "Title",
                "Type",
                "Pillar",
                "Planned start",
                "Planned end",
                "Locations",
                "Lead organisation",
                "Funding award",
            ],
            [
                "Airport training",
                "training",
                "protection",
                date(2031, 11, 14),
                date(2031, 11, 15),
                "UZ-NG",
                "IOM",
                "sinlec-23",
            ],
        ],
        "activities.xlsx",
    )
    upload(client, "activities", file)
    confirm(client, latest_batch())

    activity = Activity.objects.get()
    assert (activity.lead_organisation, activity.award) == (iom, award)
    assert activity.planned_start == date(2031, 11, 14)
    assert activity.created_by == secretariat_user


@pytest.mark.parametrize("role", [Role.DONOR, None])
def test_donors_and_visitors_may_not_import_activities(client, role):
    if role is not None:
        client.force_login(UserFactory(role=role))
    for url in (
        reverse("stakeholders:import_upload", args=["activities"]),
        reverse("stakeholders:import_template", args=["activities", "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == (403 if role else 302)


def test_a_partner_cannot_see_or_confirm_another_partners_batch(client, partner):
    other = UserFactory(role=Role.PARTNER)
    batch = ImportBatch.objects.create(
        kind="activities", file_name="theirs.csv", rows=[], uploaded_by=other
    )
    assert client.get(preview_url(batch)).status_code == 404
    assert client.post(preview_url(batch), {"action": "confirm"}).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_the_upload_page_lists_the_columns_in_the_readers_language(client, partner):
    with translation.override("ru"):
        response = client.get(
            reverse("stakeholders:import_upload", args=["activities"]),
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-templates"' in page
    assert "?language=uz" in page


def test_uzbek_headers_and_names_typed_with_a_plain_apostrophe_are_read(client, partner):
    file = rows_with(
        [
            "Nomi",
            "Turi",
            "Yo'nalish",
            "Rejalashtirilgan boshlanish",
            "Rejalashtirilgan tugash",
            "Joylar",
            "O`z raqami",
        ],
        [
            "Trening",
            "Trening",
            "Oldini olish",
            "2031-11-14",
            "2031-11-15",
            "Farg'ona viloyati",
            "X-1",
        ],
    )
    assert upload(client, "activities", file).status_code == 302
    batch = latest_batch()
    assert outcomes(batch) == [(2, "new")]
    confirm(client, batch)
    activity = Activity.objects.get()
    assert (activity.external_id, activity.primary_pillar) == ("X-1", "prevention")
    assert [loc.region for loc in activity.locations.all()] == ["UZ-FA"]


def test_values_in_other_spellings_are_read(client, partner):
    file = rows_with(
        [
            "title",
            "type",
            "pillar",
            "planned_start",
            "planned_end",
            "locations",
            "budget",
            "currency",
        ],
        [
            "A",
            "training",
            "prevention",
            "2031-11-14T09:30:00",
            "06.12.2031",
            "UZ-FA; Турция; Kazakhstan",
            "12,500.50",
            "usd",
        ],
    )
    upload(client, "activities", file)
    batch = latest_batch()
    assert outcomes(batch) == [(2, "new")]
    confirm(client, batch)
    activity = Activity.objects.get()
    assert activity.budget == Decimal("12500.50")
    assert (activity.planned_start, activity.planned_end) == (date(2031, 11, 14), date(2031, 12, 6))
    assert sorted(loc.country or loc.region for loc in activity.locations.all()) == [
        "KZ",
        "TR",
        "UZ-FA",
    ]


def test_missing_columns_are_named_as_the_template_names_them(client, partner):
    partner.person.preferred_language = "ru"
    partner.person.save()
    response = client.post(
        reverse("stakeholders:import_upload", args=["activities"]),
        {"file": rows_with(["Название", "Тип"], ["A", "training"])},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Плановое начало" in page and "planned_start" not in page
    assert not ImportBatch.objects.exists()


def test_a_row_like_an_existing_activity_or_the_templates_example_is_flagged(client, partner):
    own = partner.person.organisation
    existing = ActivityFactory(
        lead_organisation=own,
        title="Airport training",
        planned_start=date(2031, 11, 14),
        planned_end=date(2031, 11, 15),
    )
    file = rows_with(
        ["external_id", "title", "type", "pillar", "planned_start", "planned_end", "locations"],
        ["", "airport  training", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU"],
        ["", "Airport training", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU"],
        [
            "IOM-2023-017",
            "Training for airport staff on identifying victims",
            "training",
            "protection",
            "2023-11-14",
            "2023-11-15",
            "UZ-BU",
        ],
    )
    upload(client, "activities", file)
    rows = {row.number: row for row in import_batch_preview(latest_batch()).rows}

    assert rows[2].outcome == "new"
    assert rows[2].warnings == [
        f"{existing.code} has the same title and planned start: check that this is not the "
        "same activity."
    ]
    assert "Row 2 has the same title and planned start." in rows[3].warnings
    assert rows[4].errors == ["This is the template's example row: delete it, or write your own."]


def test_the_secretariat_names_the_lead_of_each_row_even_in_russian(client, secretariat_user):
    client.force_login(secretariat_user)
    ministry = OrganisationFactory(
        name="Ministry of Internal Affairs", name_ru="Министерство внутренних дел"
    )
    file = rows_with(
        [
            "title",
            "type",
            "pillar",
            "planned_start",
            "planned_end",
            "locations",
            "lead_organisation",
        ],
        [
            "A",
            "training",
            "prevention",
            "2031-11-14",
            "2031-11-15",
            "UZ-BU",
            "Министерство  внутренних дел",
        ],
        ["B", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU", ""],
    )
    upload(client, "activities", file)
    batch = latest_batch()
    assert errors_of(batch) == {3: ["Lead organisation: say which organisation leads it."]}
    rows = import_batch_preview(batch).rows
    assert rows[0].data["fields"]["lead_organisation"] == ministry


def test_after_the_import_the_page_leads_to_the_drafts(client, partner):
    file = rows_with(
        ["title", "type", "pillar", "planned_start", "planned_end", "locations"],
        ["A", "training", "prevention", "2031-11-14", "2031-11-15", "UZ-BU"],
    )
    upload(client, "activities", file)
    batch = latest_batch()
    confirm(client, batch)
    page = client.get(preview_url(batch)).content.decode()
    assert "1 added, 0 left out, already in the portal." in page
    assert reverse("activities:activity_list") + "?review=draft" in page
