import csv
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from stakeholders.imports import import_batch_preview
from stakeholders.models import ImportBatch, MechanismRole, Organisation, Person, Role
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGANISATION_HEADER = [
    "name",
    "name_ru",
    "name_uz",
    "short_name",
    "stakeholder_group",
    "parent",
    "country",
    "website",
    "iati_identifier",
    "iati_type",
    "description",
    "active",
]
PERSON_HEADER = [
    "full_name",
    "email",
    "organisation",
    "position",
    "phone",
    "preferred_language",
    "mechanism_role",
    "active",
]


def export_url(kind: str, fmt: str, query: str = "") -> str:
    name = "organisation_export" if kind == "organisations" else "person_export"
    url = reverse(f"stakeholders:{name}", args=[fmt])
    return f"{url}?{query}" if query else url


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def rows_of(response, fmt: str) -> list[list[str]]:
    return csv_rows(response) if fmt == "csv" else xlsx_rows(response)


@pytest.fixture
def secretariat(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def ministry(db):
    parent = OrganisationFactory(name="Cabinet of Ministers", short_name="CoM")
    return OrganisationFactory(
        name="Ministry of Justice",
        name_ru="Министерство юстиции",
        name_uz="Adliya vazirligi",
        short_name="MoJ",
        stakeholder_group="ministry",
        parent=parent,
        country="UZ",
        website="https://minjust.example.org",
        iati_identifier="UZ-GOV-1",
        iati_type="10",
        description="Line one\r\nline two, with a comma",
    )


@time_machine.travel("2026-11-27 12:00 +05:00")
def test_it_exports_organisations_as_csv(secretariat, ministry):
    response = secretariat.get(export_url("organisations", "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="organisations-2026-11-27.csv"'
    rows = csv_rows(response)
    assert rows[0] == ORGANISATION_HEADER
    assert [
        "Ministry of Justice",
        "Министерство юстиции",
        "Adliya vazirligi",
        "MoJ",
        "ministry",
        "Cabinet of Ministers",
        "UZ",
        "https://minjust.example.org",
        "UZ-GOV-1",
        "10",
        "Line one\r\nline two, with a comma",
        "yes",
    ] in rows


@time_machine.travel("2026-11-27 12:00 +05:00")
def test_it_exports_organisations_as_xlsx(secretariat, ministry):
    OrganisationFactory(name="Trick", description='=HYPERLINK("http://evil.example")')

    response = secretariat.get(export_url("organisations", "xlsx"))

    assert response["Content-Disposition"] == 'attachment; filename="organisations-2026-11-27.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ORGANISATION_HEADER
    [row] = [row for row in rows if row[0] == "Ministry of Justice"]
    assert row[1] == "Министерство юстиции"
    assert row[5] == "Cabinet of Ministers"
    assert row[9] == "10"
    # Text stays text: nothing in an export runs as a formula.
    [trick] = [row for row in sheet.iter_rows() if row[0].value == "Trick"]
    assert trick[10].value == '=HYPERLINK("http://evil.example")'
    assert trick[10].data_type == "s"
    assert "f" not in {cell.data_type for row in sheet.iter_rows() for cell in row}


def test_a_csv_export_keeps_spreadsheets_from_running_formulas(secretariat):
    OrganisationFactory(name="Trick", description='=HYPERLINK("http://evil.example")')

    rows = csv_rows(secretariat.get(export_url("organisations", "csv", "q=trick")))

    assert rows[1][10] == '\'=HYPERLINK("http://evil.example")'


def test_a_csv_export_leaves_phone_numbers_as_they_are(secretariat):
    PersonFactory(full_name="Caller", phone="+998 (71) 123-45-67")

    rows = csv_rows(secretariat.get(export_url("people", "csv", "q=caller")))

    assert rows[1][4] == "+998 (71) 123-45-67"


def test_the_export_follows_the_filters_of_the_list(secretariat, ministry):
    OrganisationFactory(name="Bar Association", stakeholder_group="national_ngo", country="UZ")
    OrganisationFactory(name="Old Ministry", stakeholder_group="ministry", is_active=False)

    def names(query: str) -> list[str]:
        rows = csv_rows(secretariat.get(export_url("organisations", "csv", query)))
        return [row[0] for row in rows[1:]]

    assert names("group=ministry") == ["Ministry of Justice"]
    assert names("group=ministry&active=no") == ["Old Ministry"]
    assert names("q=юстиции") == ["Ministry of Justice"]
    assert names("country=UZ&sort=-name") == ["Ministry of Justice", "Bar Association"]


def test_partners_export_only_what_they_may_see(client, ministry):
    OrganisationFactory(name="Old Ministry", is_active=False)
    client.force_login(UserFactory(role=Role.PARTNER))

    rows = csv_rows(client.get(export_url("organisations", "csv", "active=no")))

    names = [row[0] for row in rows[1:]]
    assert "Ministry of Justice" in names
    assert "Old Ministry" not in names


def test_people_export_filters_by_organisation_and_role(secretariat, ministry):
    PersonFactory(
        full_name="Focal", organisation=ministry, mechanism_role=MechanismRole.FOCAL_POINT
    )
    PersonFactory(full_name="Member", organisation=ministry)
    PersonFactory(full_name="Elsewhere", mechanism_role=MechanismRole.FOCAL_POINT)

    response = secretariat.get(
        export_url("people", "xlsx", f"organisation={ministry.pk}&role=focal_point")
    )

    rows = xlsx_rows(response)
    assert rows[0] == PERSON_HEADER
    assert [row[0] for row in rows[1:]] == ["Focal"]
    assert rows[1][2] == "Ministry of Justice"
    assert rows[1][6] == "focal_point"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_donors_people_export_blanks_the_contacts_of_other_organisations(client, fmt):
    donor = UserFactory(role=Role.DONOR)
    own = donor.person.organisation
    PersonFactory(
        full_name="Colleague", email="colleague@donor.example", phone="+1 555", organisation=own
    )
    PersonFactory(full_name="Stranger", email="stranger@other.example", phone="+998 71")
    client.force_login(donor)

    rows = rows_of(client.get(export_url("people", fmt)), fmt)

    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Colleague"][1:5] == ["colleague@donor.example", own.name, "", "+1 555"]
    assert by_name["Stranger"][1] == ""
    assert by_name["Stranger"][4] == ""
    assert by_name["Stranger"][2] != ""


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reimports_as_all_unchanged(secretariat, ministry, fmt):
    OrganisationFactory(name="Trick", short_name="+T", description="=1+1", iati_type="22")
    OrganisationFactory(name="Dormant", is_active=False, country="KZ")
    PersonFactory(
        full_name="Dilnoza Rahimova",
        email="Dilnoza@Example.org",
        phone="+998 71 123 45 67",
        position="Head of unit",
        organisation=ministry,
        preferred_language="uz",
        mechanism_role=MechanismRole.ALTERNATE,
    )
    PersonFactory(full_name="No Email", email="", organisation=ministry)
    PersonFactory(full_name="Gone", organisation=ministry, is_active=False)
    history = Organisation.history.count() + Person.history.count()

    for kind in ("organisations", "people"):
        export = secretariat.get(export_url(kind, fmt, "active=all"))
        file = SimpleUploadedFile(f"{kind}.{fmt}", export.content)
        secretariat.post(reverse("stakeholders:import_upload", args=[kind]), {"file": file})
        batch = ImportBatch.objects.latest("pk")
        preview = import_batch_preview(batch)

        assert [row.outcome for row in preview.rows] == ["unchanged"] * (
            len(rows_of(export, fmt)) - 1
        )
        assert not any(row.warnings for row in preview.rows)
        with TestCase.captureOnCommitCallbacks(execute=True):
            secretariat.post(
                reverse("stakeholders:import_preview", args=[batch.pk]), {"action": "confirm"}
            )
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.APPLIED

    assert Organisation.history.count() + Person.history.count() == history


@pytest.mark.parametrize("kind", ["organisations", "people"])
@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DONOR])
def test_the_queries_of_an_export_do_not_grow_with_its_rows(
    client, kind, role, django_assert_max_num_queries
):
    client.force_login(UserFactory(role=role))
    for count in (10, 100):
        for _ in range(count // 10):
            parent = OrganisationFactory()
            OrganisationFactory.create_batch(9, parent=parent)
            PersonFactory.create_batch(10, organisation=parent)
        # The session, the user, the rows; a donor's own person and organisation.
        with django_assert_max_num_queries(5):
            response = client.get(export_url(kind, "csv"))
        assert len(csv_rows(response)) > count


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.PARTNER, Role.DONOR])
@pytest.mark.parametrize("kind", ["organisations", "people"])
def test_every_role_may_export(client, role, kind):
    client.force_login(UserFactory(role=role))

    assert client.get(export_url(kind, "xlsx")).status_code == 200
    assert client.get(export_url(kind, "pdf")).status_code == 404


@pytest.mark.parametrize("kind", ["organisations", "people"])
def test_anonymous_visitors_are_sent_to_login_from_exports(client, kind):
    response = client.get(export_url(kind, "csv"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
