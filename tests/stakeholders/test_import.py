import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from stakeholders.imports import import_batch_preview
from stakeholders.models import (
    ImportBatch,
    Language,
    MechanismRole,
    Organisation,
    Person,
    Role,
    StakeholderGroup,
)
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS_CSV = """\
name,short_name,stakeholder_group,parent,country,website,iati_identifier,iati_type,active
Ministry of Justice,MoJ,Ministry,,Uzbekistan,https://minjust.example.org,,10,yes
Legal Aid Centre,LAC,national_ngo,Ministry of Justice,UZ,,XM-TEST-1,22,no
"""


def csv_file(
    text: str, name: str = "organisations.csv", *, bom: bool = False
) -> SimpleUploadedFile:
    content = text.encode("utf-8")
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + content, "text/csv")


def xlsx_file(rows: list[list[object]], name: str = "organisations.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/octet-stream")


def upload(client, kind: str, file: SimpleUploadedFile):
    return client.post(reverse("stakeholders:import_upload", args=[kind]), {"file": file})


def latest_batch() -> ImportBatch:
    return ImportBatch.objects.latest("pk")


def preview_url(batch: ImportBatch) -> str:
    return reverse("stakeholders:import_preview", args=[batch.pk])


def confirm(client, batch: ImportBatch, *, follow: bool = False):
    """Confirm the batch; its import task runs (eagerly) once the request has committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(preview_url(batch), {"action": "confirm"})
    return client.get(response.url) if follow and response.status_code == 302 else response


def outcomes(batch: ImportBatch) -> list[tuple[int, str]]:
    return [(row.number, row.outcome) for row in import_batch_preview(batch).rows]


def errors_of(batch: ImportBatch) -> dict[int, list[str]]:
    return {row.number: row.errors for row in import_batch_preview(batch).rows if row.errors}


@pytest.fixture
def secretariat(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


# Good files ---------------------------------------------------------------------


def test_it_imports_a_good_csv_file(secretariat, secretariat_user):
    response = upload(secretariat, "organisations", csv_file(ORGANISATIONS_CSV))

    batch = latest_batch()
    assert response.status_code == 302
    assert response.url == preview_url(batch)
    assert batch.status == ImportBatch.Status.PREVIEW
    assert batch.uploaded_by == secretariat_user
    assert batch.rows[0]["name"] == "Ministry of Justice"
    assert batch.rows[1]["_row"] == "3"
    assert not Organisation.objects.filter(name="Ministry of Justice").exists()

    page = secretariat.get(preview_url(batch))
    assert page.status_code == 200
    assert page.context["preview"].counts["new"] == 2
    assert "Ministry of Justice" in page.content.decode()

    response = confirm(secretariat, batch)

    assert response.status_code == 302
    assert response.url == preview_url(batch)
    page = secretariat.get(response.url).content.decode()
    assert "Import done." in page
    assert "2 added, 0 updated, 0 unchanged" in page
    assert reverse("stakeholders:organisation_list") in page
    ministry = Organisation.objects.get(name="Ministry of Justice")
    assert ministry.short_name == "MoJ"
    assert ministry.stakeholder_group == StakeholderGroup.MINISTRY
    assert ministry.country.code == "UZ"
    assert ministry.website == "https://minjust.example.org"
    assert ministry.iati_type == "10"
    assert ministry.is_active is True
    centre = Organisation.objects.get(name="Legal Aid Centre")
    assert centre.parent == ministry
    assert centre.iati_identifier == "XM-TEST-1"
    assert centre.is_active is False
    assert centre.history.get().history_user == secretariat_user
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.applied_at is not None
    assert batch.summary["created"] == 2


def test_it_resolves_a_parent_further_down_the_file_and_by_short_name(secretariat):
    text = "name,short_name,stakeholder_group,parent\nUnit,,ministry,MIA\nInterior,MIA,ministry,\n"
    upload(secretariat, "organisations", csv_file(text))

    confirm(secretariat, latest_batch())

    assert Organisation.objects.get(name="Unit").parent == Organisation.objects.get(name="Interior")


def test_it_imports_an_xlsx_file(secretariat):
    upload(
        secretariat,
        "organisations",
        xlsx_file(
            [
                ["Name", "Stakeholder_Group", "IATI_type", "Active", "Country"],
                ["UN Women", "UN agency", 40, True, "uz"],
                [None, None, None, None, None],
                ["Embassy of Japan", "embassy", None, False, "Japan"],
            ]
        ),
    )
    batch = latest_batch()
    assert [row["_row"] for row in batch.rows] == ["2", "4"]

    confirm(secretariat, batch)

    un_women = Organisation.objects.get(name="UN Women")
    assert un_women.stakeholder_group == StakeholderGroup.UN_AGENCY
    assert un_women.iati_type == "40"
    assert un_women.country.code == "UZ"
    embassy = Organisation.objects.get(name="Embassy of Japan")
    assert embassy.is_active is False
    assert embassy.country.code == "JP"


def test_it_reads_a_byte_order_mark_and_cyrillic_names(secretariat):
    text = (
        "name;name_ru;stakeholder_group\nMinistry of Health;Министерство здравоохранения;ministry\n"
    )
    upload(secretariat, "organisations", csv_file(text, bom=True))

    confirm(secretariat, latest_batch())

    found = Organisation.objects.search("министерство")
    assert [o.name_ru for o in found] == ["Министерство здравоохранения"]


def test_it_finds_the_delimiter_of_a_semicolon_file(secretariat):
    text = "name;stakeholder_group;description\nBar Association;national_ngo;Lawyers, advocates\n"
    upload(secretariat, "organisations", csv_file(text))

    confirm(secretariat, latest_batch())

    assert Organisation.objects.get(name="Bar Association").description == "Lawyers, advocates"


def test_it_reads_excels_unicode_text(secretariat):
    lines = [
        ["name", "name_ru", "stakeholder_group"],
        ["Ministry of Health", "Минздрав", "ministry"],
    ]
    text = "".join("\t".join(line) + "\r\n" for line in lines)
    file = SimpleUploadedFile("organisations.txt", text.encode("utf-16"))

    upload(secretariat, "organisations", file)

    assert latest_batch().rows == [
        {
            "_row": "2",
            "name": "Ministry of Health",
            "name_ru": "Минздрав",
            "stakeholder_group": "ministry",
        }
    ]


def test_it_updates_a_matching_organisation_and_shows_the_changes(secretariat):
    organisation = OrganisationFactory(name="Prosecutor General's Office", short_name="PGO")
    history = Organisation.history.count()
    upload(
        secretariat,
        "organisations",
        csv_file(
            "name,short_name,stakeholder_group\nPROSECUTOR GENERAL'S OFFICE,GPO,prosecution\n"
        ),
    )
    batch = latest_batch()

    page = secretariat.get(preview_url(batch)).content.decode()

    assert "PGO</del> → <ins>GPO" in page
    assert outcomes(batch) == [(2, "update")]
    confirm(secretariat, batch)
    organisation.refresh_from_db()
    assert organisation.name == "PROSECUTOR GENERAL'S OFFICE"
    assert organisation.short_name == "GPO"
    assert organisation.stakeholder_group == StakeholderGroup.PROSECUTION
    assert Organisation.history.count() == history + 1


def test_it_matches_on_the_iati_identifier_when_the_name_is_new(secretariat):
    organisation = OrganisationFactory(name="UNODC ROCA", iati_identifier="XM-DAC-41127")
    upload(
        secretariat,
        "organisations",
        csv_file("name,stakeholder_group,iati_identifier\nUNODC,un_agency,XM-DAC-41127\n"),
    )

    confirm(secretariat, latest_batch())

    organisation.refresh_from_db()
    assert organisation.name == "UNODC"
    assert not Organisation.objects.filter(name="UNODC ROCA").exists()


def test_it_warns_of_an_acronym_another_organisation_uses(secretariat):
    OrganisationFactory(name="International Organization for Migration", short_name="IOM")
    upload(
        secretariat,
        "organisations",
        csv_file("name,short_name,stakeholder_group\nInstitute of Medicine,IOM,academia\n"),
    )
    [row] = import_batch_preview(latest_batch()).rows

    assert row.outcome == "new"
    assert row.warnings == [
        "The short name “IOM” is also used by International Organization for Migration."
    ]
    assert confirm(secretariat, latest_batch()).status_code == 302
    assert Organisation.objects.filter(short_name="IOM").count() == 2


def test_it_warns_of_unknown_columns_and_ignores_them(secretariat):
    upload(secretariat, "organisations", csv_file("name,stakeholder_group,colour\nA,media,red\n"))
    batch = latest_batch()

    page = secretariat.get(preview_url(batch)).content.decode()

    assert "These columns are not known and were ignored: colour." in page
    assert "colour" not in batch.rows[0]


# Bad rows -----------------------------------------------------------------------


def test_it_imports_nothing_when_one_row_is_bad(secretariat):
    text = (
        "name,stakeholder_group,website\n"
        "Good One,media,\n"
        "Bad One,nonsense,not a website\n"
        "Good Two,media,\n"
    )
    upload(secretariat, "organisations", csv_file(text))
    batch = latest_batch()

    page = secretariat.get(preview_url(batch))
    content = page.content.decode()

    assert page.context["preview"].has_errors
    assert errors_of(batch) == {
        3: [
            "Stakeholder group: Value 'nonsense' is not a valid choice.",
            "Website: Enter a valid URL.",
        ]
    }
    assert "Value &#x27;nonsense&#x27; is not a valid choice." in content
    assert 'value="confirm" class="btn btn-primary" disabled' in content

    response = confirm(secretariat, batch, follow=True)

    assert "Nothing was imported: some rows have errors now." in response.content.decode()
    assert not Organisation.objects.filter(name__startswith="Good").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_it_reports_a_duplicate_in_the_file_on_the_later_row(secretariat):
    text = "name,stakeholder_group,iati_identifier\nAlpha,media,\nALPHA,media,\nBeta,media,\n"
    upload(secretariat, "organisations", csv_file(text))
    batch = latest_batch()

    assert outcomes(batch) == [(2, "new"), (3, "error"), (4, "new")]
    assert errors_of(batch) == {3: ["The name is also on row 2."]}
    confirm(secretariat, batch)
    assert not Organisation.objects.filter(name__in=["Alpha", "Beta"]).exists()


def test_it_reports_a_duplicate_iati_identifier_in_the_file(secretariat):
    text = "name,stakeholder_group,iati_identifier\nAlpha,media,XM-1\nBeta,media,XM-1\n"
    upload(secretariat, "organisations", csv_file(text))

    assert errors_of(latest_batch()) == {3: ["The IATI identifier is also on row 2."]}


def test_it_reports_a_duplicate_against_the_database(secretariat):
    OrganisationFactory(name="Alpha")
    OrganisationFactory(name="Beta", iati_identifier="XM-DAC-1")
    upload(
        secretariat,
        "organisations",
        csv_file("name,stakeholder_group,iati_identifier\nAlpha,media,XM-DAC-1\n"),
    )

    assert errors_of(latest_batch()) == {
        2: [
            "Duplicate against the database: the name is that of “Alpha”, "
            "the IATI identifier that of “Beta”."
        ]
    }


def test_it_reports_a_parent_that_does_not_exist_and_a_circle(secretariat):
    text = (
        "name,stakeholder_group,parent\n"
        "Alpha,media,Nowhere\n"
        "Beta,media,Gamma\n"
        "Gamma,media,Beta\n"
        "Delta,media,delta\n"
    )
    upload(secretariat, "organisations", csv_file(text))

    errors = errors_of(latest_batch())

    assert errors[2] == ["Parent: no organisation is called “Nowhere”."]
    assert errors[3] == errors[4] == errors[5]
    assert errors[5] == ["Parent: an organisation cannot sit under itself or its units."]


def test_it_refuses_to_change_a_merged_organisation(secretariat):
    keep = OrganisationFactory(name="Keep")
    OrganisationFactory(name="Gone", is_active=False, merged_into=keep)
    upload(
        secretariat, "organisations", csv_file("name,stakeholder_group,active\nGone,media,yes\n")
    )

    assert errors_of(latest_batch()) == {
        2: ["“Gone” has been merged into “Keep”; import into that one instead."]
    }


# Bad files ----------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("picture.csv", PNG, "This is neither a CSV nor an XLSX file."),
        ("report.csv", PDF, "This is neither a CSV nor an XLSX file."),
        ("archive.xlsx", b"PK\x03\x04not really a zip", "This is neither a CSV nor an XLSX file."),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Old Excel files (.xls)"),
        ("latin.csv", "name,stakeholder_group\nMinistère,media\n".encode("cp1252"), "UTF-8"),
        ("empty.csv", b"", "The submitted file is empty."),
        ("blank.csv", b"\n \r\n", "The file is empty."),
        ("header.csv", b"name,stakeholder_group\n", "The file has no rows below the column names."),
        ("header.xlsx", None, "The file has no rows below the column names."),
        ("no-name.csv", b"stakeholder_group,short_name\nmedia,A\n", "Required columns are missing"),
        ("twice.csv", b"name,Name,stakeholder_group\nA,B,media\n", "appears twice"),
    ],
)
def test_it_refuses_a_bad_file_with_a_form_error(secretariat, name, content, error):
    if content is None:
        file = xlsx_file([["name", "stakeholder_group"]], name)
    else:
        file = SimpleUploadedFile(name, content)

    response = upload(secretariat, "organisations", file)

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["file"])
    assert ImportBatch.objects.count() == 0


def test_it_refuses_a_file_over_5_mb(secretariat):
    text = "name,stakeholder_group,description\n" + f"A,media,{'x' * (5 * 1024 * 1024)}\n"

    response = upload(secretariat, "organisations", csv_file(text))

    assert response.context["form"].errors["file"] == ["The file is larger than 5 MB."]
    assert ImportBatch.objects.count() == 0


def test_it_refuses_a_file_over_5000_rows(secretariat):
    text = "name,stakeholder_group\n" + "".join(f"Org {n},media\n" for n in range(5001))

    response = upload(secretariat, "organisations", csv_file(text))

    assert response.context["form"].errors["file"] == [
        "The file has more than 5,000 rows. Split it into smaller files."
    ]
    assert ImportBatch.objects.count() == 0


def test_it_accepts_a_file_of_5000_rows(secretariat):
    text = "name,stakeholder_group\n" + "".join(f"Org {n},media\n" for n in range(5000))

    upload(secretariat, "organisations", csv_file(text))

    assert len(latest_batch().rows) == 5000


# Re-import and confirmation ----------------------------------------------------


def test_a_reimport_of_the_same_file_changes_nothing_and_adds_no_history(secretariat):
    upload(secretariat, "organisations", csv_file(ORGANISATIONS_CSV))
    confirm(secretariat, latest_batch())
    before = list(Organisation.objects.values().order_by("pk"))
    history = Organisation.history.count()

    upload(secretariat, "organisations", csv_file(ORGANISATIONS_CSV))
    batch = latest_batch()
    assert outcomes(batch) == [(2, "unchanged"), (3, "unchanged")]
    response = confirm(secretariat, batch, follow=True)

    assert "0 added, 0 updated, 2 unchanged" in response.content.decode()
    assert list(Organisation.objects.values().order_by("pk")) == before
    assert Organisation.history.count() == history


def test_confirming_checks_the_batch_again_against_the_current_data(secretariat):
    text = "name,stakeholder_group,iati_identifier\nBeta,media,\nAlpha,media,XM-DAC-9\n"
    upload(secretariat, "organisations", csv_file(text))
    batch = latest_batch()
    assert outcomes(batch) == [(2, "new"), (3, "new")]
    # Meanwhile someone adds Alpha, and another organisation takes the identifier.
    OrganisationFactory(name="Alpha")
    OrganisationFactory(name="Gamma", iati_identifier="XM-DAC-9")

    response = confirm(secretariat, batch, follow=True)

    assert "Nothing was imported: some rows have errors now." in response.content.decode()
    assert "Duplicate against the database" in response.content.decode()
    assert not Organisation.objects.filter(name="Beta").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_a_batch_is_applied_only_once(secretariat):
    upload(secretariat, "organisations", csv_file(ORGANISATIONS_CSV))
    batch = latest_batch()
    confirm(secretariat, batch)
    Organisation.objects.filter(name="Legal Aid Centre").update(name="Renamed")

    response = confirm(secretariat, batch, follow=True)

    assert "already been confirmed or discarded" in response.content.decode()
    assert not Organisation.objects.filter(name="Legal Aid Centre").exists()
    assert "Imported on" in secretariat.get(preview_url(batch)).content.decode()


def test_a_discarded_batch_is_emptied_and_cannot_be_applied(secretariat):
    upload(secretariat, "organisations", csv_file(ORGANISATIONS_CSV))
    batch = latest_batch()

    response = secretariat.post(preview_url(batch), {"action": "discard"})

    assert response.url == reverse("stakeholders:import_upload", args=["organisations"])
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DISCARDED
    assert batch.rows == []
    confirm(secretariat, batch)
    assert not Organisation.objects.filter(name="Ministry of Justice").exists()


def test_the_preview_costs_the_same_queries_for_10_and_100_rows(
    secretariat, django_assert_max_num_queries
):
    for count in (10, 100):
        parents = OrganisationFactory.create_batch(count)
        text = "name,stakeholder_group,parent\n" + "".join(
            f"Org {count}-{n},media,{parent.name}\n" for n, parent in enumerate(parents)
        )
        upload(secretariat, "organisations", csv_file(text))
        batch = latest_batch()
        # The session, the user, the batch, all organisations; the page may add one or two.
        with django_assert_max_num_queries(6):
            response = secretariat.get(preview_url(batch))
        assert response.context["preview"].counts["new"] == count


# People -------------------------------------------------------------------------


def test_the_people_preview_costs_the_same_queries_for_10_and_100_rows(
    secretariat, django_assert_max_num_queries
):
    for count in (10, 100):
        people = PersonFactory.create_batch(count)
        text = "full_name,email,organisation\n" + "".join(
            f"{p.full_name},{p.email},{p.organisation.name}\n" for p in people
        )
        upload(secretariat, "people", csv_file(text, "people.csv"))
        batch = latest_batch()
        # The session, the user, the batch, all organisations, all people.
        with django_assert_max_num_queries(7):
            response = secretariat.get(preview_url(batch))
        assert response.context["preview"].counts["unchanged"] == count


def test_it_imports_people_matching_on_the_email(secretariat):
    mia = OrganisationFactory(name="Ministry of Internal Affairs", short_name="MIA")
    known = PersonFactory(full_name="Old Name", email="Known@Example.org", organisation=mia)
    text = (
        "full_name,email,organisation,preferred_language,mechanism_role,phone\n"
        "New Name,known@example.ORG,MIA,ru,focal_point,+998 71 200 00 00\n"
        "Aziza Karimova,aziza@example.org,ministry of internal affairs,,,\n"
    )
    upload(secretariat, "people", csv_file(text, "people.csv"))
    batch = latest_batch()
    assert outcomes(batch) == [(2, "update"), (3, "new")]

    response = confirm(secretariat, batch)

    assert response.url == preview_url(batch)
    known.refresh_from_db()
    assert known.full_name == "New Name"
    assert known.preferred_language == Language.RUSSIAN
    assert known.mechanism_role == MechanismRole.FOCAL_POINT
    assert known.phone == "+998 71 200 00 00"
    aziza = Person.objects.get(email="aziza@example.org")
    assert aziza.organisation == mia
    assert aziza.preferred_language == Language.ENGLISH
    assert aziza.mechanism_role == MechanismRole.MEMBER


def test_it_reports_bad_people_rows(secretariat):
    OrganisationFactory(name="Alpha", short_name="A")
    OrganisationFactory(name="Another", short_name="A")
    text = (
        "full_name,email,organisation\n"
        "One,one@example.org,Alpha\n"
        "Two,ONE@example.org,Alpha\n"
        "Three,three@example.org,Nowhere\n"
        "Four,four@example.org,A\n"
        "Five,not-an-email,Alpha\n"
        ",six@example.org,Alpha\n"
    )
    upload(secretariat, "people", csv_file(text, "people.csv"))

    assert errors_of(latest_batch()) == {
        3: ["The email address is also on row 2."],
        4: ["Organisation: no organisation is called “Nowhere”."],
        5: ["Organisation: “A” could be several organisations; use the full name."],
        6: ["Email: Enter a valid email address."],
        7: ["Full name: This field cannot be blank."],
    }


@pytest.mark.parametrize(
    ("role", "expected"), [(Role.PARTNER, 403), (Role.DONOR, 403), (None, 302)]
)
def test_only_the_secretariat_may_import(client, secretariat_user, role, expected):
    batch = ImportBatch.objects.create(
        kind="organisations", file_name="x.csv", rows=[], uploaded_by=secretariat_user
    )
    if role is not None:
        client.force_login(UserFactory(role=role))
    urls = [
        reverse("stakeholders:import_upload", args=["organisations"]),
        reverse("stakeholders:import_upload", args=["people"]),
        reverse("stakeholders:import_template", args=["people", "csv"]),
        preview_url(batch),
    ]

    # A partner imports activities, so reaches the import pages, but not the directory's
    # kinds, and another's batch is not there for them.
    unseen = 404 if role == Role.PARTNER else expected
    for url in urls:
        response = client.get(url)
        assert response.status_code == (unseen if url == preview_url(batch) else expected), url
        if role is None:
            assert response.url.startswith(reverse("login"))
    response = upload(client, "organisations", csv_file(ORGANISATIONS_CSV))
    assert response.status_code == expected
    assert confirm(client, batch).status_code == unseen
    assert ImportBatch.objects.count() == 1
    assert not Organisation.objects.filter(name="Ministry of Justice").exists()


def test_unknown_kinds_and_formats_are_not_found(secretariat):
    assert (
        secretariat.get(reverse("stakeholders:import_upload", args=["meetings"])).status_code == 404
    )
    template = reverse("stakeholders:import_template", args=["people", "pdf"])
    assert secretariat.get(template).status_code == 404


def test_the_upload_page_links_the_templates(secretariat):
    response = secretariat.get(reverse("stakeholders:import_upload", args=["people"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("stakeholders:import_template", args=["people", "csv"]) in content
    assert reverse("stakeholders:import_template", args=["people", "xlsx"]) in content
    assert 'enctype="multipart/form-data"' in content


def test_the_templates_hold_the_columns_and_an_example_that_imports(secretariat):
    csv_response = secretariat.get(
        reverse("stakeholders:import_template", args=["organisations", "csv"])
    )
    xlsx_response = secretariat.get(
        reverse("stakeholders:import_template", args=["organisations", "xlsx"])
    )

    assert csv_response["Content-Disposition"] == (
        'attachment; filename="organisations-template.csv"'
    )
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "name,name_ru,name_uz,short_name,stakeholder_group,parent,country,website,"
        "iati_identifier,iati_type,description,active"
    )
    assert len(lines) == 2
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)][1][0] == (
        "Ministry of Internal Affairs"
    )
    upload(secretariat, "organisations", csv_file(csv_response.content.decode("utf-8-sig")))
    assert outcomes(latest_batch()) == [(2, "new")]
